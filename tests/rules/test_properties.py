"""Properties of ``route`` over every valid input (hypothesis)."""

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from learning.rules import (
    ACTIONS,
    LEGAL_BASES,
    REFERRAL_ACTIONS,
    RULES,
    SIGNS,
    Concern,
    load_default_directory,
    route,
)
from learning.rules.catalogue import BARNETS_LOV_IN_FORCE

DIRECTORY = load_default_directory()
POLICE = {"police_112", "police_114"}
OUTPUT_KEYS = {
    "level",
    "urgency",
    "timing",
    "actions",
    "contacts",
    "legal_basis",
    "explanation",
    "rules_fired",
}

concerns = st.builds(
    Concern,
    municipality=st.sampled_from(DIRECTORY.slugs),
    subject=st.sampled_from(["person", "group"]),
    age=st.none() | st.integers(min_value=0, max_value=120),
    reporter=st.sampled_from(["employee", "citizen"]),
    signs=st.lists(st.sampled_from(list(SIGNS)), max_size=6).map(tuple),
    illegal_act=st.sampled_from(["none", "suspected"]),
    danger_to_life=st.booleans(),
    in_extremist_milieu=st.booleans(),
    wants_exit=st.booleans(),
    returnee=st.booleans(),
    within_opening_hours=st.booleans(),
)
dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))
dates_with_barnets_lov = st.dates(min_value=BARNETS_LOV_IN_FORCE, max_value=date(2030, 12, 31))

many = settings(max_examples=300, deadline=None)


def _grounded(c: Concern) -> bool:
    return len(c.signs) >= 2 or c.in_extremist_milieu or c.wants_exit or c.returnee


def _acute(c: Concern) -> bool:
    return c.illegal_act == "suspected" or c.danger_to_life


@many
@given(concerns, dates)
def test_suspected_illegal_act_goes_to_the_police_first(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    if concern.illegal_act == "suspected":
        assert decision.actions[0] in POLICE
        assert decision.urgency == "acute"
        assert decision.level == "targeted"
        assert decision.timing == "now"
        assert "straffeloven_114" in decision.legal_basis
        assert decision.actions[0] == ("police_112" if concern.danger_to_life else "police_114")


@many
@given(concerns, dates)
def test_police_only_when_acute(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    assert bool(POLICE & set(decision.actions)) == _acute(concern)
    assert (decision.urgency == "acute") == _acute(concern)


@many
@given(concerns, dates_with_barnets_lov)
def test_employee_duty_to_notify_about_a_child_adds_up(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    is_child = concern.age is None or concern.age < 18
    owes_notification = (
        concern.reporter == "employee"
        and concern.subject == "person"
        and is_child
        and (_grounded(concern) or _acute(concern))
    )
    assert ("notify_children_services" in decision.actions) == owes_notification
    assert ("barnets_lov_133" in decision.legal_basis) == owes_notification
    assert "serviceloven_153" not in decision.legal_basis


@many
@given(concerns, st.dates(min_value=date(2018, 1, 1), max_value=date(2024, 3, 31)))
def test_before_barnets_lov_the_duty_rests_on_serviceloven_153(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    assert "barnets_lov_133" not in decision.legal_basis
    assert ("serviceloven_153" in decision.legal_basis) == ("notify_children_services" in decision.actions)


@many
@given(concerns, dates)
def test_citizens_have_no_duty_to_notify(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    if concern.reporter == "citizen":
        assert "notify_children_services" not in decision.actions
        assert not {"barnets_lov_133", "serviceloven_153"} & set(decision.legal_basis)
        assert "inform_leader" not in decision.actions
        if decision.level != "general":
            assert "national_hotline" in decision.actions


@many
@given(concerns, dates)
def test_one_sign_and_nothing_else_is_observed_not_referred(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    single = (
        concern.subject == "person"
        and len(concern.signs) == 1
        and not _grounded(concern)
        and not _acute(concern)
    )
    if single:
        assert not REFERRAL_ACTIONS & set(decision.actions)
        assert "inform_leader" not in decision.actions
        assert "observe_and_discuss" in decision.actions
        assert decision.level == "specific"


@many
@given(concerns, dates)
def test_no_sign_and_nothing_else_is_general_prevention(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    if not concern.signs and not _grounded(concern) and not _acute(concern):
        assert decision.level == "general"
        assert "general_prevention" in decision.actions
        if concern.subject == "person":
            assert decision.actions == ("general_prevention",)


@many
@given(concerns, dates)
def test_group_concerns_go_to_the_local_unit_and_never_notify(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    if concern.subject == "group":
        assert "notify_children_services" not in decision.actions
        if not _acute(concern):
            assert "local_prevention_unit" in decision.actions


@many
@given(concerns, dates)
def test_exit_and_status(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    if concern.wants_exit or concern.returnee:
        assert {"exit_programme", "local_prevention_unit"} <= set(decision.actions)
    if concern.in_extremist_milieu or concern.wants_exit or concern.returnee:
        assert decision.level == "targeted"
    adult = concern.subject == "person" and concern.age is not None and concern.age >= 18
    assert ("serviceloven_12b" in decision.legal_basis) == (adult and _grounded(concern))


@many
@given(concerns, dates)
def test_information_exchange_follows_a_local_unit_referral(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    assert ("retsplejeloven_115" in decision.legal_basis) == ("local_prevention_unit" in decision.actions)


@many
@given(concerns, dates)
def test_timing(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    if _acute(concern):
        assert decision.timing == "now"
    else:
        expected = "now" if concern.within_opening_hours else "next_working_day"
        assert decision.timing == expected


@many
@given(concerns, dates)
def test_leader_first_where_the_procedure_says_so(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    procedure = DIRECTORY[concern.municipality].procedure
    refers = bool(REFERRAL_ACTIONS & set(decision.actions))
    expected = procedure.leader_first and concern.reporter == "employee" and refers
    assert ("inform_leader" in decision.actions) == expected
    if expected:
        non_police = [a for a in decision.actions if a not in POLICE]
        assert non_police[0] == "inform_leader"


@many
@given(concerns, dates)
def test_every_action_that_needs_a_contact_has_one_in_order(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    needing = [a for a in decision.actions if ACTIONS[a].needs_contact]
    assert [c.action for c in decision.contacts] == needing
    for contact in decision.contacts:
        assert contact.name
        assert contact.source


@many
@given(concerns, dates)
def test_shape_order_and_vocabulary(concern, on):
    decision = route(concern, directory=DIRECTORY, on=on)
    assert decision.actions
    assert len(set(decision.actions)) == len(decision.actions)
    assert len(set(decision.legal_basis)) == len(decision.legal_basis)
    assert list(decision.actions) == [a for a in ACTIONS if a in decision.actions]
    assert list(decision.legal_basis) == [code for code in LEGAL_BASES if code in decision.legal_basis]
    rule_ids = [rule.id for rule in RULES]
    assert set(decision.rules_fired) <= set(rule_ids)
    assert list(decision.rules_fired) == [r for r in rule_ids if r in decision.rules_fired]
    assert decision.rules_fired
    for rule_id in decision.rules_fired:
        assert f"(regel {rule_id}, " in decision.explanation


@many
@given(concerns, dates)
def test_deterministic_and_json_serialisable(concern, on):
    first = route(concern, directory=DIRECTORY, on=on)
    again = route(Concern(**concern.to_dict()), directory=load_default_directory(), on=on)
    assert first == again
    data = first.to_dict()
    assert set(data) - {"rules_version"} == OUTPUT_KEYS
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


@many
@given(concerns, dates, st.randoms(use_true_random=False))
def test_sign_order_and_duplicates_do_not_matter(concern, on, rnd):
    shuffled = list(concern.signs) * 2
    rnd.shuffle(shuffled)
    permuted = Concern(**{**concern.to_dict(), "signs": shuffled})
    assert permuted == concern
    assert route(permuted, directory=DIRECTORY, on=on) == route(concern, directory=DIRECTORY, on=on)
