"""The practice form in a lesson, enhanced with htmx: the answer comes back as the feedback fragment (Danish,
focus moved to it), the form still works without JavaScript, and grading reads one municipality's
directory in a fixed number of queries."""

import copy
import json
import re

import pytest
from django.urls import reverse
from wagtail.models import Locale

from courses.models import LessonPage
from learning.directory import directory_current, directory_for_municipality, directory_import
from learning.rules.directory import DEFAULT_DIRECTORY_PATH
from quizzes.models import QuizAnswer, QuizAttempt
from quizzes.services import scenario_decision
from tests.courses.factories import publish_child
from tests.factories import TEST_PASSWORD

from .helpers import ON, right_post

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def client_in(client, learner):
    client.login(email=learner.email, password=TEST_PASSWORD)
    return client


@pytest.fixture
def scenario(quiz_tree):
    return quiz_tree.scenarios[0]


@pytest.fixture
def lesson(quiz_tree, scenario):
    return publish_child(
        quiz_tree.module,
        LessonPage(title="Øvelseslektion", slug="oevelse", body=[{"type": "scenario", "value": scenario.pk}]),
    )


def practice_url(scenario) -> str:
    return reverse("quizzes:practice_answer", args=[scenario.pk])


def shipped_directory() -> dict:
    return json.loads(DEFAULT_DIRECTORY_PATH.read_text(encoding="utf-8"))


def test_the_lesson_form_is_enhanced_and_still_posts_without_javascript(
    client_in, lesson, scenario, quiz_tree
):
    html = client_in.get(lesson.url).content.decode()
    url = practice_url(scenario)
    form = re.search(r"<form [^>]*>", html[html.index(f'id="oevelse-{scenario.pk}-svar"') :]).group(0)
    # A plain form (method, action) that htmx takes over: it swaps the answer region in place.
    assert 'method="post"' in form and f'action="{url}"' in form
    assert f'hx-post="{url}"' in form and f'hx-target="#oevelse-{scenario.pk}-svar"' in form
    assert 'hx-swap="outerHTML"' in form
    assert f'name="lesson" value="{lesson.pk}"' in html and 'name="csrfmiddlewaretoken"' in html
    # htmx (our own copy, deferred) and the quiz styles are loaded once, in the head.
    head = html[: html.index("</head>")]
    assert head.count("htmx/htmx.min.js") == 1 and "css/quizzes.css" in head
    assert '"allowEval": false' in head
    # A lesson without a practice scenario loads neither.
    plain = publish_child(
        quiz_tree.module,
        LessonPage(title="Tekst", slug="tekst", body=[{"type": "text", "value": "<p>Hej</p>"}]),
    )
    other = client_in.get(plain.url).content.decode()
    assert "htmx.min.js" not in other and "quizzes.css" not in other


def test_htmx_answer_gets_only_the_feedback_fragment_in_danish_with_focus_on_it(
    client_in, learner, lesson, scenario
):
    response = client_in.post(
        practice_url(scenario), {"lesson": lesson.pk, **right_post(scenario)}, headers=HX
    )
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    # Only the answer region that replaces the form: no site shell around it.
    assert html.lstrip().startswith(f'<div class="quiz-practice-answer" id="oevelse-{scenario.pk}-svar">')
    assert "<html" not in html and "<header" not in html and "<form" not in html
    assert "Din feedback" in html and "Helt rigtigt" in html and "skærpet underretningspligt" in html
    assert "Hvorfor? Reglernes begrundelse" in html
    # Focus moves to the feedback (htmx focuses the [autofocus] element it swapped in): a focusable heading
    # that names the feedback section.
    heading = re.search(rf'<h3 id="oevelse-{scenario.pk}-feedback"([^>]*)>Din feedback</h3>', html)
    assert heading and 'tabindex="-1"' in heading.group(1) and "autofocus" in heading.group(1)
    assert (
        f'<section class="quiz-practice-feedback" aria-labelledby="oevelse-{scenario.pk}-feedback">' in html
    )
    # "Prøv igen" works as a link without JavaScript and swaps a fresh form in with it.
    retry = f"{practice_url(scenario)}?lektion={lesson.pk}"
    assert f'href="{retry}"' in html and f'hx-get="{retry}"' in html
    # Graded and stored exactly as without JavaScript.
    attempt = QuizAttempt.objects.get(user=learner, kind="practice")
    assert attempt.page_id == lesson.pk and attempt.passed and attempt.answers.count() == 1


def test_htmx_answer_with_a_missing_part_gets_the_form_back_with_a_focused_error_summary(
    client_in, lesson, scenario
):
    data = {"lesson": lesson.pk, f"q{scenario.pk}-actions": ["local_prevention_unit"]}
    html = client_in.post(practice_url(scenario), data, headers=HX).content.decode()
    assert html.lstrip().startswith(f'<div class="quiz-practice-answer" id="oevelse-{scenario.pk}-svar">')
    summary = re.search(r'<div class="alert alert-error quiz-error-summary"([^>]*)>', html)
    assert summary and 'role="alert"' in summary.group(1) and "autofocus" in summary.group(1)
    assert "Der mangler noget i dine svar" in html and "Vælg, hvad du vil gøre først." in html
    assert f'href="#id_q{scenario.pk}-first_action"' in html
    assert 'value="local_prevention_unit" checked' in html  # the answer given is kept
    assert f'hx-post="{practice_url(scenario)}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert not QuizAnswer.objects.exists()


def test_try_again_fetches_a_fresh_form_with_focus_on_it(client_in, lesson, scenario):
    response = client_in.get(f"{practice_url(scenario)}?lektion={lesson.pk}", headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    form = re.search(r"<form [^>]*>", html).group(0)
    assert 'tabindex="-1"' in form and "autofocus" in form
    # Named by the scenario's heading in the lesson ("Øv dig: …").
    assert f'aria-labelledby="practice-{scenario.pk}"' in form
    assert "Hvad gør du først?" in html and "<html" not in html and "quiz-error-summary" not in html


def test_without_htmx_the_answer_still_gets_the_whole_practice_page(client_in, lesson, scenario):
    response = client_in.post(practice_url(scenario), {"lesson": lesson.pk, **right_post(scenario)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'class="site-nav"' in html and "Tilbage til lektionen" in html
    assert "Din feedback" in html and "Helt rigtigt" in html
    assert "autofocus" not in html


def test_signed_out_htmx_answer_sends_the_whole_page_to_the_login(client, lesson, scenario):
    response = client.post(practice_url(scenario), {"lesson": lesson.pk, **right_post(scenario)}, headers=HX)
    # htmx would follow a 302 and put the login page inside the lesson; HX-Redirect navigates the page.
    assert response.status_code == 204
    # After signing in, the learner lands on this practice page with its lesson (a GET that shows the form).
    assert response["HX-Redirect"] == f"/konto/login/?next={practice_url(scenario)}%3Flektion%3D{lesson.pk}"
    assert not QuizAttempt.objects.exists()


def test_grading_an_answer_takes_a_fixed_number_of_queries_whatever_the_directory(
    client_in, lesson, scenario, django_assert_max_num_queries
):
    data = shipped_directory()
    koege = next(m for m in data["municipalities"] if m["slug"] == "koege")
    for n in range(40):  # a national directory: many municipalities, each with its contacts
        extra = copy.deepcopy(koege)
        extra.update(slug=f"kommune-{n:02d}", name=f"Kommune {n:02d}")
        data["municipalities"].append(extra)
    directory_import(data=data)
    body = {"lesson": lesson.pk, **right_post(scenario)}
    client_in.get(lesson.url)  # the first request after login lists the session among the user's sessions
    # session (from the cache in production), user, roles; the scenario with its municipality; the lesson;
    # the municipality's contact points; the attempt and its answer (in a savepoint here: the test runs in a
    # transaction). Before: the whole directory (all municipalities, all contacts) and the whole page.
    with django_assert_max_num_queries(10):
        response = client_in.post(practice_url(scenario), body, headers=HX)
    assert response.status_code == 200 and "Helt rigtigt" in response.content.decode()


def test_one_municipality_routes_like_the_whole_directory(scenarios):
    directory_import(data=shipped_directory())
    whole = directory_current()
    for scenario in scenarios:
        alone = directory_for_municipality(municipality_id=scenario.municipality_id)
        assert alone.slugs == (scenario.municipality.slug,)
        assert scenario_decision(scenario=scenario, on=ON, directory=alone) == scenario_decision(
            scenario=scenario, on=ON, directory=whole
        )


def test_an_answer_from_the_english_lesson_is_recorded_on_the_danish_page(
    client_in, learner, lesson, scenario
):
    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = lesson.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    response = client_in.post(
        practice_url(scenario), {"lesson": translated.pk, **right_post(scenario)}, headers=HX
    )
    assert response.status_code == 200
    assert QuizAttempt.objects.get(user=learner).page_id == lesson.pk


def test_a_lesson_that_is_not_live_is_not_found(client_in, lesson, scenario):
    lesson.unpublish()
    for headers in ({}, HX):
        response = client_in.post(
            practice_url(scenario), {"lesson": lesson.pk, **right_post(scenario)}, headers=headers
        )
        assert response.status_code == 404
    assert not QuizAttempt.objects.exists()
