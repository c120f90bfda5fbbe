"""The rule catalogue: every routing rule with its statement, source and period of effect.

The engine (``engine.py``) implements exactly these ids; a test checks the two stay in step.
Sources cite the seed file and section (``shared/seeds`` beside the repository), e.g. ``003 §2.1.1.1``; for 002
the sections are the memo's numbered headings (§3 Bekymringstegn, §5 Aktiviteter, §6 Kontakt).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

# Bump by hand when the meaning of the rules changes; the hash suffix changes by itself whenever
# any rule's id, statement, source or dates change.
RULES_SEMVER = "2024.1"

# Barnets Lov replaced Serviceloven's child-protection provisions on this date (003 §1.3).
BARNETS_LOV_IN_FORCE = date(2024, 4, 1)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    statement_da: str
    statement_en: str
    source: str
    # The sources give no start date for most rules: date.min means "always".
    effective_from: date = date.min
    effective_until: date | None = None  # inclusive; None = still in force

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_until is None or on <= self.effective_until)


# Order matters: the engine evaluates rules in this order and explains them in it. The last three
# read the actions the earlier ones chose (information exchange follows a local-unit referral, the
# leader precedes any referral, the hotline's hours matter only when the hotline is an action).
RULES: tuple[Rule, ...] = (
    Rule(
        "R1-acute-police",
        "Ved begrundet mistanke om, at der er sket eller kan ske ulovlige handlinger i forbindelse med "
        "ekstremisme, eller ved fare for liv eller sikkerhed, er sagen akut: første skridt er politiet på "
        "112 (fare for liv) ellers 114. Sagen er på det målrettede niveau og skal håndteres nu.",
        "A grounded suspicion of an illegal act linked to extremism, or danger to life or safety, makes "
        "the case acute: the first step is the police on 112 (danger to life) or else 114. The case is "
        "at the targeted level and is handled now.",
        "003 §2.1.1, §3.2.3",
    ),
    Rule(
        "R1-outside-hours-police-only",
        "Uden for kommunens åbningstid er det udelukkende politiet, der håndterer akutte "
        "bekymringshenvendelser og vurderer alvorsgraden.",
        "Outside the municipality's opening hours only the police handle acute concerns and assess "
        "their seriousness.",
        "003 §2.1.1.1",
    ),
    Rule(
        "R1-terror-straffeloven",
        "Mistanke om en ulovlig handling med ekstremistisk motiv (vold, trusler, hærværk, terror, udrejse "
        "for at tilslutte sig en terrorbevægelse) kan være omfattet af straffelovens § 114.",
        "A suspected illegal act with an extremist motive (violence, threats, vandalism, terror, travel "
        "to join a terrorist movement) may fall under the Criminal Code s. 114.",
        "003 §3.1, §3.2.3",
    ),
    Rule(
        "R2-notify-child",
        "En offentligt ansat, der er bekymret for en person under 18 år (eller af ukendt alder), har "
        "skærpet underretningspligt efter Barnets Lov og skal underrette kommunen – også når politiet er "
        "kontaktet.",
        "A public employee concerned about a person under 18 (or of unknown age) has the stricter duty "
        "to notify under the Children's Act and must notify the municipality, also when the police have "
        "been called.",
        "003 §1.3, §3.2.3; 004 bilag I",
        effective_from=BARNETS_LOV_IN_FORCE,
    ),
    Rule(
        "R2-notify-child-pre2024",
        "Før 1. april 2024 fulgte offentligt ansattes skærpede underretningspligt af servicelovens § 153.",
        "Before 1 April 2024 public employees' stricter duty to notify followed from the Social Services "
        "Act s. 153.",
        "003 §1.3; 004 bilag I",
        effective_until=date(2024, 3, 31),
    ),
    Rule(
        "R3-no-signs-general",
        "Uden bekymringstegn og uden andre forhold er der ingen individuel sag: det er den generelle, "
        "opbyggende forebyggelse.",
        "With no warning sign and nothing else there is no individual case: ordinary general prevention "
        "applies.",
        "002 §2; 003 §3.1",
    ),
    Rule(
        "R3-single-sign-observe",
        "Ét enkelt bekymringstegn beviser ikke noget, og unge må ikke stemples unødigt: observér og drøft "
        "bekymringen, men henvis ikke endnu (specifikt niveau).",
        "A single warning sign proves nothing and young people must not be labelled needlessly: observe "
        "and discuss, but do not refer yet (specific level).",
        "002 §3; 004 bilag I",
    ),
    Rule(
        "R3-several-signs-grounded",
        "Flere bekymringstegn på samme tid giver en begrundet bekymring, der skal henvises videre "
        "(specifikt niveau).",
        "Several warning signs at the same time make a grounded concern that is referred (specific level).",
        "002 §3",
    ),
    Rule(
        "R3-status-grounded",
        "At være en del af et ekstremistisk miljø, ønske at forlade et, eller være vendt hjem fra en "
        "konfliktzone er i sig selv en begrundet bekymring, uanset bekymringstegn.",
        "Being part of an extremist milieu, wanting to leave one, or having returned from a conflict "
        "zone is a grounded concern in itself, whatever the signs.",
        "003 §3.1; 000",
    ),
    Rule(
        "R4-adult-local-unit",
        "En begrundet, ikke-akut bekymring for en person på 18 år eller derover går til kommunens lokale "
        "enhed for radikaliseringsbekymringer.",
        "A grounded, non-acute concern about a person aged 18 or over goes to the municipality's local "
        "unit for radicalisation concerns.",
        "003 §3.2.3; 004 bilag I; 002 §5",
    ),
    Rule(
        "R4-child-local-unit",
        "Hvor den lokale procedure siger det, går en begrundet, ikke-akut bekymring for et barn under 18 "
        "år også til den lokale enhed, ud over underretningen.",
        "Where the local procedure says so, a grounded, non-acute concern about a child under 18 also "
        "goes to the local unit, besides the notification.",
        "004 (SSP-NU møder); 002 §5",
    ),
    Rule(
        "R6-citizen-hotline",
        "En borger med en bekymring henvises til Den Nationale Hotline, der rådgiver (også anonymt) og "
        "sender begrundede bekymringer videre til det lokale Infohus. En borger har ikke offentligt "
        "ansattes skærpede underretningspligt.",
        "A citizen with a concern is pointed to the national hotline, which advises (anonymously if "
        "wished) and forwards grounded concerns to the local Infohus. A citizen does not have public "
        "employees' stricter duty to notify.",
        "000; 002 §6",
    ),
    Rule(
        "R7-group-local-unit",
        "En generel bekymring for en gruppe, et sted eller et miljø har intet barn at underrette om: den "
        "går til kommunens lokale enhed.",
        "A general concern about a group, place or milieu has no child to notify about: it goes to the "
        "municipality's local unit.",
        "004 bilag I",
    ),
    Rule(
        "R8-exit-programme",
        "Ønsker personen hjælp til at forlade et ekstremistisk miljø, eller er personen vendt hjem fra en "
        "konfliktzone, tilbydes exit/efterværn, koordineret af den lokale enhed.",
        "If the person wants help to leave an extremist milieu, or has returned from a conflict zone, "
        "exit/after-care support is offered, coordinated by the local unit.",
        "000; 004 (Efterværn); 002 §2",
    ),
    Rule(
        "R8-status-targeted",
        "En person i et ekstremistisk miljø, en person der vil ud af et, eller en hjemvendt fra en "
        "konfliktzone hører til det målrettede (indgribende) niveau, hvor bl.a. exitprogrammer ligger.",
        "A person in an extremist milieu, wanting to leave one, or returned from a conflict zone belongs "
        "to the targeted (intervening) level, where exit programmes sit.",
        "003 §3.1; 002 §2",
    ),
    Rule(
        "R8-adult-advice-12b",
        "En person over 18 år i risiko for radikalisering, eller som ønsker hjælp til at forlade et "
        "ekstremistisk miljø, har ret til gratis, målrettet rådgivning efter servicelovens § 12 b.",
        "A person over 18 at risk of radicalisation, or wanting help to leave an extremist milieu, has a "
        "right to free, targeted advice under the Social Services Act s. 12 b.",
        "003 §1.1, §1.3",
    ),
    Rule(
        "R4-information-exchange",
        "Når bekymringen går ind i det lokale samarbejde (SSP, PSP, KSP, Infohus), kan myndighederne "
        "udveksle oplysninger uden samtykke efter retsplejelovens § 115, når det er nødvendigt for "
        "forebyggelsen.",
        "When the concern goes into local cooperation (SSP, PSP, KSP, Infohus) the authorities may "
        "exchange information without consent under the Administration of Justice Act s. 115 where "
        "necessary for prevention.",
        "003 §1.3, §3.1",
    ),
    Rule(
        "R5-leader-first",
        "Hvor den lokale procedure siger det, henvender en medarbejder sig altid først til sin leder, der "
        "tager bekymringen videre (efter et eventuelt opkald til politiet).",
        "Where the local procedure says so, an employee always first informs their own leader, who takes "
        "the concern on (after any call to the police).",
        "002 §5",
    ),
    Rule(
        "R9-next-working-day",
        "En ikke-akut bekymring uden for kommunens åbningstid tages op på førstkommende arbejdsdag.",
        "A non-acute concern outside the municipality's opening hours is taken up on the next working day.",
        "003 §2.1.1.1, §2.1.1.2",
    ),
)

RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in RULES})


def build_rules_version(rules: Iterable[Rule], semver: str = RULES_SEMVER) -> str:
    """``<semver>+<12 hex of sha256>`` over every rule's id, statements, source and dates."""
    canonical = [
        [
            rule.id,
            rule.statement_da,
            rule.statement_en,
            rule.source,
            rule.effective_from.isoformat(),
            rule.effective_until.isoformat() if rule.effective_until else None,
        ]
        for rule in rules
    ]
    payload = json.dumps(canonical, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"{semver}+{hashlib.sha256(payload).hexdigest()[:12]}"


RULES_VERSION = build_rules_version(RULES)

if len(RULES_BY_ID) != len(RULES):
    raise RuntimeError("learning.rules.catalogue: duplicate rule id")
