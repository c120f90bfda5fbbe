"""Embedded development setup: SQLite, in-process tasks, e-mail on the console."""

import os

# A fixed key is acceptable only here: the dev setup never faces the internet.
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DEBUG", "true")

from .base import *

DEMO_MODE = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Static files come straight from the finders here (runserver / live test server), not WhiteNoise.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
