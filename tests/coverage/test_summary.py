"""The training summary: the dashboard's figures read from it equal the counting rule computed from the
source tables (tests/coverage/reference.py) for any history, period and as-of moment, and every event
keeps it equal to a rebuild from scratch."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.services import course_restart
from coverage.services import (
    PeopleFilter,
    Status,
    coverage_compute,
    national_overview,
    people_list,
    person_status,
    target_context,
)
from coverage.summary import staff_member_refresh
from learning.models import JobRole
from learning.roles import Role
from tests.courses.factories import build_tree
from tests.factories import DepartmentFactory, UserFactory

from .conftest import aware
from .factories import certify, make_target, open_lesson
from .reference import reference_figures, reference_people

BASE = aware(2021, 1, 1)

moments = st.builds(
    lambda days, minutes: BASE + dt.timedelta(days=days, minutes=minutes),
    st.integers(0, 6 * 365),
    st.integers(0, 24 * 60 - 1),
)
people = st.fixed_dictionaries(
    {
        "job_role": st.sampled_from([JobRole.TEACHER, JobRole.PEDAGOGUE]),
        "department": st.sampled_from([0, 1, None]),
        "active": st.sampled_from([True, True, True, False]),
        "learner": st.sampled_from([True, True, True, False]),
        "certificates": st.lists(
            st.tuples(moments, st.sampled_from(["valid", "valid", "revoked"]), st.sampled_from([12, 24])),
            max_size=4,
            unique_by=lambda c: c[0],
        ),
        "lessons": st.lists(st.tuples(moments, st.integers(0, 3 * 24 * 60)), max_size=4),
        "restart": st.one_of(st.none(), moments),
    }
)
targets = st.fixed_dictionaries(
    {
        "year": st.sampled_from([2022, 2023, 2024, 2025]),
        "roles": st.sampled_from([[], [JobRole.TEACHER]]),
        "departments": st.booleans(),
    }
)


@pytest.fixture
def four_lessons(db):
    return build_tree(modules=2, lessons=2)


def _person(spec, *, koege, departments, course, lessons):
    department = departments[spec["department"]] if spec["department"] is not None else None
    person = UserFactory(
        municipality=koege,
        department=department,
        job_role=spec["job_role"],
        roles=[Role.LEARNER] if spec["learner"] else [],
    )
    if not spec["active"]:
        person.is_active = False
        person.save()
        staff_member_refresh(user=person)  # what the admin's user screen does after the change
    for issued_at, status, months in spec["certificates"]:
        certify(user=person, course=course, issued_at=issued_at, status=status, months=months)
    for lesson, (opened_at, minutes_to_complete) in zip(lessons, spec["lessons"], strict=False):
        completed_at = opened_at + dt.timedelta(minutes=minutes_to_complete) if minutes_to_complete % 3 else None
        open_lesson(user=person, lesson=lesson, at=opened_at, completed_at=completed_at)
    if spec["restart"] is not None:
        course_restart(user=person, course=course, at=spec["restart"])
    return person


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(staff=st.lists(people, min_size=1, max_size=5), target_spec=targets, at=moments)
def test_figures_from_the_summary_equal_the_rule_computed_from_the_source_rows(
    roles, koege, four_lessons, staff, target_spec, at
):
    course, lessons = four_lessons.course, four_lessons.all_lessons
    with transaction.atomic():
        departments = [DepartmentFactory(municipality=koege, name=f"Afdeling {i}") for i in range(2)]
        for spec in staff:
            _person(spec, koege=koege, departments=departments, course=course, lessons=lessons)
        target = make_target(
            municipality=koege,
            course=course,
            year=target_spec["year"],
            audience_job_roles=target_spec["roles"],
            departments=departments[:1] if target_spec["departments"] else [],
        )
        ctx = target_context(target=target, at=at)

        coverage = coverage_compute(target=target, at=at)
        expected = reference_figures(ctx=ctx)
        assert coverage.totals == expected.totals
        assert {row.key: row.counts for row in coverage.by_department} == expected.by_department
        assert {row.key: row.counts for row in coverage.by_job_role} == expected.by_job_role
        assert coverage.daily_counts == expected.daily

        reference = reference_people(ctx=ctx)
        listed = {
            p.pk: (person_status(p), p.is_expiring, p.trained_at, p.expires_at, p.last_activity_at)
            for p in people_list(ctx=ctx, filters=PeopleFilter())
        }
        assert listed == {
            pk: (r.status(at), r.is_expiring(at), r.trained_at, r.expires_at, r.last_activity_at)
            for pk, r in reference.items()
        }
        for status in Status.FILTERS:
            chosen = {p.pk for p in people_list(ctx=ctx, filters=PeopleFilter(status=status))}
            if status == Status.EXPIRING:
                assert chosen == {pk for pk, r in reference.items() if r.is_expiring(at)}
            elif status == Status.TRAINED:
                assert chosen == {pk for pk, r in reference.items() if r.trained_at is not None}
            else:
                assert chosen == {pk for pk, r in reference.items() if r.status(at) == status}

        (row,) = [r for r in national_overview(at=at) if r.municipality == koege]
        assert row.trained == expected.totals.trained
        transaction.set_rollback(True)


# --- Where the summary row cannot decide alone (looking back): the source rows are read for those people --


def _only_person(ctx):
    (person,) = people_list(ctx=ctx, filters=PeopleFilter())
    return person


def test_three_certificates_spanning_a_past_period_count_with_the_one_issued_in_it(roles, koege, course):
    target = make_target(municipality=koege, course=course, year=2024)
    person = UserFactory(municipality=koege, roles=[Role.LEARNER])
    for issued_at in (aware(2022, 2, 1), aware(2024, 3, 5, 10), aware(2026, 5, 1)):
        certify(user=person, course=course, issued_at=issued_at, months=12)
    at = aware(2027, 1, 10)
    coverage = coverage_compute(target=target, at=at)
    assert coverage.totals.trained == 1
    assert coverage.daily_counts == {dt.date(2024, 3, 5): 1}
    person_row = _only_person(target_context(target=target, at=at))
    assert person_row.trained_at == aware(2024, 3, 5, 10)
    assert person_status(person_row) == Status.TRAINED  # the 2026 certificate is valid on 10.1.2027


def test_as_of_before_the_latest_certificate_uses_the_expiry_known_then(roles, koege, course):
    target = make_target(municipality=koege, course=course, year=2024)
    person = UserFactory(municipality=koege, roles=[Role.LEARNER])
    first = certify(user=person, course=course, issued_at=aware(2023, 1, 20), months=12)
    certify(user=person, course=course, issued_at=aware(2024, 6, 1), months=24)
    at = aware(2023, 12, 1)
    coverage = coverage_compute(target=target, at=at)
    assert coverage.totals.expiring_60d == 1  # the first certificate expires in January 2024
    assert _only_person(target_context(target=target, at=at)).expires_at == first.expires_at


@pytest.mark.parametrize(
    ("opened", "started"),
    [
        pytest.param([aware(2023, 5, 1), aware(2024, 7, 1), aware(2025, 3, 1)], True, id="one opened in the period"),
        pytest.param([aware(2023, 5, 1), aware(2023, 6, 1), aware(2025, 3, 1)], False, id="none opened in it"),
    ],
)
def test_lessons_opened_around_a_past_period(roles, koege, four_lessons, opened, started):
    target = make_target(municipality=koege, course=four_lessons.course, year=2024)
    person = UserFactory(municipality=koege, roles=[Role.LEARNER])
    for lesson, opened_at in zip(four_lessons.all_lessons, opened, strict=False):
        open_lesson(user=person, lesson=lesson, at=opened_at)
    coverage = coverage_compute(target=target, at=aware(2025, 6, 1))
    assert (coverage.totals.in_progress, coverage.totals.not_started) == ((1, 0) if started else (0, 1))


def test_last_activity_as_of_a_moment_before_the_latest_lesson(roles, koege, four_lessons):
    target = make_target(municipality=koege, course=four_lessons.course, year=2024)
    person = UserFactory(municipality=koege, roles=[Role.LEARNER])
    first, second = four_lessons.all_lessons[:2]
    open_lesson(user=person, lesson=first, at=aware(2024, 1, 10), completed_at=aware(2024, 1, 12))
    open_lesson(user=person, lesson=second, at=aware(2024, 6, 1), completed_at=aware(2024, 6, 2))
    ctx = target_context(target=target, at=aware(2024, 3, 1))
    assert _only_person(ctx).last_activity_at == aware(2024, 1, 12)
