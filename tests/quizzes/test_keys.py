"""The answer key is computed by the rules, never stored: a directory change changes it without an
edit, and the refresh flags exactly the affected scenarios. CPR numbers are refused in the story."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from learning.directory import directory_import
from learning.rules import load_default_directory
from quizzes.models import ScenarioQuestion
from quizzes.services import scenario_answer_grade, scenario_keys_refresh, scenario_review_complete
from quizzes.tasks import scenario_keys_refresh_task

from .factories import ScenarioFactory, acute_child, roedovre_two_signs

ON = datetime.date(2026, 3, 2)
AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 4, 15))
pytestmark = pytest.mark.django_db


def roedovre_without_leader_first() -> None:
    """A directory edit: Rødovre's employees no longer go to their leader first."""
    data = load_default_directory().to_dict()
    for entry in data["municipalities"]:
        if entry["slug"] == "roedovre":
            entry["procedure"]["leader_first"] = False
    directory_import(data=data)


def test_a_directory_change_changes_the_key_without_editing_the_scenario():
    scenario = roedovre_two_signs()
    before = scenario_answer_grade(
        scenario=scenario,
        first_action="inform_leader",
        actions=["notify_children_services", "local_prevention_unit"],
        on=ON,
    )
    assert before.full_credit
    roedovre_without_leader_first()
    scenario.refresh_from_db()
    after = scenario_answer_grade(
        scenario=scenario,
        first_action="inform_leader",
        actions=["notify_children_services", "local_prevention_unit"],
        on=ON,
    )
    assert not after.correct_first
    assert after.decision.actions == ("notify_children_services", "local_prevention_unit")
    assert after.extra_actions == ("inform_leader",)


def test_refresh_flags_exactly_the_scenarios_whose_key_changed():
    koege, ishoej, roedovre = ScenarioFactory(), acute_child(), roedovre_two_signs()
    assert scenario_keys_refresh(on=ON, at=AT) == []  # first run: snapshots only
    roedovre.refresh_from_db()
    assert roedovre.key_first_action == "inform_leader"
    assert roedovre.key_actions == ["inform_leader", "notify_children_services", "local_prevention_unit"]
    assert roedovre.key_computed_at == AT and roedovre.key_rules_version

    roedovre_without_leader_first()
    changed = scenario_keys_refresh(on=ON, at=AT)
    assert [scenario.pk for scenario in changed] == [roedovre.pk]
    roedovre.refresh_from_db()
    assert roedovre.needs_review
    assert roedovre.needs_review_reason.startswith(
        "Nøglen har ændret sig: første handling Informér din leder → Underret kommunen om barnet; handlinger "
    )
    for other in (koege, ishoej):
        other.refresh_from_db()
        assert not other.needs_review and other.needs_review_reason == ""
    # Safe to run twice: nothing new is flagged and the flag stays until an editor saves.
    assert scenario_keys_refresh(on=ON, at=AT) == []
    assert ScenarioQuestion.objects.get(pk=roedovre.pk).needs_review
    scenario_review_complete(scenario=roedovre, on=ON, at=AT)
    roedovre.refresh_from_db()
    assert not roedovre.needs_review and roedovre.key_first_action == "notify_children_services"


def test_the_task_and_the_command_run_the_refresh(capsys):
    scenario = roedovre_two_signs()
    scenario_keys_refresh(on=ON, at=AT)
    roedovre_without_leader_first()
    assert scenario_keys_refresh_task.delay().get() == [scenario.pk]
    ScenarioQuestion.objects.filter(pk=scenario.pk).update(
        needs_review=False, key_first_action="inform_leader"
    )
    call_command("refresh_scenario_keys")
    out = capsys.readouterr().out
    assert f"{scenario.slug}: Nøglen har ændret sig" in out
    assert "1 scenarie(r) skal gennemgås." in out


def test_a_cpr_number_in_the_story_is_refused():
    scenario = ScenarioFactory.build(
        municipality=ScenarioFactory().municipality, slug="cpr", story="Eleven har CPR-nummer 010203-1234."
    )
    with pytest.raises(ValidationError) as error:
        scenario.full_clean()
    assert "story" in error.value.message_dict
    assert "CPR-nummer" in error.value.message_dict["story"][0]
    assert "010203" not in str(error.value)
