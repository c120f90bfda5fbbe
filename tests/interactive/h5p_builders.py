"""Build H5P packages for tests: real ones from our own H5P.ForebygCheck library, and hostile archives."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from interactive.packages import forebyg_check_content, h5p_package_build

QUESTION = "Hvornår er der grund til at undersøge en bekymring nærmere?"
ANSWERS = [
    {
        "text": "Når flere tegn optræder på samme tid.",
        "correct": True,
        "feedback": "Rigtigt – det er summen, der tæller.",
    },
    {
        "text": "Når en ung siger noget provokerende én gang.",
        "correct": False,
        "feedback": "Nej, ét tegn er et signal om at være opmærksom.",
    },
]


def forebyg_package(
    *, question: str = QUESTION, answers: list[dict] | None = None, title: str = "Testtjek"
) -> bytes:
    """A valid package of our own library, built by the production builder (pyh5p, no Hub)."""
    content = forebyg_check_content(question=question, answers=answers or ANSWERS)
    return h5p_package_build(content=content, title=title)


def package_members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@dataclass
class Member:
    name: str
    data: bytes = b"{}"
    mode: int | None = None  # unix mode incl. file type, e.g. 0o120777 for a symlink
    compress: int = zipfile.ZIP_DEFLATED


def zip_archive(members: list[Member]) -> bytes:
    """A zip written member by member exactly as given: no sanitising of names, modes or duplicates."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are written on purpose
        with zipfile.ZipFile(buffer, "w") as archive:
            for member in members:
                info = zipfile.ZipInfo(member.name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = member.compress
                if member.mode is not None:
                    info.create_system = 3
                    info.external_attr = member.mode << 16
                archive.writestr(info, member.data)
    return buffer.getvalue()


def package_with(
    *, extra: list[Member] = (), drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None
) -> bytes:
    """Our valid package with members added, dropped or replaced."""
    members = package_members(forebyg_package())
    for name in drop:
        members.pop(name)
    for name, data in (replace or {}).items():
        members[name] = data
    return zip_archive([Member(name, data) for name, data in members.items()] + list(extra))


def with_non_utf8_name(package: bytes, placeholder: str = "content/QQ.json") -> bytes:
    """Rename `placeholder` to a name whose bytes are not UTF-8 (and carry no UTF-8 flag)."""
    raw = placeholder.encode("ascii")
    assert raw in package and b"QQ" in raw
    return package.replace(raw, raw.replace(b"QQ", b"\xff\xfe"))


def write(tmp_path: Path, data: bytes, name: str = "pakke.h5p") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def h5p_json(**overrides) -> bytes:
    metadata = {
        "title": "Testtjek",
        "language": "da",
        "mainLibrary": "H5P.ForebygCheck",
        "embedTypes": ["div"],
        "preloadedDependencies": [{"machineName": "H5P.ForebygCheck", "majorVersion": 1, "minorVersion": 0}],
    }
    metadata.update(overrides)
    return json.dumps(metadata).encode()


def tree(root: Path) -> set[str]:
    """Every file and folder under `root`, relative to it."""
    if not root.exists():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*")}


def with_corrupted_member(package: bytes, marker: bytes) -> bytes:
    """Flip bytes inside a stored member's data so that its CRC no longer matches."""
    assert package.count(marker) == 1
    return package.replace(marker, bytes(reversed(marker)))


def with_encrypted_flag(package: bytes, name: str) -> bytes:
    """Mark one member as encrypted (general purpose flag bit 0) in its local and central headers."""
    data = bytearray(package)
    raw = name.encode("ascii")
    for position in [i for i in range(len(data)) if data.startswith(raw, i)]:
        if data[position - 30 : position - 26] == b"PK\x03\x04":
            data[position - 30 + 6] |= 0x1
        elif data[position - 46 : position - 42] == b"PK\x01\x02":
            data[position - 46 + 8] |= 0x1
    return bytes(data)
