import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classroom.models import Participant, Vote
from classroom.services import (
    TeacherAction,
    VoteOutcome,
    participant_remove,
    session_apply,
    state_cache_key,
    vote_cast,
)
from classroom.views import participant_cookie_name

from .factories import first_step_of, make_teacher, start_session

pytestmark = pytest.mark.django_db


def _go_to(session, index):
    while session.current_step < index:
        session = session_apply(session=session, action=TeacherAction.NEXT, at=timezone.now())
    return session


@pytest.fixture
def session():
    return start_session(at=timezone.now(), teacher=make_teacher())


@pytest.fixture
def voting(session):
    """The session on its first dilemma step with voting open."""
    session = _go_to(session, first_step_of(session, "dilemma"))
    return session_apply(session=session, action=TeacherAction.OPEN_VOTING, at=timezone.now())


def pupil_join(session, **extra) -> Client:
    pupil = Client()
    response = pupil.post(reverse("classroom_pupil:join"), {"code": session.join_code.lower(), **extra})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("classroom_pupil:session", args=[session.public_id])
    assert response["Referrer-Policy"] == "same-origin"
    return pupil


def vote(pupil, session, option, step=None):
    return pupil.post(
        reverse("classroom_pupil:vote", args=[session.public_id]),
        {"step": session.current_step if step is None else step, "option": option},
        headers={"x-requested-with": "fetch"},
    )


def test_join_page_prefills_the_code_from_the_qr_link(client, session):
    response = client.get(reverse("classroom_pupil:join") + f"?kode={session.join_code}")
    html = response.content.decode()
    assert f'value="{session.join_code}"' in html
    assert response["Referrer-Policy"] == "same-origin"
    # Nickname from fixed lists (selects), never a free-text name field.
    assert '<select name="animal"' in html and '<select name="colour"' in html
    assert 'name="name"' not in html


def test_pupil_joins_with_a_fixed_list_nickname_and_gets_a_signed_session_scoped_cookie(session):
    pupil = pupil_join(session, colour="Grøn", animal="Ræv")
    participant = Participant.objects.get(session=session)
    assert participant.nickname == "Grøn ræv"
    cookie = pupil.cookies[participant_cookie_name(session.public_id)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # The cookie is signed: the raw token is not in the database, only its hash.
    assert participant.token_hash not in cookie.value
    page = pupil.get(reverse("classroom_pupil:session", args=[session.public_id]))
    assert page.status_code == 200
    assert "Grøn ræv" in page.content.decode()


def test_free_text_nickname_and_bad_codes_are_refused_with_danish_errors(client, session):
    response = client.post(reverse("classroom_pupil:join"), {"code": session.join_code, "animal": "Peter Hansen"})
    assert response.status_code == 200
    assert "Vælg et gyldigt valg" in response.content.decode() or "gyldig" in response.content.decode()
    response = client.post(reverse("classroom_pupil:join"), {"code": "ZZZZZZZZ"})
    assert "Koden passer ikke" in response.content.decode()
    response = client.post(reverse("classroom_pupil:join"), {"code": "abc"})
    assert "Koden skal have 8 tegn" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_tampered_cookie_is_not_a_participant(session):
    pupil = pupil_join(session)
    name = participant_cookie_name(session.public_id)
    pupil.cookies[name] = pupil.cookies[name].value + "x"
    response = pupil.get(reverse("classroom_pupil:session", args=[session.public_id]))
    assert response.status_code == 302 and response["Location"] == reverse("classroom_pupil:join")


def test_vote_once_then_already_voted(voting):
    pupil = pupil_join(voting)
    first = vote(pupil, voting, "b")
    assert first.status_code == 200 and first["X-Classroom-Vote"] == VoteOutcome.RECORDED
    assert "Tak! Du har stemt." in first.content.decode()
    second = vote(pupil, voting, "c")
    assert second.status_code == 409 and second["X-Classroom-Vote"] == VoteOutcome.ALREADY_VOTED
    assert list(Vote.objects.values_list("option_key", flat=True)) == ["b"]


def test_vote_refused_when_voting_closed_for_a_stale_step_or_bad_option(session):
    session = _go_to(session, first_step_of(session, "dilemma"))
    pupil = pupil_join(session)
    assert vote(pupil, session, "a")["X-Classroom-Vote"] == VoteOutcome.CLOSED
    session = session_apply(session=session, action=TeacherAction.OPEN_VOTING, at=timezone.now())
    assert vote(pupil, session, "a", step=session.current_step + 1)["X-Classroom-Vote"] == VoteOutcome.CLOSED
    assert vote(pupil, session, "z")["X-Classroom-Vote"] == VoteOutcome.INVALID_OPTION
    assert not Vote.objects.exists()


def test_results_are_hidden_from_pupils_until_the_reveal(voting):
    pupils = [pupil_join(voting) for _ in range(3)]
    for pupil, option in zip(pupils, ["a", "b", "b"], strict=True):
        vote(pupil, voting, option)
    watcher = pupil_join(voting)
    page = watcher.get(reverse("classroom_pupil:session", args=[voting.public_id])).content.decode()
    assert "Sådan stemte klassen" not in page
    assert 'class="classroom-result-count"' not in page
    session = voting
    session = session_apply(session=session, action=TeacherAction.REVEAL, at=timezone.now())
    assert session.voting_open is False
    poll = watcher.get(reverse("classroom_pupil:poll", args=[session.public_id]), {"v": "0"})
    html = poll.content.decode()
    assert "Sådan stemte klassen" in html
    counts = re.findall(r'classroom-result-count"><span class="sr-only">[^<]*</span>(\d+)', html)
    assert counts[:2] == ["1", "2"]


def test_locked_session_refuses_new_pupils_but_keeps_those_inside(voting):
    inside = pupil_join(voting)
    session_apply(session=voting, action=TeacherAction.LOCK, at=timezone.now())
    response = Client().post(reverse("classroom_pupil:join"), {"code": voting.join_code})
    assert response.status_code == 200
    assert "lukket for nye deltagere" in response.content.decode()
    assert vote(inside, voting, "a")["X-Classroom-Vote"] == VoteOutcome.RECORDED


def test_removed_participant_cannot_vote(voting):
    pupil = pupil_join(voting)
    participant = Participant.objects.get()
    assert participant_remove(session=voting, participant_id=participant.pk)
    response = vote(pupil, voting, "a")
    assert response["X-Classroom-Vote"] == VoteOutcome.REMOVED
    assert "fjernet dig fra forløbet" in response.content.decode()
    assert not Vote.objects.exists()


def test_teacher_removes_a_participant_through_the_projector(client, voting):
    pupil_join(voting)
    participant = Participant.objects.get()
    client.force_login(voting.teacher)
    response = client.post(reverse("classroom:remove_participant", args=[voting.public_id, participant.pk]))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.removed
    assert vote_cast(participant=participant, step_index=voting.current_step, option_key="a",
                     at=timezone.now()) == VoteOutcome.REMOVED


def test_pupil_poll_is_cheap_and_answers_204_when_nothing_changed(voting, django_assert_max_num_queries):
    pupil = pupil_join(voting)
    url = reverse("classroom_pupil:poll", args=[voting.public_id])
    with django_assert_max_num_queries(2):
        changed = pupil.get(url, {"v": "0"})
    assert changed.status_code == 200
    version = changed["X-Classroom-Version"]
    with django_assert_max_num_queries(0):
        same = pupil.get(url, {"v": version})
    assert same.status_code == 204
    session_apply(session=voting, action=TeacherAction.CLOSE_VOTING, at=timezone.now())
    after = pupil.get(url, {"v": version})
    assert after.status_code == 200 and after["X-Classroom-Version"] != version
    assert "classroom-vote-button" not in after.content.decode()  # the vote buttons are gone


def test_pupil_poll_survives_a_lost_cache(voting):
    pupil = pupil_join(voting)
    url = reverse("classroom_pupil:poll", args=[voting.public_id])
    cache.delete(state_cache_key(voting.public_id))
    response = pupil.get(url, {"v": str(voting.state_version)})
    assert response.status_code == 200  # no cached version: answers in full and re-publishes it
    assert pupil.get(url, {"v": response["X-Classroom-Version"]}).status_code == 204


def test_poll_without_a_participant_cookie_is_refused(client, voting):
    assert client.get(reverse("classroom_pupil:poll", args=[voting.public_id])).status_code == 403


def test_projector_poll_shows_live_counts_and_204_when_unchanged(client, voting):
    client.force_login(voting.teacher)
    url = reverse("classroom:projector_poll", args=[voting.public_id])
    first = client.get(url, {"v": "x"})
    version = first["X-Classroom-Version"]
    assert client.get(url, {"v": version}).status_code == 204
    vote(pupil_join(voting), voting, "c")
    changed = client.get(url, {"v": version})
    assert changed.status_code == 200
    assert 'data-option="c" data-count="1"' in changed.content.decode()


def test_pupil_pages_load_nothing_from_other_sites(voting):
    pupil = pupil_join(voting)
    for response in (
        Client().get(reverse("classroom_pupil:join")),
        pupil.get(reverse("classroom_pupil:session", args=[voting.public_id])),
    ):
        html = response.content.decode()
        assert response["Referrer-Policy"] == "same-origin"
        for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
            assert url.startswith(("/", "#", "tel:", "mailto:")), url
        assert "<script>" not in html and "<style" not in html


def test_ended_session_tells_the_pupil_and_refuses_votes(voting):
    pupil = pupil_join(voting)
    session_apply(session=voting, action=TeacherAction.END, at=timezone.now())
    page = pupil.get(reverse("classroom_pupil:session", args=[voting.public_id]))
    assert "Forløbet er slut" in page.content.decode()
    assert vote(pupil, voting, "a").status_code == 410
    assert pupil.get(reverse("classroom_pupil:poll", args=[voting.public_id]), {"v": "0"}).status_code == 410
    refused = Client().post(reverse("classroom_pupil:join"), {"code": voting.join_code})
    assert "Koden passer ikke" in refused.content.decode()


def test_pupil_forms_need_the_csrf_token_and_a_same_site_origin(session):
    """The pupil join form is CSRF-protected like every other form: token plus a same-site Origin."""
    pupil = Client(enforce_csrf_checks=True)
    page = pupil.get(reverse("classroom_pupil:join"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    without = pupil.post(reverse("classroom_pupil:join"), {"code": session.join_code}, HTTP_ORIGIN="null")
    assert without.status_code == 403
    foreign = pupil.post(
        reverse("classroom_pupil:join"), {"code": session.join_code, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )
    assert foreign.status_code == 403
    opaque = pupil.post(
        reverse("classroom_pupil:join"), {"code": session.join_code, "csrfmiddlewaretoken": token}, HTTP_ORIGIN="null"
    )
    assert opaque.status_code == 403
    ok = pupil.post(
        reverse("classroom_pupil:join"), {"code": session.join_code, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="http://testserver",
    )
    assert ok.status_code == 302
