"""The five public examples of the routing contract (routing-contract.md, "Public examples")."""

from datetime import date

import pytest

from learning.rules import Concern, load_default_directory, route

DIRECTORY = load_default_directory()
ON = date(2025, 1, 15)
THREE_SIGNS = ("attitudes.rejects_democracy", "relations.dropped_friends", "behaviour.extremist_material")
POLICE = {"police_112", "police_114"}


def test_example_1_koege_child_three_signs_is_notified_not_policed():
    decision = route(Concern("koege", age=15, signs=THREE_SIGNS), directory=DIRECTORY, on=ON)

    assert decision.level == "specific"
    assert decision.urgency == "non_acute"
    assert "notify_children_services" in decision.actions
    assert not POLICE & set(decision.actions)
    assert "barnets_lov_133" in decision.legal_basis


def test_example_2_koege_adult_goes_to_infohus_koege():
    decision = route(Concern("koege", age=34, signs=THREE_SIGNS), directory=DIRECTORY, on=ON)

    assert "local_prevention_unit" in decision.actions
    assert "notify_children_services" not in decision.actions
    (unit,) = [c for c in decision.contacts if c.action == "local_prevention_unit"]
    assert unit.email == "infohuskoege@koege.dk"


@pytest.mark.parametrize("municipality", ["koege", "ishoej", "roedovre"])
@pytest.mark.parametrize("age", [None, 9, 17, 18, 60])
@pytest.mark.parametrize("reporter", ["employee", "citizen"])
@pytest.mark.parametrize("within_opening_hours", [True, False])
def test_example_3_danger_to_life_calls_112_first(municipality, age, reporter, within_opening_hours):
    concern = Concern(
        municipality,
        age=age,
        reporter=reporter,
        illegal_act="suspected",
        danger_to_life=True,
        within_opening_hours=within_opening_hours,
    )
    decision = route(concern, directory=DIRECTORY, on=ON)

    assert decision.actions[0] == "police_112"
    assert decision.urgency == "acute"
    assert decision.level == "targeted"
    assert decision.timing == "now"


def test_example_4_roedovre_employee_informs_leader_first():
    concern = Concern("roedovre", age=16, signs=("attitudes.intolerance", "behaviour.totalitarian_symbols"))
    decision = route(concern, directory=DIRECTORY, on=ON)

    assert decision.actions[0] == "inform_leader"


def test_example_5_ishoej_adult_one_sign_is_observed_not_referred():
    decision = route(
        Concern("ishoej", age=19, signs=("attitudes.absolute_solutions",)), directory=DIRECTORY, on=ON
    )

    assert "observe_and_discuss" in decision.actions
    assert "local_prevention_unit" not in decision.actions
    assert not POLICE & set(decision.actions)


def test_example_output_has_the_contract_shape():
    decision = route(Concern("koege", age=15, signs=THREE_SIGNS), directory=DIRECTORY, on=ON)
    data = decision.to_dict()

    assert set(data) >= {
        "level",
        "urgency",
        "timing",
        "actions",
        "contacts",
        "legal_basis",
        "explanation",
        "rules_fired",
    }
    assert set(data) - {"rules_version"} == {
        "level",
        "urgency",
        "timing",
        "actions",
        "contacts",
        "legal_basis",
        "explanation",
        "rules_fired",
    }
    for contact in data["contacts"]:
        assert set(contact) == {"action", "name", "phone", "email", "hours", "source"}
    # The explanation is Danish prose that cites every rule that fired.
    for rule_id in data["rules_fired"]:
        assert f"regel {rule_id}" in data["explanation"]
