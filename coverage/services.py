"""Coverage against a training target: who counts, the figures, the people behind them, the forecast,
reminders, invitations and the audit trail. Keyword-only, typed; time is always passed in.

Counting rule (``COUNTING_RULE`` is the same text, shown on the dashboard):

* The **audience** of a target is the municipality's *active* staff holding the learner role
  (Medarbejdere), narrowed to the target's job roles and departments when those are set. People who
  left (deactivated accounts) are not in the audience: they count neither as trained nor as missing.
* A person is **trained** when they hold a certificate for one of the target's courses (or a
  translation of it) that was issued within the period (up to the as-of moment) and is not revoked.
  They count once, however many certificates they have (a refresher in the same period does not
  count twice). A certificate earned in the period that has since expired still counts (the target
  measures people trained in the period) but is shown as "udløbet". A revoked certificate never counts.
* **In progress**: not trained, but opened a lesson of the target's courses within the period.
* **Not started**: neither.
* **Expiring within 60 days** (a separate column, across statuses): the person's latest valid
  certificate for the target's courses expires within 60 days of the as-of moment.

Every figure is computed in the database in a fixed number of queries, whatever the staff size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models import Department, JobRole, Municipality, User
from learning.roles import (
    ROLE_GROUP_NAMES,
    Role,
    coordinator_municipality,  # noqa: F401  (re-exported)
    )

from .forecast import Forecast, forecast_compute
from .models import AuditEvent, ReminderSettings, TrainingTarget

if TYPE_CHECKING:
    from collections.abc import Iterable

EXPIRING_WINDOW = dt.timedelta(days=60)

COUNTING_RULE = _(
    "Sådan tæller vi: En medarbejder i målgruppen tæller én gang, når vedkommende har et bevis for et af "
    "målets kurser, som er udstedt i perioden og ikke er tilbagekaldt. En genopfriskning i samme periode "
    "tæller ikke igen. Et bevis fra perioden, der siden er udløbet, tæller stadig for perioden, men står "
    "som »udløbet«. Et tilbagekaldt bevis tæller aldrig. Målgruppen er kommunens aktive medarbejdere "
    "(evt. kun de valgte afdelinger og stillingsfunktioner); medarbejdere, der er fratrådt (deaktiveret), "
    "tæller hverken med som uddannede eller som manglende. »I gang« betyder, at medarbejderen har åbnet en "
    "lektion i kurset i perioden, men endnu ikke har et bevis."
)
FORECAST_RULE = _(
    "Prognosen fortsætter det nuværende tempo: antal uddannede de seneste 90 dage (eller siden periodens "
    "start, hvis den er kortere) delt med antal dage, fremskrevet lineært fra i dag."
)


class Status:
    TRAINED = "trained"
    EXPIRED = "expired"  # trained in the period, the certificate has since expired
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    EXPIRING = "expiring"  # not a status of its own: a filter across statuses

    LABELS = {
        "trained": _("Uddannet"),
        "expired": _("Uddannet (udløbet)"),
        "in_progress": _("I gang"),
        "not_started": _("Ikke startet"),
        "expiring": _("Udløber inden for 60 dage"),
    }
    FILTERS = ("trained", "expired", "in_progress", "not_started", "expiring")


# --- Access --------------------------------------------------------------------------------------------


def targets_for_municipality(*, municipality: Municipality) -> QuerySet[TrainingTarget]:
    return TrainingTarget.objects.filter(municipality=municipality).order_by("-period_end", "name")


def target_default(*, targets: Iterable[TrainingTarget], today: dt.date) -> TrainingTarget | None:
    """The current target (its period contains today; the one ending first), else the most recent one."""
    targets = list(targets)
    current = [t for t in targets if t.period_start <= today <= t.period_end]
    if current:
        return min(current, key=lambda t: (t.period_end, t.name))
    past = [t for t in targets if t.period_end < today]
    if past:
        return max(past, key=lambda t: (t.period_end, t.name))
    return min(targets, key=lambda t: (t.period_start, t.name)) if targets else None


def target_for_year_or_id(*, municipality: Municipality, period: str) -> TrainingTarget | None:
    """A target by id, or by the year its period ends in (the longest such target)."""
    qs = TrainingTarget.objects.filter(municipality=municipality)
    period = (period or "").strip()
    if period.isdigit() and len(period) == 4:
        return qs.filter(period_end__year=int(period)).order_by("period_start", "pk").first()
    if period.isdigit():
        return qs.filter(pk=int(period)).first()
    return None


# --- The counting context --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetContext:
    """What the counting queries need about a target, read once (three small queries)."""

    target: TrainingTarget
    at: dt.datetime
    start: dt.datetime  # period start, 00:00 local time
    end: dt.datetime  # the day after the period end, 00:00 local time (exclusive)
    course_ids: tuple[int, ...]
    lesson_ids: tuple[int, ...]
    department_ids: tuple[int, ...]

    @property
    def counted_until(self) -> dt.datetime:
        return min(self.end, self.at)

    @property
    def as_of(self) -> dt.date:
        return timezone.localtime(self.at).date()


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` (used for "as of" a date: the whole day counts)."""
    return local_midnight(day + dt.timedelta(days=1))


def target_context(*, target: TrainingTarget, at: dt.datetime) -> TargetContext:
    from courses.models import CoursePage, LessonPage

    chosen = list(target.courses.values_list("translation_key", flat=True))
    courses = list(CoursePage.objects.filter(translation_key__in=chosen).values_list("pk", "path"))
    lesson_q = Q()
    for _pk, path in courses:
        lesson_q |= Q(path__startswith=path)
    lesson_ids = tuple(LessonPage.objects.filter(lesson_q).values_list("pk", flat=True)) if courses else ()
    return TargetContext(
        target=target,
        at=at,
        start=local_midnight(target.period_start),
        end=end_of_day(target.period_end),
        course_ids=tuple(pk for pk, _path in courses),
        lesson_ids=lesson_ids,
        department_ids=tuple(target.audience_departments.values_list("pk", flat=True)),
    )


def audience(*, ctx: TargetContext) -> QuerySet[User]:
    """The target's audience (see the module docstring)."""
    learner = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=ROLE_GROUP_NAMES[Role.LEARNER])
    qs = User.objects.filter(municipality_id=ctx.target.municipality_id, is_active=True).filter(Exists(learner))
    if ctx.target.audience_job_roles:
        qs = qs.filter(job_role__in=list(ctx.target.audience_job_roles))
    if ctx.department_ids:
        qs = qs.filter(department_id__in=ctx.department_ids)
    return qs


def _certificates(ctx: TargetContext):
    from certificates.models import Certificate

    return Certificate.objects.filter(
        user_id=OuterRef("pk"), course_id__in=ctx.course_ids, status=Certificate.Status.VALID
    )


def _trained(ctx: TargetContext) -> Exists:
    return Exists(_certificates(ctx).filter(issued_at__gte=ctx.start, issued_at__lt=ctx.counted_until))


def _currently_valid(ctx: TargetContext) -> Exists:
    return Exists(_certificates(ctx).filter(issued_at__lt=ctx.at, expires_at__gt=ctx.at))


def _expiring(ctx: TargetContext) -> Q:
    horizon = ctx.at + EXPIRING_WINDOW
    soon = Exists(_certificates(ctx).filter(issued_at__lt=ctx.at, expires_at__gt=ctx.at, expires_at__lte=horizon))
    later = Exists(_certificates(ctx).filter(issued_at__lt=ctx.at, expires_at__gt=horizon))
    return Q(soon) & ~Q(later)


def _started(ctx: TargetContext) -> Exists:
    from courses.models import LessonProgress

    return Exists(
        LessonProgress.objects.filter(
            user_id=OuterRef("pk"),
            lesson_id__in=ctx.lesson_ids,
            opened_at__gte=ctx.start,
            opened_at__lt=ctx.counted_until,
        )
    )


def audience_with_flags(*, ctx: TargetContext) -> QuerySet[User]:
    """The audience, each person annotated with boolean flags (evaluated once per person)."""
    return audience(ctx=ctx).annotate(
        is_trained=_trained(ctx),
        is_valid=_currently_valid(ctx),
        is_started=_started(ctx),
        is_expiring=ExpressionWrapper(_expiring(ctx), output_field=BooleanField()),
    )


# --- Figures ------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    total: int = 0
    trained: int = 0
    expired: int = 0
    in_progress: int = 0
    not_started: int = 0
    expiring_60d: int = 0

    def add(self, other: Counts) -> None:
        for name in ("total", "trained", "expired", "in_progress", "not_started", "expiring_60d"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class BreakdownRow:
    key: str  # department id ("none" for no department) or job role value
    label: str
    counts: Counts


@dataclass
class Coverage:
    ctx: TargetContext
    totals: Counts
    by_department: list[BreakdownRow]
    by_job_role: list[BreakdownRow]
    daily_counts: dict[dt.date, int]
    forecast: Forecast

    @property
    def target(self) -> TrainingTarget:
        return self.ctx.target

    @property
    def percent(self) -> float:
        goal = self.ctx.target.target_count
        return round(100 * self.totals.trained / goal, 1) if goal else 100.0


def _audience_cte(*, ctx: TargetContext) -> tuple[str, list[Any]]:
    """The audience and each person's certificate and progress facts, as SQL common table expressions.

    Each table is read once (no correlated subquery per person): the audience via the user table's
    municipality index and the group membership's (user, group) index, certificates via their
    (user, course, generation) index and lesson progress via its (user, lesson) index.
    """
    from certificates.models import Certificate
    from courses.models import LessonProgress

    user_table = User._meta.db_table
    groups_table = User.groups.through._meta.db_table
    certificate_table = Certificate._meta.db_table
    progress_table = LessonProgress._meta.db_table
    where, params = ["u.municipality_id = %s", "u.is_active = %s"], [ctx.target.municipality_id, True]
    if ctx.target.audience_job_roles:
        roles = list(ctx.target.audience_job_roles)
        where.append(f"u.job_role IN ({', '.join(['%s'] * len(roles))})")
        params += roles
    if ctx.department_ids:
        where.append(f"u.department_id IN ({', '.join(['%s'] * len(ctx.department_ids))})")
        params += list(ctx.department_ids)
    courses = ", ".join(["%s"] * len(ctx.course_ids)) or "NULL"
    lessons = ", ".join(["%s"] * len(ctx.lesson_ids)) or "NULL"
    until, horizon = ctx.counted_until, ctx.at + EXPIRING_WINDOW
    # Only table names from model metadata and "%s" placeholders are formatted in; every value is a parameter.
    sql = f"""
        WITH aud AS (
            SELECT u.id, u.department_id, u.job_role
            FROM {user_table} u
            WHERE {" AND ".join(where)}
            -- A probe of the (user, group) index per person of this municipality, not a scan of every
            -- membership: LIMIT/OFFSET keeps PostgreSQL from turning it into a join over all of them.
            AND EXISTS (
                SELECT 1 FROM {groups_table} g JOIN auth_group r ON r.id = g.group_id
                WHERE g.user_id = u.id AND r.name = %s LIMIT 1 OFFSET 0
            )
        ),
        cert AS (
            SELECT c.user_id,
                MIN(CASE WHEN c.issued_at >= %s AND c.issued_at < %s THEN c.issued_at END) AS first_trained,
                MAX(CASE WHEN c.issued_at < %s AND c.expires_at > %s THEN 1 ELSE 0 END) AS is_valid,
                MAX(CASE WHEN c.issued_at < %s THEN c.expires_at END) AS latest_expiry
            FROM {certificate_table} c JOIN aud ON aud.id = c.user_id
            WHERE c.course_id IN ({courses}) AND c.status = %s
            GROUP BY c.user_id
        ),
        prog AS (
            SELECT DISTINCT p.user_id
            FROM {progress_table} p JOIN aud ON aud.id = p.user_id
            WHERE p.lesson_id IN ({lessons}) AND p.opened_at >= %s AND p.opened_at < %s
        ),
        facts AS (
            SELECT aud.id, aud.department_id, aud.job_role, cert.first_trained,
                CASE WHEN cert.first_trained IS NOT NULL THEN 1 ELSE 0 END AS is_trained,
                COALESCE(cert.is_valid, 0) AS is_valid,
                CASE WHEN prog.user_id IS NOT NULL THEN 1 ELSE 0 END AS is_started,
                CASE WHEN cert.latest_expiry > %s AND cert.latest_expiry <= %s THEN 1 ELSE 0 END AS is_expiring
            FROM aud LEFT JOIN cert ON cert.user_id = aud.id LEFT JOIN prog ON prog.user_id = aud.id
        )
    """  # noqa: S608
    params = [
        *params,
        ROLE_GROUP_NAMES[Role.LEARNER],
        ctx.start,
        until,
        ctx.at,
        ctx.at,
        ctx.at,
        *ctx.course_ids,
        Certificate.Status.VALID,
        *ctx.lesson_ids,
        ctx.start,
        until,
        ctx.at,
        horizon,
    ]
    # Raw SQL gets no field conversion: datetimes go in as the backend stores them (UTC text on SQLite).
    adapt = connection.ops.adapt_datetimefield_value
    return sql, [adapt(p) if isinstance(p, dt.datetime) else p for p in params]


def _grouped_and_daily(*, ctx: TargetContext) -> tuple[list[dict[str, Any]], dict[dt.date, int]]:
    """ONE query for the dashboard's figures: counts per (department, job role), and how many people became
    trained (their first qualifying certificate) on each local day. The facts are computed once and
    read by both halves of the UNION."""
    cte, params = _audience_cte(ctx=ctx)
    tzname = timezone.get_current_timezone_name()
    day_sql, day_params = connection.ops.datetime_cast_date_sql("first_trained", (), tzname)
    select = f"""
        SELECT 'g' AS kind, department_id, job_role, CAST(NULL AS DATE) AS day, COUNT(*) AS total,
            SUM(is_trained) AS trained,
            SUM(CASE WHEN is_trained = 1 AND is_valid = 0 THEN 1 ELSE 0 END) AS expired,
            SUM(CASE WHEN is_trained = 0 AND is_started = 1 THEN 1 ELSE 0 END) AS in_progress,
            SUM(is_expiring) AS expiring_60d
        FROM facts GROUP BY department_id, job_role
        UNION ALL
        SELECT 'd', NULL, NULL, {day_sql}, COUNT(*), 0, 0, 0, 0
        FROM facts WHERE first_trained IS NOT NULL GROUP BY {day_sql}
    """  # noqa: S608
    sql = cte + select
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *day_params, *day_params])
        rows = cursor.fetchall()
    grouped, daily = [], {}
    for kind, department_id, job_role, day, total, trained, expired, in_progress, expiring in rows:
        if kind == "g":
            grouped.append(
                {
                    "department_id": department_id,
                    "job_role": job_role,
                    "total": int(total),
                    "trained": int(trained or 0),
                    "expired": int(expired or 0),
                    "in_progress": int(in_progress or 0),
                    "expiring_60d": int(expiring or 0),
                }
            )
            continue
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        elif isinstance(day, dt.datetime):
            day = day.date()
        daily[day] = int(total)
    return grouped, daily


def coverage_compute(*, target: TrainingTarget, at: dt.datetime) -> Coverage:
    """All the figures of a target as of ``at``: five queries whatever the staff size (three small ones
    for the target's courses, lessons and departments, one for the municipality's departments, one for
    the figures)."""
    ctx = target_context(target=target, at=at)
    rows, daily = _grouped_and_daily(ctx=ctx)
    departments = dict(
        Department.objects.filter(municipality_id=target.municipality_id).values_list("pk", "name")
    )
    by_department: dict[str, Counts] = defaultdict(Counts)
    by_role: dict[str, Counts] = defaultdict(Counts)
    totals = Counts()
    for row in rows:
        counts = Counts(
            total=row["total"],
            trained=row["trained"],
            expired=row["expired"],
            in_progress=row["in_progress"],
            not_started=row["total"] - row["trained"] - row["in_progress"],
            expiring_60d=row["expiring_60d"],
        )
        by_department[str(row["department_id"] or "none")].add(counts)
        by_role[row["job_role"] or ""].add(counts)
        totals.add(counts)
    role_labels = dict(JobRole.choices)
    department_rows = [
        BreakdownRow(key, departments.get(int(key), "") if key != "none" else str(_("Ingen afdeling")), counts)
        for key, counts in by_department.items()
    ]
    department_rows.sort(key=lambda r: (r.key == "none", r.label.lower()))
    role_rows = [
        BreakdownRow(key or "none", str(role_labels.get(key, _("Ikke angivet"))), counts)
        for key, counts in by_role.items()
    ]
    role_rows.sort(key=lambda r: (r.key == "none", r.label.lower()))
    forecast = forecast_compute(
        period_start=target.period_start,
        period_end=target.period_end,
        as_of=ctx.as_of,
        target=target.target_count,
        daily_counts=daily,
    )
    return Coverage(ctx, totals, department_rows, role_rows, daily, forecast)


@dataclass
class MonthRow:
    month: dt.date
    trained: int
    cumulative: int
    planned: int  # where an even pace towards the target would be at the month's end


def coverage_monthly(*, coverage: Coverage) -> list[MonthRow]:
    """The trend by month (period start to the as-of date or the period end), for tables and the PDF."""
    target = coverage.target
    last = min(coverage.ctx.as_of, target.period_end)
    total_days = (target.period_end - target.period_start).days + 1
    rows, cumulative = [], 0
    month = target.period_start.replace(day=1)
    while month <= last:
        next_month = (month + dt.timedelta(days=32)).replace(day=1)
        in_month = sum(n for day, n in coverage.daily_counts.items() if month <= day < next_month)
        cumulative += in_month
        month_end = min(next_month - dt.timedelta(days=1), target.period_end)
        elapsed = (month_end - target.period_start).days + 1
        planned = round(target.target_count * elapsed / total_days)
        rows.append(MonthRow(month, in_month, cumulative, planned))
        month = next_month
    return rows


# --- The people behind the numbers ---------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilter:
    department: str = ""  # a department id of the target's municipality, "none", or "" for all
    job_role: str = ""
    status: str = ""  # one of Status.FILTERS, or "" for all


def people_queryset(*, ctx: TargetContext, filters: PeopleFilter) -> QuerySet[User]:
    """The audience filtered like the drill-down, with each person's status flags and dates."""
    from certificates.models import Certificate
    from courses.models import LessonProgress

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
    last_activity = (
        LessonProgress.objects.filter(user_id=OuterRef("pk"), lesson_id__in=ctx.lesson_ids, opened_at__lt=ctx.at)
        .order_by()
        .values("user_id")
        .annotate(last=Max(Greatest("opened_at", Coalesce("completed_at", "opened_at"))))
        .values("last")
    )
    qs = audience_with_flags(ctx=ctx).select_related("department")
    qs = qs.annotate(
        trained_at=Subquery(first_trained, output_field=DateTimeField()),
        expires_at=Subquery(latest_expiry, output_field=DateTimeField()),
        last_activity_at=Subquery(last_activity, output_field=DateTimeField()),
    )
    if filters.department == "none":
        qs = qs.filter(department__isnull=True)
    elif filters.department:
        qs = qs.filter(department_id=int(filters.department))
    if filters.job_role:
        qs = qs.filter(job_role="" if filters.job_role == "none" else filters.job_role)
    status = filters.status
    if status == Status.TRAINED:
        qs = qs.filter(is_trained=True)
    elif status == Status.EXPIRED:
        qs = qs.filter(is_trained=True, is_valid=False)
    elif status == Status.IN_PROGRESS:
        qs = qs.filter(is_trained=False, is_started=True)
    elif status == Status.NOT_STARTED:
        qs = qs.filter(is_trained=False, is_started=False)
    elif status == Status.EXPIRING:
        qs = qs.filter(is_expiring=True)
    return qs.order_by("first_name", "last_name", "email")


def person_status(person: User) -> str:
    if person.is_trained:
        return Status.EXPIRED if not person.is_valid else Status.TRAINED
    return Status.IN_PROGRESS if person.is_started else Status.NOT_STARTED


def people_filter_validate(
    *, municipality: Municipality, department: str, job_role: str, status: str
) -> PeopleFilter | None:
    """Validate drill-down parameters; None when any is unknown or belongs to another municipality."""
    department, job_role, status = (department or "").strip(), (job_role or "").strip(), (status or "").strip()
    if department and department != "none":
        if not department.isdigit():
            return None
        if not Department.objects.filter(pk=int(department), municipality=municipality).exists():
            return None
    if job_role and job_role != "none" and job_role not in JobRole.values:
        return None
    if status and status not in Status.FILTERS:
        return None
    return PeopleFilter(department=department, job_role=job_role, status=status)


# --- National overview ------------------------------------------------------------------------------------


@dataclass
class NationalRow:
    municipality: Municipality
    target: TrainingTarget | None
    trained: int
    percent: float | None


def national_overview(*, at: dt.datetime) -> list[NationalRow]:
    """Every municipality's current (or most recent) target with trained/target.

    One query per municipality with a target (each target has its own courses, audience and period),
    plus three; a municipality's figures are the same GROUP BY as its dashboard.
    """
    today = timezone.localtime(at).date()
    municipalities = list(Municipality.objects.order_by("name"))
    targets_by_municipality: dict[int, list[TrainingTarget]] = defaultdict(list)
    for target in TrainingTarget.objects.prefetch_related("courses", "audience_departments"):
        targets_by_municipality[target.municipality_id].append(target)
    rows = []
    for municipality in municipalities:
        target = target_default(targets=targets_by_municipality.get(municipality.pk, []), today=today)
        if target is None:
            rows.append(NationalRow(municipality, None, 0, None))
            continue
        trained = national_trained_count(target=target, at=at)
        percent = round(100 * trained / target.target_count, 1) if target.target_count else 100.0
        rows.append(NationalRow(municipality, target, trained, percent))
    return rows


def national_trained_count(*, target: TrainingTarget, at: dt.datetime) -> int:
    from certificates.models import Certificate
    from courses.models import CoursePage

    keys = [course.translation_key for course in target.courses.all()]
    course_ids = CoursePage.objects.filter(translation_key__in=keys).values("pk")
    start, end = local_midnight(target.period_start), min(end_of_day(target.period_end), at)
    learner = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=ROLE_GROUP_NAMES[Role.LEARNER])
    qs = User.objects.filter(municipality_id=target.municipality_id, is_active=True).filter(Exists(learner))
    if target.audience_job_roles:
        qs = qs.filter(job_role__in=list(target.audience_job_roles))
    departments = [d.pk for d in target.audience_departments.all()]
    if departments:
        qs = qs.filter(department_id__in=departments)
    certificates = Certificate.objects.filter(
        user_id=OuterRef("pk"),
        course_id__in=course_ids,
        status=Certificate.Status.VALID,
        issued_at__gte=start,
        issued_at__lt=end,
    )
    return qs.filter(Exists(certificates)).count()


# --- Audit ---------------------------------------------------------------------------------------------------


def audit_record(
    *, actor: User | None, action: str, municipality: Municipality, detail: dict[str, Any], at: dt.datetime
) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, action=action, municipality=municipality, detail=detail, at=at)


# --- Reminder settings ----------------------------------------------------------------------------------------


def reminder_settings_for(*, municipality: Municipality) -> ReminderSettings:
    """The municipality's settings (defaults, unsaved, when none are stored yet)."""
    return ReminderSettings.objects.filter(municipality=municipality).first() or ReminderSettings(
        municipality=municipality
    )


@transaction.atomic
def reminder_settings_update(
    *, municipality: Municipality, cadence_days: int, paused: bool, stalled_after_days: int
) -> ReminderSettings:
    settings_row, _created = ReminderSettings.objects.update_or_create(
        municipality=municipality,
        defaults={"cadence_days": cadence_days, "paused": paused, "stalled_after_days": stalled_after_days},
    )
    return settings_row


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
