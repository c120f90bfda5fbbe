"""Demo content: one READY knowledge check per entry of courses/content/h5p.json, idempotently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from interactive.demo import demo_h5p_items, demo_seed_h5p_activities
from interactive.models import H5PActivity
from learning.demo import DemoReport

pytestmark = pytest.mark.django_db


def test_demo_activities_are_ready_and_embedded_in_lessons(demo):
    slugs = {item["slug"] for item in demo_h5p_items()}
    activities = H5PActivity.objects.filter(slug__in=slugs)
    assert {a.slug for a in activities} == slugs
    assert {a.status for a in activities} == {H5PActivity.Status.READY}
    first = activities.get(slug="tjek-modul-1-tipping-point")
    content = json.loads(
        (
            Path(settings.MEDIA_ROOT) / "h5p" / "content" / str(first.uid) / "content" / "content.json"
        ).read_text()
    )
    assert content["question"].startswith("Hvad markerer »tipping point«")
    assert [a["correct"] for a in content["answers"]] == [True, False, False, False]


def test_demo_seeding_twice_changes_nothing(demo):
    before = list(H5PActivity.objects.order_by("pk").values_list("pk", "uid", "processed_at"))
    report = DemoReport()
    demo_seed_h5p_activities(report)
    assert list(H5PActivity.objects.order_by("pk").values_list("pk", "uid", "processed_at")) == before
    assert report.notes == []


def test_seeding_fills_activities_the_course_pages_created_first():
    # The course seeder may create the activities by slug (PENDING, no package) before this one runs.
    item = demo_h5p_items()[0]
    placeholder = H5PActivity.objects.create(slug=item["slug"], title=item["title_da"])
    demo_seed_h5p_activities(DemoReport())
    placeholder.refresh_from_db()
    assert placeholder.status == H5PActivity.Status.READY
    assert placeholder.package.name.endswith(".h5p")
