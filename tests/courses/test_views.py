"""The course pages as a learner and an editor sees them."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from courses import completion as registry
from courses.models import LessonPage, LessonProgress, LocalOrganisationPage
from courses.services import lesson_complete
from interactive.models import H5PActivity
from learning.roles import Role
from tests.factories import MunicipalityFactory, UserFactory

from .factories import publish_child

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_handlers(monkeypatch):
    monkeypatch.setattr(registry, "COURSE_COMPLETION_HANDLERS", [])


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def _progress_value(html, label_id):
    match = re.search(rf'<progress[^>]*value="(\d+)"[^>]*aria-labelledby="{label_id}"', html)
    assert match, html
    return int(match.group(1))


@pytest.mark.parametrize("which", ["index", "course", "module", "lesson"])
def test_anonymous_visitors_are_sent_to_login(client, tree, which):
    page = {
        "index": tree.index,
        "course": tree.course,
        "module": tree.modules[0],
        "lesson": tree.lessons[0][0],
    }[which]
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")
    assert not LessonProgress.objects.exists()


def test_course_page_shows_progress_and_where_to_continue(signed_in, tree, learner):
    lesson_complete(user=learner, lesson=tree.lessons[0][0], at=timezone.now())
    html = signed_in.get(tree.course.url).content.decode()
    assert _progress_value(html, "kursus-status") == 25
    assert "1 af 4 lektioner gennemført (25 %)" in html
    assert "Fortsæt hvor du slap" in html
    assert f'href="{tree.lessons[0][1].url}"' in html
    assert _progress_value(html, "modul-modul-1") == 50
    assert "I gang" in html and "Ikke startet" in html


def test_lesson_page_records_the_opening_and_offers_the_button(signed_in, tree, learner):
    lesson = tree.lessons[0][0]
    html = signed_in.get(lesson.url).content.decode()
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at is None
    assert "Markér som gennemført" in html
    assert f'action="/kurser/lektion/{lesson.pk}/gennemfoert/"' in html
    assert "csrfmiddlewaretoken" in html


def test_mark_complete_goes_on_to_the_next_lesson(signed_in, tree, learner):
    first, second = tree.lessons[0]
    response = signed_in.post(f"/kurser/lektion/{first.pk}/gennemfoert/")
    assert response.status_code == 302 and response["Location"] == second.url
    assert LessonProgress.objects.get(user=learner, lesson=first).completed_at is not None
    response = signed_in.post(f"/kurser/lektion/{second.pk}/gennemfoert/")
    assert response["Location"] == tree.modules[0].url  # the last lesson leads back to the module
    html = signed_in.get(tree.modules[0].url).content.decode()
    assert _progress_value(html, "modul-status") == 100
    assert "Modulet er gennemført" in html
    html = signed_in.get(first.url).content.decode()
    assert "Du har gennemført denne lektion." in html
    assert "Markér som gennemført" not in html


def test_mark_complete_needs_post_login_and_csrf(client, tree, learner):
    url = f"/kurser/lektion/{tree.lessons[0][0].pk}/gennemfoert/"
    assert client.post(url)["Location"].startswith("/konto/login/")
    client.force_login(learner)
    assert client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(url).status_code == 403
    assert not LessonProgress.objects.exists()


def test_unpublished_lessons_are_neither_shown_nor_completable(signed_in, tree):
    lesson = tree.lessons[0][1]
    url = lesson.url
    lesson.unpublish()
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(f"/kurser/lektion/{lesson.pk}/gennemfoert/").status_code == 404
    assert lesson.title not in signed_in.get(tree.modules[0].url).content.decode()


def test_a_lesson_with_a_ready_h5p_activity_completes_through_the_activity(signed_in, tree, learner):
    activity = H5PActivity.objects.create(title="Videnstjek", slug="tjek", status=H5PActivity.Status.READY)
    lesson = publish_child(
        tree.modules[1],
        LessonPage(title="Med aktivitet", slug="med-aktivitet", body=[{"type": "h5p", "value": activity.pk}]),
    )
    html = signed_in.get(lesson.url).content.decode()
    assert "Markér som gennemført" not in html
    assert "når du har gennemført aktiviteten" in html
    signed_in.post(f"/kurser/lektion/{lesson.pk}/gennemfoert/")
    assert LessonProgress.objects.get(lesson=lesson).completed_at is None


def test_local_organisation_page_lists_the_directory_with_phone_links(signed_in, tree, learner):
    municipality = MunicipalityFactory(slug="koege", name="Køge Kommune")
    learner.municipality = municipality
    learner.save()
    page = publish_child(
        tree.index,
        LocalOrganisationPage(
            title="Din lokale organisation i Køge", slug="lokal-koege", municipality=municipality
        ),
    )
    html = signed_in.get(page.url).content.decode()
    assert '<a href="tel:112">112</a>' in html
    assert '<a href="tel:+4541749090">41 74 90 90</a>' in html
    assert 'href="mailto:infohuskoege@koege.dk"' in html
    # The course page links the learner to their own municipality's page.
    assert f'href="{page.url}"' in signed_in.get(tree.course.url).content.decode()


def test_continue_card_for_the_dashboard(rf, tree, learner):
    lesson_complete(user=learner, lesson=tree.lessons[0][0], at=timezone.now())
    request = rf.get("/overblik/")
    request.user = learner
    html = render_to_string("courses/continue_card.html", {"request": request})
    assert "Fortsæt hvor du slap" in html
    assert f'href="{tree.lessons[0][1].url}"' in html
    assert 'value="25"' in html


def test_past_review_report_lists_overdue_modules(client, tree):
    overdue = tree.modules[0]
    overdue.next_review = datetime.date(2020, 1, 1)
    overdue.save_revision().publish()
    editor = UserFactory(is_superuser=True, roles=[Role.EDITOR])
    client.force_login(editor)
    response = client.get("/admin/kurser/moduler-til-gennemgang/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moduler der skal gennemgås" in html
    assert f"/admin/pages/{overdue.pk}/edit/" in html
    assert f"/admin/pages/{tree.modules[1].pk}/edit/" not in html
    edit = client.get(f"/admin/pages/{overdue.pk}/edit/").content.decode()
    assert "Gennemgang overskredet" in edit


def test_learners_cannot_open_the_review_report(client, learner, tree):
    client.force_login(learner)
    response = client.get("/admin/kurser/moduler-til-gennemgang/")
    assert response.status_code in (302, 403)
