"""The counting rule computed straight from the source tables (users and their roles, certificates, lesson
progress), person by person with sub-queries: how the dashboard counted before the training summary.
The summary-based figures must always equal these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, DateTimeField, Exists, F, Max, Min, OuterRef, Subquery, When
from django.utils import timezone

from certificates.models import Certificate
from courses.models import LessonProgress
from coverage.services import EXPIRING_WINDOW, Counts, Status, TargetContext
from learning.models import User
from learning.roles import ROLE_GROUP_NAMES, Role


@dataclass(frozen=True)
class ReferencePerson:
    department_id: int | None
    job_role: str
    trained_at: dt.datetime | None
    expires_at: dt.datetime | None
    last_activity_at: dt.datetime | None
    is_started: bool

    def is_valid(self, at: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at > at

    def is_expiring(self, at: dt.datetime) -> bool:
        return self.expires_at is not None and at < self.expires_at <= at + EXPIRING_WINDOW

    def status(self, at: dt.datetime) -> str:
        if self.trained_at is not None:
            return Status.TRAINED if self.is_valid(at) else Status.EXPIRED
        return Status.IN_PROGRESS if self.is_started else Status.NOT_STARTED


def reference_people(*, ctx: TargetContext) -> dict[int, ReferencePerson]:
    target = ctx.target
    learner = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=ROLE_GROUP_NAMES[Role.LEARNER])
    audience = User.objects.filter(municipality_id=target.municipality_id, is_active=True).filter(Exists(learner))
    if target.audience_job_roles:
        audience = audience.filter(job_role__in=list(target.audience_job_roles))
    if ctx.department_ids:
        audience = audience.filter(department_id__in=ctx.department_ids)
    certificates = Certificate.objects.filter(
        user_id=OuterRef("pk"), course_id__in=ctx.course_ids, status=Certificate.Status.VALID
    ).order_by()
    first_trained = (
        certificates.filter(issued_at__gte=ctx.start, issued_at__lt=ctx.counted_until)
        .values("user_id")
        .annotate(first=Min("issued_at"))
        .values("first")
    )
    latest_expiry = certificates.filter(issued_at__lt=ctx.at).values("user_id").annotate(e=Max("expires_at")).values("e")
    progress = LessonProgress.objects.filter(user_id=OuterRef("pk"), lesson_id__in=ctx.lesson_ids).order_by()
    activity = Case(When(completed_at__gt=F("opened_at"), then=F("completed_at")), default=F("opened_at"))
    last_activity = progress.filter(opened_at__lt=ctx.at).values("user_id").annotate(a=Max(activity)).values("a")
    rows = audience.annotate(
        trained_at=Subquery(first_trained, output_field=DateTimeField()),
        expires_at=Subquery(latest_expiry, output_field=DateTimeField()),
        last_activity_at=Subquery(last_activity, output_field=DateTimeField()),
        is_started=Exists(progress.filter(opened_at__gte=ctx.start, opened_at__lt=ctx.counted_until)),
    ).values_list("pk", "department_id", "job_role", "trained_at", "expires_at", "last_activity_at", "is_started")
    return {
        pk: ReferencePerson(department_id, job_role, trained_at, expires_at, last_activity_at, is_started)
        for pk, department_id, job_role, trained_at, expires_at, last_activity_at, is_started in rows
    }


@dataclass
class ReferenceFigures:
    totals: Counts
    by_department: dict[str, Counts]
    by_job_role: dict[str, Counts]
    daily: dict[dt.date, int]


def reference_figures(*, ctx: TargetContext) -> ReferenceFigures:
    people = reference_people(ctx=ctx)
    totals = Counts()
    by_department: dict[str, Counts] = defaultdict(Counts)
    by_role: dict[str, Counts] = defaultdict(Counts)
    daily: dict[dt.date, int] = defaultdict(int)
    for person in people.values():
        status = person.status(ctx.at)
        counts = Counts(
            total=1,
            trained=int(status in (Status.TRAINED, Status.EXPIRED)),
            expired=int(status == Status.EXPIRED),
            in_progress=int(status == Status.IN_PROGRESS),
            not_started=int(status == Status.NOT_STARTED),
            expiring_60d=int(person.is_expiring(ctx.at)),
        )
        totals.add(counts)
        by_department[str(person.department_id or "none")].add(counts)
        by_role[person.job_role or "none"].add(counts)
        if person.trained_at is not None:
            daily[timezone.localtime(person.trained_at).date()] += 1
    return ReferenceFigures(totals, dict(by_department), dict(by_role), dict(daily))
