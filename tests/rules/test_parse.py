"""``parse_concern``: strict validation of JSON-decoded input, naming the offending field."""

import json

import pytest

from learning.rules import Concern, ConcernInputError, load_default_directory, parse_concern

KNOWN = load_default_directory().slugs
OK = {"municipality": "koege"}


def parse(data):
    return parse_concern(data, known_municipalities=KNOWN)


BAD_INPUTS = [
    ("not-an-object-list", [OK], "input"),
    ("not-an-object-string", "koege", "input"),
    ("not-an-object-null", None, "input"),
    ("unknown-key", {**OK, "name": "Ali"}, "name"),
    ("unknown-key-reported-before-missing-municipality", {"agee": 3}, "agee"),
    ("missing-municipality", {"age": 3}, "municipality"),
    ("municipality-not-string", {"municipality": 5}, "municipality"),
    ("municipality-empty", {"municipality": ""}, "municipality"),
    ("municipality-unknown", {"municipality": "aarhus"}, "municipality"),
    ("municipality-wrong-case", {"municipality": "Koege"}, "municipality"),
    ("subject-unknown", {**OK, "subject": "people"}, "subject"),
    ("subject-null", {**OK, "subject": None}, "subject"),
    ("age-bool-true", {**OK, "age": True}, "age"),
    ("age-bool-false", {**OK, "age": False}, "age"),
    ("age-negative", {**OK, "age": -1}, "age"),
    ("age-float", {**OK, "age": 15.0}, "age"),
    ("age-string", {**OK, "age": "15"}, "age"),
    ("reporter-unknown", {**OK, "reporter": "police"}, "reporter"),
    ("signs-string", {**OK, "signs": "attitudes.intolerance"}, "signs"),
    ("signs-object", {**OK, "signs": {"attitudes.intolerance": True}}, "signs"),
    ("signs-null", {**OK, "signs": None}, "signs"),
    ("signs-item-not-string", {**OK, "signs": ["attitudes.intolerance", 1]}, "signs[1]"),
    ("signs-item-unknown", {**OK, "signs": ["attitudes.intolerance", "relations.dropped_friends", "x"]},
     "signs[2]"),
    ("signs-item-group-only", {**OK, "signs": ["attitudes"]}, "signs[0]"),
    ("illegal-act-bool", {**OK, "illegal_act": True}, "illegal_act"),
    ("illegal-act-unknown", {**OK, "illegal_act": "yes"}, "illegal_act"),
    ("danger-int", {**OK, "danger_to_life": 1}, "danger_to_life"),
    ("danger-string", {**OK, "danger_to_life": "true"}, "danger_to_life"),
    ("milieu-null", {**OK, "in_extremist_milieu": None}, "in_extremist_milieu"),
    ("wants-exit-int", {**OK, "wants_exit": 0}, "wants_exit"),
    ("returnee-string", {**OK, "returnee": "no"}, "returnee"),
    ("opening-hours-int", {**OK, "within_opening_hours": 1}, "within_opening_hours"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "field"), [(d, f) for _, d, f in BAD_INPUTS], ids=[i for i, _, _ in BAD_INPUTS]
)
def test_bad_input_names_the_field(data, field):
    with pytest.raises(ConcernInputError) as caught:
        parse(data)
    error = caught.value
    assert error.field == field
    assert str(error) == f"{field}: {error.message}"
    assert error.message
    assert error.message_da
    assert isinstance(error, ValueError)


def test_error_text_for_age():
    with pytest.raises(ConcernInputError) as caught:
        parse({**OK, "age": -3})
    assert str(caught.value) == "age: must be an integer >= 0 or null"
    assert caught.value.text_da == "age: skal være et heltal >= 0 eller null"


def test_unknown_municipality_lists_the_known_ones():
    with pytest.raises(ConcernInputError) as caught:
        parse({"municipality": "aarhus"})
    assert "ishoej, koege, roedovre" in caught.value.message


def test_defaults():
    assert parse({"municipality": "ishoej"}) == Concern(
        municipality="ishoej",
        subject="person",
        age=None,
        reporter="employee",
        signs=(),
        illegal_act="none",
        danger_to_life=False,
        in_extremist_milieu=False,
        wants_exit=False,
        returnee=False,
        within_opening_hours=True,
    )


def test_full_valid_input_from_json():
    raw = json.loads(
        """{"municipality": "roedovre", "subject": "person", "age": 0, "reporter": "citizen",
            "signs": ["relations.dropped_friends", "attitudes.intolerance", "relations.dropped_friends"],
            "illegal_act": "suspected", "danger_to_life": false, "in_extremist_milieu": true,
            "wants_exit": true, "returnee": false, "within_opening_hours": false}"""
    )
    concern = parse(raw)
    assert concern.age == 0
    # Sorted and deduplicated, so equal concerns compare equal.
    assert concern.signs == ("attitudes.intolerance", "relations.dropped_friends")
    assert concern.illegal_act == "suspected"
    assert concern.within_opening_hours is False


def test_null_age_is_unknown():
    assert parse({**OK, "age": None}).age is None


def test_parse_round_trips_through_to_dict():
    concern = parse({**OK, "age": 12, "signs": ["behaviour.crime_risk"]})
    assert parse(concern.to_dict()) == concern


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"age": -1}, "age"),
        ({"age": True}, "age"),
        ({"subject": "crowd"}, "subject"),
        ({"signs": ("nope",)}, "signs[0]"),
        ({"signs": "attitudes.intolerance"}, "signs"),
        ({"returnee": 1}, "returnee"),
        ({"reporter": "parent"}, "reporter"),
    ],
)
def test_constructing_a_concern_directly_is_validated_too(kwargs, field):
    with pytest.raises(ConcernInputError) as caught:
        Concern("koege", **kwargs)
    assert caught.value.field == field
