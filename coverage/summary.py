"""The per-person training summary behind the dashboard (``StaffMember``, ``StaffTrainingStatus``).

Two kinds of row, both recomputed from their source rows (never adjusted by increments, so running a
refresh twice, or after a lost update, gives the same row):

* ``StaffMember``: a user's municipality, department, job role and "active account with the learner
  role". Refreshed by ``staff_member_refresh`` from every service that changes those facts (user upsert
  and roles in ``learning.services`` via ``USER_CHANGED_HANDLERS``, the roster import, the Wagtail
  admin's user create/edit hooks). Erasing a person deletes their rows (a cascade).
* ``StaffTrainingStatus``: one user's lesson progress, restarts and (not revoked) certificates in one
  course. Refreshed by ``training_status_changed`` in the same transaction as the event, from
  ``courses.completion.PROGRESS_CHANGED_HANDLERS`` (lesson opened or completed, course restarted) and
  ``certificates.services.CERTIFICATE_CHANGED_HANDLERS`` (certificate issued or revoked).

``coverage_summary_rebuild`` recomputes everything (or some users) in bulk: after a bulk load (the demo,
``generate_bench_data``), from ``manage.py coverage_summary_rebuild`` and from the migration that created
the tables. Run it while nobody is training: an event committed during a rebuild may be overwritten by
the rebuild's older picture (running it again fixes that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from learning.roles import ROLE_GROUP_NAMES, Role

if TYPE_CHECKING:
    from courses.models import CoursePage
    from learning.models import User

from .figures_cache import coverage_figures_all_changed, coverage_figures_changed
from .models import StaffMember, StaffTrainingStatus

BATCH_SIZE = 5000
TRAINING_FIELDS = (
    "municipality_id",
    "lessons_opened",
    "first_opened_at",
    "last_opened_at",
    "last_activity_at",
    "restarted_at",
    "certificates_held",
    "first_certified_at",
    "last_certified_at",
    "valid_until",
)
MEMBER_FIELDS = ("municipality_id", "department_id", "job_role", "is_active_learner")


def _activity() -> Case:
    """A progress row's latest moment: its completion if that came after the opening, else the opening."""
    return Case(When(completed_at__gt=F("opened_at"), then=F("completed_at")), default=F("opened_at"))


def _progress_aggregates() -> dict[str, Any]:
    """Over the user's progress rows of the lessons under one course (the caller filters)."""
    return {
        "lessons_opened": Count("pk"),
        "first_opened_at": Min("opened_at"),
        "last_opened_at": Max("opened_at"),
        "last_activity_at": Max(_activity()),
    }


def _certificate_aggregates() -> dict[str, Any]:
    """Over the certificates that are not revoked (the caller filters)."""
    return {
        "certificates_held": Count("pk"),
        "first_certified_at": Min("issued_at"),
        "last_certified_at": Max("issued_at"),
        "valid_until": Max("expires_at"),
    }


# --- One person ------------------------------------------------------------------------------------------


def staff_member_refresh(*, user: User) -> None:
    """Copy the user's workplace and audience membership, as stored now, into their ``StaffMember`` row
    (the handler registered in ``learning.services.USER_CHANGED_HANDLERS``)."""
    staff_members_refresh(user_ids=[user.pk])


def staff_members_refresh(*, user_ids: Iterable[int]) -> int:
    """``staff_member_refresh`` for many users at once (a roster import): three queries whatever their
    number. Their training rows follow them if they moved to another municipality."""
    from learning.models import User

    ids = sorted(set(user_ids))
    if not ids:
        return 0
    learner = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=ROLE_GROUP_NAMES[Role.LEARNER])
    rows = (
        User.objects.filter(pk__in=ids)
        .annotate(is_learner=Exists(learner))
        .values_list("pk", "municipality_id", "department_id", "job_role", "is_active", "is_learner")
    )
    members = [
        StaffMember(
            user_id=pk,
            municipality_id=municipality_id,
            department_id=department_id,
            job_role=job_role or "",
            is_active_learner=bool(is_active and is_learner),
        )
        for pk, municipality_id, department_id, job_role, is_active, is_learner in rows
    ]
    with transaction.atomic():
        # Where they were and where they are now: both municipalities' figures change.
        moved_from = StaffMember.objects.filter(user_id__in=ids).values_list("municipality_id", flat=True)
        coverage_figures_changed(municipality_ids={*moved_from, *(m.municipality_id for m in members)})
        StaffMember.objects.bulk_create(
            members,
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=list(MEMBER_FIELDS),
            batch_size=BATCH_SIZE,
        )
        StaffTrainingStatus.objects.filter(user_id__in=ids).update(
            municipality_id=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("municipality_id")[:1])
        )
    return len(members)


def training_status_refresh(*, user: User, course: CoursePage) -> StaffTrainingStatus | None:
    """Recompute the user's summary row for the course from its source rows (lesson progress under the
    course, the latest restart, the certificates that are not revoked); delete it when there are none.

    Takes the user's row lock first (FOR NO KEY UPDATE: it does not block the key-share locks that
    inserting their progress rows takes), so two events of one learner refresh one after the other and
    the later one reads what the earlier one committed.
    """
    with transaction.atomic():
        return _training_status_write(user_id=user.pk, course=course)


def _training_status_write(*, user_id: int, course: CoursePage) -> StaffTrainingStatus | None:
    from certificates.models import Certificate
    from courses.models import CourseRestart, LessonProgress
    from learning.models import User

    owner = User.objects.select_for_update(no_key=True).filter(pk=user_id).values("municipality_id").first()
    if owner is None:
        return None
    coverage_figures_changed(municipality_ids=[owner["municipality_id"]])
    progress = LessonProgress.objects.filter(
        user_id=user_id, lesson__path__startswith=course.path, lesson__depth__gt=course.depth
    ).aggregate(**_progress_aggregates())
    certificates = Certificate.objects.filter(
        user_id=user_id, course_id=course.pk, status=Certificate.Status.VALID
    ).aggregate(**_certificate_aggregates())
    restarted_at = CourseRestart.objects.filter(user_id=user_id, course_id=course.pk).aggregate(m=Max("started_at"))["m"]
    if not progress["lessons_opened"] and not certificates["certificates_held"] and restarted_at is None:
        StaffTrainingStatus.objects.filter(user_id=user_id, course_id=course.pk).delete()
        return None
    status = StaffTrainingStatus(
        user_id=user_id,
        course_id=course.pk,
        municipality_id=owner["municipality_id"],
        restarted_at=restarted_at,
        **progress,
        **certificates,
    )
    StaffTrainingStatus.objects.bulk_create(
        [status], update_conflicts=True, unique_fields=["user", "course"], update_fields=list(TRAINING_FIELDS)
    )
    return status


def training_status_changed(*, user: User, course: CoursePage, at: dt.datetime) -> None:
    """The registered handler (courses and certificates call it in the event's transaction). ``at`` is
    not needed: the row holds times, and validity is judged when the row is read."""
    training_status_refresh(user=user, course=course)


# --- Everybody (bulk) -----------------------------------------------------------------------------------------


@dataclass
class RebuildResult:
    staff: int = 0
    training_rows: int = 0


def _lesson_courses(*, apps) -> dict[int, list[int]]:
    """Course id → the ids of the lessons under it (by tree path)."""
    course_model = apps.get_model("courses", "CoursePage")
    lesson_model = apps.get_model("courses", "LessonPage")
    courses = list(course_model.objects.values_list("path", "pk"))
    lessons: dict[int, list[int]] = {pk: [] for _path, pk in courses}
    for lesson_id, path in lesson_model.objects.values_list("pk", "path"):
        for course_path, course_id in courses:
            if path.startswith(course_path) and len(path) > len(course_path):
                lessons[course_id].append(lesson_id)
                break
    return {course_id: ids for course_id, ids in lessons.items() if ids}


def _insert_from(model, qs, *, upsert: bool = False) -> int:
    """INSERT INTO the model's table the rows of a values() queryset (one set-based statement, nothing
    through Python). With ``upsert``, rows that exist for (user, course) get the selected columns."""
    query = qs.query
    names = [*query.values_select, *query.annotation_select]
    columns = [model._meta.get_field(name).column for name in names]
    select_sql, params = query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = [connection.ops.quote_name(c) for c in columns]
    sql = f"INSERT INTO {table} ({', '.join(quoted)}) {select_sql}"
    if upsert:
        keys = {model._meta.get_field(n).column for n in ("user", "course")}
        updates = ", ".join(f"{q} = excluded.{q}" for c, q in zip(columns, quoted, strict=True) if c not in keys)
        sql += f" ON CONFLICT ({', '.join(connection.ops.quote_name(k) for k in sorted(keys))}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def coverage_summary_rebuild(*, user_ids: Iterable[int] | None = None, apps=global_apps) -> RebuildResult:
    """Recompute every summary row of the given users (everybody by default) from the source tables, in
    one transaction and a handful of set-based statements (INSERT … SELECT; nothing row by row through
    Python). ``apps`` lets the migration that created the tables run it on its historical models."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    member_model = apps.get_model("coverage", "StaffMember")
    status_model = apps.get_model("coverage", "StaffTrainingStatus")
    progress_model = apps.get_model("courses", "LessonProgress")
    restart_model = apps.get_model("courses", "CourseRestart")
    certificate_model = apps.get_model("certificates", "Certificate")
    ids = None if user_ids is None else sorted(set(user_ids))

    def scoped(qs, field: str = "user_id"):
        return qs if ids is None else qs.filter(**{f"{field}__in": ids})

    # A full rebuild in a transaction of its own empties the tables with TRUNCATE on PostgreSQL: no dead
    # rows left behind. Inside a caller's transaction (which may hold deferred constraint checks on them)
    # it deletes.
    truncate = ids is None and connection.vendor == "postgresql" and not connection.in_atomic_block

    def delete_rows(model) -> None:
        # Plain DELETE: the ORM's delete() would load every row first (signal receivers for all models).
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.get_field("user").column)
        with connection.cursor() as cursor:
            if truncate:
                cursor.execute(f"TRUNCATE {table}")
            elif ids is None:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (names from model metadata)
            elif ids:
                placeholders = ", ".join(["%s"] * len(ids))
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", ids)  # noqa: S608

    result = RebuildResult()
    with transaction.atomic():
        coverage_figures_all_changed()
        delete_rows(member_model)
        delete_rows(status_model)
        learner = user_model.groups.through.objects.filter(
            user_id=OuterRef("pk"), group__name=ROLE_GROUP_NAMES[Role.LEARNER]
        )
        people = (
            scoped(user_model.objects.all(), "pk")
            .order_by()
            .annotate(
                user=F("pk"),
                is_active_learner=Case(
                    When(Q(is_active=True) & Exists(learner), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
            )
            .values("municipality", "department", "job_role", "user", "is_active_learner")
        )
        result.staff = _insert_from(member_model, people)

        for course_id, lesson_ids in _lesson_courses(apps=apps).items():
            progress = (
                scoped(progress_model.objects.filter(lesson_id__in=lesson_ids))
                .order_by()
                .values("user")
                .annotate(
                    course=Value(course_id, output_field=IntegerField()),
                    municipality=Max("user__municipality_id"),
                    **_progress_aggregates(),
                )
            )
            result.training_rows += _insert_from(status_model, progress)
        certificates = (
            scoped(certificate_model.objects.filter(status="valid"))
            .order_by()
            .values("user", "course")
            .annotate(municipality=Max("user__municipality_id"), **_certificate_aggregates())
        )
        _insert_from(status_model, certificates, upsert=True)
        restarts = (
            scoped(restart_model.objects.all())
            .order_by()
            .values("user", "course")
            .annotate(municipality=Max("user__municipality_id"), restarted_at=Max("started_at"))
        )
        _insert_from(status_model, restarts, upsert=True)
        result.training_rows = scoped(status_model.objects.all()).count()
    return result
