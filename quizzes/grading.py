"""Grading a learner's routing answer against the rules' live decision (pure: no Django, no clock).

The answer key is never stored or typed in: the caller routes the scenario's facts with
``learning.rules.route`` and passes the ``Decision`` here.

Scoring (also explained to learners on /quiz/pointgivning/)
----------------------------------------------------------
An answer has up to four parts, each scored 0..1 and weighted:

* **First action** (weight 2): 1 when the chosen first action is the rules' first action, else 0.
* **The set of actions** (weight 2): the first action counts as chosen too. With ``R`` the rules'
  actions and ``C`` the chosen ones the part scores ``max(0, |R ∩ C| − |C − R|) / |R|``: every
  required action chosen earns a share, every action chosen that the rules do not call for costs a
  share, and the part never goes below 0.
* **Level** (weight 1, only when the scenario asks for it): 1 when the prevention level is right.
* **Urgency** (weight 1, only when the scenario asks for it): 1 when acute/non-acute is right.

The answer's score is the weighted mean of the parts that are asked. Without level and urgency the
first action and the set weigh 50 % each; with both asked they weigh 2/6 each and level and urgency
1/6 each. Full credit needs every asked part right: the right first action and exactly the rules'
actions (plus level/urgency when asked).

Critical errors are reported separately and do not change the score; a quiz with any critical
error is not passed, whatever its score:

* ``missed_notification``: the rules require ``notify_children_services`` and it was not chosen.
* ``missed_police``: the concern is acute and neither 112 nor 114 was chosen.
* ``police_not_acute``: 112 or 114 was chosen for a concern that is not acute.
* ``notify_adult``: ``notify_children_services`` was chosen about an adult (18 or over).
* ``notify_group``: ``notify_children_services`` was chosen about a group, place or milieu.
"""

from __future__ import annotations

from dataclasses import dataclass

from learning.rules import ACTIONS, LEGAL_BASES, LEVELS, RULES_BY_ID, URGENCIES, Concern, Decision

WEIGHT_FIRST = 2
WEIGHT_SET = 2
WEIGHT_LEVEL = 1
WEIGHT_URGENCY = 1
POLICE_ACTIONS = frozenset({"police_112", "police_114"})

CRITICAL_ERROR_TEXTS: dict[str, str] = {
    "missed_notification": (
        "Du har ikke underrettet kommunen om barnet. Som offentligt ansat har du skærpet underretningspligt "
        "for børn og unge under 18 år (eller når alderen er ukendt) – også når politiet er kontaktet."
    ),
    "missed_police": (
        "Sagen er akut, men du har ikke kontaktet politiet. Ved mistanke om en ulovlig handling eller fare "
        "for liv eller sikkerhed er politiet (112 eller 114) det første skridt."
    ),
    "police_not_acute": (
        "Du har valgt at ringe til politiet, men sagen er ikke akut. Politiet på 112/114 er til akutte "
        "situationer; en ikke-akut bekymring går ad den almindelige vej."
    ),
    "notify_adult": (
        "Du har valgt at underrette om et barn, men personen er voksen (18 år eller derover). "
        "Underretningspligten gælder børn og unge under 18 år."
    ),
    "notify_group": (
        "Du har valgt at underrette om et barn, men bekymringen gælder en gruppe, et sted eller et miljø – "
        "der er ikke ét bestemt barn at underrette om."
    ),
}


@dataclass(frozen=True, slots=True)
class CriticalError:
    code: str
    text_da: str


@dataclass(frozen=True, slots=True)
class FeedbackPart:
    """One graded part of the answer: what it is, whether it was right, and what to say about it."""

    part: str  # "first_action" | "actions" | "level" | "urgency"
    heading_da: str
    correct: bool
    score: float
    weight: int
    text_da: str


@dataclass(frozen=True, slots=True)
class SourceRef:
    rule_id: str
    source: str
    statement_da: str


@dataclass(frozen=True, slots=True)
class Grade:
    score: float  # 0..1
    correct_first: bool
    missing_actions: tuple[str, ...]
    extra_actions: tuple[str, ...]
    critical_errors: tuple[CriticalError, ...]
    parts: tuple[FeedbackPart, ...]
    decision: Decision
    explanation_da: str
    legal_basis_da: tuple[str, ...]
    sources: tuple[SourceRef, ...]

    @property
    def full_credit(self) -> bool:
        return all(part.correct for part in self.parts)

    @property
    def critical_codes(self) -> tuple[str, ...]:
        return tuple(error.code for error in self.critical_errors)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def action_label(code: str) -> str:
    info = ACTIONS.get(code)  # type: ignore[call-overload]
    return info.label_da if info else code


def _labels(codes: tuple[str, ...] | list[str]) -> str:
    names = [f"»{action_label(code)}«" for code in codes]
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def _ordered(codes: set[str]) -> tuple[str, ...]:
    return tuple(code for code in ACTIONS if code in codes)


def answer_critical_errors(
    *, concern: Concern, decision: Decision, chosen: set[str]
) -> tuple[CriticalError, ...]:
    """The critical errors of a chosen set of actions (``chosen`` includes the first action)."""
    codes: list[str] = []
    required = set(decision.actions)
    if "notify_children_services" in required and "notify_children_services" not in chosen:
        codes.append("missed_notification")
    if decision.urgency == "acute" and not (chosen & POLICE_ACTIONS):
        codes.append("missed_police")
    if decision.urgency != "acute" and chosen & POLICE_ACTIONS:
        codes.append("police_not_acute")
    if "notify_children_services" in chosen:
        if concern.subject == "group":
            codes.append("notify_group")
        elif concern.is_adult:
            codes.append("notify_adult")
    return tuple(CriticalError(code, CRITICAL_ERROR_TEXTS[code]) for code in codes)


def grade_answer(
    *,
    concern: Concern,
    decision: Decision,
    first_action: str,
    actions: list[str] | tuple[str, ...] | set[str],
    level: str | None = None,
    urgency: str | None = None,
    ask_level: bool = False,
    ask_urgency: bool = False,
) -> Grade:
    """Grade one answer against ``decision`` (the rules' live verdict for ``concern``)."""
    required = set(decision.actions)
    key_first = decision.actions[0] if decision.actions else ""
    chosen = {code for code in actions if code} | ({first_action} if first_action else set())
    right = required & chosen
    wrong = chosen - required
    missing = required - chosen
    parts: list[FeedbackPart] = []

    correct_first = first_action == key_first
    if correct_first:
        first_text = f"Rigtigt: det første skridt er {_labels([key_first])}."
    else:
        first_text = (
            f"Du valgte {_labels([first_action]) or 'intet'} som det første skridt, men det første skridt er "
            f"{_labels([key_first])}."
        )
    parts.append(
        FeedbackPart(
            "first_action",
            "Første handling",
            correct_first,
            1.0 if correct_first else 0.0,
            WEIGHT_FIRST,
            first_text,
        )
    )

    set_score = max(0, len(right) - len(wrong)) / len(required) if required else (1.0 if not wrong else 0.0)
    set_correct = not missing and not wrong
    sentences = []
    if set_correct:
        sentences.append(
            f"Rigtigt: du valgte præcis de handlinger, reglerne kræver ({_labels(_ordered(required))})."
        )
    else:
        if right:
            sentences.append(f"Rigtige valg: {_labels(_ordered(right))}.")
        if missing:
            sentences.append(f"Du manglede: {_labels(_ordered(missing))}.")
        if wrong:
            sentences.append(f"Ikke nødvendigt her: {_labels(_ordered(wrong))}.")
    parts.append(
        FeedbackPart("actions", "Handlinger", set_correct, set_score, WEIGHT_SET, " ".join(sentences))
    )

    if ask_level:
        ok = level == decision.level
        key_name = LEVELS[decision.level].label_da
        text = (
            f"Rigtigt: niveauet er {key_name.lower()}."
            if ok
            else f"Niveauet er {key_name.lower()}"
            + (
                f", ikke {LEVELS[level].label_da.lower()}."
                if level in LEVELS
                else "; du valgte intet niveau."
            )
        )
        parts.append(FeedbackPart("level", "Niveau", ok, 1.0 if ok else 0.0, WEIGHT_LEVEL, text))
    if ask_urgency:
        ok = urgency == decision.urgency
        key_name = URGENCIES[decision.urgency].label_da
        text = (
            f"Rigtigt: sagen er {key_name.lower()}."
            if ok
            else f"Sagen er {key_name.lower()}"
            + (
                f", ikke {URGENCIES[urgency].label_da.lower()}."
                if urgency in URGENCIES
                else "; du valgte intet svar."
            )
        )
        parts.append(
            FeedbackPart("urgency", "Akut eller ikke akut", ok, 1.0 if ok else 0.0, WEIGHT_URGENCY, text)
        )

    total_weight = sum(part.weight for part in parts)
    score = sum(part.score * part.weight for part in parts) / total_weight
    return Grade(
        score=score,
        correct_first=correct_first,
        missing_actions=_ordered(missing),
        extra_actions=_ordered(wrong),
        critical_errors=answer_critical_errors(concern=concern, decision=decision, chosen=chosen),
        parts=tuple(parts),
        decision=decision,
        explanation_da=decision.explanation,
        legal_basis_da=tuple(LEGAL_BASES[code].label_da for code in decision.legal_basis),
        sources=tuple(
            SourceRef(rule_id, RULES_BY_ID[rule_id].source, RULES_BY_ID[rule_id].statement_da)
            for rule_id in decision.rules_fired
        ),
    )
