"""The municipal directory: data loading, validation, age resolution and completeness."""

import dataclasses
import json
import re
from pathlib import Path

import pytest

from learning.rules import CONTACT_ACTIONS, Directory, DirectoryError, load_default_directory
from learning.rules.directory import DEFAULT_DIRECTORY_PATH

DIRECTORY = load_default_directory()
RAW = json.loads(DEFAULT_DIRECTORY_PATH.read_text(encoding="utf-8"))
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"  # shared/ lies beside the repository


def test_three_municipalities():
    assert DIRECTORY.slugs == ("koege", "ishoej", "roedovre")
    assert "koege" in DIRECTORY
    assert "aarhus" not in DIRECTORY


@pytest.mark.parametrize("slug", ["koege", "ishoej", "roedovre"])
def test_no_missing_contacts(slug):
    assert DIRECTORY.missing_contacts(slug) == []


def test_missing_contacts_reports_gaps():
    data = json.loads(json.dumps(RAW))
    ishoej = next(m for m in data["municipalities"] if m["slug"] == "ishoej")
    # Drop the adult Stabsenhed entry and the hotline.
    ishoej["contacts"] = [
        c for c in ishoej["contacts"] if not (c["action"] == "local_prevention_unit" and c["min_age"] == 18)
    ]
    ishoej["contacts"] = [c for c in ishoej["contacts"] if c["action"] != "national_hotline"]
    directory = Directory.from_dict(data)
    assert directory.missing_contacts("ishoej") == ["local_prevention_unit", "national_hotline"]
    assert directory.missing_contacts("koege") == []


def test_missing_contacts_finds_an_age_gap_in_the_middle():
    municipality = DIRECTORY["roedovre"]
    ssp, ssp_plus = [c for c in municipality.contacts if c.action == "local_prevention_unit"]
    gapped = dataclasses.replace(
        municipality,
        contacts=(
            *(c for c in municipality.contacts if c.action != "local_prevention_unit"),
            dataclasses.replace(ssp, max_age=12),
            ssp_plus,
        ),
    )
    assert gapped.missing_contacts() == ["local_prevention_unit"]


@pytest.mark.parametrize(
    ("age", "phone", "email"),
    [(None, "36 37 77 18", "cn16511@rk.dk"), (0, "36 37 77 18", "cn16511@rk.dk"),
     (17, "36 37 77 18", "cn16511@rk.dk"), (18, "36 37 76 13", "cn20454@rk.dk"),
     (25, "36 37 76 13", "cn20454@rk.dk"), (90, "36 37 76 13", "cn20454@rk.dk")],
)  # fmt: skip
def test_roedovre_splits_ssp_and_ssp_plus_by_age(age, phone, email):
    point = DIRECTORY["roedovre"].contact_for("local_prevention_unit", age)
    assert point is not None
    assert (point.phone, point.email) == (phone, email)


def test_every_municipality_has_police_and_hotline():
    for municipality in DIRECTORY:
        assert municipality.contact_for("police_112", 30).phone == "112"
        assert municipality.contact_for("police_114", 30).phone == "114"
        assert municipality.contact_for("national_hotline", 30).phone == "41 74 90 90"


def test_contacts_named_in_the_sources_are_present():
    pairs = {(m.slug, c.phone, c.email) for m in DIRECTORY for c in m.contacts}
    for expected in [
        ("koege", "", "infohuskoege@koege.dk"),
        ("ishoej", "43 57 75 55", "tk@ishoj.dk"),
        ("ishoej", "43 57 75 78", "underretning@ishoj.dk"),
        ("roedovre", "72 58 74 19", "kbhv-exit@politi.dk"),
        ("roedovre", "36 37 77 18", "cn16511@rk.dk"),
        ("roedovre", "36 37 76 13", "cn20454@rk.dk"),
    ]:
        assert expected in pairs


def test_procedures_are_data():
    flags = {m.slug: (m.procedure.leader_first, m.procedure.child_also_local_unit) for m in DIRECTORY}
    assert flags == {"koege": (False, False), "ishoej": (False, True), "roedovre": (True, True)}


def test_round_trip():
    assert Directory.from_dict(DIRECTORY.to_dict()) == DIRECTORY
    assert DIRECTORY.to_dict() == RAW


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not available")
def test_no_invented_phone_numbers_or_emails():
    seeds = {path.name[:3]: path.read_text(encoding="utf-8") for path in SEEDS.glob("0*.txt")}
    for municipality in DIRECTORY:
        for contact in municipality.contacts:
            assert contact.source in seeds, contact
            text = seeds[contact.source]
            if contact.email:
                assert contact.email in text, contact
            if contact.phone:
                # Phone spacing differs between sources ("43577555", "36 37 7613").
                assert _digits(contact.phone) in _digits(text), contact


BAD_DIRECTORIES = [
    ("root-not-object", [], "directory"),
    ("municipalities-not-list", {"municipalities": {}}, "directory.municipalities"),
    ("unknown-municipality-key", {"municipalities": [{"slug": "x", "name": "X", "colour": "red"}]},
     "municipalities[0].colour"),
    ("missing-name", {"municipalities": [{"slug": "x"}]}, "municipalities[0].name"),
    ("flag-not-bool", {"municipalities": [{"slug": "x", "name": "X", "procedure": {"leader_first": 1}}]},
     "municipalities[0].procedure.leader_first"),
    ("unknown-action", {"municipalities": [{"slug": "x", "name": "X", "contacts": [
        {"action": "observe_and_discuss", "name": "n", "source": "002"}]}]},
     "municipalities[0].contacts[0].action"),
    ("bad-age", {"municipalities": [{"slug": "x", "name": "X", "contacts": [
        {"action": "police_114", "name": "n", "source": "002", "min_age": True}]}]},
     "municipalities[0].contacts[0].min_age"),
    ("inverted-ages", {"municipalities": [{"slug": "x", "name": "X", "contacts": [
        {"action": "police_114", "name": "n", "source": "002", "min_age": 18, "max_age": 17}]}]},
     "municipalities[0].contacts[0].max_age"),
    ("bad-applies-to", {"municipalities": [{"slug": "x", "name": "X", "contacts": [
        {"action": "police_114", "name": "n", "source": "002", "applies_to": "all"}]}]},
     "municipalities[0].contacts[0].applies_to"),
    ("missing-source", {"municipalities": [{"slug": "x", "name": "X", "contacts": [
        {"action": "police_114", "name": "n"}]}]}, "municipalities[0].contacts[0].source"),
    ("duplicate-slug", {"municipalities": [{"slug": "x", "name": "X"}, {"slug": "x", "name": "Y"}]},
     "municipalities[1].slug"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "where"), [(d, w) for _, d, w in BAD_DIRECTORIES],
                         ids=[i for i, _, _ in BAD_DIRECTORIES])  # fmt: skip
def test_bad_directory_data_is_rejected_with_its_path(data, where):
    with pytest.raises(DirectoryError) as caught:
        Directory.from_dict(data)
    assert str(caught.value).startswith(f"{where}:")


def test_only_contact_actions_in_the_data():
    for municipality in DIRECTORY:
        assert {c.action for c in municipality.contacts} == set(CONTACT_ACTIONS)
