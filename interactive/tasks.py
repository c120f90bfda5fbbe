"""Background work of the interactive app."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .models import H5PActivity
from .services import h5p_activity_process as process_activity


@shared_task(
    autoretry_for=(OSError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def h5p_activity_process(activity_id: int) -> str:
    """Check and extract an uploaded package. Safe to run twice: only a PENDING activity is processed."""
    activity = H5PActivity.objects.filter(pk=activity_id).first()
    if activity is None:
        return "missing"
    return process_activity(activity=activity, at=timezone.now()).status
