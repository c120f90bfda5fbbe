"""Settings come from the environment: the embedded default and the production path are the same code."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'cache': settings.CACHES['default']['BACKEND'], 'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': settings.CELERY_BROKER_URL, 'email': settings.EMAIL_BACKEND, 'lang': settings.LANGUAGE_CODE, "
    "'media': settings.STORAGES['default']['BACKEND'], 'debug': settings.DEBUG}))"
)


def _settings(module: str, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    clean.update(DJANGO_SETTINGS_MODULE=module, **env)
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_with_in_process_tasks():
    conf = _settings("learning.settings.dev")
    assert conf["engine"] == "django.db.backends.sqlite3"
    assert conf["eager"] is True
    assert conf["lang"] == "da"
    assert conf["cache"].endswith("LocMemCache")


def test_production_path_reads_database_redis_email_and_storage_from_environment():
    conf = _settings(
        "learning.settings.production",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://forebyg@db.internal:5432/forebyg",
        REDIS_URL="redis://redis.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer@smtp.internal:587",
        AWS_STORAGE_BUCKET_NAME="forebyg-media",
    )
    assert conf["engine"] == "django.db.backends.postgresql"
    assert conf["cache"].endswith("RedisCache")
    assert conf["eager"] is False
    assert conf["broker"] == "redis://redis.internal:6379/0"
    assert conf["email"].endswith("smtp.EmailBackend")
    assert conf["media"] == "storages.backends.s3.S3Storage"
    assert conf["debug"] is False


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "learning.settings.production"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
