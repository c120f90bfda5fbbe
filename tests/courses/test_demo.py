"""The demo course built from courses/content: complete, published, translated and idempotent."""

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Page, Revision

from courses.demo import demo_seed_courses, demo_seed_site_pages
from courses.models import CoursePage, LessonPage, LocalOrganisationPage, ModulePage
from learning.demo import DemoReport, demo_email, demo_seed_organisations
from learning.models import User

pytestmark = pytest.mark.django_db

# Every test below uses `seeded` together with `db`.


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for this module inside a transaction that is rolled back afterwards; each test
    runs in its own savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = DemoReport()
        demo_seed_organisations(report)
        demo_seed_site_pages(report)
        demo_seed_courses(report)
        yield report
        transaction.set_rollback(True)
    cache.clear()  # Wagtail caches site root paths; they pointed at the rolled-back pages


def test_the_course_has_four_modules_with_lessons_and_sources(db, seeded):
    course = CoursePage.objects.get(locale__language_code="da")
    assert course.live
    modules = ModulePage.objects.child_of(course).live().filter(locale__language_code="da")
    assert modules.count() == 4
    for module in modules:
        lessons = LessonPage.objects.child_of(module).live()
        assert lessons.count() >= 4, module
        assert len(module.sources) >= 3, module
        assert module.next_review is not None
    blocks = {
        block.block_type
        for lesson in LessonPage.objects.filter(locale__language_code="da")
        for block in lesson.body
    }
    assert {"text", "callout", "source_quote", "warning_signs", "prevention_triangle", "h5p"} <= blocks
    assert any("Kursus" in note for note in seeded.notes)


def test_english_translations_have_english_titles(db, seeded):
    course_en = CoursePage.objects.get(locale__language_code="en")
    assert course_en.title == "Preventing radicalisation – from concern to action"
    assert ModulePage.objects.filter(
        locale__language_code="en", title="Module 1: Radicalisation processes"
    ).exists()
    assert (
        LessonPage.objects.filter(locale__language_code="en").count()
        == LessonPage.objects.filter(locale__language_code="da").count()
    )
    assert LocalOrganisationPage.objects.filter(locale__language_code="en").count() == 3


def test_seeding_twice_changes_nothing(db, seeded):
    before = (Page.objects.count(), Revision.objects.count())
    demo_seed_courses(DemoReport())
    assert (Page.objects.count(), Revision.objects.count()) == before


def test_local_organisation_pages_for_three_municipalities(db, seeded, client):
    pages = LocalOrganisationPage.objects.filter(locale__language_code="da").live()
    assert sorted(page.municipality.slug for page in pages) == ["ishoej", "koege", "roedovre"]
    client.force_login(User.objects.get(email=demo_email(prefix="medarbejder", municipality_slug="ishoej")))
    page = pages.get(municipality__slug="ishoej")
    html = client.get(page.url).content.decode()
    assert "Tryghed og Kriminalitetsforebyggelse" in html
    assert 'href="tel:+4543577578"' in html  # Familiecenteret / StraXen, from the directory
    assert 'href="tel:112"' in html


def test_demo_lesson_pages_render_for_a_learner(db, seeded, client):
    client.force_login(User.objects.get(email=demo_email(prefix="medarbejder", municipality_slug="koege")))
    triangle = LessonPage.objects.get(slug="tre-niveauer-et-faelles-sprog", locale__language_code="da")
    html = client.get(triangle.url).content.decode()
    assert "Målrettet / indgribende" in html and "Politiet og PET" in html
    english = LessonPage.objects.get(slug="tre-niveauer-et-faelles-sprog", locale__language_code="en")
    html = client.get(english.url).content.decode()
    assert "This module is available in Danish" in html
