"""Insight: aggregate only, hidden below five learners, scoped to the coordinator's municipality."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.roles import Role
from quizzes.services import AnswerInput, quiz_attempt_open, quiz_attempt_submit, scenario_insight
from tests.factories import TEST_PASSWORD, UserFactory

from .factories import municipality
from .helpers import ON, right_answer

AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
pytestmark = pytest.mark.django_db


def answer_as(user, quiz_tree, wrong: bool) -> None:
    attempt = quiz_attempt_open(user=user, page=quiz_tree.quiz, seed=0, at=AT)
    answers = {s.pk: right_answer(s) for s in quiz_tree.scenarios}
    if wrong:
        answers[quiz_tree.scenarios[0].pk] = AnswerInput("observe_and_discuss")
    quiz_attempt_submit(attempt=attempt, answers=answers, on=ON, at=AT)


@pytest.fixture
def answered(roles, quiz_tree):
    koege, ishoej = municipality("koege"), municipality("ishoej")
    for index in range(5):
        answer_as(UserFactory(municipality=koege, roles={Role.LEARNER}), quiz_tree, wrong=index < 2)
    for _ in range(4):
        answer_as(UserFactory(municipality=ishoej, roles={Role.LEARNER}), quiz_tree, wrong=True)
    return quiz_tree


def test_insight_is_hidden_below_five_learners_and_scoped_to_the_municipality(answered):
    scenario = answered.scenarios[0]
    assert scenario_insight(scenario=scenario, municipality=municipality("ishoej")) is None  # 4 learners
    koege = scenario_insight(scenario=scenario, municipality=municipality("koege"), on=ON)
    assert koege.learners == 5 and koege.answers == 5
    shares = {row.code: (row.percent, row.is_key) for row in koege.first_actions}
    assert shares == {"notify_children_services": (60, True), "observe_and_discuss": (40, False)}
    assert [(row.code, row.percent) for row in koege.critical_errors] == [("missed_notification", 40)]
    everyone = scenario_insight(scenario=scenario)
    assert everyone.learners == 9
    assert {row.code: row.percent for row in everyone.first_actions}["observe_and_discuss"] == round(
        100 * 6 / 9
    )


def test_coordinators_see_only_their_own_municipality(client, answered):
    coordinator = UserFactory(municipality=municipality("koege"), roles={Role.COORDINATOR})
    client.login(email=coordinator.email, password=TEST_PASSWORD)
    response = client.get(reverse("quizzes:insight"))
    assert response.status_code == 302 and response["Location"].endswith("/quiz/indsigt/koege/")
    html = client.get(response["Location"]).content.decode()
    assert "Køge Kommune" in html and "60 %" in html and "5 medarbejdere" in html
    assert "For få besvarelser til at vise tal" not in html or html.count("For få besvarelser") < 3
    assert client.get(reverse("quizzes:insight_municipality", args=["ishoej"])).status_code == 404

    ishoej_coordinator = UserFactory(municipality=municipality("ishoej"), roles={Role.COORDINATOR})
    client.login(email=ishoej_coordinator.email, password=TEST_PASSWORD)
    html = client.get(reverse("quizzes:insight_municipality", args=["ishoej"])).content.decode()
    assert html.count("For få besvarelser til at vise tal") == len(answered.scenarios)
    assert "%" not in html.split("<h1", 1)[1].split("</main>")[0].replace("(der vises", "")


def test_learners_are_refused_the_insight(client, answered):
    learner = UserFactory(municipality=municipality("koege"), roles={Role.LEARNER})
    client.login(email=learner.email, password=TEST_PASSWORD)
    assert client.get(reverse("quizzes:insight")).status_code == 403
    assert client.get(reverse("quizzes:insight_municipality", args=["koege"])).status_code == 403


def test_editors_see_all_municipalities_in_the_admin_report(client, answered):
    editor = UserFactory(municipality=municipality("roedovre"), roles={Role.EDITOR})
    client.login(email=editor.email, password=TEST_PASSWORD)
    response = client.get(reverse("quizzes_admin_insight"))
    assert response.status_code == 200
    assert "9 medarbejdere" in response.content.decode()
