"""``RULES_VERSION`` changes whenever a rule changes; the catalogue itself is well formed."""

import dataclasses
import re
from datetime import date

import pytest

from learning.rules import RULES, RULES_SEMVER, RULES_VERSION, Concern, build_rules_version, route
from learning.rules import load_default_directory as load

VERSION_PATTERN = re.compile(r"^\d{4}\.\d+\+[0-9a-f]{12}$")


def test_version_is_semver_plus_short_hash():
    assert VERSION_PATTERN.match(RULES_VERSION)
    assert RULES_VERSION.startswith(f"{RULES_SEMVER}+")
    assert build_rules_version(RULES) == RULES_VERSION


def test_version_is_stable_for_the_same_catalogue():
    assert build_rules_version(tuple(RULES)) == build_rules_version(list(RULES))


@pytest.mark.parametrize(
    "change",
    [
        {"statement_da": "ændret"},
        {"statement_en": "changed"},
        {"source": "003 §9.9"},
        {"id": "R1-renamed"},
        {"effective_from": date(2020, 1, 1)},
        {"effective_until": date(2030, 1, 1)},
    ],
    ids=lambda change: next(iter(change)),
)
@pytest.mark.parametrize("index", [0, len(RULES) // 2, len(RULES) - 1])
def test_version_changes_when_any_rule_changes(change, index):
    changed = list(RULES)
    changed[index] = dataclasses.replace(changed[index], **change)
    assert build_rules_version(changed) != RULES_VERSION


def test_version_changes_when_a_rule_is_added_removed_or_moved():
    assert build_rules_version(RULES[:-1]) != RULES_VERSION
    assert build_rules_version((*RULES, RULES[0])) != RULES_VERSION
    assert build_rules_version((RULES[1], RULES[0], *RULES[2:])) != RULES_VERSION


def test_version_changes_with_the_manual_semver():
    assert build_rules_version(RULES, semver="2099.9") != RULES_VERSION


def test_decisions_carry_the_version():
    decision = route(Concern("ishoej"), directory=load(), on=date(2025, 1, 1))
    assert decision.rules_version == RULES_VERSION
    assert decision.to_dict()["rules_version"] == RULES_VERSION


def test_catalogue_is_well_formed():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.match(r"^R[1-9]-[a-z0-9-]+$", rule.id), rule.id
        assert rule.statement_da.strip()
        assert rule.statement_en.strip()
        # Every rule cites a seed file (000-004), optionally with a section.
        assert re.match(r"^00[0-4]\b", rule.source), rule.source
        assert rule.effective_until is None or rule.effective_from <= rule.effective_until


def test_barnets_lov_rules_hand_over_on_1_april_2024():
    by_id = {rule.id: rule for rule in RULES}
    new, old = by_id["R2-notify-child"], by_id["R2-notify-child-pre2024"]
    for day in (date(2024, 3, 31), date(2024, 4, 1), date(2019, 1, 1), date(2029, 1, 1)):
        assert new.in_force(day) != old.in_force(day), day
    assert new.in_force(date(2024, 4, 1))
    assert old.in_force(date(2024, 3, 31))
