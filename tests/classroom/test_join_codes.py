import math
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from classroom import services
from classroom.models import LiveSession
from classroom.services import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    SESSION_LIFETIME,
    join_code_generate,
    session_end,
    session_find_by_code,
)

from .factories import make_deck, make_teacher, start_session

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0)


def test_code_format_uses_an_unambiguous_alphabet():
    assert not set("0O1IL") & set(JOIN_CODE_ALPHABET)
    for _ in range(500):
        code = join_code_generate()
        assert len(code) == JOIN_CODE_LENGTH >= 6
        assert set(code) <= set(JOIN_CODE_ALPHABET)


def test_code_has_at_least_30_bits_and_is_drawn_from_secrets(monkeypatch):
    assert JOIN_CODE_LENGTH * math.log2(len(set(JOIN_CODE_ALPHABET))) >= 30
    draws = []

    def fake_choice(seq):
        draws.append(seq)
        return seq[0]

    monkeypatch.setattr(services.secrets, "choice", fake_choice)
    assert join_code_generate() == JOIN_CODE_ALPHABET[0] * JOIN_CODE_LENGTH
    assert len(draws) == JOIN_CODE_LENGTH


def test_codes_do_not_repeat_in_practice():
    codes = {join_code_generate() for _ in range(5000)}
    assert len(codes) == 5000
    # Every symbol shows up: the draw is over the whole alphabet, not a slice of it.
    assert set("".join(codes)) == set(JOIN_CODE_ALPHABET)


def test_an_active_code_cannot_be_used_twice_in_the_database():
    session = start_session(at=T0)
    with pytest.raises(IntegrityError):
        LiveSession.objects.create(
            deck_title="x", teacher=session.teacher, join_code=session.join_code, created_at=T0,
            expires_at=T0 + SESSION_LIFETIME,
        )


def test_start_draws_again_when_the_code_is_taken(monkeypatch):
    first = start_session(at=T0)
    codes = iter([first.join_code, "ABCDEFGH"])
    monkeypatch.setattr(services, "join_code_generate", lambda: next(codes))
    second = services.session_start(deck=make_deck(), teacher=make_teacher(), at=T0)
    assert second.join_code == "ABCDEFGH"


def test_an_ended_sessions_code_is_free_again_and_no_longer_works():
    session = start_session(at=T0)
    assert session_find_by_code(code=session.join_code, at=T0) == session
    session_end(session=session, at=T0 + timedelta(minutes=5))
    assert session_find_by_code(code=session.join_code, at=T0 + timedelta(minutes=6)) is None
    # The same code may be drawn by a new session without clashing with the ended one.
    LiveSession.objects.create(
        deck_title="x", teacher=session.teacher, join_code=session.join_code, created_at=T0,
        expires_at=T0 + SESSION_LIFETIME,
    )


def test_code_expires_after_four_hours_even_if_the_session_was_not_ended():
    session = start_session(at=T0)
    assert session_find_by_code(code=session.join_code, at=T0 + timedelta(hours=3, minutes=59)) == session
    assert session_find_by_code(code=session.join_code, at=T0 + timedelta(hours=4)) is None


def test_code_lookup_is_forgiving_about_case_and_separators():
    session = start_session(at=T0)
    typed = f"{session.join_code[:4].lower()}-{session.join_code[4:].lower()}"
    assert session_find_by_code(code=typed, at=T0) == session
    assert session_find_by_code(code="0OIL1OIL", at=T0) is None
    assert session_find_by_code(code="", at=T0) is None
