"""The dashboard, the people list and the exports use a fixed number of queries, whatever the staff size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coverage.figures_cache import coverage_figures_forget_all
from tests.factories import DepartmentFactory

from .conftest import aware
from .factories import certify, make_staff, make_target, open_lesson


def _populate(koege, course, tree, n):
    departments = [DepartmentFactory(municipality=koege) for _ in range(3)]
    for i in range(n):
        person = make_staff(municipality=koege, department=departments[i % 3])
        if i % 3 == 0:
            certify(user=person, course=course, issued_at=aware(2024, 1 + i % 12, 3))
        elif i % 3 == 1:
            open_lesson(user=person, lesson=tree.all_lessons[0], at=aware(2024, 5, 1))


def _count(client, url):
    # Count what computing the figures costs, not a copy of them from the cache (coverage.figures_cache).
    coverage_figures_forget_all()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["", "personer/", "eksport/tal/", "eksport/personer/"])
def test_same_number_of_queries_for_5_and_50_staff(client, coordinator, koege, course, tree, path):
    target = make_target(municipality=koege, course=course)
    client.force_login(coordinator)
    url = f"/koordinator/{path}?target={target.pk}"
    _count(client, url)  # warm up: the first request of a session fills per-process caches
    _populate(koege, course, tree, 5)
    small = _count(client, url)
    _populate(koege, course, tree, 45)
    large = _count(client, url)
    assert small == large
    assert large <= 20


def _municipality_with_target(course, tree, *, index, staff, departments=False):
    from tests.factories import MunicipalityFactory

    municipality = MunicipalityFactory(slug=f"kommune-{index}", name=f"Kommune {index}")
    department = DepartmentFactory(municipality=municipality)
    make_target(municipality=municipality, course=course, departments=[department] if departments else [])
    _populate(municipality, course, tree, staff)
    return municipality


def test_national_overview_uses_the_same_number_of_queries_for_2_and_6_municipalities(client, roles, koege, course, tree):
    from learning.roles import Role
    from tests.factories import UserFactory

    admin = UserFactory(municipality=koege, roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    url = "/koordinator/national/"
    _count(client, url)
    for index in range(2):
        _municipality_with_target(course, tree, index=index, staff=3)
    small = _count(client, url)
    for index in range(2, 6):  # more municipalities, more staff, one target limited to a department
        _municipality_with_target(course, tree, index=index, staff=12, departments=index == 5)
    large = _count(client, url)
    assert small == large
    assert large <= 20
    page = client.get(url).content.decode()
    assert "Kommune 5" in page


@pytest.mark.parametrize("path", ["", "personer/?status=trained", "eksport/personer/?format=csv"])
def test_same_number_of_queries_for_a_small_and_a_bigger_municipality(
    client, coordinator, other_coordinator, koege, ishoej, course, tree, path
):
    small_target = make_target(municipality=koege, course=course)
    big_target = make_target(municipality=ishoej, course=course)
    _populate(koege, course, tree, 4)
    _populate(ishoej, course, tree, 40)
    separator = "&" if "?" in path else "?"
    counts = []
    for user, target in ((coordinator, small_target), (other_coordinator, big_target)):
        client.force_login(user)
        url = f"/koordinator/{path}{separator}target={target.pk}"
        _count(client, url)  # warm up, as above
        counts.append(_count(client, url))
    assert counts[0] == counts[1]
