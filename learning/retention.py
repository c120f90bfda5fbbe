"""Privacy and retention: purge expired data, export a person's own data, erase a person.

The rules are written down in docs/retention.md; this module carries them out.

Registries (dotted paths; apps append theirs):

* ``RETENTION_HOOKS``: ``f(*, at) -> int | dict`` run by the nightly purge (``retention_purge``).
* ``DATA_EXPORTERS``: ``f(*, user) -> dict`` whose result is added to "download my data" under the
  function's dotted path (for data the generic export below cannot see, e.g. nested rows).
* ``ERASE_HOOKS``: ``f(*, user, by, at) -> None`` run by ``user_erase`` before the generic erasure.

Generic parts, so no app's personal data is forgotten:

* export: every row of every model that belongs to the user (a foreign key to the user that deletes or
  protects the row with the user: CASCADE or PROTECT), with secrets left out (``EXPORT_EXCLUDED_FIELDS``);
* erase: every such CASCADE row is deleted, certificates (PROTECT: proof of training) are kept
  anonymised and revoked, and the account itself stays as an anonymous tombstone (municipality only), so
  aggregate figures stay right.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils.module_loading import import_string

from .audit import AuditAction, audit_record
from .models import AuditEvent, User
from .roles import user_roles

logger = logging.getLogger(__name__)

RETENTION_HOOKS: list[str] = [
    # End live classroom sessions past their lifetime, keeping only aggregate counts.
    "classroom.services.sessions_end_expired",
]
DATA_EXPORTERS: list[str] = [
    "learning.retention.export_quiz_answers",
]
ERASE_HOOKS: list[str] = []

ERASED_EMAIL_DOMAIN = "slettet.invalid"
ERASED_NAME = "Slettet bruger"
ERASED_CERTIFICATE_REASON = "Personen er slettet efter anmodning; beviset kan ikke længere knyttes til en person."

# Fields never exported: secrets, session keys, hashes (model label → field names).
EXPORT_EXCLUDED_FIELDS: dict[str, set[str]] = {
    "mfa.authenticator": {"data"},
    "usersessions.usersession": {"session_key", "data"},
    "wagtailcore.apitoken": {"key_hash", "prefix"},
    "wagtailadmin.formstate": {"data"},
    "socialaccount.socialaccount": {"extra_data"},
    "coverage.invitation": {"token_hash"},
}
# Relations exported and erased by their own rules, not the generic ones.
GENERIC_SKIPPED: set[str] = {"learning.auditevent"}


def _retention_days(key: str) -> datetime.timedelta:
    return datetime.timedelta(days=settings.RETENTION_DAYS[key])


def _owned_relations(*, on_delete: tuple = (models.CASCADE, models.PROTECT)) -> list[tuple[type[models.Model], str]]:
    """(model, field name) for every foreign key to User whose rows belong to the user."""
    relations = []
    for rel in User._meta.related_objects:
        if rel.many_to_many or rel.related_model._meta.label_lower in GENERIC_SKIPPED:
            continue
        if rel.on_delete in on_delete:
            relations.append((rel.related_model, rel.field.name))
    return relations


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _row(instance: models.Model, *, skip: set[str]) -> dict[str, Any]:
    excluded = EXPORT_EXCLUDED_FIELDS.get(instance._meta.label_lower, set()) | skip
    row: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded:
            continue
        if field.is_relation:
            row[field.name] = getattr(instance, field.attname)
            related = getattr(instance, field.name, None)
            if related is not None and field.related_model is not User:
                row[f"{field.name}_navn"] = str(related)
        else:
            row[field.name] = _value(field.value_from_object(instance))
    return row


# --- Download my data -------------------------------------------------------------------------------------


def export_quiz_answers(*, user: User) -> dict[str, Any]:
    """Quiz answers hang off attempts, one level below the user: exported here."""
    try:
        from quizzes.models import QuizAnswer
    except ImportError:  # pragma: no cover - the quizzes app is part of the product
        return {}
    answers = QuizAnswer.objects.filter(attempt__user=user).order_by("attempt_id", "pk")
    return {"quizzes.quizanswer": [_row(answer, skip=set()) for answer in answers]}


def user_data_export(*, user: User, at: datetime.datetime) -> dict[str, Any]:
    """Everything the platform holds about `user`, as JSON-ready data (the person's own copy)."""
    profile = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "municipality": user.municipality.name if user.municipality else None,
        "department": user.department.name if user.department else None,
        "job_role": user.get_job_role_display() if user.job_role else "",
        "roles": sorted(str(role) for role in user_roles(user)),
        "date_joined": _value(user.date_joined),
        "last_login": _value(user.last_login),
    }
    records: dict[str, list[dict[str, Any]]] = {}
    for model, field_name in _owned_relations():
        rows = model._base_manager.filter(**{field_name: user}).order_by("pk")
        if rows.exists():
            records.setdefault(model._meta.label_lower, []).extend(_row(row, skip={field_name}) for row in rows)
    for dotted in DATA_EXPORTERS:
        for label, rows in import_string(dotted)(user=user).items():
            if rows:
                records[label] = rows
    audit = [
        {"action": event.action, "at": _value(event.at), "target_type": event.target_type, "target_id": event.target_id}
        for event in AuditEvent.objects.filter(actor=user).order_by("at", "pk")
    ]
    return {
        "generated_at": _value(at),
        "profile": profile,
        "records": records,
        "audit_log": audit,
    }


# --- Erase a person -----------------------------------------------------------------------------------------


def user_is_erased(user: User) -> bool:
    return user.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")


def _certificates_anonymise(*, user: User, by: User | None, at: datetime.datetime) -> int:
    """Keep certificates as proof that training took place, without the name, and revoked."""
    try:
        from certificates.models import Certificate
    except ImportError:  # pragma: no cover
        return 0
    certificates = list(Certificate.objects.filter(user=user))
    for certificate in certificates:
        if certificate.pdf:
            certificate.pdf.delete(save=False)  # the PDF shows the name
    Certificate.objects.filter(user=user, status=Certificate.Status.VALID).update(
        status=Certificate.Status.REVOKED, revoked_at=at, revoked_by=by
    )
    Certificate.objects.filter(user=user).update(
        learner_name=ERASED_NAME, revoked_reason=ERASED_CERTIFICATE_REASON, pdf=""
    )
    return len(certificates)


@transaction.atomic
def user_erase(*, user: User, by: User | None, at: datetime.datetime) -> dict[str, int]:
    """Erase a person's personal data, keeping an anonymous tombstone and anonymised certificates.

    Returns counts of what was removed per model. Safe to run twice.
    """
    from .sessions import user_sessions_end_others

    if user_is_erased(user):
        return {}
    counts: dict[str, int] = {}
    user_sessions_end_others(user=user, keep_session_key=None)
    for dotted in ERASE_HOOKS:
        import_string(dotted)(user=user, by=by, at=at)
    counts["certificates.certificate (anonymiseret)"] = _certificates_anonymise(user=user, by=by, at=at)
    for model, field_name in _owned_relations(on_delete=(models.CASCADE,)):
        deleted, _per_model = model._base_manager.filter(**{field_name: user}).delete()
        if deleted:
            counts[model._meta.label_lower] = deleted
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"slettet-{user.pk}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.department = None
    user.job_role = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    # A new (unusable) password also changes the session hash: any session not listed is dead too.
    user.set_unusable_password()
    user.save()
    audit_record(
        actor=by,
        action=AuditAction.USER_ERASED,
        at=at,
        target=user,
        municipality=user.municipality,
        detail={"removed": counts},
    )
    return counts


# --- Nightly purge -------------------------------------------------------------------------------------------


def retention_purge(*, at: datetime.datetime) -> dict[str, Any]:
    """Delete or anonymise everything past its retention period (docs/retention.md). Idempotent."""
    result: dict[str, Any] = {}
    result["sessions"] = Session.objects.filter(expire_date__lt=at).delete()[0]
    # Both database-backed engines keep every session in the Session table (cached_db also caches it).
    if settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        from allauth.usersessions.models import UserSession

        live = Session.objects.values("session_key")
        result["usersessions"] = UserSession.objects.exclude(session_key__in=live).delete()[0]
    result["audit_log"] = AuditEvent.objects.filter(at__lt=at - _retention_days("audit_log")).delete()[0]

    cutoff = at - _retention_days("deactivated_account")
    stale = (
        User.objects.filter(is_active=False)
        .exclude(email__endswith=f"@{ERASED_EMAIL_DOMAIN}")
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
    )
    erased = 0
    for user in stale.iterator():
        user_erase(user=user, by=None, at=at)
        erased += 1
    result["deactivated_accounts_erased"] = erased

    for dotted in RETENTION_HOOKS:
        try:
            result[dotted] = import_string(dotted)(at=at)
        except Exception:
            # One app's failure must not stop the others; the next nightly run tries again.
            logger.exception("Retention hook %s failed", dotted)
            result[dotted] = "fejl"
    audit_record(
        actor=None,
        action=AuditAction.RETENTION_PURGE,
        at=at,
        detail={key: value for key, value in result.items() if isinstance(value, int | str)},
    )
    return result
