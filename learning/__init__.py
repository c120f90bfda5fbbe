"""Project package and shared core: settings, URLs, Celery app, accounts, organisations, routing rules."""

from .celery import app as celery_app

__all__ = ["celery_app"]
