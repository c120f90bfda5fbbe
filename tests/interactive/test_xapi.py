"""The xAPI endpoint: authorised by the signed token, actor ignored, body capped, JSON checked, and
completion kept apart from scores."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseCompletion, LessonProgress
from interactive import services
from interactive.models import H5PActivity, H5PActivityCompletion, XAPIStatement
from interactive.services import playback_token_create
from tests.courses.factories import build_tree
from tests.factories import UserFactory

from .factories import ready_activity

pytestmark = pytest.mark.django_db

VERBS = "http://adlnet.gov/expapi/verbs/"
CALLS: list[dict] = []


def record_lesson_complete(*, user, lesson, at):
    CALLS.append({"user": user, "lesson": lesson, "at": at})


@pytest.fixture
def recorder(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(services, "LESSON_COMPLETE_SERVICE", f"{__name__}.record_lesson_complete")
    return CALLS


@pytest.fixture
def setup():
    activity = ready_activity()
    tree = build_tree(modules=1, lessons=2)
    lesson = tree.lessons[0][0]
    lesson.body = [{"type": "h5p", "value": activity.pk}]
    lesson.save_revision().publish()
    learner = UserFactory()
    token = playback_token_create(
        activity=activity, user=learner, lesson_page_id=lesson.pk, at=timezone.now()
    )
    return {
        "activity": activity,
        "lesson": lesson,
        "learner": learner,
        "tree": tree,
        "url": reverse("interactive:xapi", kwargs={"token": token}),
    }


def statement(verb: str = "answered", *, success=None, scaled=None, sid: str | None = None, **extra) -> dict:
    body: dict = {
        "id": sid or str(uuid.uuid4()),
        "actor": {"mbox": "mailto:nogen.andre@example.org", "objectType": "Agent"},
        "verb": {"id": VERBS + verb, "display": {"en-US": verb}},
        "object": {"id": "http://localhost/h5p/1", "objectType": "Activity"},
    }
    result: dict = {}
    if success is not None:
        result["success"] = success
    if scaled is not None:
        result["score"] = {"min": 0, "max": 1, "raw": scaled, "scaled": scaled}
    if result:
        body["result"] = result
    body.update(extra)
    return body


def post(url: str, body, *, client: Client | None = None):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    # enforce_csrf_checks: the endpoint must work without a CSRF token, as the sandboxed frame has none.
    return (client or Client(enforce_csrf_checks=True)).post(url, data=data, content_type="application/json")


def test_statement_is_recorded_for_the_token_user_and_the_actor_is_ignored(setup, recorder):
    response = post(setup["url"], statement("answered", success=False, scaled=0.0))
    assert response.status_code == 201
    row = XAPIStatement.objects.get()
    assert row.user == setup["learner"]
    assert row.activity == setup["activity"]
    assert row.lesson_page_id == setup["lesson"].pk
    assert row.verb == VERBS + "answered"
    assert row.success is False
    assert row.score_scaled == 0.0
    assert "actor" not in row.raw
    assert "nogen.andre" not in json.dumps(row.raw)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_body_over_64_kb_is_refused_with_413(setup, recorder):
    big = statement("answered", success=True, padding="x" * (64 * 1024))
    response = post(setup["url"], big)
    assert response.status_code == 413
    assert "for stort" in response.json()["error"]
    assert not XAPIStatement.objects.exists()
    assert recorder == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{ikke json", "ikke gyldig JSON"),
        (b"\xff\xfe", "ikke gyldig JSON"),
        ("[1, 2]", "JSON-objekt"),
        ({"verb": "answered"}, "verbum"),
        ({"verb": {"id": VERBS + "answered"}, "result": {"success": "true"}}, "true eller false"),
        ({"verb": {"id": VERBS + "answered"}, "result": {"score": {"scaled": 7}}}, "mellem -1 og 1"),
        ({"verb": {"id": VERBS + "answered"}, "result": []}, "result"),
    ],
)
def test_invalid_statement_gets_400_with_clear_message(setup, recorder, body, message):
    response = post(setup["url"], body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not XAPIStatement.objects.exists()


def test_expired_or_tampered_token_gets_403(setup, recorder):
    old = playback_token_create(
        activity=setup["activity"],
        user=setup["learner"],
        lesson_page_id=setup["lesson"].pk,
        at=timezone.now() - timezone.timedelta(hours=5),
    )
    for url in (reverse("interactive:xapi", kwargs={"token": old}), setup["url"][:-3] + "zz/"):
        response = post(url, statement("completed", success=True))
        assert response.status_code == 403
        assert "udløbet eller ugyldigt" in response.json()["error"]
    assert not XAPIStatement.objects.exists()


def test_preflight_allows_the_opaque_origin_to_post_json(setup):
    response = Client().options(setup["url"], HTTP_ORIGIN="null", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" in response["Access-Control-Allow-Headers"]
    assert Client().get(setup["url"]).status_code == 405


def test_successful_answer_completes_the_lesson_once(setup, recorder):
    assert post(setup["url"], statement("answered", success=True, scaled=1.0)).json() == {
        "recorded": True,
        "lesson_completed": True,
    }
    assert len(recorder) == 1
    assert recorder[0]["user"] == setup["learner"]
    assert recorder[0]["lesson"] == setup["lesson"]
    assert type(recorder[0]["lesson"]).__name__ == "LessonPage"
    # A second successful statement (the player's "completed") does not complete it again.
    assert post(setup["url"], statement("completed", success=True, scaled=1.0)).status_code == 201
    assert len(recorder) == 1
    assert H5PActivityCompletion.objects.get().lesson_notified_at is not None


def test_the_same_statement_sent_twice_is_recorded_once(setup, recorder):
    body = statement("completed", success=True, scaled=1.0)
    assert post(setup["url"], body).status_code == 201
    again = post(setup["url"], body)
    assert again.status_code == 200
    assert again.json() == {"recorded": False, "lesson_completed": False}
    assert XAPIStatement.objects.count() == 1
    assert len(recorder) == 1


@pytest.mark.parametrize(
    "body",
    [
        statement("scored", scaled=1.0),
        statement("progressed", scaled=1.0),
        statement("answered", success=False, scaled=1.0),
        statement("completed", scaled=1.0),
        statement("attempted", success=True, scaled=1.0),
        # A sub-question inside a compound activity never completes the whole activity.
        statement(
            "answered",
            success=True,
            scaled=1.0,
            context={"contextActivities": {"parent": [{"id": "http://localhost/h5p/1"}]}},
        ),
    ],
)
def test_a_score_alone_completes_nothing(setup, recorder, body):
    assert post(setup["url"], body).status_code == 201
    assert recorder == []
    assert not H5PActivityCompletion.objects.exists()


def test_real_lesson_completion_but_never_the_course(setup):
    lesson, learner = setup["lesson"], setup["learner"]
    for verb in ("scored", "progressed"):
        post(setup["url"], statement(verb, scaled=1.0))
    assert not LessonProgress.objects.filter(user=learner, completed_at__isnull=False).exists()
    post(setup["url"], statement("answered", success=True, scaled=1.0))
    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.completed_at is not None
    # Only this lesson: the course is gated by the quizzes' final assessment, not by H5P scores.
    assert not LessonProgress.objects.filter(
        user=learner, lesson=setup["tree"].lessons[0][1], completed_at__isnull=False
    ).exists()
    assert not CourseCompletion.objects.filter(user=learner).exists()


def test_completion_waits_while_lesson_complete_is_unavailable(setup, recorder, monkeypatch):
    monkeypatch.setattr(services, "LESSON_COMPLETE_SERVICE", "courses.services.findes_ikke")
    response = post(setup["url"], statement("answered", success=True))
    assert response.json() == {"recorded": True, "lesson_completed": False}
    assert H5PActivityCompletion.objects.get().lesson_notified_at is None
    monkeypatch.setattr(services, "LESSON_COMPLETE_SERVICE", f"{__name__}.record_lesson_complete")
    assert post(setup["url"], statement("completed", success=True)).json()["lesson_completed"] is True
    assert len(recorder) == 1


def test_without_a_lesson_the_statement_is_kept_but_completes_nothing(setup, recorder):
    token = playback_token_create(
        activity=setup["activity"], user=setup["learner"], lesson_page_id=None, at=timezone.now()
    )
    response = post(reverse("interactive:xapi", kwargs={"token": token}), statement("answered", success=True))
    assert response.status_code == 201
    assert XAPIStatement.objects.get().lesson_page_id is None
    assert recorder == []


# --- The ingest is one INSERT; the grant is still checked -------------------------------------------------


def test_an_ordinary_statement_is_one_insert_for_the_whole_request(
    setup, recorder, django_assert_max_num_queries
):
    # No look-up of the activity or the learner, no duplicate SELECT, no savepoint: the INSERT checks the
    # grant and the statement id itself. The middleware reads no session (the player sends no cookie).
    with django_assert_max_num_queries(1):
        response = post(setup["url"], statement("answered", success=False, scaled=0.0))
    assert response.status_code == 201
    row = XAPIStatement.objects.get()
    assert (row.user, row.activity, row.lesson_page_id) == (
        setup["learner"],
        setup["activity"],
        setup["lesson"].pk,
    )


def test_a_completing_statement_stays_within_a_few_queries(setup, recorder, django_assert_max_num_queries):
    # The INSERT and the completion in one transaction: the completion row (get_or_create), the learner
    # and the lesson page for lesson_complete, the completion marked notified (plus savepoints here).
    with django_assert_max_num_queries(13):
        response = post(setup["url"], statement("answered", success=True, scaled=1.0))
    assert response.json() == {"recorded": True, "lesson_completed": True}
    assert len(recorder) == 1 and recorder[0]["user"] == setup["learner"]


def test_the_session_cookie_of_somebody_else_changes_nothing(setup, recorder):
    # request.user is never read: the statement belongs to the learner the signed token names.
    someone = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(someone)
    assert post(setup["url"], statement("answered", success=False), client=client).status_code == 201
    assert XAPIStatement.objects.get().user == setup["learner"]


def test_a_grant_that_no_longer_holds_records_nothing(setup, recorder):
    body = statement("answered", success=True, scaled=1.0)
    setup["activity"].status = H5PActivity.Status.PENDING  # the editor uploaded a new package
    setup["activity"].save(update_fields=["status"])
    response = post(setup["url"], body)
    assert response.status_code == 403 and "udløbet eller ugyldigt" in response.json()["error"]
    setup["activity"].status = H5PActivity.Status.READY
    setup["activity"].save(update_fields=["status"])
    learner = setup["learner"]
    learner.is_active = False
    learner.save(update_fields=["is_active"])
    assert post(setup["url"], body).status_code == 403
    learner.delete()
    assert post(setup["url"], body).status_code == 403
    assert not XAPIStatement.objects.exists() and recorder == []


def test_a_statement_sent_again_after_the_learner_was_deactivated_is_refused(setup, recorder):
    body = statement("progressed", scaled=0.5)
    assert post(setup["url"], body).status_code == 201
    setup["learner"].is_active = False
    setup["learner"].save(update_fields=["is_active"])
    assert post(setup["url"], body).status_code == 403
    assert XAPIStatement.objects.count() == 1


def test_statements_without_an_id_are_each_recorded(setup, recorder):
    body = statement("progressed", scaled=0.5)
    del body["id"]
    assert post(setup["url"], body).status_code == 201
    assert post(setup["url"], body).status_code == 201
    assert XAPIStatement.objects.filter(statement_uuid__isnull=True).count() == 2
