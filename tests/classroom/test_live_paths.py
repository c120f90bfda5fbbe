"""The classroom's hot paths stay cheap and correct: the poll shortcut, the projector's 204, the shared
renders with each pupil's own CSRF token, the query budgets and the vote's single guarded INSERT."""

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from classroom import views
from classroom.middleware import POLL_PATH
from classroom.models import StepResult, Vote
from classroom.services import TeacherAction, VoteOutcome, pupil_seat, session_apply, vote_cast
from classroom.views import participant_cookie_name
from learning.roles import Role
from tests.factories import UserFactory

from .factories import first_step_of, join, make_teacher, start_session

pytestmark = pytest.mark.django_db

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def session():
    return start_session(at=timezone.now(), teacher=make_teacher())


@pytest.fixture
def voting(session):
    target = first_step_of(session, "dilemma")
    while session.current_step < target:
        session = session_apply(session=session, action=TeacherAction.NEXT, at=timezone.now())
    return session_apply(session=session, action=TeacherAction.OPEN_VOTING, at=timezone.now())


def joined(session) -> Client:
    pupil = Client(enforce_csrf_checks=True)
    page = pupil.get(reverse("classroom_pupil:join"), {"kode": session.join_code})
    token = CSRF_RE.search(page.content.decode()).group(1)
    response = pupil.post(reverse("classroom_pupil:join"), {"code": session.join_code, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    return pupil


def poll_url(session) -> str:
    return reverse("classroom_pupil:poll", args=[session.public_id])


def vote_url(session) -> str:
    return reverse("classroom_pupil:vote", args=[session.public_id])


def test_the_shortcut_pattern_is_the_poll_url_in_every_language():
    public_id = uuid.uuid4()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            assert POLL_PATH.match(reverse("classroom_pupil:poll", args=[public_id])), language
            assert not POLL_PATH.match(reverse("classroom_pupil:vote", args=[public_id]))
            assert not POLL_PATH.match(reverse("classroom_pupil:session", args=[public_id]))


def test_an_unchanged_poll_is_answered_before_the_rest_of_the_stack(voting, django_assert_num_queries):
    pupil = joined(voting)
    changed = pupil.get(poll_url(voting), {"v": "0"})
    version = changed["X-Classroom-Version"]
    with django_assert_num_queries(0):
        same = pupil.get(poll_url(voting), {"v": version})
    assert same.status_code == 204 and same.content == b""
    assert same["Cache-Control"] == "no-store" and same["Referrer-Policy"] == "same-origin"
    assert same["X-Content-Type-Options"] == "nosniff"  # the security middleware before it still ran
    assert "Content-Language" not in same and "X-Frame-Options" not in same  # locale and the rest did not
    assert not same.cookies  # no session, CSRF or language cookie written


def test_a_forged_cookie_or_a_stale_version_goes_on_to_the_view(voting):
    pupil = joined(voting)
    version = pupil.get(poll_url(voting), {"v": "0"})["X-Classroom-Version"]
    forged = Client()
    forged.cookies[participant_cookie_name(voting.public_id)] = "not-a-signed-token"
    refused = forged.get(poll_url(voting), {"v": version})
    assert refused.status_code == 403 and "Content-Language" in refused
    session_apply(session=voting, action=TeacherAction.CLOSE_VOTING, at=timezone.now())
    stale = pupil.get(poll_url(voting), {"v": version})
    assert stale.status_code == 200 and stale["X-Classroom-Version"] != version
    assert "classroom-vote-button" not in stale.content.decode()


def test_the_projectors_204_is_only_for_the_sessions_own_teacher(client, voting, roles):
    url = reverse("classroom:projector_poll", args=[voting.public_id])
    client.force_login(voting.teacher)
    version = client.get(url, {"v": "x"})["X-Classroom-Version"]
    assert client.get(url, {"v": version}).status_code == 204
    other = Client()
    other.force_login(make_teacher())
    assert other.get(url, {"v": version}).status_code == 404
    learner = Client()
    learner.force_login(UserFactory(roles=[Role.LEARNER]))
    assert learner.get(url, {"v": version}).status_code == 403
    anonymous = Client().get(url, {"v": version})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))


def test_the_projector_counts_a_vote_that_lands_between_two_polls(client, voting):
    url = reverse("classroom:projector_poll", args=[voting.public_id])
    client.force_login(voting.teacher)
    version = client.get(url, {"v": "x"})["X-Classroom-Version"]
    pupil = joined(voting)
    token = CSRF_RE.search(pupil.get(poll_url(voting), {"v": "0"}).content.decode()).group(1)
    pupil.post(vote_url(voting), {"step": voting.current_step, "option": "b", "csrfmiddlewaretoken": token},
               headers={"x-requested-with": "fetch"})
    after = client.get(url, {"v": version})
    assert after.status_code == 200
    assert 'data-option="b" data-count="1"' in after.content.decode()
    assert 'data-total-votes="1"' in after.content.decode()


def test_a_class_shares_one_rendered_stage_but_each_pupil_has_a_token_of_their_own(voting):
    first, second = joined(voting), joined(voting)
    stages = [p.get(poll_url(voting), {"v": "0"}) for p in (first, second)]
    tokens = [CSRF_RE.search(s.content.decode()).group(1) for s in stages]
    assert tokens[0] != tokens[1]
    assert CSRF_RE.sub("", stages[0].content.decode()) == CSRF_RE.sub("", stages[1].content.decode())
    voted = first.post(vote_url(voting), {"step": voting.current_step, "option": "a", "csrfmiddlewaretoken": tokens[0]},
                       headers={"x-requested-with": "fetch"})
    assert voted.status_code == 200 and voted["X-Classroom-Vote"] == "recorded"
    assert "Tak! Du har stemt." in voted.content.decode()
    # Each sees their own vote (or the form), never the other's cached stage.
    assert "Tak! Du har stemt." in first.get(poll_url(voting), {"v": "0"}).content.decode()
    assert "classroom-vote-button" in second.get(poll_url(voting), {"v": "0"}).content.decode()
    voted = second.post(vote_url(voting), {"step": voting.current_step, "option": "c", "csrfmiddlewaretoken": tokens[1]},
                        headers={"x-requested-with": "fetch"})
    assert voted["X-Classroom-Vote"] == "recorded"
    # A teacher's action is a new state: nobody gets the stage of the old one.
    session_apply(session=voting, action=TeacherAction.REVEAL, at=timezone.now())
    for pupil in (first, second):
        html = pupil.get(poll_url(voting), {"v": "0"}).content.decode()
        assert "Sådan stemte klassen" in html and "classroom-vote-button" not in html


def test_the_join_page_is_rendered_once_but_each_pupil_gets_a_working_token(session):
    pupils = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [p.get(reverse("classroom_pupil:join"), {"kode": session.join_code}) for p in pupils]
    tokens = [CSRF_RE.search(page.content.decode()).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert all(f'value="{session.join_code}"' in page.content.decode() for page in pages)
    for pupil, token in zip(pupils, tokens, strict=True):
        joined_ = pupil.post(reverse("classroom_pupil:join"), {"code": session.join_code, "csrfmiddlewaretoken": token})
        assert joined_.status_code == 302
    typo = Client().get(reverse("classroom_pupil:join"), {"kode": "<b>x"})
    assert "&lt;b&gt;x" in typo.content.decode() and "<b>x" not in typo.content.decode()
    assert not any(code == "<b>x" for _language, code in views._JOIN_PAGES)  # typos are not kept


def test_pupil_requests_stay_within_their_query_budget(voting, django_assert_max_num_queries):
    pupil = joined(voting)
    page_url = reverse("classroom_pupil:session", args=[voting.public_id])
    with django_assert_max_num_queries(1):  # the pupil and their vote in one statement
        page = pupil.get(page_url)
    assert page.status_code == 200
    with django_assert_max_num_queries(1):
        changed = pupil.get(poll_url(voting), {"v": "0"})
    token = CSRF_RE.search(changed.content.decode()).group(1)
    data = {"step": voting.current_step, "option": "d", "csrfmiddlewaretoken": token}
    with django_assert_max_num_queries(2):  # the pupil, then the one INSERT
        voted = pupil.post(vote_url(voting), data, headers={"x-requested-with": "fetch"})
    assert voted["X-Classroom-Vote"] == "recorded"
    with django_assert_max_num_queries(3):  # … and the refusal's reason
        again = pupil.post(vote_url(voting), data, headers={"x-requested-with": "fetch"})
    assert again.status_code == 409
    assert Vote.objects.filter(session=voting).count() == 1


@pytest.mark.parametrize("action", [TeacherAction.CLOSE_VOTING, TeacherAction.REVEAL])
def test_a_vote_racing_the_teachers_close_or_reveal_is_refused_and_not_counted(voting, action):
    _participant, token = join(voting, at=timezone.now())
    seat = pupil_seat(public_id=voting.public_id, token=token)
    assert seat.participant.session.voting_open  # the copy the vote is checked against …
    session_apply(session=voting, action=action, at=timezone.now())  # … goes stale before the INSERT
    outcome = vote_cast(participant=seat.participant, step_index=voting.current_step, option_key="a",
                        at=timezone.now())
    assert outcome == VoteOutcome.CLOSED
    assert not Vote.objects.exists()


def test_a_vote_racing_the_end_is_refused_and_leaves_only_aggregates(voting):
    first, _token = join(voting, at=timezone.now())
    assert vote_cast(participant=first, step_index=voting.current_step, option_key="a",
                     at=timezone.now()) == VoteOutcome.RECORDED
    _late, token = join(voting, at=timezone.now())
    seat = pupil_seat(public_id=voting.public_id, token=token)
    session_apply(session=voting, action=TeacherAction.END, at=timezone.now())
    outcome = vote_cast(participant=seat.participant, step_index=voting.current_step, option_key="b",
                        at=timezone.now())
    assert outcome == VoteOutcome.ENDED
    assert not Vote.objects.exists()
    assert list(StepResult.objects.values_list("option_key", "count")) == [("a", 1)]
