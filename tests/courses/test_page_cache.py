"""The signed-in lesson and module pages (issue 10): a fixed, small number of queries for a learner with
progress, cached parts (route, outline, rendered body, navigation) that change as soon as the content
does, and nothing of one learner ever in another learner's page."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses.models import LessonPage, LessonProgress
from courses.page_cache import lesson_body, lesson_body_html
from courses.services import course_restart, lesson_complete, lesson_open
from learning.cache import TOKEN_PLACEHOLDER
from tests.courses.factories import build_tree, publish_child
from tests.factories import TEST_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
CACHED_DB = "django.contrib.sessions.backends.cached_db"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
PLAY_RE = re.compile(r'<iframe[^>]*src="([^"]+)"', re.S)


@pytest.fixture
def tree(db):
    cache.clear()
    yield build_tree(modules=2, lessons=3)
    cache.clear()


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _at(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=2) + datetime.timedelta(minutes=minutes)


def _learner_with_progress(tree):
    """A learner who restarted the course, then completed two lessons of module 1 and opened the third."""
    learner = UserFactory()
    lessons = tree.lessons[0]
    course_restart(user=learner, course=tree.course, at=_at(0))
    lesson_complete(user=learner, lesson=lessons[0], at=_at(1))
    lesson_complete(user=learner, lesson=lessons[1], at=_at(2))
    lesson_open(user=learner, lesson=lessons[2], at=_at(3))
    return learner


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- Queries ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("session_engine", ["django.contrib.sessions.backends.db", CACHED_DB])
def test_lesson_and_module_pages_stay_within_six_queries_and_write_nothing(
    tree, settings, session_engine, django_assert_max_num_queries
):
    settings.SESSION_ENGINE = session_engine
    learner = _learner_with_progress(tree)
    client = _signed_in(learner)
    lesson, module = tree.lessons[0][1], tree.modules[0]
    client.get(lesson.url)  # first views fill the caches
    client.get(module.url)

    with django_assert_max_num_queries(6) as lesson_queries:
        html = _html(client.get(lesson.url))
    assert "Du har gennemført denne lektion." in html
    assert "2 af 3 lektioner gennemført" in html
    with django_assert_max_num_queries(6) as module_queries:
        html = _html(client.get(module.url))
    assert "2 af 3 lektioner gennemført" in html
    # A later view writes nothing (the opening was recorded once; the session's activity within the minute).
    for query in [*lesson_queries.captured_queries, *module_queries.captured_queries]:
        assert not query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")), query["sql"]


def test_first_view_of_a_lesson_records_the_opening_once(tree):
    learner = UserFactory()
    client = _signed_in(learner)
    lesson = tree.lessons[1][0]
    _html(client.get(lesson.url))
    first = LessonProgress.objects.get(user=learner, lesson=lesson)
    _html(client.get(lesson.url))
    assert LessonProgress.objects.get(user=learner, lesson=lesson).opened_at == first.opened_at
    assert LessonProgress.objects.filter(user=learner).count() == 1


# --- Invalidation ------------------------------------------------------------------------------------------


def test_publishing_a_lesson_shows_its_new_body_at_once(tree):
    client = _signed_in(UserFactory())
    lesson = tree.lessons[0][0]
    assert "Radikalisering er en proces." in _html(client.get(lesson.url))
    lesson.body = [{"type": "text", "value": "<p>Ny tekst efter udgivelse.</p>"}]
    lesson.save_revision().publish()
    html = _html(client.get(lesson.url))
    assert "Ny tekst efter udgivelse." in html
    assert "Radikalisering er en proces." not in html


def test_module_changes_show_in_the_module_page_and_its_lessons(tree):
    client = _signed_in(UserFactory())
    module, last = tree.modules[0], tree.lessons[0][2]
    client.get(module.url)
    assert 'class="lesson-nav-next"' not in _html(client.get(last.url))

    added = publish_child(
        module, LessonPage(title="Lektion 1.4", slug="lektion-1-4", body=last.body.raw_data)
    )
    module = type(module).objects.get(pk=module.pk)
    module.title = "Modul 1, nyt navn"
    module.save_revision().publish()

    module_html = _html(client.get(module.url))
    assert "Lektion 1.4" in module_html and "0 af 4 lektioner gennemført" in module_html
    lesson_html = _html(client.get(last.url))
    assert f'class="lesson-nav-next" href="{added.url}"' in lesson_html
    assert "Modul 1, nyt navn" in lesson_html  # breadcrumbs and progress label


def test_unpublished_lesson_is_gone_after_it_was_routed_from_the_cache(tree):
    client = _signed_in(UserFactory())
    lesson = tree.lessons[0][0]
    _html(client.get(lesson.url))
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_view_restriction_added_later_applies_to_a_cached_route(tree):
    client = _signed_in(UserFactory())
    lesson = tree.lessons[0][0]
    _html(client.get(lesson.url))
    restriction = PageViewRestriction.objects.create(
        page=tree.course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Kun for udvalgte"))
    assert client.get(lesson.url).status_code == 302  # Wagtail sends the learner to log in as another user


def test_a_changed_practice_scenario_shows_at_once(tree):
    from tests.quizzes.factories import ScenarioFactory

    scenario = ScenarioFactory(title="Scenarie før")
    lesson = tree.lessons[0][0]
    lesson.body = [{"type": "scenario", "value": scenario.pk}]
    lesson.save_revision().publish()
    client = _signed_in(UserFactory())
    assert "Scenarie før" in _html(client.get(lesson.url))
    scenario.title = "Scenarie efter"
    scenario.save()
    assert "Scenarie efter" in _html(client.get(lesson.url))


def test_preview_shows_the_edited_body_and_leaves_the_cache_alone(tree):
    client = _signed_in(UserFactory())
    lesson = tree.lessons[0][0]
    _html(client.get(lesson.url))
    edited = LessonPage.objects.get(pk=lesson.pk)
    edited.body = [{"type": "text", "value": "<p>Kladde, ikke udgivet.</p>"}]
    preview = edited.make_preview_request()
    assert "Kladde, ikke udgivet." in preview.content.decode()
    html = _html(client.get(lesson.url))
    assert "Kladde, ikke udgivet." not in html and "Radikalisering er en proces." in html


# --- Nothing of one learner in another's page -----------------------------------------------------------------


def test_progress_is_never_shown_to_another_learner(tree):
    done = _learner_with_progress(tree)
    fresh = UserFactory()
    lesson, module = tree.lessons[0][0], tree.modules[0]
    fresh_client, done_client = _signed_in(fresh), _signed_in(done)

    fresh_lesson = _html(fresh_client.get(lesson.url))  # fills the caches for the fresh learner
    done_lesson = _html(done_client.get(lesson.url))
    assert "Du har gennemført denne lektion." in done_lesson
    assert "Du har gennemført denne lektion." not in fresh_lesson
    assert "Markér som gennemført" in _html(fresh_client.get(lesson.url))
    assert "2 af 3 lektioner gennemført" in _html(done_client.get(module.url))
    assert "0 af 3 lektioner gennemført" in _html(fresh_client.get(module.url))


def test_restarted_course_counts_only_newer_completions(tree):
    learner = UserFactory()
    lesson = tree.lessons[0][0]
    lesson_complete(user=learner, lesson=lesson, at=_at(0))
    client = _signed_in(learner)
    assert "Du har gennemført denne lektion." in _html(client.get(lesson.url))
    course_restart(user=learner, course=tree.course, at=_at(10))
    html = _html(client.get(lesson.url))
    assert "Du har gennemført denne lektion." not in html
    assert "0 af 3 lektioner gennemført" in html


def test_each_learner_gets_their_own_csrf_token_and_player_token(tree, settings, tmp_path):
    from interactive.services import playback_grant_read
    from tests.interactive.factories import ready_activity
    from tests.quizzes.factories import ScenarioFactory

    settings.H5P_TEMP_DIR = str(tmp_path)
    activity, scenario = ready_activity(), ScenarioFactory()
    lesson = tree.lessons[0][0]
    lesson.body = [{"type": "scenario", "value": scenario.pk}, {"type": "h5p", "value": activity.pk}]
    lesson.save_revision().publish()
    clients = {user: _signed_in(user) for user in (UserFactory(), UserFactory())}
    pages = {
        user: _html(client.get(lesson.url)) for user, client in clients.items()
    }  # the first fills the cache

    practice_url = reverse("quizzes:practice_answer", args=[scenario.pk])
    for user, html in pages.items():
        assert TOKEN_PLACEHOLDER not in html
        assert "Lektionen er gennemført, når du har gennemført aktiviteten ovenfor." in html
        token = PLAY_RE.search(html).group(1).rstrip("/").rsplit("/", 1)[1]
        grant = playback_grant_read(token=token, at=timezone.now())
        assert (grant.user, grant.lesson_page_id) == (user, lesson.pk)
    (first, first_html), (second, second_html) = pages.items()
    # The practice form (the last form on the page) carries the viewer's own CSRF token: accepted for
    # them, refused for the other learner.
    first_token, second_token = TOKEN_RE.findall(first_html)[-1], TOKEN_RE.findall(second_html)[-1]
    answer = {"lesson": lesson.pk}
    assert (
        clients[first].post(practice_url, {**answer, "csrfmiddlewaretoken": first_token}).status_code == 200
    )
    assert (
        clients[first].post(practice_url, {**answer, "csrfmiddlewaretoken": second_token}).status_code == 403
    )
    assert (
        clients[second].post(practice_url, {**answer, "csrfmiddlewaretoken": second_token}).status_code == 200
    )


def test_cached_body_renders_like_include_block(tree, settings, tmp_path):
    """The stored blocks, with the viewer's CSRF token and a live H5P block, equal Wagtail's own rendering."""
    from tests.interactive.factories import ready_activity
    from tests.quizzes.factories import ScenarioFactory

    settings.H5P_TEMP_DIR = str(tmp_path)
    activity, scenario = ready_activity(), ScenarioFactory()
    lesson = tree.lessons[0][0]
    lesson.body = [
        {"type": "text", "value": "<p>Indledning.</p>"},
        {"type": "scenario", "value": scenario.pk},
        {"type": "h5p", "value": activity.pk},
        {
            "type": "callout",
            "value": {"kind": "remember", "title": "Husk", "text": "<p>Tal med din leder.</p>"},
        },
    ]
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    request = RequestFactory().get(lesson.url)
    request.user = UserFactory()
    request.is_preview = False

    cached = str(
        lesson_body_html(body=lesson_body(lesson=lesson, request=request), lesson=lesson, request=request)
    )
    template = engines["django"].from_string("{% load wagtailcore_tags %}{% include_block page.body %}")
    expected = template.render({"page": lesson, "request": request}, request)

    def normalise(html: str) -> str:
        html = TOKEN_RE.sub('name="csrfmiddlewaretoken" value="T"', html)
        return re.sub(r"/h5p/play/[^\"]+", "/h5p/play/P/", html)

    assert normalise(cached) == normalise(expected)
    assert "Tal med din leder." in cached and "<iframe" in cached


# --- Sessions ----------------------------------------------------------------------------------------------------


def test_sessions_are_cached_with_a_shared_cache_only():
    probe = "import django; from django.conf import settings; django.setup(); print(settings.SESSION_ENGINE)"

    def engine(**env: str) -> str:
        clean = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
        }
        clean.update(DJANGO_SETTINGS_MODULE="learning.settings.production", SECRET_KEY="x" * 50, **env)
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
        )
        return out.stdout.strip().splitlines()[-1]

    assert engine(REDIS_URL="redis://redis.internal:6379/0") == CACHED_DB
    # Per-process memory would keep a session alive in one process after it ended in another.
    assert engine() == "django.contrib.sessions.backends.db"


def test_cached_sessions_still_end_on_password_change_and_idle_timeout(tree, settings, roles):
    from learning.sessions import SESSION_SEEN_KEY
    from tests.security.helpers import is_logged_in, login

    settings.SESSION_ENGINE = CACHED_DB
    user = UserFactory()
    mine, other = Client(), Client()
    login(mine, user)
    login(other, user)
    assert other.get(reverse("dashboard")).status_code == 200
    new_password = "Helt-Nyt-Kodeord-2026"
    response = mine.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert mine.get(reverse("dashboard")).status_code == 200
    assert other.get(reverse("dashboard")).status_code == 302  # ended in the cache too, not only the table

    session = mine.session
    session[SESSION_SEEN_KEY] = int(timezone.now().timestamp()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    assert mine.get(tree.lessons[0][0].url).status_code == 302
    assert not is_logged_in(mine)


def test_page_queries_do_not_depend_on_the_amount_of_progress(tree, settings):
    """One progress query whatever the learner did in other modules and courses."""
    settings.SESSION_ENGINE = CACHED_DB
    learner = _learner_with_progress(tree)
    for lesson in tree.lessons[1]:
        lesson_complete(user=learner, lesson=lesson, at=_at(20))
    client = _signed_in(learner)
    lesson = tree.lessons[0][2]
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        html = _html(client.get(lesson.url))
    progress_queries = [q for q in queries.captured_queries if "courses_lessonprogress" in q["sql"]]
    assert len(progress_queries) == 1
    assert "2 af 3 lektioner gennemført" in html
