"""Write the benchmark population (bench.generator) into PostgreSQL with COPY: a few minutes for
100,000 staff and 1,000,000 progress rows. Used by ``manage.py generate_bench_data``."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone

from . import generator as gen

UNUSABLE_PASSWORD = "!bench-generated"  # noqa: S105 (unusable: no password matches; nobody logs in)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{name}: {self.counts[name]:,} rows in {self.seconds[name]:.1f} s" for name in self.counts]


def _db_value(model_field: models.Field, value):
    from psycopg.types.json import Jsonb

    if isinstance(model_field, models.JSONField):
        return Jsonb(value)
    return value


def _filler(model: type[models.Model], given: list[str]) -> tuple[list[str], tuple]:
    """Columns and values for every concrete field not in ``given``: its default, else NULL. A field
    that is neither nullable nor has a default is a programming error here (fails loudly)."""
    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname in given or (f.primary_key and "id" in given):
            continue
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif isinstance(f, models.CharField | models.TextField | models.FileField):
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
        columns.append(f.column)
        values.append(_db_value(f, value))
    return columns, tuple(values)


def copy_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows (tuples in the order of ``fields``, attnames) into the model's table; other columns get
    their defaults. Returns the number of rows."""
    from psycopg import sql

    extra_columns, extra_values = _filler(model, fields)
    columns = [model._meta.get_field(name).column if name != "id" else "id" for name in fields] + extra_columns
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + extra_values)
            count += 1
    return count


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 1)) FROM \"{table}\""  # noqa: S608
        )


def _timed(report: Report, name: str, fn: Callable[[], int]) -> None:
    started = time.perf_counter()
    report.counts[name] = fn()
    report.seconds[name] = time.perf_counter() - started


@transaction.atomic
def population_generate(*, sizes: gen.Sizes, now: dt.datetime, log: Callable[[str], None] = print) -> Report:
    """Generate the whole population next to the demo content (which must exist: the Danish course)."""
    from django.contrib.auth.models import Group
    from wagtail.models import Locale

    from certificates.models import Certificate
    from courses.models import (
        CourseCompletion,
        CoursePage,
        LessonPage,
        LessonProgress,
        ModuleCompletion,
        ModulePage,
    )
    from coverage.models import TrainingTarget
    from learning.models import ContactPoint, Department, Municipality, User
    from learning.roles import ROLE_GROUP_NAMES, Role

    if User.objects.filter(email__endswith="@" + gen.EMAIL_DOMAIN).exists():
        raise ValueError("The benchmark population exists already (the database is recreated by make bench).")
    danish = Locale.objects.get(language_code="da")
    course = CoursePage.objects.live().filter(locale=danish).order_by("path").first()
    if course is None:
        raise ValueError("No Danish course: run seed_demo first.")
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    lessons = list(LessonPage.objects.descendant_of(course).live().order_by("path"))
    sizes.check(lessons=len(lessons))
    report = Report()

    existing = list(Municipality.objects.order_by("name").values_list("slug", "name"))
    plan = gen.plan_municipalities(sizes, existing=existing[: sizes.municipalities])
    by_slug = {m.slug: m for m in Municipality.objects.all()}

    def municipalities() -> int:
        template = Municipality.objects.filter(contact_points__isnull=False).order_by("name").first()
        if template is None:
            raise ValueError("No municipality with contact points to copy: run seed_demo first.")
        procedure = {f: getattr(template, f) for f in ("leader_first", "child_also_local_unit", "opening_hours", "procedure_source")}
        new = [Municipality(slug=p.slug, name=p.name, **procedure) for p in plan if p.slug not in by_slug]
        created = Municipality.objects.bulk_create(new, batch_size=500)
        for m in created:
            by_slug[m.slug] = m
        # Every municipality needs its directory (a system check insists): a copy of the template's contacts.
        contacts = list(ContactPoint.objects.filter(municipality=template).order_by("sort_order"))
        ContactPoint.objects.bulk_create(
            [
                ContactPoint(**{f.attname: getattr(c, f.attname) for f in ContactPoint._meta.concrete_fields
                                if f.attname not in ("id", "municipality_id")}, municipality=m)
                for m in created
                for c in contacts
            ],
            batch_size=1000,
        )
        return len(new)

    _timed(report, "municipalities", municipalities)
    municipality_ids = [by_slug[p.slug].pk for p in plan]

    department_ids: list[int] = []

    def departments() -> int:
        first = _next_id(Department)
        rows = []
        for i, (m_index, name, kind) in enumerate(gen.department_rows(plan)):
            rows.append((first + i, municipality_ids[m_index], name, kind))
            department_ids.append(first + i)
        n = copy_rows(Department, ["id", "municipality_id", "name", "kind"], rows)
        _reset_sequence(Department)
        return n

    _timed(report, "departments", departments)
    log(f"  {len(plan)} kommuner, {len(department_ids)} afdelinger")

    everyone = list(gen.people(plan, sizes, lessons=len(lessons), now=now))
    first_user = _next_id(User)
    user_id = [first_user + p.index for p in everyone]

    def users() -> int:
        rows = (
            (
                user_id[p.index], UNUSABLE_PASSWORD, False, p.first_name, p.last_name, False, True, p.joined,
                p.email, municipality_ids[p.municipality], department_ids[p.department], p.job_role,
            )
            for p in everyone
        )
        n = copy_rows(
            User,
            ["id", "password", "is_superuser", "first_name", "last_name", "is_staff", "is_active", "date_joined",
             "email", "municipality_id", "department_id", "job_role"],
            rows,
        )
        _reset_sequence(User)
        return n

    _timed(report, "staff", users)

    def memberships() -> int:
        group = Group.objects.get(name=ROLE_GROUP_NAMES[Role.LEARNER])
        through = User.groups.through
        first = _next_id(through)
        n = copy_rows(through, ["id", "user_id", "group_id"], ((first + i, uid, group.pk) for i, uid in enumerate(user_id)))
        _reset_sequence(through)
        return n

    _timed(report, "learner role", memberships)
    log(f"  {len(everyone):,} medarbejdere")

    step = dt.timedelta(days=1)
    starts = {p.index: gen.start_time(p, now=now) for p in everyone if p.lessons_opened}
    lesson_ids = [lesson.pk for lesson in lessons]

    def progress() -> int:
        first = _next_id(LessonProgress)
        counter = iter(range(first, first + sizes.progress + 1))
        rows = (
            (next(counter), user_id[row.person], lesson_ids[row.lesson], row.opened_at, row.completed_at)
            for p in everyone
            if p.lessons_opened
            for row in gen.progress_rows(p, started=starts[p.index], step=step)
        )
        n = copy_rows(LessonProgress, ["id", "user_id", "lesson_id", "opened_at", "completed_at"], rows)
        _reset_sequence(LessonProgress)
        return n

    _timed(report, "lesson progress", progress)
    log(f"  {report.counts['lesson progress']:,} lektionsforløb")

    holders = [p for p in everyone if p.certified]
    finished = {p.index: starts[p.index] + len(lessons) * step for p in holders}

    def module_completions() -> int:
        first = _next_id(ModuleCompletion)
        rows = (
            (first + k * len(modules) + j, user_id[p.index], module.pk, starts[p.index] + (j + 1) * step * len(lessons) / len(modules))
            for k, p in enumerate(holders)
            for j, module in enumerate(modules)
        )
        n = copy_rows(ModuleCompletion, ["id", "user_id", "module_id", "completed_at"], rows)
        _reset_sequence(ModuleCompletion)
        return n

    _timed(report, "module completions", module_completions)

    first_completion = _next_id(CourseCompletion)

    def course_completions() -> int:
        rows = ((first_completion + k, user_id[p.index], course.pk, finished[p.index]) for k, p in enumerate(holders))
        n = copy_rows(CourseCompletion, ["id", "user_id", "course_id", "completed_at"], rows)
        _reset_sequence(CourseCompletion)
        return n

    _timed(report, "course completions", course_completions)

    def certificates() -> int:
        first = _next_id(Certificate)
        validity = dt.timedelta(days=round(30.44 * (course.certificate_validity_months or 24)))

        def row(k: int, p: gen.Person) -> tuple:
            at = finished[p.index]
            revoked = k % 100 == 99  # 1 % revoked
            return (
                first + k, user_id[p.index], course.pk, first_completion + k, 1, at,
                municipality_ids[p.municipality], department_ids[p.department], f"{p.first_name} {p.last_name}",
                course.title, "da", gen.certificate_code(first + k), "bench", at, at + validity,
                Certificate.Status.REVOKED if revoked else Certificate.Status.VALID, at + step if revoked else None,
                Certificate.PdfStatus.DONE, Certificate.EmailStatus.SENT, at, at,
            )

        n = copy_rows(
            Certificate,
            ["id", "user_id", "course_id", "completion_id", "generation", "completed_at", "municipality_id",
             "department_id", "learner_name", "course_title", "language", "code", "rules_version", "issued_at",
             "expires_at", "status", "revoked_at", "pdf_status", "email_status", "email_sent_at", "last_queued_at"],
            (row(k, p) for k, p in enumerate(holders)),
        )
        _reset_sequence(Certificate)
        return n

    _timed(report, "certificates", certificates)
    log(f"  {report.counts['certificates']:,} beviser")

    def targets() -> int:
        today = timezone.localdate(now)
        have = set(
            TrainingTarget.objects.filter(period_start__lte=today, period_end__gte=today).values_list("municipality_id", flat=True)
        )
        new = [
            TrainingTarget(
                municipality_id=municipality_ids[p.index],
                name=f"Uddannelsesmål {today.year}",
                period_start=today.replace(month=1, day=1),
                period_end=today.replace(month=12, day=31),
                target_count=max(1, p.staff // 2),
            )
            for p in plan
            if municipality_ids[p.index] not in have
        ]
        created = TrainingTarget.objects.bulk_create(new)
        TrainingTarget.courses.through.objects.bulk_create(
            [TrainingTarget.courses.through(trainingtarget_id=t.pk, coursepage_id=course.pk) for t in created]
        )
        return len(created)

    _timed(report, "training targets", targets)

    def training_summary() -> int:
        # The rows above went in past the services: the dashboard's summary is computed from them in bulk.
        from coverage.summary import coverage_summary_rebuild

        return coverage_summary_rebuild().training_rows

    _timed(report, "training summary", training_summary)
    log(f"  {report.counts['training summary']:,} rækker i dækningsoversigten")
    return report


def population_analyze() -> None:
    """Refresh the planner's statistics after the bulk load (outside the loading transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
