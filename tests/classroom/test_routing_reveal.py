"""The reveal of a routing step is the routing rules' decision for the step's facts (reporter: citizen)."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.blocks import TELL_TRUSTED_ADULT
from classroom.demo import DECKS_PATH
from classroom.services import (
    TeacherAction,
    routing_decision_for_step,
    routing_facts_for_step,
    routing_reveal_for_step,
    session_apply,
)
from learning.rules import load_default_directory, parse_concern, route

from .factories import deck_data, first_step_of, make_deck, make_teacher, start_session

ON = date(2026, 3, 2)
ROUTING_DECKS = [
    d["slug"] for d in json.loads(DECKS_PATH.read_text(encoding="utf-8")) if any(s["type"] == "routing" for s in d["steps"])
]


def _routing_steps(slug):
    deck = make_deck(slug)
    raw = [s for s in deck_data(slug)["steps"] if s["type"] == "routing"]
    blocks = [s.value for s in deck.steps if s.block_type == "routing"]
    return list(zip(raw, blocks, strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ROUTING_DECKS)
def test_reveal_matches_route_for_the_steps_facts(slug):
    directory = load_default_directory()
    for raw, value in _routing_steps(slug):
        expected = route(parse_concern(raw["facts"], known_municipalities=directory.slugs), directory=directory, on=ON)
        assert routing_facts_for_step(step=value) == {**raw["facts"], "signs": list(raw["facts"]["signs"])}
        assert routing_decision_for_step(step=value, on=ON) == expected
        reveal = routing_reveal_for_step(step=value, on=ON)
        assert reveal.explanation == expected.explanation
        for option, verdict in zip(raw["options"], reveal.options, strict=True):
            assert verdict.key == option["key"]
            assert verdict.acceptable == (option["action"] == TELL_TRUSTED_ADULT or option["action"] in expected.actions)
        assert [c.name for c in reveal.contacts] == [c.name for c in expected.contacts]
        for contact in reveal.contacts:
            if contact.phone:
                assert contact.tel.lstrip("+").isdigit()


@pytest.mark.django_db
def test_tell_trusted_adult_is_always_acceptable_and_hotline_number_is_a_tel_link(client):
    teacher = make_teacher()
    session = start_session(at=timezone.now(), deck=make_deck("ven-deler-voldsom-video"), teacher=teacher)
    target = first_step_of(session, "routing")
    while session.current_step < target:
        session = session_apply(session=session, action=TeacherAction.NEXT, at=timezone.now())
    session = session_apply(session=session, action=TeacherAction.REVEAL, at=timezone.now())
    client.force_login(teacher)
    html = client.get(reverse("classroom:projector", args=[session.public_id])).content.decode()
    assert "Det siger reglerne (du er borger/ung)" in html
    assert 'href="tel:+4541749090"' in html  # Den Nationale Hotline, from the directory
    reveal = routing_reveal_for_step(step=next(s for s in make_deck().steps if s.block_type == "routing").value,
                                     on=timezone.localdate())
    trusted = [v for v in reveal.options if v.action == TELL_TRUSTED_ADULT]
    assert trusted and all(v.acceptable for v in trusted)
    police = [v for v in reveal.options if v.action == "police_112"]
    assert police and not any(v.acceptable for v in police)
