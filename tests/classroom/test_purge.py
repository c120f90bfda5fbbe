from datetime import timedelta

import pytest
from django.utils import timezone

from classroom.models import LiveSession, Participant, StepResult, Vote
from classroom.services import TeacherAction, session_apply, session_end, session_results, vote_cast
from classroom.tasks import classroom_sessions_purge_expired

from .factories import first_step_of, join, make_teacher, start_session

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0)


def _session_with_votes(at):
    session = start_session(at=at, teacher=make_teacher())
    target = first_step_of(session, "dilemma")
    while session.current_step < target:
        session = session_apply(session=session, action=TeacherAction.NEXT, at=at)
    session = session_apply(session=session, action=TeacherAction.OPEN_VOTING, at=at)
    for option in ["a", "b", "b", "c"]:
        participant, _token = join(session, at=at, nickname="Blå ræv")
        vote_cast(participant=participant, step_index=session.current_step, option_key=option, at=at)
    return session


def test_ending_keeps_only_aggregates():
    session = _session_with_votes(T0)
    step = session.current_step
    session_end(session=session, at=T0 + timedelta(minutes=30))
    assert not Participant.objects.filter(session=session).exists()
    assert not Vote.objects.filter(session=session).exists()
    assert {(r.step_index, r.option_key, r.count) for r in StepResult.objects.filter(session=session)} == {
        (step, "a", 1), (step, "b", 2), (step, "c", 1)
    }
    session.refresh_from_db()
    assert session.ended_at == T0 + timedelta(minutes=30)
    dilemma = next(r for r in session_results(session=session) if r["step"] == step)
    assert dilemma["counts"] == {"a": 1, "b": 2, "c": 1, "d": 0, "e": 0}


def test_ending_twice_changes_nothing():
    session = _session_with_votes(T0)
    session_end(session=session, at=T0 + timedelta(minutes=1))
    before = list(StepResult.objects.values_list("step_index", "option_key", "count"))
    session_end(session=session, at=T0 + timedelta(minutes=2))
    assert list(StepResult.objects.values_list("step_index", "option_key", "count")) == before
    session.refresh_from_db()
    assert session.ended_at == T0 + timedelta(minutes=1)


def test_beat_task_ends_and_purges_only_sessions_past_four_hours(monkeypatch):
    old = _session_with_votes(timezone.now() - timedelta(hours=4, minutes=1))
    fresh = _session_with_votes(timezone.now() - timedelta(hours=1))
    assert classroom_sessions_purge_expired.delay().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.ended_at is not None and not old.participants.exists() and old.results.exists()
    assert fresh.ended_at is None and fresh.participants.count() == 4
    # Running it again finds nothing left to do.
    assert classroom_sessions_purge_expired.delay().get() == 0


def test_teacher_end_through_the_view_shows_aggregates(client):
    session = _session_with_votes(timezone.now())
    client.force_login(session.teacher)
    client.post(f"/klasse/session/{session.public_id}/styring/", {"action": "end"})
    html = client.get(f"/klasse/session/{session.public_id}/").content.decode()
    assert "kun antal stemmer pr. svar er gemt" in html
    assert LiveSession.objects.get(pk=session.pk).ended_at is not None
    data = client.get(f"/klasse/session/{session.public_id}/resultater.json").json()
    assert data["ended"] is True and data["participants"] == 0
    assert any(step["counts"].get("b") == 2 for step in data["steps"])
