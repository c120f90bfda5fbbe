"""Test settings: the same code; DATABASE_URL and REDIS_URL decide embedded or production path."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")

from .base import *

DEBUG = False
DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
ACCOUNT_RATE_LIMITS = False if os.environ.get("TEST_RATE_LIMITS") != "1" else ACCOUNT_RATE_LIMITS
if REDIS_URL:
    # Keep test keys apart from anything else that uses the same Redis.
    CACHES["default"]["KEY_PREFIX"] = "forebyg-test"
# Tests run tasks in-process on both paths; the tests that exercise the real broker say so themselves.
CELERY_TASK_ALWAYS_EAGER = True
# Static files come straight from the finders here (runserver / live test server), not WhiteNoise.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
# pytest swaps sys.stderr for each test: log to the current one (learning.log_handlers), warnings and
# errors only (a live server's traceback shows with its test; INFO records still reach caplog).
LOGGING["handlers"]["console"].update({"class": "learning.log_handlers.CurrentStderrHandler", "level": "WARNING"})
