"""Factories for the coverage tests: targets, certificates and lesson progress as plain rows, with the
training summary refreshed the way the courses and certificates services refresh it."""

from __future__ import annotations

import datetime as dt
import itertools

from certificates.models import Certificate
from courses.models import CoursePage, LessonProgress
from coverage.models import TrainingTarget
from coverage.summary import training_status_refresh
from learning.roles import Role
from tests.factories import DepartmentFactory, UserFactory

_codes = itertools.count(1)


def make_target(*, municipality, course, year: int = 2024, target_count: int = 10, **extra) -> TrainingTarget:
    departments = extra.pop("departments", [])
    target = TrainingTarget.objects.create(
        municipality=municipality,
        name=extra.pop("name", f"Frontpersonale {year}"),
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        target_count=target_count,
        **extra,
    )
    target.courses.add(course)
    if departments:
        target.audience_departments.add(*departments)
    return target


def make_staff(*, municipality, department=None, **extra):
    department = department or DepartmentFactory(municipality=municipality)
    return UserFactory(municipality=municipality, department=department, roles=[Role.LEARNER], **extra)


def certify(
    *, user, course, issued_at: dt.datetime, status: str = Certificate.Status.VALID, months: int = 24
) -> Certificate:
    generation = Certificate.objects.filter(user=user, course=course).count() + 1
    certificate = Certificate.objects.create(
        user=user,
        course=course,
        generation=generation,
        completed_at=issued_at,
        municipality=user.municipality,
        department=user.department,
        learner_name=user.get_full_name(),
        course_title=course.title,
        code=f"test-{next(_codes)}",
        issued_at=issued_at,
        expires_at=issued_at + dt.timedelta(days=round(months * 30.44)),
        status=status,
        pdf_status=Certificate.PdfStatus.DONE,
        email_status=Certificate.EmailStatus.SENT,
    )
    training_status_refresh(user=user, course=course)
    return certificate


def open_lesson(
    *, user, lesson, at: dt.datetime, completed: bool = False, completed_at: dt.datetime | None = None
) -> LessonProgress:
    progress = LessonProgress.objects.create(
        user=user, lesson=lesson, opened_at=at, completed_at=completed_at or (at if completed else None)
    )
    training_status_refresh(user=user, course=CoursePage.objects.ancestor_of(lesson).get())
    return progress
