"""Factories and helpers of the classroom tests."""

from __future__ import annotations

import json
from datetime import datetime

from classroom.demo import DECKS_PATH
from classroom.models import ClassroomDeck, LiveSession
from classroom.services import deck_create_from_json, participant_join, session_start
from learning.roles import Role, roles_sync
from tests.factories import UserFactory


def deck_data(slug: str = "ven-deler-voldsom-video") -> dict:
    return next(d for d in json.loads(DECKS_PATH.read_text(encoding="utf-8")) if d["slug"] == slug)


def make_deck(slug: str = "ven-deler-voldsom-video") -> ClassroomDeck:
    return deck_create_from_json(data=deck_data(slug))[0]


def make_teacher(**kwargs):
    roles_sync()
    return UserFactory(roles=[Role.SSP_TEACHER], **kwargs)


def start_session(*, at: datetime, deck: ClassroomDeck | None = None, teacher=None) -> LiveSession:
    return session_start(deck=deck or make_deck(), teacher=teacher or make_teacher(), at=at)


def join(session: LiveSession, *, at: datetime, nickname: str = ""):
    return participant_join(code=session.join_code, nickname=nickname, at=at)


def first_step_of(session: LiveSession, block_type: str) -> int:
    from classroom.services import session_steps

    return next(i for i, step in enumerate(session_steps(session)) if step.block_type == block_type)
