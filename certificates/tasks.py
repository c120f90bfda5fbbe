"""Celery tasks of the certificates app: fetch by id, call a service, safe to run twice, retry with backoff."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import services

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


def _last_attempt(task) -> bool:
    return task.request.retries >= task.max_retries


@shared_task(bind=True, **RETRY_OPTIONS)
def certificate_render_pdf(self, certificate_id: int) -> None:
    try:
        certificate = services.certificate_render_pdf(certificate_id=certificate_id)
    except Exception:
        if _last_attempt(self):
            services.certificate_mark_pdf_failed(certificate_id=certificate_id)
        raise
    if certificate is not None:
        services.certificate_queue_email(certificate_id=certificate_id)


@shared_task(bind=True, **RETRY_OPTIONS)
def certificate_send_email(self, certificate_id: int) -> None:
    try:
        services.certificate_send_email(certificate_id=certificate_id, at=timezone.now())
    except Exception:
        if _last_attempt(self):
            services.certificate_mark_email_failed(certificate_id=certificate_id)
        raise


@shared_task(bind=True, **RETRY_OPTIONS)
def certificate_export_build(self, export_id: int) -> None:
    try:
        services.certificate_export_build(export_id=export_id, at=timezone.now())
    except Exception:
        if _last_attempt(self):
            services.certificate_export_mark_failed(export_id=export_id)
        raise


@shared_task
def certificates_requeue_pending(at_iso: str | None = None) -> int:
    return services.certificates_requeue_pending(at=_at(at_iso))

