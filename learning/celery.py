"""The Celery app. Without a broker (embedded setup) tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.dev")

app = Celery("learning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
