"""Scheduled work of the shared core: the nightly retention purge (docs/retention.md)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def purge_expired_data_task(at_iso: str | None = None) -> dict:
    """Beat, nightly. Safe to run twice: what is purged is gone, what is anonymised stays anonymous."""
    from .retention import retention_purge

    at = (parse_datetime(at_iso) if at_iso else None) or timezone.now()
    result = retention_purge(at=at)
    return {key: value for key, value in result.items() if isinstance(value, int | str)}
