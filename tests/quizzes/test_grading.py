"""The grading table: full and partial credit, every kind of critical error, and the feedback."""

import datetime

import pytest

from learning.rules import RULES_BY_ID
from quizzes.grading import CRITICAL_ERROR_TEXTS
from quizzes.services import scenario_answer_grade

from .factories import ScenarioFactory, acute_child, adult_koege, roedovre_two_signs

ON = datetime.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def grade(scenario, first, actions=(), level=None, urgency=None):
    return scenario_answer_grade(
        scenario=scenario, first_action=first, actions=actions, level=level, urgency=urgency, on=ON
    )


@pytest.mark.parametrize(
    ("make", "first", "actions", "score", "critical"),
    [
        # Køge 15 år, tre tegn: key = notify_children_services.
        (ScenarioFactory, "notify_children_services", [], 1.0, ()),
        (ScenarioFactory, "observe_and_discuss", [], 0.0, ("missed_notification",)),
        (ScenarioFactory, "police_114", ["notify_children_services"], 0.0, ("police_not_acute",)),
        # Rødovre 16 år, to tegn: key = inform_leader, notify_children_services, local_prevention_unit.
        (roedovre_two_signs, "inform_leader", ["notify_children_services", "local_prevention_unit"], 1.0, ()),
        (roedovre_two_signs, "inform_leader", ["notify_children_services"], (2 * 1 + 2 * 2 / 3) / 4, ()),
        (
            roedovre_two_signs,
            "inform_leader",
            ["notify_children_services", "local_prevention_unit", "national_hotline"],
            (2 * 1 + 2 * 2 / 3) / 4,
            (),
        ),
        (
            roedovre_two_signs,
            "local_prevention_unit",
            ["inform_leader"],
            (0 + 2 * 2 / 3) / 4,
            ("missed_notification",),
        ),
        # Ishøj 15 år, trussel og fare for liv: key = police_112, notify_children_services (acute).
        (acute_child, "police_112", ["notify_children_services"], 1.0, ()),
        (acute_child, "police_114", ["notify_children_services"], (0 + 2 * 0 / 2) / 4, ()),
        (acute_child, "notify_children_services", [], (0 + 2 * 1 / 2) / 4, ("missed_police",)),
        (acute_child, "police_112", [], (2 + 2 * 1 / 2) / 4, ("missed_notification",)),
        # Køge 34 år: key = local_prevention_unit; notifying about an adult is critical.
        (adult_koege, "local_prevention_unit", [], 1.0, ()),
        (adult_koege, "notify_children_services", ["local_prevention_unit"], (0 + 0) / 4, ("notify_adult",)),
    ],
)
def test_grading_table(make, first, actions, score, critical):
    result = grade(make(), first, actions)
    assert result.score == pytest.approx(score)
    assert result.critical_codes == critical
    assert (result.score == 1.0) == result.full_credit


def test_notifying_about_a_group_is_critical():
    group = ScenarioFactory(subject="group", age=None)
    result = grade(group, "notify_children_services", ["local_prevention_unit"])
    assert result.critical_codes == ("notify_group",)
    assert grade(group, "local_prevention_unit").full_credit


def test_missing_and_extra_actions_are_named_in_key_order():
    result = grade(roedovre_two_signs(), "notify_children_services", ["national_hotline"])
    assert not result.correct_first
    assert result.missing_actions == ("inform_leader", "local_prevention_unit")
    assert result.extra_actions == ("national_hotline",)
    actions_part = next(part for part in result.parts if part.part == "actions")
    assert "Du manglede: »Informér din leder« og »Kontakt den lokale enhed«." in actions_part.text_da
    assert "Ikke nødvendigt her: »Ring til Den Nationale Hotline«." in actions_part.text_da


def test_level_and_urgency_weigh_in_only_when_asked():
    asked = ScenarioFactory(ask_level=True, ask_urgency=True)
    right = grade(asked, "notify_children_services", level="specific", urgency="non_acute")
    assert right.score == 1.0 and right.full_credit
    wrong_level = grade(asked, "notify_children_services", level="general", urgency="non_acute")
    assert wrong_level.score == pytest.approx(5 / 6)
    assert not wrong_level.full_credit
    level_part = next(part for part in wrong_level.parts if part.part == "level")
    assert "specifik (foregribende) forebyggelse" in level_part.text_da
    not_asked = grade(ScenarioFactory(), "notify_children_services", level="general")
    assert not_asked.score == 1.0
    assert [part.part for part in not_asked.parts] == ["first_action", "actions"]


def test_feedback_has_the_explanation_legal_basis_and_sources():
    result = grade(ScenarioFactory(), "observe_and_discuss")
    decision = result.decision
    assert result.explanation_da == decision.explanation
    assert "skærpet underretningspligt" in result.explanation_da
    assert result.legal_basis_da == ("Barnets Lov § 133 (offentligt ansattes skærpede underretningspligt)",)
    assert {source.rule_id for source in result.sources} == set(decision.rules_fired)
    for source in result.sources:
        assert source.source == RULES_BY_ID[source.rule_id].source
    assert any(source.source.startswith("003") for source in result.sources)
    assert result.critical_errors[0].text_da == CRITICAL_ERROR_TEXTS["missed_notification"]
    first = result.parts[0]
    assert first.text_da == (
        "Du valgte »Observér og drøft« som det første skridt, men det første skridt er »Underret kommunen om barnet«."
    )
