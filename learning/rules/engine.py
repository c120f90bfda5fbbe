"""The routing engine: a pure function from a ``Concern`` (plus directory and date) to a ``Decision``.

Each rule in ``catalogue.RULES`` has one implementation here. An implementation looks at the facts
of the concern and, if it applies, adds to the draft decision and returns the Danish sentence that
explains it. Municipal differences come only from the directory's ``Procedure`` flags and contact
points: this module never names a municipality.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .catalogue import RULES, RULES_VERSION, Rule
from .directory import ContactPoint, Directory, DirectoryError, MunicipalityDirectory
from .labels import (
    ACTIONS,
    LEGAL_BASES,
    REFERRAL_ACTIONS,
    SIGNS,
    ActionCode,
    LegalCode,
    Level,
    Timing,
    Urgency,
)
from .model import Concern, ConcernInputError

_LEVEL_RANK: dict[Level, int] = {"general": 0, "specific": 1, "targeted": 2}

# The concern's status flags, each a grounded concern in itself (principle 3), as Danish phrases.
_STATUS_DA: dict[str, str] = {
    "in_extremist_milieu": "er en del af et ekstremistisk miljø",
    "wants_exit": "ønsker hjælp til at forlade et ekstremistisk miljø",
    "returnee": "er vendt hjem fra en konfliktzone",
}


@dataclass(frozen=True, slots=True)
class ResolvedContact:
    action: ActionCode
    name: str
    phone: str
    email: str
    hours: str
    source: str

    @classmethod
    def from_point(cls, point: ContactPoint) -> ResolvedContact:
        return cls(point.action, point.name, point.phone, point.email, point.hours, point.source)

    def to_dict(self) -> dict[str, str]:
        return {
            "action": self.action,
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "hours": self.hours,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    level: Level
    urgency: Urgency
    timing: Timing
    actions: tuple[ActionCode, ...]
    contacts: tuple[ResolvedContact, ...]
    legal_basis: tuple[LegalCode, ...]
    explanation: str
    rules_fired: tuple[str, ...]
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The contract's output JSON shape (plus ``rules_version``)."""
        return {
            "level": self.level,
            "urgency": self.urgency,
            "timing": self.timing,
            "actions": list(self.actions),
            "contacts": [contact.to_dict() for contact in self.contacts],
            "legal_basis": list(self.legal_basis),
            "explanation": self.explanation,
            "rules_fired": list(self.rules_fired),
            "rules_version": self.rules_version,
        }


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the rules look at, derived once from the concern and the municipality's directory."""

    concern: Concern
    place: MunicipalityDirectory

    @property
    def person(self) -> bool:
        return self.concern.subject == "person"

    @property
    def employee(self) -> bool:
        return self.concern.reporter == "employee"

    @property
    def acute(self) -> bool:
        # 003 §3.2.3: a suspected illegal act is acute; danger to life is acute by definition (§2.1.1).
        return self.concern.illegal_act == "suspected" or self.concern.danger_to_life

    @property
    def sign_count(self) -> int:
        return len(self.concern.signs)

    def statuses_da(self, names: tuple[str, ...] = tuple(_STATUS_DA)) -> tuple[str, ...]:
        """Danish phrases for the status flags that are set, among ``names``."""
        return tuple(_STATUS_DA[name] for name in names if getattr(self.concern, name))

    @property
    def grounded(self) -> bool:
        return self.sign_count >= 2 or bool(self.statuses_da())

    @property
    def child(self) -> bool:
        return self.person and self.concern.is_child_or_unknown_age

    @property
    def adult(self) -> bool:
        return self.person and self.concern.is_adult

    @property
    def contact_age(self) -> int | None:
        # A group has no age; its contact resolves like an unknown age.
        return self.concern.age if self.person else None

    @property
    def who(self) -> str:
        return "personen" if self.person else "gruppen"

    def contact_name(self, action: ActionCode, fallback: str) -> str:
        point = self.place.contact_for(action, self.contact_age, self.concern.reporter)
        return point.name if point else fallback

    def age_da(self) -> str:
        age = self.concern.age
        return "alderen er ukendt og behandles som under 18 år" if age is None else f"personen er {age} år"


@dataclass(slots=True)
class _Draft:
    level: Level = "general"
    urgency: Urgency = "non_acute"
    timing: Timing = "now"
    actions: set[ActionCode] = field(default_factory=set)
    legal: set[LegalCode] = field(default_factory=set)

    def raise_level(self, level: Level) -> None:
        if _LEVEL_RANK[level] > _LEVEL_RANK[self.level]:
            self.level = level


_Impl = Callable[[_Facts, _Draft], str | None]


def _join_da(items: list[str] | tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


# --- Principle 1: acute goes to the police, first -------------------------------------------------


def _acute_police(f: _Facts, d: _Draft) -> str | None:
    if not f.acute:
        return None
    d.urgency, d.timing = "acute", "now"
    d.raise_level("targeted")
    danger = f.concern.danger_to_life
    d.actions.add("police_112" if danger else "police_114")
    illegal = f.concern.illegal_act == "suspected"
    if illegal and danger:
        why = (
            "Fordi der er mistanke om en ulovlig handling i forbindelse med ekstremisme og fare for liv "
            "eller sikkerhed"
        )
    elif illegal:
        why = (
            "Fordi der er begrundet mistanke om, at der er sket eller kan ske en ulovlig handling i "
            "forbindelse med ekstremisme"
        )
    else:
        why = "Fordi der er fare for liv eller sikkerhed lige nu"
    call = "ring 112" if danger else "ring til politiet på 114"
    return f"{why}, er sagen akut og på det målrettede niveau: {call} som det første"


def _outside_hours_police_only(f: _Facts, d: _Draft) -> str | None:
    if not f.acute or f.concern.within_opening_hours:
        return None
    return (
        "Kommunen har lukket nu, og uden for åbningstiden er det udelukkende politiet, der håndterer akutte "
        "bekymringer og vurderer alvorsgraden; kommunens videre arbejde sker inden for åbningstiden"
    )


def _terror_straffeloven(f: _Facts, d: _Draft) -> str | None:
    if f.concern.illegal_act != "suspected":
        return None
    d.legal.add("straffeloven_114")
    return "Den mistænkte handling kan være omfattet af straffelovens § 114 (terrorparagraffen)"


# --- Principle 2: duties add up ------------------------------------------------------------------


def _notify_duty(law_da: str, legal: LegalCode) -> _Impl:
    def notify(f: _Facts, d: _Draft) -> str | None:
        if not (f.employee and f.child and (f.grounded or f.acute)):
            return None
        d.actions.add("notify_children_services")
        d.legal.add(legal)
        also_police = ", også selv om politiet er kontaktet – pligterne lægges sammen" if f.acute else ""
        return (
            f"Som offentligt ansat har du skærpet underretningspligt, fordi {f.age_da()}: du skal underrette "
            f"kommunen ({f.contact_name('notify_children_services', 'børne- og familieområdet')}) efter "
            f"{law_da}{also_police}"
        )

    return notify


# --- Principle 3: several signs at once ----------------------------------------------------------


def _no_signs_general(f: _Facts, d: _Draft) -> str | None:
    if f.sign_count or f.acute or f.statuses_da():
        return None
    d.actions.add("general_prevention")
    return (
        f"Der er ikke observeret bekymringstegn hos {f.who}, så der er ingen individuel sag: det er den "
        "almindelige, generelle (opbyggende) forebyggelse, der gælder"
    )


def _single_sign_observe(f: _Facts, d: _Draft) -> str | None:
    if not f.person or f.sign_count != 1 or f.acute or f.statuses_da():
        return None
    d.raise_level("specific")
    d.actions.add("observe_and_discuss")
    label = SIGNS[f.concern.signs[0]].label_da
    return (
        f"Der er observeret ét bekymringstegn ({label}). Ét tegn alene beviser ikke noget, og unge må ikke "
        "stemples unødigt, så bekymringen henvises ikke endnu: hold øje, og drøft den med den unge, kolleger "
        "eller din leder – råd kan fås hos Den Nationale Hotline eller kommunens lokale enhed"
    )


def _several_signs_grounded(f: _Facts, d: _Draft) -> str | None:
    if f.sign_count < 2:
        return None
    d.raise_level("specific")
    labels = [SIGNS[code].label_da for code in f.concern.signs]
    return (
        f"Der er observeret {f.sign_count} bekymringstegn på samme tid ({'; '.join(labels)}), og flere "
        "tegn samtidig giver en begrundet bekymring, der skal videre"
    )


def _status_grounded(f: _Facts, d: _Draft) -> str | None:
    if not f.statuses_da():
        return None
    d.raise_level("specific")
    return (
        f"At {f.who} {_join_da(f.statuses_da())}, er i sig selv en begrundet bekymring, uanset "
        "bekymringstegnene"
    )


# --- Principles 4 and 5: age decides the channel; local procedure is data ------------------------


def _adult_local_unit(f: _Facts, d: _Draft) -> str | None:
    if not (f.employee and f.adult and f.grounded and not f.acute):
        return None
    d.actions.add("local_prevention_unit")
    unit = f.contact_name("local_prevention_unit", "kommunens lokale enhed")
    return f"Personen er {f.concern.age} år og dermed voksen, så den ikke-akutte bekymring går til {unit}"


def _child_local_unit(f: _Facts, d: _Draft) -> str | None:
    procedure = f.place.procedure
    if not (procedure.child_also_local_unit and f.employee and f.child and f.grounded and not f.acute):
        return None
    d.actions.add("local_prevention_unit")
    unit = f.contact_name("local_prevention_unit", "kommunens lokale enhed")
    return (
        f"I {f.place.name} går en bekymring for et barn under 18 år også til {unit}, ud over underretningen"
    )


def _information_exchange(f: _Facts, d: _Draft) -> str | None:
    if "local_prevention_unit" not in d.actions:
        return None
    d.legal.add("retsplejeloven_115")
    return (
        "Når bekymringen drøftes i det lokale samarbejde (SSP, PSP, KSP eller Infohus), kan myndighederne "
        "udveksle de nødvendige oplysninger uden samtykke efter retsplejelovens § 115"
    )


def _leader_first(f: _Facts, d: _Draft) -> str | None:
    if not (f.place.procedure.leader_first and f.employee and d.actions & REFERRAL_ACTIONS):
        return None
    d.actions.add("inform_leader")
    after_police = " (lige efter opkaldet til politiet)" if f.acute else ""
    return (
        f"I {f.place.name} skal en medarbejder altid først gå til sin leder{after_police}, og det er "
        "lederen, der tager bekymringen videre"
    )


# --- Principles 6 and 7: citizens; general concerns about a group --------------------------------


def _citizen_hotline(f: _Facts, d: _Draft) -> str | None:
    if f.employee or not (f.sign_count or f.grounded or f.acute or not f.person):
        return None
    d.actions.add("national_hotline")
    hotline = f.place.contact_for("national_hotline", f.contact_age, f.concern.reporter)
    hours = f" ({hotline.hours.lower()})" if hotline and hotline.hours else ""
    return (
        f"Som borger kan du drøfte bekymringen med Den Nationale Hotline{hours}, også anonymt; hotlinen "
        "rådgiver og sender begrundede bekymringer videre til det lokale Infohus. Som privatperson har du "
        "ikke offentligt ansattes skærpede underretningspligt"
    )


def _group_local_unit(f: _Facts, d: _Draft) -> str | None:
    if f.person or f.acute:
        return None
    d.actions.add("local_prevention_unit")
    if f.sign_count:
        d.raise_level("specific")
    unit = f.contact_name("local_prevention_unit", "kommunens lokale enhed")
    return (
        "Bekymringen gælder en gruppe, et sted eller et miljø og ikke ét bestemt barn, så der er intet at "
        f"underrette om: kontakt {unit}, der rådgiver og vurderer bekymringen"
    )


# --- Principle 8: exit and after-care -----------------------------------------------------------


def _exit_programme(f: _Facts, d: _Draft) -> str | None:
    c = f.concern
    if not (c.wants_exit or c.returnee):
        return None
    d.actions.update(("exit_programme", "local_prevention_unit"))
    reasons = f.statuses_da(("wants_exit", "returnee"))
    exit_point = f.contact_name("exit_programme", "exit-programmet")
    unit = f.contact_name("local_prevention_unit", "kommunens lokale enhed")
    return (
        f"Fordi {f.who} {_join_da(reasons)}, tilbydes exit- og efterværnsstøtte ({exit_point}) i samarbejde "
        f"med {unit}"
    )


def _status_targeted(f: _Facts, d: _Draft) -> str | None:
    if not f.statuses_da():
        return None
    d.raise_level("targeted")
    return (
        "Et ekstremistisk miljø, exit og hjemkomst fra en konfliktzone hører til det målrettede "
        "(indgribende) niveau, hvor bl.a. exitprogrammer ligger"
    )


def _adult_advice_12b(f: _Facts, d: _Draft) -> str | None:
    if not (f.adult and f.grounded):
        return None
    d.legal.add("serviceloven_12b")
    return (
        "Personen er over 18 år og har ret til gratis, målrettet rådgivning, når vedkommende er i risiko for "
        "radikalisering eller vil ud af et ekstremistisk miljø (servicelovens § 12 b)"
    )


# --- Principle 9: non-acute outside opening hours ------------------------------------------------


def _next_working_day(f: _Facts, d: _Draft) -> str | None:
    if f.acute or f.concern.within_opening_hours:
        return None
    d.timing = "next_working_day"
    text = "Sagen er ikke akut, og kommunen har lukket nu, så henvendelsen sker på førstkommende arbejdsdag"
    hotline = f.place.contact_for("national_hotline", f.contact_age, f.concern.reporter)
    if "national_hotline" in d.actions and hotline and hotline.hours:
        text += f"; Den Nationale Hotline har åbent {hotline.hours.lower()}"
    return text


# Evaluated in catalogue order (the catalogue lists the rules that read chosen actions last).
_IMPLS: dict[str, _Impl] = {
    "R1-acute-police": _acute_police,
    "R1-outside-hours-police-only": _outside_hours_police_only,
    "R1-terror-straffeloven": _terror_straffeloven,
    "R2-notify-child": _notify_duty("Barnets Lov § 133", "barnets_lov_133"),
    "R2-notify-child-pre2024": _notify_duty("servicelovens § 153", "serviceloven_153"),
    "R3-no-signs-general": _no_signs_general,
    "R3-single-sign-observe": _single_sign_observe,
    "R3-several-signs-grounded": _several_signs_grounded,
    "R3-status-grounded": _status_grounded,
    "R4-adult-local-unit": _adult_local_unit,
    "R4-child-local-unit": _child_local_unit,
    "R6-citizen-hotline": _citizen_hotline,
    "R7-group-local-unit": _group_local_unit,
    "R8-exit-programme": _exit_programme,
    "R8-status-targeted": _status_targeted,
    "R8-adult-advice-12b": _adult_advice_12b,
    "R4-information-exchange": _information_exchange,
    "R5-leader-first": _leader_first,
    "R9-next-working-day": _next_working_day,
}
# Rules that read draft.actions must come after every rule that adds actions.
_READS_ACTIONS = ("R4-information-exchange", "R5-leader-first", "R9-next-working-day")

_catalogue_ids = [rule.id for rule in RULES]
if list(_IMPLS) != _catalogue_ids or _catalogue_ids[-len(_READS_ACTIONS) :] != list(_READS_ACTIONS):
    raise RuntimeError("learning.rules.engine: rule implementations and the catalogue disagree")


def route(concern: Concern, *, directory: Directory, on: date) -> Decision:
    """Decide what to do about ``concern`` on the date ``on``. Pure: no clock, no I/O."""
    if concern.municipality not in directory:
        raise ConcernInputError(
            "municipality",
            f"unknown municipality {concern.municipality!r}",
            f"ukendt kommune {concern.municipality!r}",
        )
    facts = _Facts(concern, directory[concern.municipality])
    draft = _Draft()
    fired: list[tuple[Rule, str]] = []
    for rule in RULES:
        # Time is an argument: a rule not yet (or no longer) in force on `on` does not fire.
        if not rule.in_force(on):
            continue
        sentence = _IMPLS[rule.id](facts, draft)
        if sentence is not None:
            fired.append((rule, sentence))

    actions = tuple(code for code in ACTIONS if code in draft.actions)
    return Decision(
        level=draft.level,
        urgency=draft.urgency,
        timing=draft.timing,
        actions=actions,
        contacts=_resolve_contacts(facts, actions),
        legal_basis=tuple(code for code in LEGAL_BASES if code in draft.legal),
        explanation=" ".join(f"{sentence} (regel {rule.id}, {rule.source})." for rule, sentence in fired),
        rules_fired=tuple(rule.id for rule, _ in fired),
    )


def _resolve_contacts(f: _Facts, actions: tuple[ActionCode, ...]) -> tuple[ResolvedContact, ...]:
    contacts: list[ResolvedContact] = []
    for action in actions:
        if not ACTIONS[action].needs_contact:
            continue
        point = f.place.contact_for(action, f.contact_age, f.concern.reporter)
        if point is None:
            # The directory check (Directory.missing_contacts) exists to make this unreachable.
            raise DirectoryError(f"{f.place.slug}: no contact for {action} (age {f.contact_age})")
        contacts.append(ResolvedContact.from_point(point))
    return tuple(contacts)
