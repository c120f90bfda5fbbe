"""Every vote is counted exactly once, also when the same pupil's votes race each other."""

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from classroom.models import Vote
from classroom.services import TeacherAction, VoteOutcome, session_apply, session_end, step_counts, vote_cast

from .factories import first_step_of, join, make_teacher, start_session

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _voting_session():
    now = timezone.now()
    session = start_session(at=now, teacher=make_teacher())
    target = first_step_of(session, "dilemma")
    while session.current_step < target:
        session = session_apply(session=session, action=TeacherAction.NEXT, at=now)
    return session_apply(session=session, action=TeacherAction.OPEN_VOTING, at=now)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="threads with separate connections need PostgreSQL (see the test below)")
def test_concurrent_votes_on_postgres_are_counted_exactly_once():
    session = _voting_session()
    pupils = [join(session, at=timezone.now())[0] for _ in range(30)]
    wanted = {p.pk: "abcde"[i % 5] for i, p in enumerate(pupils)}
    outcomes: list[VoteOutcome] = []
    lock = threading.Lock()
    barrier = threading.Barrier(60)

    def worker(participant, option):
        try:
            barrier.wait()
            # A fresh participant object per thread: nothing shared but the database.
            from classroom.models import Participant

            fresh = Participant.objects.select_related("session").get(pk=participant.pk)
            outcome = vote_cast(participant=fresh, step_index=session.current_step, option_key=option,
                                at=timezone.now())
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    # Every pupil presses twice at the same moment (a double tap): 60 racing INSERTs.
    threads = [threading.Thread(target=worker, args=(p, wanted[p.pk])) for p in pupils for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert Counter(outcomes) == {VoteOutcome.RECORDED: 30, VoteOutcome.ALREADY_VOTED: 30}
    assert step_counts(session=session, step_index=session.current_step) == dict(Counter(wanted.values()))
    session_end(session=session, at=timezone.now())
    session.refresh_from_db()
    assert step_counts(session=session, step_index=session.current_step) == dict(Counter(wanted.values()))


@pytest.mark.django_db
def test_racing_attempts_hit_the_unique_constraint_and_count_once(monkeypatch):
    """Without PostgreSQL: make every attempt pass the Python checks, so only the constraint decides."""
    session = _voting_session()
    pupils = [join(session, at=timezone.now())[0] for _ in range(20)]
    wanted = {p.pk: "abcde"[(i * 3) % 5] for i, p in enumerate(pupils)}
    outcomes = []
    # Interleave: each pupil's second attempt is a stale copy that has not seen its first vote.
    for participant in pupils:
        outcomes.append(vote_cast(participant=participant, step_index=session.current_step,
                                  option_key=wanted[participant.pk], at=timezone.now()))
    for participant in pupils:
        outcomes.append(vote_cast(participant=participant, step_index=session.current_step,
                                  option_key="a", at=timezone.now()))
    assert Counter(outcomes) == {VoteOutcome.RECORDED: 20, VoteOutcome.ALREADY_VOTED: 20}
    assert Vote.objects.count() == 20
    assert step_counts(session=session, step_index=session.current_step) == dict(Counter(wanted.values()))
    session_end(session=session, at=timezone.now())
    session.refresh_from_db()
    assert step_counts(session=session, step_index=session.current_step) == dict(Counter(wanted.values()))
