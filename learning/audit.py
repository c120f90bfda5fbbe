"""The audit log: one service to record an event, one to read a target's history."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from .models import AuditEvent, Municipality, User


class AuditAction(models.TextChoices):
    """Actions recorded by the shared core; apps may record their own action strings too."""

    PASSWORD_CHANGED = "password_changed", "Adgangskode ændret"
    PASSWORD_RESET = "password_reset", "Adgangskode nulstillet"
    MFA_ADDED = "mfa_added", "To-faktor tilføjet"
    MFA_REMOVED = "mfa_removed", "To-faktor fjernet"
    MFA_RESET = "mfa_reset", "Gendannelseskoder fornyet"
    DATA_EXPORTED = "data_exported", "Egne data hentet"
    USER_ERASED = "user_erased", "Bruger slettet"
    RETENTION_PURGE = "retention_purge", "Udløbne data slettet"
    IDENTITY_REJECTED = "identity_rejected", "Login fra identitetsudbyder afvist"


def audit_record(
    *,
    actor: User | None,
    action: str,
    at: datetime.datetime,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    municipality: Municipality | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` (to `target`, or `target_type`/`target_id`) at `at`.

    The municipality defaults to the actor's, so a coordinator's audit view can be scoped. `detail`
    must hold identifiers and counts only, never free text typed by a user.
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    if municipality is None and actor is not None:
        municipality = actor.municipality
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        municipality=municipality,
        detail=detail or {},
        at=at,
    )


def audit_events_for(*, target_type: str, target_id: str | int) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id))
