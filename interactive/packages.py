"""H5P archives: build our own packages, check uploaded ones, extract checked ones into media storage.

An uploaded `.h5p` is untrusted. `h5p_package_validate` only reads the archive (nothing is written
anywhere); `h5p_package_extract` writes a validated archive's files into media storage through the
Django storage API, so the same code works on the local disk and on S3-compatible storage.
Every rejection carries a Danish message that is shown to the editor as it is.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyh5p
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from pyh5p.package import H5PPackage, PackagedLibrary
from pyh5p.security import ArchiveLimits, validate_archive_member

LIBRARY_SOURCE_DIR = Path(__file__).resolve().parent / "h5p_libraries"
FOREBYG_CHECK_LIBRARY = "H5P.ForebygCheck 1.0"

MB = 1024 * 1024

# What may live in content/: H5P core's default content whitelist without svg (may carry script),
# xml (may carry XHTML with script) and swf (Flash).
CONTENT_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "webp",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "ogv",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "csv",
        "diff",
        "patch",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "gltf",
        "glb",
    ]
)
# Libraries may also carry their JavaScript and CSS, and SVG icons that contain no script.
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg"}

_SVG_ACTIVE_CONTENT = re.compile(
    rb"<\s*script|<\s*foreignobject|<\s*iframe|<\s*embed|<\s*object|<!\s*entity|javascript\s*:|\son[a-z]+\s*=",
    re.IGNORECASE,
)
_LIBRARY_DIR = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9._-]*)-(?P<major>\d+)\.(?P<minor>\d+)$")
_MACHINE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")
_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


# What reading a damaged, encrypted or exotic archive raises (a CRC mismatch, an unsupported method).
CORRUPT_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


class H5PPackageRejected(Exception):
    """The package was refused. `message` is Danish and is shown to the editor unchanged."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class H5PLimits:
    max_package_bytes: int = 50 * MB
    max_uncompressed_bytes: int = 200 * MB
    max_files: int = 2000
    max_ratio: float = 100.0
    # A member smaller than this cannot be a decompression bomb; tiny text files compress very well.
    ratio_min_size: int = 4096


def h5p_limits() -> H5PLimits:
    """The limits in force: defaults, each overridable by a setting of the same name in upper case."""
    defaults = H5PLimits()
    return H5PLimits(
        max_package_bytes=getattr(settings, "H5P_MAX_PACKAGE_BYTES", defaults.max_package_bytes),
        max_uncompressed_bytes=getattr(
            settings, "H5P_MAX_UNCOMPRESSED_BYTES", defaults.max_uncompressed_bytes
        ),
        max_files=getattr(settings, "H5P_MAX_FILES", defaults.max_files),
        max_ratio=getattr(settings, "H5P_MAX_RATIO", defaults.max_ratio),
        ratio_min_size=getattr(settings, "H5P_RATIO_MIN_SIZE", defaults.ratio_min_size),
    )


def h5p_temp_dir() -> str | None:
    """The folder temporary copies of packages are made in (the system default unless configured)."""
    return getattr(settings, "H5P_TEMP_DIR", None)


@dataclass(frozen=True)
class ValidatedPackage:
    title: str
    main_library: str
    # Member names to extract, in archive order (directories and ignored system files left out).
    files: tuple[str, ...]
    total_bytes: int


# --- Building our own packages -------------------------------------------------------------------------


def h5p_package_build(*, content: Mapping[str, Any], title: str, language: str = "da") -> bytes:
    """A complete `.h5p` (zip) of `content` for our own H5P.ForebygCheck library, built with pyh5p.

    Only the library source in interactive/h5p_libraries is used: nothing is fetched from the H5P Hub.
    """
    store = pyh5p.LibraryStore(LIBRARY_SOURCE_DIR)
    built = pyh5p.build(
        FOREBYG_CHECK_LIBRARY, dict(content), store=store, fetch=False, title=title, language=language
    )
    return built.package_bytes()


def forebyg_check_content(
    *, question: str, answers: list[Mapping[str, Any]], l10n: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """H5P.ForebygCheck parameters from a question and answers (`text`, `correct`, optional `feedback`)."""
    content: dict[str, Any] = {
        "question": question,
        "answers": [
            {
                "text": a["text"],
                "correct": bool(a.get("correct")),
                **({"feedback": a["feedback"]} if a.get("feedback") else {}),
            }
            for a in answers
        ],
    }
    if l10n:
        content["l10n"] = dict(l10n)
    return content


# --- Validation ------------------------------------------------------------------------------------------


def _reject(code: str, message: str) -> H5PPackageRejected:
    return H5PPackageRejected(message, code=code)


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as UTF-8 text; zip names without the UTF-8 flag are decoded as cp437 by zipfile."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        return name.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise _reject(
            "encoding",
            _(
                "Pakken indeholder et filnavn, der ikke er gyldig UTF-8. Pak filerne igen med et program, der gemmer filnavne som UTF-8."
            ),
        ) from None


def _check_path(name: str) -> None:
    shown = name[:120]
    if "\x00" in name or any(ord(char) < 32 for char in name):
        raise _reject(
            "path", _("Pakken indeholder et filnavn med kontroltegn (»{shown}«).").format(shown=repr(shown))
        )
    if "\\" in name:
        raise _reject(
            "path",
            _(
                "Pakken indeholder stien »{shown}« med omvendt skråstreg (\\). Kun / er tilladt i stier."
            ).format(shown=shown),
        )
    if name.startswith("/") or _DRIVE_LETTER.match(name) or ":" in name:
        raise _reject(
            "path",
            _(
                "Pakken indeholder den absolutte sti »{shown}«. Alle stier skal være relative til pakken."
            ).format(shown=shown),
        )
    parts = PurePosixPath(name).parts
    if any(part in {"..", "."} for part in name.rstrip("/").split("/")):
        raise _reject(
            "path",
            _("Pakken indeholder stien »{shown}«, som peger uden for pakken (../). Den er afvist.").format(
                shown=shown
            ),
        )
    if not parts or "//" in name:
        raise _reject("path", _("Pakken indeholder den ugyldige sti »{shown}«.").format(shown=shown))


def _is_ignored(name: str) -> bool:
    """System files that zip tools add (macOS resource forks, .DS_Store): checked, never extracted."""
    return any(part.startswith(".") or part == "__MACOSX" for part in name.rstrip("/").split("/"))


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def _check_file_type(name: str) -> None:
    top, _sep, rest = name.partition("/")
    extension = _extension(name)
    if not rest:
        if name != "h5p.json":
            raise _reject(
                "unexpected",
                _(
                    "Pakken indeholder filen »{name}« i roden. Kun h5p.json, mappen content/ og biblioteksmapper er tilladt."
                ).format(name=name),
            )
        return
    if not extension:
        raise _reject(
            "filetype",
            _(
                "Filen »{name}« har ingen filendelse. Filer uden endelse er ikke tilladt i en H5P-pakke."
            ).format(name=name),
        )
    if top == "content":
        if extension not in CONTENT_EXTENSIONS:
            raise _reject(
                "filetype",
                _(
                    "Filen »{name}« er af typen .{extension}, som ikke er tilladt i indholdsmappen (content/). Indhold må kun være billeder, lyd, video, skrifttyper, JSON og tekstdokumenter – ikke HTML, JavaScript, SVG, PHP eller programmer."
                ).format(name=name, extension=extension),
            )
        return
    if extension not in LIBRARY_EXTENSIONS:
        raise _reject(
            "filetype",
            _(
                "Biblioteksfilen »{name}« er af typen .{extension}, som ikke er tilladt. Biblioteker må kun indeholde JavaScript, CSS, billeder, lyd, video, skrifttyper og JSON – ikke HTML, PHP eller programmer."
            ).format(name=name, extension=extension),
        )


def _read_json(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> Any:
    try:
        return json.loads(archive.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _reject("json", _("Filen {shown} er ikke gyldig JSON (UTF-8).").format(shown=shown)) from None


def _dependency_dir(dependency: Any) -> str | None:
    if not isinstance(dependency, Mapping):
        return None
    name, major, minor = (
        dependency.get("machineName"),
        dependency.get("majorVersion"),
        dependency.get("minorVersion"),
    )
    if not isinstance(name, str) or not _MACHINE_NAME.match(name):
        return None
    try:
        return f"{name}-{int(major)}.{int(minor)}"
    except (TypeError, ValueError):
        return None


def h5p_package_validate(*, path: str | Path) -> ValidatedPackage:
    """Check an `.h5p` file on local disk. Reads only; raises `H5PPackageRejected` with a Danish message."""
    limits = h5p_limits()
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_package_bytes:
        raise _reject(
            "too_large",
            _("Pakken fylder {size} MB. Den må højst fylde {limit} MB.").format(
                size=format(size / MB, ".1f"), limit=format(limits.max_package_bytes / MB, ".0f")
            ),
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError):
        raise _reject(
            "not_zip", _("Filen er ikke en gyldig H5P-pakke (en .h5p-fil er et zip-arkiv).")
        ) from None
    with archive:
        try:
            return _validate_archive(archive, limits)
        except CORRUPT_ARCHIVE_ERRORS:
            raise _reject(
                "corrupt",
                _(
                    "Pakken er beskadiget, krypteret eller bruger en komprimering, der ikke understøttes. "
                    "Eksportér den igen."
                ),
            ) from None


def _validate_archive(archive: zipfile.ZipFile, limits: H5PLimits) -> ValidatedPackage:
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise _reject(
            "too_many_files",
            _("Pakken indeholder {count} filer. Der må højst være {limit}.").format(
                count=len(infos), limit=limits.max_files
            ),
        )
    seen: dict[str, str] = {}
    directories: set[str] = set()
    files: list[str] = []
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = _member_name(info)
        _check_path(name)
        folded = name.rstrip("/").casefold()
        if folded in seen:
            raise _reject(
                "duplicate", _("Pakken indeholder filen »{name}« mere end én gang.").format(name=name)
            )
        seen[folded] = name
        if info.flag_bits & 0x1:
            raise _reject(
                "encrypted", _("Pakken er krypteret med adgangskode. Eksportér den uden kryptering.")
            )
        mode = info.external_attr >> 16
        file_type = stat.S_IFMT(mode)
        if file_type == stat.S_IFLNK:
            raise _reject(
                "symlink",
                _("Pakken indeholder en symbolsk genvej (»{name}«). Genveje er ikke tilladt.").format(
                    name=name
                ),
            )
        if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise _reject(
                "special",
                _("Pakken indeholder »{name}«, som ikke er en almindelig fil.").format(name=name),
            )
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise _reject(
                "too_large_unpacked",
                _("Pakken fylder mere end {limit} MB, når den pakkes ud. Gør den mindre.").format(
                    limit=format(limits.max_uncompressed_bytes / MB, ".0f")
                ),
            )
        if (
            info.file_size >= limits.ratio_min_size
            and info.file_size / max(info.compress_size, 1) > limits.max_ratio
        ):
            raise _reject(
                "ratio",
                _(
                    "Filen »{name}« er pakket usædvanligt hårdt sammen (mere end {limit} gange). Pakken er afvist, fordi den kan være en såkaldt zip-bombe."
                ).format(name=name, limit=format(limits.max_ratio, ".0f")),
            )
        if info.is_dir():
            directories.add(name.rstrip("/"))
            continue
        if _is_ignored(name):
            continue
        _check_file_type(name)
        # Second opinion from pyh5p's own archive policy (path, symlink, size and ratio rules).
        try:
            validate_archive_member(
                name,
                info,
                ArchiveLimits(
                    max_files=limits.max_files,
                    max_file_size=limits.max_uncompressed_bytes,
                    max_total_size=limits.max_uncompressed_bytes,
                    max_compression_ratio=max(limits.max_ratio, 1.0)
                    if info.file_size >= limits.ratio_min_size
                    else float("inf"),
                    allowed_extensions=LIBRARY_EXTENSIONS,
                ),
            )
        except pyh5p.SecurityError:
            raise _reject(
                "unsafe", _("Filen »{name}« i pakken er ikke sikker at pakke ud.").format(name=name)
            ) from None
        files.append(name)
        by_name[name] = info
    for name in files:
        parents = PurePosixPath(name).parents
        if any(str(parent) in by_name for parent in parents):
            raise _reject(
                "duplicate", _("Pakken bruger »{name}« både som fil og som mappe.").format(name=name)
            )

    if "h5p.json" not in by_name:
        raise _reject(
            "no_h5p_json",
            _("Pakken mangler filen h5p.json, som beskriver indholdet. Er det en H5P-pakke?"),
        )
    metadata = _read_json(archive, by_name["h5p.json"], "h5p.json")
    if not isinstance(metadata, dict):
        raise _reject("json", _("Filen h5p.json skal indeholde et JSON-objekt."))
    if "content/content.json" not in by_name:
        raise _reject("no_content", _("Pakken mangler filen content/content.json med selve indholdet."))
    content = _read_json(archive, by_name["content/content.json"], "content/content.json")
    if not isinstance(content, dict):
        raise _reject("json", _("Filen content/content.json skal indeholde et JSON-objekt."))

    title = metadata.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _reject("metadata", _("Filen h5p.json mangler en titel (feltet »title«)."))
    main = metadata.get("mainLibrary")
    if not isinstance(main, str) or not main.strip():
        raise _reject("metadata", _("Filen h5p.json angiver ikke hovedbiblioteket (feltet »mainLibrary«)."))
    dependencies = metadata.get("preloadedDependencies")
    if not isinstance(dependencies, list) or not dependencies:
        raise _reject(
            "metadata",
            _("Filen h5p.json mangler listen over biblioteker (feltet »preloadedDependencies«)."),
        )

    # Every library folder must describe itself in a valid library.json.
    libraries: dict[str, dict[str, Any]] = {}
    library_dirs = {name.split("/", 1)[0] for name in files if "/" in name} - {"content"}
    for directory in sorted(library_dirs):
        if not _LIBRARY_DIR.match(directory):
            raise _reject(
                "library",
                _(
                    "Mappen »{directory}« er hverken content/ eller en gyldig biblioteksmappe (Navn-1.0)."
                ).format(directory=directory),
            )
        info = by_name.get(f"{directory}/library.json")
        if info is None:
            raise _reject(
                "library",
                _("Biblioteksmappen »{directory}« mangler filen library.json.").format(directory=directory),
            )
        library = _read_json(archive, info, f"{directory}/library.json")
        if not isinstance(library, dict) or _dependency_dir(library) != directory:
            raise _reject(
                "library",
                _(
                    "Filen {directory}/library.json passer ikke til mappens navn (machineName, majorVersion og minorVersion)."
                ).format(directory=directory),
            )
        for key, extension in (("preloadedJs", "js"), ("preloadedCss", "css")):
            for entry in library.get(key) or []:
                relative = entry.get("path") if isinstance(entry, Mapping) else None
                if (
                    not isinstance(relative, str)
                    or f"{directory}/{relative}" not in by_name
                    or _extension(relative) != extension
                ):
                    raise _reject(
                        "library",
                        _(
                            "Biblioteket »{directory}« henviser til en fil, der mangler i pakken ({key})."
                        ).format(directory=directory, key=key),
                    )
        for name in files:
            if (
                name.startswith(f"{directory}/")
                and _extension(name) == "svg"
                and _SVG_ACTIVE_CONTENT.search(archive.read(by_name[name]))
            ):
                raise _reject(
                    "filetype",
                    _("SVG-filen »{name}« indeholder script eller anden aktiv kode og er afvist.").format(
                        name=name
                    ),
                )
        libraries[directory] = library

    main_dependency = next(
        (dep for dep in dependencies if isinstance(dep, Mapping) and dep.get("machineName") == main), None
    )
    main_dir = _dependency_dir(main_dependency)
    if main_dir is None or main_dir not in libraries:
        raise _reject(
            "main_library",
            _(
                "Hovedbiblioteket »{main}« findes ikke i pakken. Eksportér pakken med alle biblioteker."
            ).format(main=main),
        )
    # Everything the player loads must be in the package: the player never fetches libraries elsewhere.
    pending, visited = list(dependencies), set()
    while pending:
        directory = _dependency_dir(pending.pop())
        if directory is None:
            raise _reject(
                "metadata", _("En afhængighed i pakken er beskrevet forkert (machineName og version).")
            )
        if directory not in libraries:
            raise _reject(
                "missing_library",
                _("Biblioteket »{directory}« mangler i pakken.").format(directory=directory),
            )
        if directory not in visited:
            visited.add(directory)
            pending.extend(libraries[directory].get("preloadedDependencies") or [])

    # pyh5p's structural package checks (mandatory fields, media referenced by the content, stray files).
    package = H5PPackage(
        metadata=metadata,
        content=content,
        libraries=tuple(
            PackagedLibrary(pyh5p.LibraryId.parse(meta), {}, meta) for meta in libraries.values()
        ),
        files=dict.fromkeys(files, b""),
    )
    for issue in package.validate(require_content=True):
        raise _reject("structure", _issue_in_danish(issue))

    main_library = f"{main} {main_dir.rsplit('-', 1)[1]}"
    return ValidatedPackage(
        title=title.strip()[:200], main_library=main_library, files=tuple(files), total_bytes=total
    )


def _issue_in_danish(issue: pyh5p.errors.ValidationIssue) -> str:
    if issue.keyword == "required" and issue.path.startswith("$.h5p."):
        return _("Filen h5p.json mangler feltet »{name}«.").format(name=issue.path.removeprefix("$.h5p."))
    if issue.keyword == "asset":
        return _("Indholdet henviser til en fil, der ikke findes i pakken ({where}).").format(
            where=issue.path
        )
    if issue.keyword == "path":
        return _("Indholdet henviser til en fil med en ugyldig sti ({where}).").format(where=issue.path)
    if issue.keyword == "additionalProperties":
        return _("Pakken indeholder en fil, der ikke hører hjemme i en H5P-pakke ({name}).").format(
            name=issue.path.removeprefix("$.package.")
        )
    return _("Pakkens opbygning er ugyldig: {where}.").format(where=issue.path)


# --- Extraction ------------------------------------------------------------------------------------------


def h5p_storage_delete_prefix(*, prefix: str) -> None:
    """Delete every file under `prefix` in media storage (works for the file system and S3)."""
    storage = default_storage
    try:
        directories, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        storage.delete(f"{prefix}{name}")
    for directory in directories:
        h5p_storage_delete_prefix(prefix=f"{prefix}{directory}/")
    # The file system keeps empty folders behind; remove them so nothing is left of the activity.
    local = getattr(storage, "location", None)
    if local:
        folder = Path(storage.path(prefix.rstrip("/")))
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def h5p_package_extract(*, path: str | Path, validated: ValidatedPackage, prefix: str) -> int:
    """Write a validated package's files under `prefix` in media storage; returns the number of files.

    Anything already under `prefix` is removed first. On failure the partial extraction is removed.
    """
    h5p_storage_delete_prefix(prefix=prefix)
    written = 0
    try:
        with (
            zipfile.ZipFile(path) as archive,
            tempfile.TemporaryDirectory(prefix="forebyg-h5p-extract-", dir=h5p_temp_dir()) as scratch,
        ):
            infos = {_member_name(info): info for info in archive.infolist()}
            for name in validated.files:
                info = infos[name]
                spool = Path(scratch) / "member"
                # zipfile never returns more than the declared (and checked) size: it stops and verifies the CRC.
                with archive.open(info) as source, spool.open("wb") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
                with spool.open("rb") as handle:
                    saved = default_storage.save(
                        f"{prefix}{name}", File(handle, name=PurePosixPath(name).name)
                    )
                if saved != f"{prefix}{name}":
                    raise OSError(f"storage renamed {name!r} to {saved!r}")
                written += 1
    except BaseException:
        h5p_storage_delete_prefix(prefix=prefix)
        raise
    return written
