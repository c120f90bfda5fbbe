"""Every event that changes what the dashboard counts keeps the training summary equal to a rebuild from
the source tables, in the event's own transaction."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail import hooks

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.models import LessonProgress
from courses.services import course_restart, lesson_complete, lesson_open
from coverage import summary
from coverage.models import StaffMember, StaffTrainingStatus
from coverage.roster import roster_import
from coverage.services import coverage_compute
from coverage.summary import coverage_summary_rebuild
from learning.models import JobRole
from learning.retention import user_erase
from learning.roles import Role
from learning.services import user_upsert
from tests.factories import DepartmentFactory, UserFactory

from .conftest import aware
from .factories import make_target

# Every stored fact of a row, with its key.
TRAINING_FIELDS = ["user_id", "course_id", *summary.TRAINING_FIELDS]


def summary_rows():
    # Rows of people outside every audience may exist or not (a rebuild writes one per user): not compared.
    members = set(
        StaffMember.objects.filter(is_active_learner=True).values_list(
            "user_id", "municipality_id", "department_id", "job_role"
        )
    )
    return members, set(StaffTrainingStatus.objects.values_list(*TRAINING_FIELDS))


def assert_summary_equals_a_rebuild():
    kept = summary_rows()
    coverage_summary_rebuild()
    assert summary_rows() == kept


def complete_all_lessons(*, user, tree, at):
    for lesson in tree.all_lessons:
        lesson_complete(user=user, lesson=lesson, at=at)


@pytest.fixture
def learner(roles, koege, school):
    return UserFactory(municipality=koege, department=school, job_role=JobRole.TEACHER, roles=[Role.LEARNER])


def test_learning_events_keep_the_summary_equal_to_a_rebuild(
    roles, koege, school, coordinator, learner, tree, course, django_capture_on_commit_callbacks
):
    target = make_target(municipality=koege, course=course, year=2026)
    first = tree.all_lessons[0]
    assert_summary_equals_a_rebuild()  # the learner's row exists from the start (the roles service)

    lesson_open(user=learner, lesson=first, at=aware(2026, 2, 1, 9))
    status = StaffTrainingStatus.objects.get(user=learner)
    assert (status.lessons_opened, status.first_opened_at) == (1, aware(2026, 2, 1, 9))
    lesson_open(user=learner, lesson=first, at=aware(2026, 2, 3))  # opened again: nothing changes
    assert_summary_equals_a_rebuild()
    assert coverage_compute(target=target, at=aware(2026, 2, 5)).totals.in_progress == 1

    with django_capture_on_commit_callbacks(execute=True):
        complete_all_lessons(user=learner, tree=tree, at=aware(2026, 2, 10, 12))
    certificate = Certificate.objects.get(user=learner)
    status = StaffTrainingStatus.objects.get(user=learner)  # a rebuild above wrote new rows
    assert (status.certificates_held, status.valid_until) == (1, certificate.expires_at)
    assert_summary_equals_a_rebuild()
    assert coverage_compute(target=target, at=aware(2026, 3, 1)).totals.trained == 1

    certificate_revoke(certificate=certificate, by=coordinator, reason="Udstedt ved en fejl.", at=aware(2026, 3, 2))
    assert_summary_equals_a_rebuild()
    assert coverage_compute(target=target, at=aware(2026, 3, 3)).totals.trained == 0

    course_restart(user=learner, course=course, at=aware(2026, 4, 1))
    assert StaffTrainingStatus.objects.get(user=learner).restarted_at == aware(2026, 4, 1)
    assert_summary_equals_a_rebuild()

    with django_capture_on_commit_callbacks(execute=True):
        complete_all_lessons(user=learner, tree=tree, at=aware(2026, 4, 20))
    assert Certificate.objects.filter(user=learner, status=Certificate.Status.VALID).count() == 1
    assert_summary_equals_a_rebuild()
    coverage = coverage_compute(target=target, at=aware(2026, 5, 1))
    assert coverage.totals.trained == 1
    assert coverage.daily_counts == {dt.date(2026, 4, 20): 1}


def test_a_failed_event_leaves_the_summary_as_it_was(roles, learner, tree):
    with pytest.raises(RuntimeError), transaction.atomic():
        lesson_open(user=learner, lesson=tree.all_lessons[0], at=aware(2026, 2, 1))
        raise RuntimeError("the request failed after opening the lesson")
    assert not LessonProgress.objects.exists()
    assert not StaffTrainingStatus.objects.exists()


def test_workplace_and_audience_changes_keep_the_summary_equal_to_a_rebuild(
    roles, koege, ishoej, school, coordinator, learner, tree, course, django_capture_on_commit_callbacks
):
    daycare = DepartmentFactory(municipality=koege, name="Dagtilbud")
    target = make_target(municipality=koege, course=course, year=2026, departments=[daycare])
    with django_capture_on_commit_callbacks(execute=True):
        complete_all_lessons(user=learner, tree=tree, at=aware(2026, 2, 10))
    assert coverage_compute(target=target, at=aware(2026, 3, 1)).totals.total == 0  # works at the school

    row = {"name": "Anne Havtorn", "email": learner.email, "department": "Dagtilbud", "job_role": "Pædagog", "_extra": ""}
    roster_import(municipality=koege, rows=[row], invited_by=coordinator, at=aware(2026, 3, 1))
    member = StaffMember.objects.get(user=learner)
    assert (member.department, member.job_role) == (daycare, JobRole.PEDAGOGUE)
    assert_summary_equals_a_rebuild()
    assert coverage_compute(target=target, at=aware(2026, 3, 2)).totals.trained == 1

    # An administrator deactivates the person in the admin's user screen (its after_edit_user hook).
    learner.is_active = False
    learner.save()
    for hook in hooks.get_hooks("after_edit_user"):
        hook(None, learner)
    assert StaffMember.objects.get(user=learner).is_active_learner is False
    assert_summary_equals_a_rebuild()
    assert coverage_compute(target=target, at=aware(2026, 3, 2)).totals.total == 0

    # Moving to another municipality (the user service) takes the training rows along.
    moved = user_upsert(
        email=learner.email,
        first_name="Anne",
        municipality=ishoej,
        department=None,
        job_role=JobRole.TEACHER,
        roles={Role.LEARNER},
    )
    assert set(StaffTrainingStatus.objects.filter(user=moved).values_list("municipality_id", flat=True)) == {ishoej.pk}
    assert_summary_equals_a_rebuild()

    user_erase(user=moved, by=None, at=aware(2026, 6, 1))
    assert not StaffTrainingStatus.objects.filter(user=moved).exists()
    assert not StaffMember.objects.filter(user=moved, is_active_learner=True).exists()
    assert_summary_equals_a_rebuild()


def test_rebuild_command_is_idempotent_and_repairs_rows_written_past_the_services(roles, koege, learner, tree):
    LessonProgress.objects.create(user=learner, lesson=tree.all_lessons[0], opened_at=aware(2026, 1, 5))
    assert not StaffTrainingStatus.objects.exists()  # a bulk load goes past the services
    call_command("coverage_summary_rebuild")
    first = summary_rows()
    assert StaffTrainingStatus.objects.get(user=learner).lessons_opened == 1
    call_command("coverage_summary_rebuild", user_ids=[learner.pk])
    call_command("coverage_summary_rebuild")
    assert summary_rows() == first
