"""Scheduled work of the classroom: end and purge abandoned live sessions (aggregates are kept)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .services import sessions_end_expired


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def classroom_sessions_purge_expired() -> int:
    """Beat: end every session past its 4-hour lifetime. Safe to run twice (ended sessions are skipped)."""
    return sessions_end_expired(at=timezone.now())

