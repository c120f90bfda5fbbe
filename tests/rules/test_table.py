"""A decision table covering every principle of the routing contract for all three municipalities.

Each row gives the full expected actions (in order) and legal bases, so a change anywhere in the
rules shows up as a failing row. ``contacts`` optionally pins (action, phone, email) triples taken
from the source documents.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from learning.rules import Concern, load_default_directory, route

DIRECTORY = load_default_directory()
ON = date(2025, 1, 15)  # after Barnets Lov took effect (003 §1.3)
BEFORE_BARNETS_LOV = date(2024, 3, 31)

S1 = ("attitudes.rejects_democracy",)
S2 = ("attitudes.rejects_democracy", "relations.dropped_friends")

NOTIFY = "notify_children_services"
LOCAL = "local_prevention_unit"
LEADER = "inform_leader"
HOTLINE = "national_hotline"
EXIT = "exit_programme"
OBSERVE = "observe_and_discuss"
GENERAL = "general_prevention"


@dataclass(frozen=True)
class Row:
    id: str
    municipality: str
    concern: dict[str, Any]
    actions: tuple[str, ...]
    legal: tuple[str, ...] = ()
    level: str = "specific"
    urgency: str = "non_acute"
    timing: str = "now"
    on: date = ON
    contacts: tuple[tuple[str, str, str], ...] = field(default=())


ACUTE = {"urgency": "acute", "level": "targeted"}

ROWS = [
    # Principle 1: acute goes to the police, first.
    Row("p1-koege-adult-114", "koege", {"age": 34, "illegal_act": "suspected"}, ("police_114",),
        ("straffeloven_114",), **ACUTE, contacts=(("police_114", "114", ""),)),
    Row("p1-ishoej-adult-112", "ishoej", {"age": 34, "illegal_act": "suspected", "danger_to_life": True},
        ("police_112",), ("straffeloven_114",), **ACUTE, contacts=(("police_112", "112", ""),)),
    Row("p1-roedovre-adult-114-leader", "roedovre", {"age": 34, "illegal_act": "suspected"},
        ("police_114", LEADER), ("straffeloven_114",), **ACUTE),
    Row("p1-koege-danger-only-112", "koege", {"age": 40, "danger_to_life": True}, ("police_112",), (),
        **ACUTE),
    Row("p1-koege-outside-hours-still-now", "koege",
        {"age": 30, "illegal_act": "suspected", "within_opening_hours": False}, ("police_114",),
        ("straffeloven_114",), **ACUTE),
    Row("p1-ishoej-outside-hours-still-now", "ishoej",
        {"age": 30, "illegal_act": "suspected", "within_opening_hours": False, "signs": S2},
        ("police_114",), ("straffeloven_114", "serviceloven_12b"), **ACUTE),
    Row("p1-roedovre-citizen-police-then-hotline", "roedovre",
        {"age": 15, "reporter": "citizen", "illegal_act": "suspected"}, ("police_114", HOTLINE),
        ("straffeloven_114",), **ACUTE),
    # Principle 2: duties add up.
    Row("p2-koege-child-acute-police-and-notify", "koege", {"age": 15, "illegal_act": "suspected"},
        ("police_114", NOTIFY), ("straffeloven_114", "barnets_lov_133"), **ACUTE),
    Row("p2-ishoej-unknown-age-acute", "ishoej",
        {"illegal_act": "suspected", "danger_to_life": True}, ("police_112", NOTIFY),
        ("straffeloven_114", "barnets_lov_133"), **ACUTE,
        contacts=(("police_112", "112", ""), (NOTIFY, "43 57 75 78", "underretning@ishoj.dk"))),
    Row("p2-roedovre-child-acute", "roedovre", {"age": 12, "illegal_act": "suspected"},
        ("police_114", LEADER, NOTIFY), ("straffeloven_114", "barnets_lov_133"), **ACUTE),
    Row("p2-koege-before-barnets-lov", "koege", {"age": 17, "signs": S2}, (NOTIFY,),
        ("serviceloven_153",), on=BEFORE_BARNETS_LOV),
    Row("p2-ishoej-on-barnets-lov-day", "ishoej", {"age": 17, "signs": S2}, (NOTIFY, LOCAL),
        ("barnets_lov_133", "retsplejeloven_115"), on=date(2024, 4, 1)),
    Row("p2-roedovre-before-barnets-lov", "roedovre", {"age": 10, "signs": S2}, (LEADER, NOTIFY, LOCAL),
        ("serviceloven_153", "retsplejeloven_115"), on=BEFORE_BARNETS_LOV),
    Row("p2-koege-citizen-no-duty", "koege", {"age": 15, "reporter": "citizen", "signs": S2}, (HOTLINE,)),
    # Principle 3: several signs at once.
    Row("p3-koege-no-signs", "koege", {"age": 15}, (GENERAL,), level="general"),
    Row("p3-ishoej-no-signs-adult", "ishoej", {"age": 40}, (GENERAL,), level="general"),
    Row("p3-roedovre-no-signs-no-leader", "roedovre", {"age": 16}, (GENERAL,), level="general"),
    Row("p3-koege-one-sign", "koege", {"age": 15, "signs": S1}, (OBSERVE,)),
    Row("p3-roedovre-one-sign-no-leader", "roedovre", {"age": 16, "signs": S1}, (OBSERVE,)),
    Row("p3-ishoej-one-sign-unknown-age", "ishoej", {"signs": S1}, (OBSERVE,)),
    Row("p3-koege-duplicate-sign-is-one", "koege", {"age": 15, "signs": S1 + S1}, (OBSERVE,)),
    Row("p3-koege-milieu-without-signs", "koege", {"age": 15, "in_extremist_milieu": True}, (NOTIFY,),
        ("barnets_lov_133",), level="targeted"),
    Row("p3-ishoej-milieu-adult", "ishoej", {"age": 30, "in_extremist_milieu": True}, (LOCAL,),
        ("serviceloven_12b", "retsplejeloven_115"), level="targeted"),
    Row("p3-roedovre-milieu-one-sign", "roedovre", {"age": 30, "in_extremist_milieu": True, "signs": S1},
        (LEADER, LOCAL), ("serviceloven_12b", "retsplejeloven_115"), level="targeted",
        contacts=((LOCAL, "36 37 76 13", "cn20454@rk.dk"),)),
    # Principle 4: age decides the channel (18 is the boundary).
    Row("p4-koege-18", "koege", {"age": 18, "signs": S2}, (LOCAL,),
        ("serviceloven_12b", "retsplejeloven_115"), contacts=((LOCAL, "", "infohuskoege@koege.dk"),)),
    Row("p4-koege-17", "koege", {"age": 17, "signs": S2}, (NOTIFY,), ("barnets_lov_133",)),
    Row("p4-koege-unknown-age", "koege", {"signs": S2}, (NOTIFY,), ("barnets_lov_133",)),
    Row("p4-ishoej-18", "ishoej", {"age": 18, "signs": S2}, (LOCAL,),
        ("serviceloven_12b", "retsplejeloven_115"), contacts=((LOCAL, "43 57 75 55", "tk@ishoj.dk"),)),
    Row("p4-ishoej-16-unit-and-notify", "ishoej", {"age": 16, "signs": S2}, (NOTIFY, LOCAL),
        ("barnets_lov_133", "retsplejeloven_115"),
        contacts=((NOTIFY, "43 57 75 78", "underretning@ishoj.dk"), (LOCAL, "43 57 75 55", "tk@ishoj.dk"))),
    Row("p4-roedovre-19", "roedovre", {"age": 19, "signs": S2}, (LEADER, LOCAL),
        ("serviceloven_12b", "retsplejeloven_115")),
    # Principle 5: local procedure is data (Rødovre: leader first; SSP under 18, SSP+ adults;
    # Ishøj: the Stabsenhed as well as the notification; Køge: the notification alone).
    Row("p5-koege-child-notification-only", "koege", {"age": 14, "signs": S2}, (NOTIFY,),
        ("barnets_lov_133",), contacts=((NOTIFY, "", ""),)),
    Row("p5-ishoej-child-also-stabsenhed", "ishoej", {"signs": S2}, (NOTIFY, LOCAL),
        ("barnets_lov_133", "retsplejeloven_115"), contacts=((LOCAL, "43 57 75 55", "tk@ishoj.dk"),)),
    Row("p5-roedovre-18-sspplus", "roedovre", {"age": 18, "signs": S2}, (LEADER, LOCAL),
        ("serviceloven_12b", "retsplejeloven_115"), contacts=((LOCAL, "36 37 76 13", "cn20454@rk.dk"),)),
    Row("p5-roedovre-17-ssp", "roedovre", {"age": 17, "signs": S2}, (LEADER, NOTIFY, LOCAL),
        ("barnets_lov_133", "retsplejeloven_115"),
        contacts=((NOTIFY, "", ""), (LOCAL, "36 37 77 18", "cn16511@rk.dk"))),
    Row("p5-roedovre-unknown-age-ssp", "roedovre", {"signs": S2}, (LEADER, NOTIFY, LOCAL),
        ("barnets_lov_133", "retsplejeloven_115"),
        contacts=((NOTIFY, "", ""), (LOCAL, "36 37 77 18", "cn16511@rk.dk"))),
    # Principle 6: citizens go to the national hotline (hours from that municipality's source).
    Row("p6-ishoej-citizen-adult", "ishoej", {"age": 30, "reporter": "citizen", "signs": S2}, (HOTLINE,),
        ("serviceloven_12b",), contacts=((HOTLINE, "41 74 90 90", ""),)),
    Row("p6-roedovre-citizen-one-sign", "roedovre", {"age": 16, "reporter": "citizen", "signs": S1},
        (HOTLINE, OBSERVE), contacts=((HOTLINE, "41 74 90 90", ""),)),
    Row("p6-koege-citizen-nothing", "koege", {"reporter": "citizen"}, (GENERAL,), level="general"),
    Row("p6-koege-citizen-outside-hours", "koege",
        {"age": 15, "reporter": "citizen", "signs": S2, "within_opening_hours": False}, (HOTLINE,),
        timing="next_working_day"),
    # Principle 7: a general concern about a group goes to the local unit; no child to notify.
    Row("p7-koege-group", "koege", {"subject": "group", "signs": S2}, (LOCAL,), ("retsplejeloven_115",),
        contacts=((LOCAL, "", "infohuskoege@koege.dk"),)),
    Row("p7-ishoej-group-no-signs", "ishoej", {"subject": "group"}, (LOCAL, GENERAL),
        ("retsplejeloven_115",), level="general", contacts=((LOCAL, "43 57 75 55", "tk@ishoj.dk"),)),
    Row("p7-roedovre-group-one-sign", "roedovre", {"subject": "group", "signs": S1}, (LEADER, LOCAL),
        ("retsplejeloven_115",)),
    Row("p7-roedovre-group-acute", "roedovre", {"subject": "group", "illegal_act": "suspected"},
        ("police_114", LEADER), ("straffeloven_114",), **ACUTE),
    Row("p7-koege-group-age-ignored", "koege", {"subject": "group", "age": 15, "signs": S2}, (LOCAL,),
        ("retsplejeloven_115",)),
    Row("p7-ishoej-citizen-group", "ishoej", {"subject": "group", "reporter": "citizen", "signs": S2},
        (LOCAL, HOTLINE), ("retsplejeloven_115",)),
    # Principle 8: exit and after-care.
    Row("p8-koege-adult-exit", "koege", {"age": 25, "wants_exit": True}, (LOCAL, EXIT),
        ("serviceloven_12b", "retsplejeloven_115"), level="targeted",
        contacts=((LOCAL, "", "infohuskoege@koege.dk"), (EXIT, "", "infohuskoege@koege.dk"))),
    Row("p8-ishoej-child-returnee", "ishoej", {"age": 16, "returnee": True}, (NOTIFY, LOCAL, EXIT),
        ("barnets_lov_133", "retsplejeloven_115"), level="targeted",
        contacts=((NOTIFY, "43 57 75 78", "underretning@ishoj.dk"), (LOCAL, "43 57 75 55", "tk@ishoj.dk"),
                  (EXIT, "43 57 75 55", "tk@ishoj.dk"))),
    Row("p8-roedovre-adult-returnee", "roedovre", {"age": 30, "returnee": True}, (LEADER, LOCAL, EXIT),
        ("serviceloven_12b", "retsplejeloven_115"), level="targeted",
        contacts=((LOCAL, "36 37 76 13", "cn20454@rk.dk"), (EXIT, "72 58 74 19", "kbhv-exit@politi.dk"))),
    Row("p8-koege-child-exit", "koege", {"age": 16, "wants_exit": True}, (NOTIFY, LOCAL, EXIT),
        ("barnets_lov_133", "retsplejeloven_115"), level="targeted"),
    Row("p8-roedovre-citizen-exit", "roedovre", {"age": 20, "reporter": "citizen", "wants_exit": True},
        (LOCAL, EXIT, HOTLINE), ("serviceloven_12b", "retsplejeloven_115"), level="targeted"),
    Row("p8-ishoej-acute-exit-adds-up", "ishoej", {"age": 22, "wants_exit": True, "illegal_act": "suspected"},
        ("police_114", LOCAL, EXIT), ("straffeloven_114", "serviceloven_12b", "retsplejeloven_115"), **ACUTE),
    # Principle 9: non-acute outside opening hours waits for the next working day.
    Row("p9-koege-adult", "koege", {"age": 30, "signs": S2, "within_opening_hours": False}, (LOCAL,),
        ("serviceloven_12b", "retsplejeloven_115"), timing="next_working_day"),
    Row("p9-ishoej-one-sign", "ishoej", {"age": 15, "signs": S1, "within_opening_hours": False}, (OBSERVE,),
        timing="next_working_day"),
    Row("p9-roedovre-child", "roedovre", {"age": 16, "signs": S2, "within_opening_hours": False},
        (LEADER, NOTIFY, LOCAL), ("barnets_lov_133", "retsplejeloven_115"), timing="next_working_day"),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_decision_table(row: Row):
    decision = route(Concern(row.municipality, **row.concern), directory=DIRECTORY, on=row.on)

    assert decision.actions == row.actions
    assert decision.legal_basis == row.legal
    assert (decision.level, decision.urgency, decision.timing) == (row.level, row.urgency, row.timing)
    resolved = {c.action: (c.phone, c.email) for c in decision.contacts}
    for action, phone, email in row.contacts:
        assert resolved[action] == (phone, email), action


def test_table_covers_every_principle_in_every_municipality():
    covered = {(row.id.split("-")[0], row.municipality) for row in ROWS}
    for principle in [f"p{n}" for n in range(1, 10)]:
        for municipality in DIRECTORY.slugs:
            assert (principle, municipality) in covered, (principle, municipality)
    assert len(ROWS) >= 40


def test_hotline_hours_follow_each_municipalitys_own_source():
    # 000 (Ishøj) says 08-22, 002 (Rødovre) says 08-21; Køge's 003 gives none, so it uses 000.
    hours = {}
    for slug in DIRECTORY.slugs:
        decision = route(Concern(slug, age=30, reporter="citizen", signs=S2), directory=DIRECTORY, on=ON)
        (hotline,) = decision.contacts
        hours[slug] = (hotline.hours, hotline.source)
    assert hours == {
        "koege": ("Dagligt kl. 8.00–22.00", "000"),
        "ishoej": ("Dagligt kl. 8.00–22.00", "000"),
        "roedovre": ("Dagligt kl. 8.00–21.00", "002"),
    }
