"""Reminders to staff, on each municipality's cadence.

Who gets one (the municipality's active staff with the learner role; paused municipalities: nobody):

* **expiring**: their latest valid certificate expires within 60 days (and no renewal is issued yet);
* **stalled**: they opened lessons, but nothing for ``stalled_after_days`` days, and hold no valid
  certificate;
* **not_started**: they were invited (the invitation went out at least one interval ago) and have
  neither opened a lesson nor earned a certificate.

Each person gets at most one reminder (of any kind; expiring before stalled before not started) per
``cadence_days``: the ``ReminderLog`` check is part of the candidate query, and the log row is written
before the e-mail is sent, so running the task twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When

from learning.models import Municipality, User
from learning.roles import ROLE_GROUP_NAMES, Role

from .models import Invitation, ReminderLog, ReminderSettings
from .roster import password_set_url, send_templated_email
from .services import EXPIRING_WINDOW, absolute_url

logger = logging.getLogger(__name__)


@dataclass
class ReminderResult:
    sent: int = 0
    by_kind: dict[str, int] | None = None
    municipalities: int = 0


def reminder_candidates(*, municipality: Municipality, settings_row: ReminderSettings, at: dt.datetime):
    """The municipality's staff due a reminder now, each annotated with ``reminder_kind`` (one query)."""
    from certificates.models import Certificate
    from courses.models import LessonProgress

    cadence = dt.timedelta(days=settings_row.cadence_days)
    stalled_cutoff = at - dt.timedelta(days=settings_row.stalled_after_days)
    horizon = at + EXPIRING_WINDOW
    learner = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=ROLE_GROUP_NAMES[Role.LEARNER])
    certificates = Certificate.objects.filter(user_id=OuterRef("pk"), status=Certificate.Status.VALID)
    progress = LessonProgress.objects.filter(user_id=OuterRef("pk"))
    recently_reminded = ReminderLog.objects.filter(user_id=OuterRef("pk"), sent_at__gt=at - cadence)

    valid_now = Exists(certificates.filter(issued_at__lte=at, expires_at__gt=at))
    expiring = Exists(certificates.filter(issued_at__lte=at, expires_at__gt=at, expires_at__lte=horizon)) & ~Exists(
        certificates.filter(expires_at__gt=horizon)
    )
    stalled = (
        Exists(progress)
        & ~Exists(progress.filter(Q(opened_at__gte=stalled_cutoff) | Q(completed_at__gte=stalled_cutoff)))
        & ~valid_now
    )
    not_started = (
        Exists(Invitation.objects.filter(user_id=OuterRef("pk"), sent_at__isnull=False, sent_at__lte=at - cadence))
        & ~Exists(progress)
        & ~Exists(Certificate.objects.filter(user_id=OuterRef("pk")))
    )
    return (
        User.objects.filter(municipality=municipality, is_active=True)
        .filter(Exists(learner))
        .filter(~Exists(recently_reminded))
        .annotate(
            reminder_kind=Case(
                When(expiring, then=Value(ReminderLog.Kind.EXPIRING)),
                When(stalled, then=Value(ReminderLog.Kind.STALLED)),
                When(not_started, then=Value(ReminderLog.Kind.NOT_STARTED)),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .exclude(reminder_kind="")
        .order_by("pk")
    )


def _reminder_context(*, user: User, kind: str) -> dict:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("da"):
        courses_url = absolute_url(reverse("dashboard"))
    context = {"user": user, "kind": kind, "courses_url": courses_url, "password_url": ""}
    if kind == ReminderLog.Kind.NOT_STARTED and not user.has_usable_password():
        context["password_url"] = password_set_url(user=user)
    return context


def reminders_send(*, at: dt.datetime) -> ReminderResult:
    """Send every reminder that is due at ``at``. Safe to run twice (and concurrently per municipality)."""
    result = ReminderResult(by_kind={})
    for municipality in Municipality.objects.order_by("pk"):
        settings_row, _created = ReminderSettings.objects.get_or_create(municipality=municipality)
        if settings_row.paused:
            continue
        result.municipalities += 1
        with transaction.atomic():
            # One runner per municipality at a time (a row lock on PostgreSQL; SQLite serialises writers).
            settings_row = ReminderSettings.objects.select_for_update().get(pk=settings_row.pk)
            candidates = list(reminder_candidates(municipality=municipality, settings_row=settings_row, at=at))
            logs = ReminderLog.objects.bulk_create(
                [ReminderLog(user=user, kind=user.reminder_kind, sent_at=at) for user in candidates]
            )
        for user, log in zip(candidates, logs, strict=True):
            try:
                send_templated_email(
                    template=f"reminder_{user.reminder_kind}",
                    context=_reminder_context(user=user, kind=user.reminder_kind),
                    to=user.email,
                )
            except Exception:
                ReminderLog.objects.filter(pk=log.pk).delete()
                logger.exception("Reminder to user %s failed; it will be tried on the next run", user.pk)
                continue
            result.sent += 1
            result.by_kind[user.reminder_kind] = result.by_kind.get(user.reminder_kind, 0) + 1
    return result
