"""The counting rule, as a table, and the breakdown's statuses."""

import datetime as dt

import pytest

from certificates.models import Certificate
from coverage.services import (
    PeopleFilter,
    Status,
    coverage_compute,
    people_list,
    person_status,
    target_context,
)
from coverage.summary import staff_member_refresh
from learning.models import JobRole
from tests.factories import DepartmentFactory

from .conftest import aware
from .factories import certify, make_staff, make_target, open_lesson

AT = aware(2024, 12, 31, 12)


def _trained_count(target, at=AT):
    return coverage_compute(target=target, at=at).totals.trained


@pytest.mark.parametrize(
    ("certificates", "counted"),
    [
        pytest.param([(aware(2024, 3, 1), "valid")], 1, id="one certificate in the period"),
        pytest.param([(aware(2024, 3, 1), "valid"), (aware(2024, 9, 1), "valid")], 1, id="refresher counts once"),
        pytest.param([(aware(2024, 3, 1), "revoked")], 0, id="revoked never counts"),
        pytest.param([(aware(2023, 12, 31, 22), "valid")], 0, id="before the period"),
        pytest.param([(aware(2025, 1, 1, 0, 30), "valid")], 0, id="after the period"),
        pytest.param([(aware(2024, 1, 1, 0, 5), "valid")], 1, id="first minutes of the period (local time)"),
        pytest.param([(aware(2024, 3, 1), "revoked"), (aware(2024, 6, 1), "valid")], 1, id="revoked then reissued"),
    ],
)
def test_counting_rule(roles, koege, course, certificates, counted):
    target = make_target(municipality=koege, course=course)
    person = make_staff(municipality=koege)
    for issued_at, status in certificates:
        certify(user=person, course=course, issued_at=issued_at, status=status)
    assert _trained_count(target) == counted


def test_expired_certificate_still_counts_for_its_period_but_is_shown_as_expired(roles, koege, course):
    target = make_target(municipality=koege, course=course)
    person = make_staff(municipality=koege)
    certify(user=person, course=course, issued_at=aware(2024, 2, 1), months=12)
    later = aware(2025, 6, 1)
    coverage = coverage_compute(target=target, at=later)
    assert coverage.totals.trained == 1
    assert coverage.totals.expired == 1
    (row,) = people_list(ctx=target_context(target=target, at=later), filters=PeopleFilter())
    assert person_status(row) == Status.EXPIRED
    # Before it expired it was simply trained.
    assert coverage_compute(target=target, at=aware(2024, 12, 1)).totals.expired == 0


def test_outside_the_audience_does_not_count(roles, koege, ishoej, course):
    school = DepartmentFactory(municipality=koege, name="Skole")
    daycare = DepartmentFactory(municipality=koege, name="Dagtilbud")
    target = make_target(
        municipality=koege, course=course, departments=[school], audience_job_roles=[JobRole.TEACHER]
    )
    inside = make_staff(municipality=koege, department=school, job_role=JobRole.TEACHER)
    wrong_department = make_staff(municipality=koege, department=daycare, job_role=JobRole.TEACHER)
    wrong_role = make_staff(municipality=koege, department=school, job_role=JobRole.PEDAGOGUE)
    other_municipality = make_staff(municipality=ishoej, job_role=JobRole.TEACHER)
    left = make_staff(municipality=koege, department=school, job_role=JobRole.TEACHER)
    left.is_active = False
    left.save()
    staff_member_refresh(user=left)  # as the admin's user screen does after a change (coverage.wagtail_hooks)
    for person in (inside, wrong_department, wrong_role, other_municipality, left):
        certify(user=person, course=course, issued_at=aware(2024, 4, 1))
    coverage = coverage_compute(target=target, at=AT)
    assert coverage.totals.trained == 1
    assert coverage.totals.total == 1


def test_certificate_issued_after_the_as_of_moment_does_not_count_yet(roles, koege, course):
    target = make_target(municipality=koege, course=course)
    certify(user=make_staff(municipality=koege), course=course, issued_at=aware(2024, 6, 1))
    assert _trained_count(target, at=aware(2024, 5, 1)) == 0
    assert _trained_count(target, at=aware(2024, 6, 2)) == 1


def test_breakdown_statuses_and_expiring(roles, koege, course, tree):
    school = DepartmentFactory(municipality=koege, name="Skole")
    target = make_target(municipality=koege, course=course, year=2026)
    at = aware(2026, 11, 21, 12)
    trained = make_staff(municipality=koege, department=school)
    certify(user=trained, course=course, issued_at=aware(2026, 3, 1))
    expiring = make_staff(municipality=koege, department=school)
    certify(user=expiring, course=course, issued_at=aware(2024, 12, 10))  # expires within 60 days of `at`
    renewed = make_staff(municipality=koege, department=school)
    certify(user=renewed, course=course, issued_at=aware(2024, 12, 10))
    certify(user=renewed, course=course, issued_at=aware(2026, 10, 1))  # renewed: no longer expiring
    started = make_staff(municipality=koege, department=school)
    open_lesson(user=started, lesson=tree.all_lessons[0], at=aware(2026, 10, 1))
    started_last_year = make_staff(municipality=koege, department=school)
    open_lesson(user=started_last_year, lesson=tree.all_lessons[0], at=aware(2025, 10, 1))
    make_staff(municipality=koege, department=school)  # not started

    coverage = coverage_compute(target=target, at=at)
    totals = coverage.totals
    assert (totals.total, totals.trained, totals.in_progress, totals.not_started, totals.expiring_60d) == (6, 2, 1, 3, 1)
    (department_row,) = coverage.by_department
    assert department_row.label == "Skole"
    assert department_row.counts.trained == 2

    ctx = target_context(target=target, at=at)
    expiring_people = list(people_list(ctx=ctx, filters=PeopleFilter(status=Status.EXPIRING)))
    assert [p.pk for p in expiring_people] == [expiring.pk]
    in_progress = list(people_list(ctx=ctx, filters=PeopleFilter(status=Status.IN_PROGRESS)))
    assert [p.pk for p in in_progress] == [started.pk]


def test_revoked_certificate_is_not_trained_in_the_people_list(roles, koege, course):
    target = make_target(municipality=koege, course=course)
    person = make_staff(municipality=koege)
    certify(user=person, course=course, issued_at=aware(2024, 3, 1), status=Certificate.Status.REVOKED)
    ctx = target_context(target=target, at=AT)
    assert list(people_list(ctx=ctx, filters=PeopleFilter(status=Status.TRAINED))) == []
    assert [p.pk for p in people_list(ctx=ctx, filters=PeopleFilter(status=Status.NOT_STARTED))] == [person.pk]


def test_daily_counts_use_each_persons_first_certificate(roles, koege, course):
    target = make_target(municipality=koege, course=course)
    person = make_staff(municipality=koege)
    certify(user=person, course=course, issued_at=aware(2024, 3, 1, 9))
    certify(user=person, course=course, issued_at=aware(2024, 9, 1, 9))
    coverage = coverage_compute(target=target, at=AT)
    assert coverage.daily_counts == {dt.date(2024, 3, 1): 1}
