"""Backup and restore: the demo content, backed up here, restores into a fresh empty database (a second
SQLite file, in a subprocess) with the same rows per model, a page that renders and the media files."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from learning.backup import backup_create, model_counts

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db

CHECK_SCRIPT = """
import json
import django
django.setup()
from django.core.files.storage import default_storage
from django.test import Client
from learning.backup import model_counts
print(json.dumps({
    "counts": model_counts(),
    "home": Client().get("/").status_code,
    "statement": Client().get("/tilgaengelighedserklaering/").status_code,
    "media": default_storage.exists("backup-test/bevis.txt")
        and default_storage.open("backup-test/bevis.txt").read().decode(),
}))
"""


def _fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "AWS_STORAGE_BUCKET_NAME"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "learning.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
            "SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production",
            "ALLOWED_HOSTS": "testserver,localhost",
            "DEBUG": "false",
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )


def test_backup_then_restore_into_an_empty_database(demo, tmp_path, settings):
    default_storage.save("backup-test/bevis.txt", ContentFile(b"opdigtet indhold"))
    archive = backup_create(output_dir=tmp_path / "backups", at=timezone.now())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert {"manifest.json", "data.json", "media/backup-test/bevis.txt"} <= set(names)
    expected = manifest["counts"]
    source = model_counts()
    assert expected["wagtailcore.page"] == source["wagtailcore.page"] > 5
    assert expected["learning.user"] == source["learning.user"] > 5
    # Only orphaned rows (log entries of pages deleted while seeding) may be left out of a backup.
    assert {label for label in source if source[label] != expected[label]} <= {"wagtailcore.pagelogentry"}

    env = _fresh_env(tmp_path)
    migrated = _manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    restored = _manage(env, "restore", "--input", str(archive))
    assert restored.returncode == 0, restored.stderr[-3000:]

    check = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHECK_SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stderr[-3000:]
    result = json.loads(check.stdout.strip().splitlines()[-1])
    assert result["counts"] == expected
    assert result["home"] == 200
    assert result["statement"] == 200
    assert result["media"] == "opdigtet indhold"

    # A second restore into the now non-empty database is refused with exit code 2.
    again = _manage(env, "restore", "--input", str(archive))
    assert again.returncode == 2
    assert "ikke tom" in again.stderr


def test_backup_command_writes_an_archive(tmp_path, roles):
    call_command("backup", "--output", str(tmp_path))
    archives = list(tmp_path.glob("forebyg-backup-*.tar.gz"))
    assert len(archives) == 1
    with tarfile.open(archives[0]) as tar:
        data = json.loads(tar.extractfile("data.json").read())
    labels = {row["model"] for row in data}
    assert "auth.group" in labels
    assert not labels & {"sessions.session", "contenttypes.contenttype", "auth.permission"}


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, roles):
    from django.core.management.base import CommandError

    from tests.factories import UserFactory

    UserFactory()
    call_command("backup", "--output", str(tmp_path))
    archive = next(tmp_path.glob("*.tar.gz"))
    with pytest.raises(SystemExit) as exited:
        call_command("restore", "--input", str(archive))
    assert exited.value.code == 2
    with pytest.raises(CommandError):
        call_command("restore", "--input", str(tmp_path / "findes-ikke.tar.gz"))
