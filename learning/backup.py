"""Portable backup and restore of the database and the media files.

A backup is one ``.tar.gz`` with:

* ``manifest.json``: when, from which migrations, and the row count of every model in the dump;
* ``data.json``: every app's rows in Django's serialisation format (what ``dumpdata`` writes; natural
  foreign keys, so content types and permissions are matched by name, not id), without what is rebuilt
  or must not travel: sessions, content types, permissions and the search index;
* ``media/…``: every file in the default storage (read through the storage API, so S3 works too).

It works the same on SQLite and PostgreSQL, so a backup from one restores into the other. Restore only
goes into an empty, migrated database (``BackupError("not_empty")`` otherwise): it clears what
``migrate`` itself created (Wagtail's welcome page, the role groups), loads the data, checks every
model's row count against the manifest, copies the media back and rebuilds the search index.
TOTP secrets are encrypted with SECRET_KEY: restore with the same SECRET_KEY.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Exists, OuterRef, Q

FORMAT_VERSION = 1
EXCLUDED_APPS = ["contenttypes", "sessions", "wagtailsearch"]
EXCLUDED_MODELS = ["auth.permission", "usersessions.usersession"]


class BackupError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _excluded(label: str) -> bool:
    app_label = label.split(".", 1)[0]
    return app_label in EXCLUDED_APPS or label in EXCLUDED_MODELS


def _dumped_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not _excluded(model._meta.label_lower)
    ]


def model_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in _dumped_models()}


def _dump_queryset(model) -> models.QuerySet:
    """All rows, except those whose unconstrained foreign key points at a row that no longer exists
    (e.g. Wagtail's log entries of deleted pages): they could not be written with natural keys."""
    queryset = model._base_manager.order_by(model._meta.pk.attname)
    for field in model._meta.concrete_fields:
        if field.many_to_one and not field.db_constraint:
            target = field.related_model._base_manager.filter(pk=OuterRef(field.attname))
            queryset = queryset.filter(Q(**{f"{field.attname}__isnull": True}) | Exists(target))
    return queryset


def _dump(path: Path) -> dict[str, int]:
    """Serialise every dumped model to `path` (dependency order, natural foreign keys); return counts."""
    by_app: dict = {}
    for model in _dumped_models():
        by_app.setdefault(model._meta.app_config, []).append(model)
    ordered = serializers.sort_dependencies(by_app.items(), allow_cycles=True)
    querysets = [(model, _dump_queryset(model)) for model in ordered]
    with path.open("w", encoding="utf-8") as stream:
        serializers.serialize(
            "json",
            itertools.chain.from_iterable(queryset.iterator() for _model, queryset in querysets),
            use_natural_foreign_keys=True,
            stream=stream,
        )
    return {model._meta.label_lower: queryset.count() for model, queryset in querysets}


def _storage_files(directory: str = "") -> list[str]:
    try:
        dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [str(PurePosixPath(directory, name)) if directory else name for name in files]
    for sub in dirs:
        names.extend(_storage_files(str(PurePosixPath(directory, sub)) if directory else sub))
    return names


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    archive.addfile(info, io.BytesIO(data))


def backup_create(*, output_dir: Path, at: datetime.datetime) -> Path:
    """Write a backup archive into `output_dir`; return its path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"forebyg-backup-{at:%Y%m%dT%H%M%S}.tar.gz"
    migrations = sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name")
    )
    with tempfile.TemporaryDirectory() as scratch:
        data_path = Path(scratch) / "data.json"
        with transaction.atomic():  # one consistent snapshot of data and counts (where the database allows)
            counts = _dump(data_path)
        media = _storage_files()
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": at.isoformat(),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "media": sorted(media),
        }
        with tarfile.open(target, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode(), at.timestamp())
            archive.add(data_path, arcname="data.json")
            for name in media:
                with default_storage.open(name, "rb") as handle:
                    _add_bytes(archive, f"media/{name}", handle.read(), at.timestamp())
    return target


def database_is_empty() -> bool:
    """Empty = nothing but what `migrate` creates: no users, no organisations, no pages beyond Wagtail's two."""
    from wagtail.models import Page

    from .models import Municipality, User

    return not User.objects.exists() and not Municipality.objects.exists() and Page.objects.count() <= 2


def _clear_migration_data() -> None:
    """Remove rows `migrate` created, so the backup's own rows (same ids) load cleanly."""
    for model in reversed(_dumped_models()):
        model._base_manager.all().delete()


def _safe_member(member: tarfile.TarInfo) -> bool:
    path = PurePosixPath(member.name)
    return member.isfile() and not path.is_absolute() and ".." not in path.parts


def backup_restore(*, archive_path: Path) -> dict[str, int]:
    """Restore `archive_path` into this (empty, migrated) database and storage. Returns the model counts."""
    if not database_is_empty():
        raise BackupError("not_empty", "Databasen er ikke tom. Gendan kun i en tom, migreret database.")
    with tarfile.open(archive_path, "r:gz") as archive:
        members = {member.name: member for member in archive.getmembers() if _safe_member(member)}
        if "manifest.json" not in members or "data.json" not in members:
            raise BackupError("invalid", "Filen er ikke en Forebyg-backup (manifest.json eller data.json mangler).")
        manifest = json.loads(archive.extractfile(members["manifest.json"]).read())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("invalid", f"Ukendt backupformat: {manifest.get('format')!r}.")
        applied = {f"{app}.{name}" for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name")}
        missing = sorted(set(manifest["migrations"]) - applied)
        if missing:
            raise BackupError("migrations", "Kør migrate først; databasen mangler migreringer: " + ", ".join(missing[:5]))
        with tempfile.TemporaryDirectory() as scratch:
            data_path = Path(scratch) / "data.json"
            data_path.write_bytes(archive.extractfile(members["data.json"]).read())
            with transaction.atomic():
                _clear_migration_data()
                call_command("loaddata", str(data_path), verbosity=0)
                counts = model_counts()
                expected = {label: count for label, count in manifest["counts"].items() if label in counts}
                differing = {label: (expected[label], counts[label]) for label in expected if expected[label] != counts[label]}
                if differing:
                    raise BackupError("mismatch", f"Antal rækker stemmer ikke efter gendannelse: {differing}")
        for name, member in members.items():
            if not name.startswith("media/"):
                continue
            storage_name = name.removeprefix("media/")
            if default_storage.exists(storage_name):
                default_storage.delete(storage_name)
            default_storage.save(storage_name, ContentFile(archive.extractfile(member).read()))
    call_command("wagtail_update_index", verbosity=0)
    return counts
