"""Celery tasks of the quizzes app: call a service, safe to run twice, retry with backoff."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(
    autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=5
)
def scenario_keys_refresh_task() -> list[int]:
    """Recompute every scenario's answer key (daily, and after a directory edit); returns the ids
    of the scenarios newly flagged for review. Running it twice flags nothing new."""
    now = timezone.now()
    changed = services.scenario_keys_refresh(on=timezone.localdate(now), at=now)
    return [scenario.pk for scenario in changed]
