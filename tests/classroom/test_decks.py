import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from classroom.blocks import DeckStepsBlock, DilemmaStepBlock, RoutingStepBlock
from classroom.demo import demo_seed_decks
from classroom.models import ClassroomDeck
from classroom.services import deck_steps_from_json
from learning.demo import DemoReport
from learning.roles import Role, roles_sync
from tests.factories import UserFactory

from .factories import deck_data, make_deck

pytestmark = pytest.mark.django_db


def test_demo_seeder_loads_all_eight_decks_idempotently():
    demo_seed_decks(DemoReport())
    first = {d.slug: [s["id"] for s in d.steps.raw_data] for d in ClassroomDeck.objects.all()}
    assert len(first) == 8
    demo_seed_decks(DemoReport())
    again = {d.slug: [s["id"] for s in d.steps.raw_data] for d in ClassroomDeck.objects.all()}
    assert again == first
    types = {s.block_type for d in ClassroomDeck.objects.all() for s in d.steps}
    assert types == {"intro", "dilemma", "routing", "discussion"}


def test_seeder_keeps_an_editors_changes():
    deck = make_deck()
    deck.title = "Redigeret titel"
    deck.save()
    demo_seed_decks(DemoReport())
    assert ClassroomDeck.objects.get(slug=deck.slug).title == "Redigeret titel"


def _dilemma(n_options, text="Et svar"):
    block = DilemmaStepBlock()
    return block, block.to_python(
        {"title": "T", "question": "Q?", "options": [{"text": text} for _ in range(n_options)], "reveal": "R"}
    )


@pytest.mark.parametrize(("n", "ok"), [(1, False), (2, True), (5, True), (6, False)])
def test_dilemma_needs_two_to_five_options(n, ok):
    block, value = _dilemma(n)
    if ok:
        block.clean(value)
    else:
        with pytest.raises((StructBlockValidationError, ValidationError)):
            block.clean(value)


def test_step_text_refuses_cpr_numbers():
    block, value = _dilemma(2, text="Eleven har CPR 010203-1234")
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(value)


def test_routing_step_rejects_facts_the_rules_cannot_use():
    block = RoutingStepBlock()
    base = {
        "title": "T", "question": "Q?", "municipality": "koege", "subject": "person", "age": 15, "signs": [],
        "illegal_act": "none", "within_opening_hours": True,
        "options": [{"text": "A", "action": "police_112"}, {"text": "B", "action": "tell_trusted_adult"}],
    }
    block.clean(block.to_python(base))
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({**base, "municipality": "aarhus"}))
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({**base, "age": -1}))


def test_json_import_refuses_an_employee_reporter_and_bad_keys():
    data = deck_data()
    steps = [dict(s) for s in data["steps"]]
    routing = next(i for i, s in enumerate(steps) if s["type"] == "routing")
    steps[routing] = {**steps[routing], "facts": {**steps[routing]["facts"], "reporter": "employee"}}
    with pytest.raises(ValueError, match="citizen"):
        deck_steps_from_json(slug="x", steps=steps)
    with pytest.raises(StreamBlockValidationError):
        DeckStepsBlock().clean(DeckStepsBlock().to_python([]))


def test_wagtail_editor_sees_the_fictional_persons_help_and_a_preview_with_the_rules_verdict(client):
    deck = make_deck()
    roles_sync()
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR], is_superuser=True, is_staff=True))
    add = client.get(reverse("wagtailsnippets_classroom_classroomdeck:add"))
    assert add.status_code == 200
    assert "skal være opdigtede" in add.content.decode()
    edit = client.get(reverse("wagtailsnippets_classroom_classroomdeck:edit", args=[deck.pk]))
    assert edit.status_code == 200
    preview = deck.make_preview_request(None, "")
    html = preview.content.decode() if hasattr(preview, "content") else str(preview)
    assert "Det siger reglerne (du er borger/ung)" in html
