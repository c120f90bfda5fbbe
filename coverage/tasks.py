"""Celery tasks of the coverage app: fetch by id, call a service, safe to run twice, retry with backoff."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

RETRY_OPTIONS = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def _at(at_iso: str | None) -> datetime:
    """Beat passes no time (now); callers and tests may pass an ISO timestamp."""
    parsed = parse_datetime(at_iso) if at_iso else None
    return parsed or timezone.now()


@shared_task(bind=True, **RETRY_OPTIONS)
def coverage_send_invitation(self, invitation_id: int) -> bool:
    from .roster import invitation_send

    return invitation_send(invitation_id=invitation_id, at=timezone.now())


@shared_task(bind=True, **RETRY_OPTIONS)
def coverage_build_report(self, export_id: int) -> None:
    from .report import report_build, report_mark_failed

    try:
        report_build(export_id=export_id, at=timezone.now())
    except Exception:
        if self.request.retries >= self.max_retries:
            report_mark_failed(export_id=export_id)
        raise


@shared_task(bind=True, **RETRY_OPTIONS)
def coverage_send_reminders(self, at_iso: str | None = None) -> int:
    from .reminders import reminders_send
    from .roster import invitations_requeue

    at = _at(at_iso)
    invitations_requeue(at=at)
    return reminders_send(at=at).sent
