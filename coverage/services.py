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

Every figure is read from the training summary (``StaffMember``, ``StaffTrainingStatus``, kept up to
date by ``coverage.summary`` in the transaction of each event) in a fixed number of queries, whatever the
staff size: the dashboard's figures in one GROUP BY over one municipality's summary rows, the national
overview in one GROUP BY municipality. The rule above is applied to the summary's times at read time
(a certificate's validity is compared with the as-of moment, never stored).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.audit import audit_record as learning_audit_record
from learning.models import AuditEvent, Department, JobRole, Municipality, User
from learning.roles import coordinator_municipality  # noqa: F401  (re-exported)

from .figures_cache import coverage_for_target, national_figures
from .forecast import Forecast, forecast_compute
from .models import ReminderSettings, StaffMember, StaffTrainingStatus, TrainingTarget

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

    chosen = target.courses.values("translation_key")
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


# --- One person's facts, from the training summary -------------------------------------------------------
# Each ``StaffTrainingStatus`` row holds the first and last issue time of its (not revoked) certificates,
# how many there are and their latest expiry, and the same for lesson openings. For almost every row and
# question, that decides the counting rule exactly. Where it cannot (three or more certificates or
# openings spanning the window asked about, or an as-of moment before the row's latest event: only when
# looking back), the row is flagged "unsure" and that person's facts are recomputed from the source rows
# in the same statement, through a join restricted to the flagged people (no per-row sub-query, so the
# planner's estimates stay honest). The figures are therefore exact for any period and as-of moment,
# and today's dashboard reads the summary alone.


def _placeholders(values: Iterable[Any]) -> str:
    return ", ".join(["%s"] * len(list(values))) or "NULL"


def _facts_sql(
    ctx: TargetContext, *, municipality_ids: Iterable[int], activity: bool = False
) -> tuple[str, list[Any]]:
    """Common table expressions ending in ``facts``: per person with a summary row for the target's courses
    in the given municipalities, ``user_id``, ``first_trained`` (first certificate issued in [period start,
    counted until)), ``latest_expiry`` (latest expiry of a certificate issued before the as-of moment),
    ``is_started`` (1 when a target lesson was opened in the window) and, with ``activity``,
    ``last_activity`` (the latest opening or completion before the as-of moment)."""
    from certificates.models import Certificate
    from courses.models import LessonProgress

    adapt = connection.ops.adapt_datetimefield_value
    start, until, at = adapt(ctx.start), adapt(ctx.counted_until), adapt(ctx.at)
    municipality_ids = list(municipality_ids)
    courses, lessons = list(ctx.course_ids), list(ctx.lesson_ids)
    status_table, certificate_table = StaffTrainingStatus._meta.db_table, Certificate._meta.db_table
    progress_table = LessonProgress._meta.db_table

    # Per summary row: the value when the row decides it, and whether it does not ("unsure").
    row_columns = [
        """CASE WHEN s.first_certified_at >= %(s)s AND s.first_certified_at < %(u)s THEN s.first_certified_at
                WHEN s.last_certified_at >= %(s)s AND s.last_certified_at < %(u)s AND s.certificates_held <= 2
                THEN s.last_certified_at END AS first_trained""",
        """CASE WHEN s.first_certified_at IS NULL OR s.first_certified_at >= %(u)s OR s.last_certified_at < %(s)s
                  OR (s.first_certified_at >= %(s)s AND s.first_certified_at < %(u)s) OR s.certificates_held <= 2
                THEN 0 ELSE 1 END AS window_unsure""",
        "CASE WHEN s.last_certified_at < %(a)s THEN s.valid_until END AS latest_expiry",
        """CASE WHEN s.first_certified_at IS NULL OR s.first_certified_at >= %(a)s OR s.last_certified_at < %(a)s
                THEN 0 ELSE 1 END AS expiry_unsure""",
        """CASE WHEN (s.first_opened_at >= %(s)s AND s.first_opened_at < %(u)s)
                  OR (s.last_opened_at >= %(s)s AND s.last_opened_at < %(u)s) THEN 1 ELSE 0 END AS is_started""",
        """CASE WHEN s.first_opened_at IS NULL OR s.first_opened_at >= %(u)s OR s.last_opened_at < %(s)s
                  OR (s.first_opened_at >= %(s)s AND s.first_opened_at < %(u)s)
                  OR (s.last_opened_at >= %(s)s AND s.last_opened_at < %(u)s) OR s.lessons_opened <= 2
                THEN 0 ELSE 1 END AS started_unsure""",
    ]
    fact_columns = [
        "MIN(first_trained) AS first_trained",
        "MAX(window_unsure) AS window_unsure",
        "MAX(latest_expiry) AS latest_expiry",
        "MAX(expiry_unsure) AS expiry_unsure",
        "MAX(is_started) AS is_started",
        "MAX(started_unsure) AS started_unsure",
    ]
    if activity:
        row_columns += [
            "CASE WHEN s.last_activity_at < %(a)s THEN s.last_activity_at END AS last_activity",
            """CASE WHEN s.first_opened_at IS NULL OR s.first_opened_at >= %(a)s OR s.last_activity_at < %(a)s
                    THEN 0 ELSE 1 END AS activity_unsure""",
        ]
        fact_columns += ["MAX(last_activity) AS last_activity", "MAX(activity_unsure) AS activity_unsure"]

    named = {"s": start, "u": until, "a": at}
    params: list[Any] = []

    def bind(fragment: str) -> str:
        """Replace %(s)s / %(u)s / %(a)s by positional placeholders, collecting their values in order."""
        out, i = [], 0
        while True:
            j = fragment.find("%(", i)
            if j < 0:
                out.append(fragment[i:])
                return "".join(out)
            k = fragment.index(")s", j)
            out.append(fragment[i:j] + "%s")
            params.append(named[fragment[j + 2 : k]])
            i = k + 2

    # Only table names from model metadata and "%s" placeholders are formatted in; every value is a parameter.
    sql = f"""
        summary_rows AS (
            SELECT s.user_id, {bind(", ".join(row_columns))}
            FROM {status_table} s
            WHERE s.municipality_id IN ({_placeholders(municipality_ids)}) AND s.course_id IN ({_placeholders(courses)})
        ),
        summary_facts AS (
            SELECT user_id, {", ".join(fact_columns)} FROM summary_rows GROUP BY user_id
        ),
        certificate_fix AS (
            SELECT c.user_id,
                MIN(CASE WHEN c.issued_at >= %s AND c.issued_at < %s THEN c.issued_at END) AS first_trained,
                MAX(CASE WHEN c.issued_at < %s THEN c.expires_at END) AS latest_expiry
            FROM {certificate_table} c
            WHERE c.status = %s AND c.course_id IN ({_placeholders(courses)})
                AND c.user_id IN (SELECT user_id FROM summary_facts WHERE window_unsure = 1 OR expiry_unsure = 1)
            GROUP BY c.user_id
        )"""  # noqa: S608
    params += [*municipality_ids, *courses, start, until, at, Certificate.Status.VALID, *courses]
    progress_unsure = "started_unsure = 1" + (" OR activity_unsure = 1" if activity else "")
    sql += f""",
        progress_fix AS (
            SELECT p.user_id,
                MAX(CASE WHEN p.opened_at >= %s AND p.opened_at < %s THEN 1 ELSE 0 END) AS is_started,
                MAX(CASE WHEN p.opened_at < %s THEN
                    CASE WHEN p.completed_at > p.opened_at THEN p.completed_at ELSE p.opened_at END END) AS last_activity
            FROM {progress_table} p
            WHERE p.lesson_id IN ({_placeholders(lessons)})
                AND p.user_id IN (SELECT user_id FROM summary_facts WHERE {progress_unsure})
            GROUP BY p.user_id
        )"""  # noqa: S608
    params += [start, until, at, *lessons]
    facts = [
        "f.user_id",
        "CASE WHEN f.window_unsure = 1 THEN cf.first_trained ELSE f.first_trained END AS first_trained",
        "CASE WHEN f.expiry_unsure = 1 THEN cf.latest_expiry ELSE f.latest_expiry END AS latest_expiry",
        "CASE WHEN f.started_unsure = 1 THEN COALESCE(pf.is_started, 0) ELSE f.is_started END AS is_started",
    ]
    if activity:
        facts.append("CASE WHEN f.activity_unsure = 1 THEN pf.last_activity ELSE f.last_activity END AS last_activity")
    sql += f""",
        facts AS (
            SELECT {", ".join(facts)} FROM summary_facts f
            LEFT JOIN certificate_fix cf ON cf.user_id = f.user_id LEFT JOIN progress_fix pf ON pf.user_id = f.user_id
        )"""  # noqa: S608
    return sql, params


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    """Run one of the summary statements below (no per-row sub-queries, so PostgreSQL's cost estimates
    stay far below its JIT threshold: compiling would take longer than running them)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _audience_where(*, alias: str, target: TrainingTarget, department_ids: Iterable[int]) -> tuple[str, list[Any]]:
    """The audience filter on ``StaffMember`` rows (see the module docstring), as SQL."""
    where = [f"{alias}.is_active_learner = %s"]
    params: list[Any] = [True]
    if target.audience_job_roles:
        roles = list(target.audience_job_roles)
        where.append(f"{alias}.job_role IN ({_placeholders(roles)})")
        params += roles
    department_ids = list(department_ids)
    if department_ids:
        where.append(f"{alias}.department_id IN ({_placeholders(department_ids)})")
        params += department_ids
    return " AND ".join(where), params


def _people_sql(ctx: TargetContext, *, activity: bool = False) -> tuple[str, list[Any]]:
    """``WITH … people``: the target's audience, one row per person with their facts as 0/1 flags (SQL)."""
    facts_sql, facts_params = _facts_sql(
        ctx, municipality_ids=[ctx.target.municipality_id], activity=activity
    )
    audience_sql, audience_params = _audience_where(alias="m", target=ctx.target, department_ids=ctx.department_ids)
    adapt = connection.ops.adapt_datetimefield_value
    at, horizon = adapt(ctx.at), adapt(ctx.at + EXPIRING_WINDOW)
    sql = f"""
        WITH {facts_sql},
        people AS (
            SELECT m.user_id, m.department_id, m.job_role, f.first_trained, f.latest_expiry,
                {"f.last_activity" if activity else "NULL"} AS last_activity,
                CASE WHEN f.first_trained IS NOT NULL THEN 1 ELSE 0 END AS is_trained,
                CASE WHEN f.latest_expiry > %s THEN 1 ELSE 0 END AS is_valid,
                COALESCE(f.is_started, 0) AS is_started,
                CASE WHEN f.latest_expiry > %s AND f.latest_expiry <= %s THEN 1 ELSE 0 END AS is_expiring
            FROM {StaffMember._meta.db_table} m LEFT JOIN facts f ON f.user_id = m.user_id
            WHERE m.municipality_id = %s AND {audience_sql}
        )
    """  # noqa: S608
    return sql, [*facts_params, at, at, horizon, ctx.target.municipality_id, *audience_params]


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


def _grouped_and_daily(
    *, ctx: TargetContext
) -> tuple[dict[Any, tuple[str, Counts]], dict[str, Counts], dict[dt.date, int]]:
    """ONE query for the dashboard's figures, over the training summary: the counts per department (with
    its name) and per job role, and how many people became trained (their first qualifying certificate) on
    each local day."""
    people_sql, params = _people_sql(ctx)
    tzname = timezone.get_current_timezone_name()
    day_sql, day_params = connection.ops.datetime_cast_date_sql("first_trained", (), tzname)
    counts = """COUNT(*) AS total, SUM(is_trained) AS trained,
            SUM(CASE WHEN is_trained = 1 AND is_valid = 0 THEN 1 ELSE 0 END) AS expired,
            SUM(CASE WHEN is_trained = 0 AND is_started = 1 THEN 1 ELSE 0 END) AS in_progress,
            SUM(is_expiring) AS expiring_60d"""
    department_table = Department._meta.db_table
    sql = people_sql + f"""
        SELECT 'department', p.department_id, MAX(d.name), CAST(NULL AS DATE), {counts}
        FROM people p LEFT JOIN {department_table} d ON d.id = p.department_id GROUP BY p.department_id
        UNION ALL
        SELECT 'job_role', NULL, job_role, CAST(NULL AS DATE), {counts} FROM people GROUP BY job_role
        UNION ALL
        SELECT 'day', NULL, NULL, {day_sql}, COUNT(*), 0, 0, 0, 0
        FROM people WHERE first_trained IS NOT NULL GROUP BY {day_sql}
    """  # noqa: S608
    by_department: dict[Any, tuple[str, Counts]] = {}
    by_role: dict[str, Counts] = {}
    daily: dict[dt.date, int] = {}
    for kind, department_id, name, day, total, trained, expired, in_progress, expiring in _fetch(
        sql, [*params, *day_params, *day_params]
    ):
        if kind == "day":
            if isinstance(day, str):
                day = dt.date.fromisoformat(day)
            elif isinstance(day, dt.datetime):
                day = day.date()
            daily[day] = int(total)
            continue
        trained, in_progress = int(trained or 0), int(in_progress or 0)
        row = Counts(
            total=int(total),
            trained=trained,
            expired=int(expired or 0),
            in_progress=in_progress,
            not_started=int(total) - trained - in_progress,
            expiring_60d=int(expiring or 0),
        )
        if kind == "department":
            by_department[department_id] = (name or "", row)
        else:
            by_role[name or ""] = row  # the job role
    return by_department, by_role, daily


def coverage_compute(*, target: TrainingTarget, at: dt.datetime) -> Coverage:
    """All the figures of a target as of ``at``: four queries whatever the staff size (three small ones
    for the target's courses, lessons and departments, and one for the figures)."""
    ctx = target_context(target=target, at=at)
    by_department, by_role, daily = _grouped_and_daily(ctx=ctx)
    totals = Counts()
    for _name, counts in by_department.values():  # everybody is in exactly one department row (or "none")
        totals.add(counts)
    role_labels = dict(JobRole.choices)
    department_rows = [
        BreakdownRow(str(pk), name, counts)
        if pk is not None
        else BreakdownRow("none", str(_("Ingen afdeling")), counts)
        for pk, (name, counts) in by_department.items()
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


def coverage_compute_cached(*, target: TrainingTarget, at: dt.datetime) -> Coverage:
    """``coverage_compute`` for the dashboard: from the cache while the figures cannot have changed
    (``coverage.figures_cache``; at most two minutes old)."""
    return coverage_for_target(target=target, at=at, compute=lambda: coverage_compute(target=target, at=at))


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


_STATUS_SQL = {
    Status.TRAINED: "is_trained = 1",
    Status.EXPIRED: "is_trained = 1 AND is_valid = 0",
    Status.IN_PROGRESS: "is_trained = 0 AND is_started = 1",
    Status.NOT_STARTED: "is_trained = 0 AND is_started = 0",
    Status.EXPIRING: "is_expiring = 1",
}
PEOPLE_CHUNK = 2000


class PeopleList(Sequence):
    """The people behind a number, in name order. Who they are and their facts come from ONE query over
    the training summary (the dashboard's own figures, so the list always matches the number clicked);
    the user rows of a page, or of each chunk when iterated, from one more query.

    Each person is a ``User`` with ``trained_at``, ``expires_at``, ``last_activity_at`` and the flags
    ``is_trained``, ``is_valid``, ``is_started``, ``is_expiring`` (see ``person_status``).
    """

    def __init__(self, rows: list[tuple]):
        self._rows = rows  # (user id, first trained, latest expiry, last activity, trained, valid, started, expiring)

    def __len__(self) -> int:
        return len(self._rows)

    def count(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._people(self._rows[index])
        return self._people([self._rows[index]])[0]

    def __iter__(self):
        for start in range(0, len(self._rows), PEOPLE_CHUNK):
            yield from self._people(self._rows[start : start + PEOPLE_CHUNK])

    @staticmethod
    def _people(rows: list[tuple]) -> list[User]:
        users = User.objects.select_related("department").in_bulk([row[0] for row in rows])
        people = []
        for user_id, trained_at, expires_at, last_activity_at, trained, valid, started, expiring in rows:
            person = users.get(user_id)
            if person is None:  # deleted since the list was read
                continue
            person.trained_at, person.expires_at, person.last_activity_at = trained_at, expires_at, last_activity_at
            person.is_trained, person.is_valid = bool(trained), bool(valid)
            person.is_started, person.is_expiring = bool(started), bool(expiring)
            people.append(person)
        return people


def _datetime(value: Any) -> dt.datetime | None:
    """A datetime from raw SQL (SQLite returns UTC text), aware like the ORM's."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
    return timezone.make_aware(dt.datetime.fromisoformat(str(value)), dt.UTC)


def people_list(*, ctx: TargetContext, filters: PeopleFilter) -> PeopleList:
    """The audience filtered like the drill-down, with each person's status flags and dates."""
    people_sql, params = _people_sql(ctx, activity=True)
    where = []
    if filters.department == "none":
        where.append("p.department_id IS NULL")
    elif filters.department:
        where.append("p.department_id = %s")
        params.append(int(filters.department))
    if filters.job_role:
        where.append("p.job_role = %s")
        params.append("" if filters.job_role == "none" else filters.job_role)
    if filters.status:
        where.append(_STATUS_SQL[filters.status])
    sql = people_sql + f"""
        SELECT p.user_id, p.first_trained, p.latest_expiry, p.last_activity,
            p.is_trained, p.is_valid, p.is_started, p.is_expiring
        FROM people p JOIN {User._meta.db_table} u ON u.id = p.user_id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY u.first_name, u.last_name, u.email, u.id
    """  # noqa: S608
    rows = [
        (row[0], _datetime(row[1]), _datetime(row[2]), _datetime(row[3]), *row[4:]) for row in _fetch(sql, params)
    ]
    return PeopleList(rows)


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
        if not (department.isascii() and department.isdigit()) or len(department) > 18:
            return None  # "²" is a digit to str.isdigit(), not to int()
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
    """Every municipality's current (or most recent) target with trained/target, in a fixed number of
    queries whatever the number of municipalities and staff: the municipalities, the targets (with their
    courses and departments), the courses' translations, and ONE count over the training summary."""
    from courses.models import CoursePage

    today = timezone.localtime(at).date()
    municipalities = list(Municipality.objects.order_by("name"))
    targets_by_municipality: dict[int, list[TrainingTarget]] = defaultdict(list)
    for target in TrainingTarget.objects.prefetch_related("courses", "audience_departments"):
        targets_by_municipality[target.municipality_id].append(target)
    chosen = {
        m.pk: target
        for m in municipalities
        if (target := target_default(targets=targets_by_municipality.get(m.pk, []), today=today)) is not None
    }
    keys = {course.translation_key for target in chosen.values() for course in target.courses.all()}
    translations: dict[Any, list[int]] = defaultdict(list)
    for pk, key in CoursePage.objects.filter(translation_key__in=keys).values_list("pk", "translation_key"):
        translations[key].append(pk)
    contexts = []
    for target in chosen.values():
        course_ids = sorted({pk for c in target.courses.all() for pk in translations[c.translation_key]})
        contexts.append(
            TargetContext(
                target=target,
                at=at,
                start=local_midnight(target.period_start),
                end=end_of_day(target.period_end),
                course_ids=tuple(course_ids),
                lesson_ids=(),  # "trained" needs certificates only
                department_ids=tuple(sorted(d.pk for d in target.audience_departments.all())),
            )
        )
    trained = national_trained_counts(contexts=contexts)
    rows = []
    for municipality in municipalities:
        target = chosen.get(municipality.pk)
        if target is None:
            rows.append(NationalRow(municipality, None, 0, None))
            continue
        count = trained.get(municipality.pk, 0)
        percent = round(100 * count / target.target_count, 1) if target.target_count else 100.0
        rows.append(NationalRow(municipality, target, count, percent))
    return rows


def national_overview_cached(*, at: dt.datetime) -> list[NationalRow]:
    """``national_overview`` from the cache while no municipality's figures changed (at most two
    minutes old; ``coverage.figures_cache``)."""
    return national_figures(compute=lambda: national_overview(at=at))


def national_trained_counts(*, contexts: list[TargetContext]) -> dict[int, int]:
    """Trained people per municipality for each context's target, in ONE query over the summary.

    Targets that ask the same question (the same courses, window and job roles, no departments: usually
    all of them) are counted together, one GROUP BY municipality; the groups are one UNION ALL.
    """
    groups: dict[tuple, list[TargetContext]] = defaultdict(list)
    for ctx in contexts:
        if not ctx.course_ids:
            continue
        roles = tuple(sorted(ctx.target.audience_job_roles or ()))
        # Department ids belong to one municipality: a target naming departments is a group of its own.
        groups[(ctx.course_ids, ctx.start, ctx.counted_until, roles, ctx.department_ids)].append(ctx)
    if not groups:
        return {}
    branches, params = [], []
    for members in groups.values():
        branch_sql, branch_params = _trained_by_municipality_sql(
            members[0], municipality_ids=sorted(c.target.municipality_id for c in members)
        )
        branches.append(branch_sql)
        params += branch_params
    return {municipality_id: int(count) for municipality_id, count in _fetch(" UNION ALL ".join(branches), params)}


def _trained_by_municipality_sql(ctx: TargetContext, *, municipality_ids: list[int]) -> tuple[str, list[Any]]:
    """Trained people per municipality (SQL) for the target of ``ctx`` applied to each municipality: the
    summary rows that decide "a certificate issued in the window" themselves, and for the few that cannot
    (see ``_facts_sql``) their certificates in the window; each person counted once."""
    from certificates.models import Certificate

    adapt = connection.ops.adapt_datetimefield_value
    start, until = adapt(ctx.start), adapt(ctx.counted_until)
    courses = list(ctx.course_ids)
    audience_sql, audience_params = _audience_where(alias="m", target=ctx.target, department_ids=ctx.department_ids)
    status_table = StaffTrainingStatus._meta.db_table
    scope = (
        f"s.municipality_id IN ({_placeholders(municipality_ids)}) AND s.course_id IN ({_placeholders(courses)}) "
        # A certificate in the window needs the first one issued before its end and the last after its start.
        "AND s.first_certified_at < %s AND s.last_certified_at >= %s"
    )
    scope_params = [*municipality_ids, *courses, until, start]
    sql = f"""
        SELECT m.municipality_id, COUNT(DISTINCT m.user_id)
        FROM (
            SELECT s.user_id FROM {status_table} s
            WHERE {scope} AND ((s.first_certified_at >= %s AND s.first_certified_at < %s)
                OR (s.last_certified_at >= %s AND s.last_certified_at < %s AND s.certificates_held <= 2))
            UNION ALL
            SELECT s.user_id FROM {status_table} s
            JOIN {Certificate._meta.db_table} c ON c.user_id = s.user_id AND c.course_id = s.course_id
            WHERE {scope} AND s.first_certified_at < %s AND s.certificates_held > 2
                AND c.status = %s AND c.issued_at >= %s AND c.issued_at < %s
        ) t
        JOIN {StaffMember._meta.db_table} m ON m.user_id = t.user_id
        WHERE m.municipality_id IN ({_placeholders(municipality_ids)}) AND {audience_sql}
        GROUP BY m.municipality_id
    """  # noqa: S608
    params = [
        *scope_params,
        start,
        until,
        start,
        until,
        *scope_params,
        start,
        Certificate.Status.VALID,
        start,
        until,
        *municipality_ids,
        *audience_params,
    ]
    return sql, params


# --- Audit ---------------------------------------------------------------------------------------------------


def audit_record(
    *, actor: User | None, action: str, municipality: Municipality, detail: dict[str, Any], at: dt.datetime,
    target: TrainingTarget | None = None,
) -> AuditEvent:
    """Record a coordinator's action in the shared audit log (``learning.audit``)."""
    return learning_audit_record(
        actor=actor, action=action, at=at, target=target, municipality=municipality, detail=detail
    )


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
