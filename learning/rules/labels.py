"""The closed vocabularies of the routing contract: sign codes, actions, legal bases, levels.

Wording in Danish is quoted from the source documents (``shared/seeds`` beside the repository) or the routing
contract table; the English labels are ours. The order of every mapping is meaningful: it is the
order in which the UI lists them and, for ``ACTIONS``, the order in which a decision lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

SignGroupCode = Literal["attitudes", "behaviour", "relations"]
Level = Literal["general", "specific", "targeted"]
Urgency = Literal["acute", "non_acute"]
Timing = Literal["now", "next_working_day"]
ActionCode = Literal[
    "police_112",
    "police_114",
    "inform_leader",
    "notify_children_services",
    "local_prevention_unit",
    "exit_programme",
    "national_hotline",
    "observe_and_discuss",
    "general_prevention",
]
LegalCode = Literal[
    "straffeloven_114",
    "barnets_lov_133",
    "serviceloven_153",
    "serviceloven_12b",
    "retsplejeloven_115",
]
Subject = Literal["person", "group"]
Reporter = Literal["employee", "citizen"]
IllegalAct = Literal["none", "suspected"]

SUBJECTS: tuple[Subject, ...] = get_args(Subject)
REPORTERS: tuple[Reporter, ...] = get_args(Reporter)
ILLEGAL_ACTS: tuple[IllegalAct, ...] = get_args(IllegalAct)


@dataclass(frozen=True, slots=True)
class Label:
    """A code with its Danish and English label."""

    code: str
    label_da: str
    label_en: str


@dataclass(frozen=True, slots=True)
class Sign:
    """A warning sign (bekymringstegn) as worded in the sources."""

    code: str
    group: SignGroupCode
    label_da: str
    label_en: str
    source: str


@dataclass(frozen=True, slots=True)
class ActionInfo:
    code: ActionCode
    label_da: str
    label_en: str
    description_da: str
    # Whether the decision must resolve someone to contact for this action from the directory.
    needs_contact: bool


@dataclass(frozen=True, slots=True)
class LegalBasis:
    code: LegalCode
    label_da: str
    label_en: str
    source: str


SIGN_GROUPS: Mapping[SignGroupCode, Label] = MappingProxyType(
    {
        "attitudes": Label("attitudes", "Holdninger", "Attitudes"),
        "behaviour": Label("behaviour", "Adfærd", "Behaviour"),
        "relations": Label("relations", "Relationer", "Relations"),
    }
)

_BOTH = "002 §3; 004 bilag I"
_ROEDOVRE_ONLY = "002 §3"  # 004's shorter list in annex I leaves these two out

SIGNS: Mapping[str, Sign] = MappingProxyType(
    {
        sign.code: sign
        for sign in (
            Sign(
                "attitudes.intolerance",
                "attitudes",
                "intolerant over for andres synspunkter",
                "intolerant of other people's views",
                _BOTH,
            ),
            Sign(
                "attitudes.rejects_democracy",
                "attitudes",
                "afviser demokratiske principper",
                "rejects democratic principles",
                _BOTH,
            ),
            Sign(
                "attitudes.moralising",
                "attitudes",
                "moraliserende, prøver at pådutte andre sin overbevisning",
                "moralising, tries to impose their convictions on others",
                _BOTH,
            ),
            Sign(
                "attitudes.conspiracy_enemy_images",
                "attitudes",
                "konspirationsteorier, simple fjendebilleder og had mod bestemte grupper",
                "conspiracy theories, simple enemy images and hatred of particular groups",
                _BOTH,
            ),
            Sign(
                "attitudes.absolute_solutions",
                "attitudes",
                "argumenterer for absolutte løsninger",
                "argues for absolute solutions",
                _BOTH,
            ),
            Sign(
                "attitudes.grievance_legitimation",
                "attitudes",
                "legitimerer holdningerne med indignation over forhold i samfundet eller verden",
                "legitimises the views with indignation about conditions in society or the world",
                _ROEDOVRE_ONLY,
            ),
            Sign(
                "behaviour.extremist_material",
                "behaviour",
                "opsøger hjemmesider, litteratur eller film med voldelige/ekstreme budskaber",
                "seeks out websites, literature or films with violent/extreme messages",
                _BOTH,
            ),
            Sign(
                "behaviour.extremist_meetings",
                "behaviour",
                "deltager i møder/begivenheder med ekstremistiske budskaber",
                "takes part in meetings/events with extremist messages",
                _BOTH,
            ),
            Sign(
                "behaviour.totalitarian_symbols",
                "behaviour",
                "benytter totalitære symboler (påklædning, tatoveringer, plakater)",
                "uses totalitarian symbols (clothing, tattoos, posters)",
                _BOTH,
            ),
            Sign(
                "behaviour.violent_clashes",
                "behaviour",
                "involveret i voldelige sammenstød",
                "involved in violent clashes",
                _BOTH,
            ),
            Sign(
                "behaviour.crime_risk",
                "behaviour",
                "involveret i vold, kriminalitet eller anden alvorlig risikoadfærd",
                "involved in violence, crime or other serious risk behaviour",
                _ROEDOVRE_ONLY,
            ),
            Sign(
                "relations.family_isolation",
                "relations",
                "isoleret eller splittet i forhold til familien",
                "isolated from or split with the family",
                _BOTH,
            ),
            Sign(
                "relations.concerning_contacts",
                "relations",
                "nye venner/relationer, der giver anledning til bekymring",
                "new friends/relations that give cause for concern",
                _BOTH,
            ),
            Sign(
                "relations.dropped_friends",
                "relations",
                "har givet afkald på hidtidige venner og fritidsaktiviteter",
                "has given up former friends and leisure activities",
                _BOTH,
            ),
        )
    }
)

ACTIONS: Mapping[ActionCode, ActionInfo] = MappingProxyType(
    {
        info.code: info
        for info in (
            ActionInfo(
                "police_112",
                "Ring 112",
                "Call 112",
                "Nødopkald til politiet: der er fare for liv eller sikkerhed lige nu.",
                needs_contact=True,
            ),
            ActionInfo(
                "police_114",
                "Ring til politiet på 114",
                "Call the police on 114",
                "Akut henvendelse til politiet, når der ikke er fare for liv lige nu.",
                needs_contact=True,
            ),
            ActionInfo(
                "inform_leader",
                "Informér din leder",
                "Inform your leader",
                "Fortæl din egen leder om bekymringen; lederen tager den videre.",
                needs_contact=False,
            ),
            ActionInfo(
                "notify_children_services",
                "Underret kommunen om barnet",
                "Notify children's services",
                "Underretning til kommunens børne- og familieområde om et barn eller en ung under 18 år.",
                needs_contact=True,
            ),
            ActionInfo(
                "local_prevention_unit",
                "Kontakt den lokale enhed",
                "Contact the local prevention unit",
                "Kommunens enhed for bekymringer om radikalisering (Infohus, kriminalitetsforebyggelse, "
                "SSP eller SSP+).",
                needs_contact=True,
            ),
            ActionInfo(
                "exit_programme",
                "Exit og efterværn",
                "Exit programme and after-care",
                "Støtte til at forlade et ekstremistisk miljø eller efter hjemkomst fra en konfliktzone.",
                needs_contact=True,
            ),
            ActionInfo(
                "national_hotline",
                "Ring til Den Nationale Hotline",
                "Call the national hotline",
                "Rådgivning (også anonymt); hotlinen sender begrundede bekymringer videre til det lokale "
                "Infohus.",
                needs_contact=True,
            ),
            ActionInfo(
                "observe_and_discuss",
                "Observér og drøft",
                "Observe and discuss",
                "Ingen henvisning endnu: hold øje, tal med den unge, kolleger eller din leder.",
                needs_contact=False,
            ),
            ActionInfo(
                "general_prevention",
                "Generel forebyggelse",
                "General prevention",
                "Intet individuelt: det almindelige, opbyggende forebyggende arbejde.",
                needs_contact=False,
            ),
        )
    }
)

# Actions that send the concern to someone else. "observe_and_discuss", "general_prevention",
# "inform_leader" (internal) and "national_hotline" (advice, possibly anonymous) are not referrals.
REFERRAL_ACTIONS: frozenset[ActionCode] = frozenset(
    {"police_112", "police_114", "notify_children_services", "local_prevention_unit", "exit_programme"}
)
CONTACT_ACTIONS: tuple[ActionCode, ...] = tuple(code for code, info in ACTIONS.items() if info.needs_contact)

LEGAL_BASES: Mapping[LegalCode, LegalBasis] = MappingProxyType(
    {
        basis.code: basis
        for basis in (
            LegalBasis(
                "straffeloven_114",
                "Straffelovens § 114 (terrorisme)",
                "Criminal Code s. 114 (terrorism)",
                "003 §3.1",
            ),
            LegalBasis(
                "barnets_lov_133",
                "Barnets Lov § 133 (offentligt ansattes skærpede underretningspligt)",
                "Children's Act s. 133 (public employees' stricter duty to notify)",
                "003 §1.3; 004 bilag I",
            ),
            LegalBasis(
                "serviceloven_153",
                "Servicelovens § 153 (skærpet underretningspligt, gældende til 1. april 2024)",
                "Social Services Act s. 153 (stricter duty to notify, in force until 1 April 2024)",
                "003 §1.3; 004 bilag I",
            ),
            LegalBasis(
                "serviceloven_12b",
                "Servicelovens § 12 b (gratis, målrettet rådgivning til personer over 18 år)",
                "Social Services Act s. 12 b (free, targeted advice for people over 18)",
                "003 §1.1, §1.3",
            ),
            LegalBasis(
                "retsplejeloven_115",
                "Retsplejelovens § 115 (udveksling af oplysninger i SSP/PSP/KSP uden samtykke)",
                "Administration of Justice Act s. 115 (information exchange in SSP/PSP/KSP without consent)",
                "003 §1.3, §3.1",
            ),
        )
    }
)

LEVELS: Mapping[Level, Label] = MappingProxyType(
    {
        "general": Label("general", "Generel (opbyggende) forebyggelse", "General prevention"),
        "specific": Label("specific", "Specifik (foregribende) forebyggelse", "Specific prevention"),
        "targeted": Label("targeted", "Målrettet (indgribende) indsats", "Targeted intervention"),
    }
)
URGENCIES: Mapping[Urgency, Label] = MappingProxyType(
    {
        "acute": Label("acute", "Akut", "Acute"),
        "non_acute": Label("non_acute", "Ikke akut", "Non-acute"),
    }
)
TIMINGS: Mapping[Timing, Label] = MappingProxyType(
    {
        "now": Label("now", "Nu", "Now"),
        "next_working_day": Label("next_working_day", "Førstkommende arbejdsdag", "Next working day"),
    }
)

if set(ACTIONS) != set(get_args(ActionCode)) or set(LEGAL_BASES) != set(get_args(LegalCode)):
    raise RuntimeError("learning.rules.labels: vocabulary and its Literal type disagree")
