"""The dashboard's and the national overview's figures come from the cache until something they are made
of changes (coverage.figures_cache), and never from before such a change."""

import datetime as dt

import pytest
from django.core.cache import cache

from coverage.figures_cache import FIGURES_TIMEOUT, coverage_figures_forget_all
from coverage.services import coverage_compute_cached, national_overview_cached
from tests.factories import DepartmentFactory, MunicipalityFactory

from .conftest import aware
from .factories import make_staff, make_target, open_lesson

pytestmark = pytest.mark.django_db

AT = aware(2024, 6, 1)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_the_second_read_is_served_from_the_cache_without_a_query(koege, course, django_assert_num_queries):
    target = make_target(municipality=koege, course=course)
    first = coverage_compute_cached(target=target, at=AT)
    with django_assert_num_queries(0):
        again = coverage_compute_cached(target=target, at=AT + dt.timedelta(seconds=30))
    assert again.totals == first.totals and again.ctx.at == AT


def test_a_training_event_of_the_municipality_is_shown_at_once(
    koege, course, tree, django_capture_on_commit_callbacks
):
    target = make_target(municipality=koege, course=course)
    person = make_staff(municipality=koege)
    assert coverage_compute_cached(target=target, at=AT).totals.in_progress == 0
    with django_capture_on_commit_callbacks(execute=True):
        open_lesson(user=person, lesson=tree.all_lessons[0], at=AT - dt.timedelta(days=1))
    assert coverage_compute_cached(target=target, at=AT).totals.in_progress == 1


def test_another_municipalitys_event_leaves_the_copy_alone(
    koege, ishoej, course, tree, django_capture_on_commit_callbacks, django_assert_num_queries
):
    target = make_target(municipality=koege, course=course)
    coverage_compute_cached(target=target, at=AT)
    with django_capture_on_commit_callbacks(execute=True):
        open_lesson(user=make_staff(municipality=ishoej), lesson=tree.all_lessons[0], at=AT)
    with django_assert_num_queries(0):
        coverage_compute_cached(target=target, at=AT)


def test_a_department_renamed_or_a_target_edited_is_shown_at_once(
    koege, course, django_capture_on_commit_callbacks
):
    department = DepartmentFactory(municipality=koege, name="Skoleområdet")
    make_staff(municipality=koege, department=department)
    target = make_target(municipality=koege, course=course, target_count=10)
    assert [row.label for row in coverage_compute_cached(target=target, at=AT).by_department] == ["Skoleområdet"]
    with django_capture_on_commit_callbacks(execute=True):
        department.name = "Dagtilbud"
        department.save()
    assert [row.label for row in coverage_compute_cached(target=target, at=AT).by_department] == ["Dagtilbud"]
    with django_capture_on_commit_callbacks(execute=True):
        target.target_count = 40
        target.save()
    assert coverage_compute_cached(target=target, at=AT).target.target_count == 40


def test_a_copy_is_never_older_than_the_timeout_nor_from_after_the_moment_asked(koege, course):
    target = make_target(municipality=koege, course=course)
    coverage_compute_cached(target=target, at=AT)
    later = AT + dt.timedelta(seconds=FIGURES_TIMEOUT + 1)
    assert coverage_compute_cached(target=target, at=later).ctx.at == later
    earlier = AT - dt.timedelta(days=1)
    assert coverage_compute_cached(target=target, at=earlier).ctx.at == earlier


def test_the_national_overview_includes_a_new_municipality_once_committed(
    koege, course, django_capture_on_commit_callbacks, django_assert_num_queries
):
    make_target(municipality=koege, course=course)
    before = national_overview_cached(at=AT)
    with django_assert_num_queries(0):
        assert national_overview_cached(at=AT) == before
    with django_capture_on_commit_callbacks(execute=True):
        MunicipalityFactory(slug="roedovre", name="Rødovre Kommune")
    assert "Rødovre Kommune" in [row.municipality.name for row in national_overview_cached(at=AT)]


def test_forgetting_everything_recomputes(koege, course, django_assert_num_queries):
    target = make_target(municipality=koege, course=course)
    coverage_compute_cached(target=target, at=AT)
    coverage_figures_forget_all()
    with django_assert_num_queries(4):  # the target's courses, lessons, departments, and the figures
        coverage_compute_cached(target=target, at=AT)
