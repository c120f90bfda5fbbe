"""The learner's views: login required, clear Danish form errors, never a 500 on garbage input."""

import pytest
from django.urls import reverse

from courses.models import LessonPage
from quizzes.models import QuizAnswer, QuizAttempt
from quizzes.services import module_quiz_passed
from tests.courses.factories import publish_child
from tests.factories import TEST_PASSWORD

from .helpers import right_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, learner):
    client.login(email=learner.email, password=TEST_PASSWORD)
    return client


def open_attempt(client_in, quiz_tree):
    response = client_in.get(quiz_tree.quiz.url)
    assert response.status_code == 200
    return response.context["attempt"]


def test_login_required(client, quiz_tree):
    for url in (quiz_tree.quiz.url, quiz_tree.final.url, reverse("quizzes:insight")):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"], url
    response = client.post(
        reverse("quizzes:practice_answer", args=[quiz_tree.scenarios[0].pk]), {"lesson": "1"}
    )
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_the_quiz_form_has_fieldsets_with_legends_and_danish_labels(client_in, quiz_tree):
    html = client_in.get(quiz_tree.quiz.url).content.decode()
    assert html.count("<legend") == 2 * len(quiz_tree.scenarios)
    assert "Hvad gør du først?" in html and "Ring til politiet på 114" in html
    for scenario in quiz_tree.scenarios:
        assert scenario.title in html
    assert 'type="radio"' in html and 'type="checkbox"' in html


def test_level_and_urgency_questions_appear_when_asked(client_in, quiz_tree):
    scenario = quiz_tree.scenarios[0]
    scenario.ask_level = scenario.ask_urgency = True
    scenario.save()
    html = client_in.get(quiz_tree.quiz.url).content.decode()
    assert "Hvilket forebyggelsesniveau er sagen på?" in html
    assert "Specifik (foregribende) forebyggelse" in html and "Ikke akut" in html


def test_missing_first_action_gets_a_danish_error_and_keeps_the_other_answers(client_in, quiz_tree):
    attempt = open_attempt(client_in, quiz_tree)
    data = {"attempt": attempt.pk}
    for scenario in quiz_tree.scenarios[1:]:
        data.update(right_post(scenario))
    first = quiz_tree.scenarios[0]
    data[f"q{first.pk}-actions"] = ["local_prevention_unit"]
    response = client_in.post(quiz_tree.quiz.url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vælg, hvad du vil gøre først." in html
    assert f'href="#id_q{first.pk}-first_action"' in html  # the error summary links to the question
    assert 'value="local_prevention_unit" checked' in html
    second = quiz_tree.scenarios[1]
    assert f'id="id_q{second.pk}-first_action_0"' in html
    assert 'value="police_112" checked' in html  # the other question's answer is not lost
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not QuizAnswer.objects.exists()


def test_unknown_action_code_gets_a_clear_danish_error(client_in, quiz_tree):
    attempt = open_attempt(client_in, quiz_tree)
    data = {"attempt": attempt.pk}
    for scenario in quiz_tree.scenarios:
        data.update(right_post(scenario))
    first = quiz_tree.scenarios[0]
    data[f"q{first.pk}-first_action"] = "ring_til_mor"
    data[f"q{quiz_tree.scenarios[1].pk}-actions"] = ["hack"]
    html = client_in.post(quiz_tree.quiz.url, data).content.decode()
    assert "»ring_til_mor« er ikke en af handlingerne på listen. Vælg en af de viste handlinger." in html
    assert "»hack« er ikke en af handlingerne på listen." in html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"attempt": "abc"},
        {"attempt": "99999999999999999999999"},
        {"attempt": "-1", "q1-first_action": "police_112"},
        {"attempt": ["1", "2"], "x" * 300: "y" * 5000},
    ],
)
def test_garbage_post_never_500(client_in, quiz_tree, data):
    response = client_in.post(quiz_tree.quiz.url, data)
    assert response.status_code in (200, 302)
    response = client_in.get(quiz_tree.quiz.url + "?resultat=abc")
    assert response.status_code == 404


def test_someone_elses_attempt_cannot_be_submitted_or_seen(client_in, quiz_tree, django_user_model):
    from tests.factories import UserFactory

    other = UserFactory()
    other_attempt = QuizAttempt.objects.create(
        user=other,
        page=quiz_tree.quiz,
        kind="module",
        scenario_ids=[quiz_tree.scenarios[0].pk],
        started_at="2026-03-02T10:00Z",
    )
    data = {"attempt": other_attempt.pk, **right_post(quiz_tree.scenarios[0])}
    assert client_in.post(quiz_tree.quiz.url, data).status_code == 302
    other_attempt.refresh_from_db()
    assert other_attempt.submitted_at is None
    assert client_in.get(f"{quiz_tree.quiz.url}?resultat={other_attempt.pk}").status_code == 404


def test_submitting_shows_graded_feedback_and_allows_a_retry(client_in, quiz_tree):
    attempt = open_attempt(client_in, quiz_tree)
    data = {"attempt": attempt.pk}
    for scenario in quiz_tree.scenarios:
        data.update(right_post(scenario))
    first = quiz_tree.scenarios[0]
    data[f"q{first.pk}-first_action"] = "observe_and_discuss"
    data[f"q{first.pk}-actions"] = []
    response = client_in.post(quiz_tree.quiz.url, data)
    assert response.status_code == 302 and response["Location"].endswith(f"?resultat={attempt.pk}")
    html = client_in.get(response["Location"]).content.decode()
    assert "Ikke bestået" in html
    assert "Kritisk fejl" in html and "Du har ikke underrettet kommunen om barnet" in html
    assert "Du valgte »Observér og drøft« som det første skridt" in html
    assert "Barnets Lov § 133 (offentligt ansattes skærpede underretningspligt)" in html
    assert "R2-notify-child" in html and "003 §1.3" in html
    assert "Prøv igen" in html
    retry = client_in.get(quiz_tree.quiz.url)
    assert retry.context["attempt"].pk != attempt.pk
    assert QuizAttempt.objects.filter(page=quiz_tree.quiz).count() == 2


def test_practice_question_in_a_lesson_gives_immediate_feedback_and_does_not_gate(
    client_in, learner, quiz_tree
):
    scenario = quiz_tree.scenarios[0]
    lesson = publish_child(
        quiz_tree.module,
        LessonPage(title="Øvelseslektion", slug="oevelse", body=[{"type": "scenario", "value": scenario.pk}]),
    )
    html = client_in.get(lesson.url).content.decode()
    assert reverse("quizzes:practice_answer", args=[scenario.pk]) in html
    assert f'name="lesson" value="{lesson.pk}"' in html
    url = reverse("quizzes:practice_answer", args=[scenario.pk])
    response = client_in.post(url, {"lesson": lesson.pk, **right_post(scenario)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Helt rigtigt" in html and "skærpet underretningspligt" in html
    attempt = QuizAttempt.objects.get(user=learner, kind="practice")
    assert attempt.page_id == lesson.pk and attempt.passed and attempt.answers.count() == 1
    assert not module_quiz_passed(learner, quiz_tree.module)
    # A missing answer and an unknown lesson are handled, never a 500.
    assert "Vælg, hvad du vil gøre først." in client_in.post(url, {"lesson": lesson.pk}).content.decode()
    assert client_in.post(url, {"lesson": "xyz"}).status_code == 404
    assert (
        client_in.post(reverse("quizzes:practice_answer", args=[987654]), {"lesson": lesson.pk}).status_code
        == 404
    )


def test_scoring_help_explains_partial_credit(client):
    html = client.get(reverse("quizzes:scoring_help")).content.decode()
    assert "Sådan gives point i scenarieopgaverne" in html
    assert "(2 rigtige − 1 forkert) / 3 = 33 %" in html
    assert "mindst 80 %" in html
