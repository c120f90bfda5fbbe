"""The dashboard, the people list and the exports use a fixed number of queries, whatever the staff size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
