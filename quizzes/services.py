"""Services of the scenario quizzes: the rules' verdict on a scenario, grading, attempts, the final
assessment's draw, the key snapshot and its review flag, the completion checks and the insight.

Grading always routes the scenario's facts live (``learning.rules.route``); the stored ``key_*``
snapshot only exists to notice that the rules or the directory changed the key. See
``quizzes.grading`` for the scoring rule.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import comb
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from learning.rules import (
    ACTIONS,
    LEGAL_BASES,
    LEVELS,
    RULES_BY_ID,
    RULES_VERSION,
    URGENCIES,
    Concern,
    ConcernInputError,
    Decision,
    Directory,
    DirectoryError,
    parse_concern,
    route,
)

from .grading import CRITICAL_ERROR_TEXTS, Grade, action_label, grade_answer
from .models import (
    PASS_MARK_PERCENT,
    FinalAssessmentPage,
    ModuleQuizPage,
    QuizAnswer,
    QuizAttempt,
    ScenarioQuestion,
)

if TYPE_CHECKING:
    from learning.models import Municipality, User

MIN_INSIGHT_LEARNERS = 5


# --- The rules and the directory ---------------------------------------------------------------------


def routing_directory() -> Directory:
    """The municipal directory the rules use now: the database's when it exists, else the shipped file."""
    try:
        from learning.directory import directory_current  # type: ignore[attr-defined]
    except ImportError:
        from learning.rules import load_default_directory

        return load_default_directory()
    return directory_current()


def scenario_facts(*, scenario: ScenarioQuestion) -> dict[str, Any]:
    """The scenario's facts in the routing contract's input form."""
    return {
        "municipality": scenario.municipality.slug if scenario.municipality_id else "",
        "subject": scenario.subject,
        "age": scenario.age,
        "reporter": scenario.reporter,
        "signs": list(scenario.signs or []),
        "illegal_act": scenario.illegal_act,
        "danger_to_life": bool(scenario.danger_to_life),
        "in_extremist_milieu": bool(scenario.in_extremist_milieu),
        "wants_exit": bool(scenario.wants_exit),
        "returnee": bool(scenario.returnee),
        "within_opening_hours": bool(scenario.within_opening_hours),
    }


def scenario_concern(*, scenario: ScenarioQuestion, directory: Directory) -> Concern:
    """Parse the scenario's facts strictly; raises ``ConcernInputError`` naming the bad field."""
    return parse_concern(scenario_facts(scenario=scenario), known_municipalities=directory.slugs)


def scenario_directory(*, scenario: ScenarioQuestion) -> Directory:
    """The directory for routing this scenario: its municipality's entry only (one query), which routes
    the scenario exactly like the whole directory (the rules read only the concern's municipality)."""
    from learning.directory import directory_for_municipality

    return directory_for_municipality(municipality_id=scenario.municipality_id)


def scenario_decision(
    *, scenario: ScenarioQuestion, on: datetime.date, directory: Directory | None = None
) -> tuple[Concern, Decision]:
    """Route the scenario's facts live: the answer key, never a stored one."""
    directory = directory or routing_directory()
    concern = scenario_concern(scenario=scenario, directory=directory)
    return concern, route(concern, directory=directory, on=on)


@dataclass(frozen=True)
class Verdict:
    """The rules' verdict on a scenario, ready to show (editor preview, feedback)."""

    error_da: str
    decision: Decision | None = None

    @property
    def ok(self) -> bool:
        return self.decision is not None

    @property
    def first_action_label(self) -> str:
        return action_label(self.decision.actions[0]) if self.decision and self.decision.actions else ""

    @property
    def action_labels(self) -> list[str]:
        return [action_label(code) for code in self.decision.actions] if self.decision else []

    @property
    def level_label(self) -> str:
        return LEVELS[self.decision.level].label_da if self.decision else ""

    @property
    def urgency_label(self) -> str:
        return URGENCIES[self.decision.urgency].label_da if self.decision else ""

    @property
    def legal_basis_labels(self) -> list[str]:
        return [LEGAL_BASES[code].label_da for code in self.decision.legal_basis] if self.decision else []

    @property
    def sources(self) -> list[tuple[str, str]]:
        return (
            [(rule_id, RULES_BY_ID[rule_id].source) for rule_id in self.decision.rules_fired]
            if self.decision
            else []
        )


def scenario_verdict(*, scenario: ScenarioQuestion, on: datetime.date) -> Verdict:
    """The verdict, or a Danish explanation of why the facts cannot be routed yet (never raises)."""
    if not scenario.municipality_id:
        return Verdict(error_da="Vælg en kommune for at se reglernes svar.")
    try:
        _concern, decision = scenario_decision(scenario=scenario, on=on)
    except ConcernInputError as exc:
        return Verdict(error_da=f"Fakta kan ikke vurderes: {exc.text_da}")
    except DirectoryError as exc:
        return Verdict(error_da=f"Kommunens kontaktoplysninger er ufuldstændige: {exc}")
    return Verdict(error_da="", decision=decision)


def directory_fingerprint(*, directory: Directory, municipality_slug: str) -> str:
    """A short hash of one municipality's directory entry (procedure and contacts)."""
    entries = [m for m in directory.to_dict()["municipalities"] if m["slug"] == municipality_slug]
    canonical = json.dumps(entries, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


# --- The key snapshot and the review flag -------------------------------------------------------------


def _key_of(decision: Decision) -> dict[str, Any]:
    return {
        "first_action": decision.actions[0] if decision.actions else "",
        "actions": list(decision.actions),
        "level": decision.level,
        "urgency": decision.urgency,
    }


def _stored_key(scenario: ScenarioQuestion) -> dict[str, Any]:
    return {
        "first_action": scenario.key_first_action,
        "actions": list(scenario.key_actions or []),
        "level": scenario.key_level,
        "urgency": scenario.key_urgency,
    }


def key_change_reason(*, old: dict[str, Any], new: dict[str, Any]) -> str:
    """A Danish sentence naming what changed in the key, e.g. »første handling X → Y«."""
    changes: list[str] = []
    if old["first_action"] != new["first_action"]:
        changes.append(
            f"første handling {action_label(old['first_action'])} → {action_label(new['first_action'])}"
        )
    if list(old["actions"]) != list(new["actions"]):
        before = ", ".join(action_label(code) for code in old["actions"]) or "ingen"
        after = ", ".join(action_label(code) for code in new["actions"]) or "ingen"
        changes.append(f"handlinger {before} → {after}")
    if old["level"] != new["level"]:
        before = LEVELS[old["level"]].label_da if old["level"] in LEVELS else "–"
        changes.append(f"niveau {before} → {LEVELS[new['level']].label_da}")
    if old["urgency"] != new["urgency"]:
        before = URGENCIES[old["urgency"]].label_da if old["urgency"] in URGENCIES else "–"
        changes.append(f"hastegrad {before} → {URGENCIES[new['urgency']].label_da}")
    return "Nøglen har ændret sig: " + "; ".join(changes) + "."


def _snapshot(
    scenario: ScenarioQuestion, decision: Decision, fingerprint: str, at: datetime.datetime
) -> None:
    key = _key_of(decision)
    scenario.key_first_action = key["first_action"]
    scenario.key_actions = key["actions"]
    scenario.key_level = key["level"]
    scenario.key_urgency = key["urgency"]
    scenario.key_rules_version = decision.rules_version
    scenario.key_directory_fingerprint = fingerprint
    scenario.key_computed_at = at


_SNAPSHOT_FIELDS = [
    "key_first_action",
    "key_actions",
    "key_level",
    "key_urgency",
    "key_rules_version",
    "key_directory_fingerprint",
    "key_computed_at",
    "needs_review",
    "needs_review_reason",
]


@transaction.atomic
def scenario_review_complete(
    *, scenario: ScenarioQuestion, on: datetime.date, at: datetime.datetime
) -> ScenarioQuestion:
    """An editor saved the scenario: store the key as it is now and clear the review flag."""
    directory = routing_directory()
    _concern, decision = scenario_decision(scenario=scenario, on=on, directory=directory)
    _snapshot(
        scenario,
        decision,
        directory_fingerprint(directory=directory, municipality_slug=scenario.municipality.slug),
        at,
    )
    scenario.needs_review = False
    scenario.needs_review_reason = ""
    scenario.save(update_fields=_SNAPSHOT_FIELDS)
    return scenario


@transaction.atomic
def scenario_keys_refresh(*, on: datetime.date, at: datetime.datetime) -> list[ScenarioQuestion]:
    """Recompute every scenario's key with the current rules and directory.

    Scenarios whose key (first action, actions, level or urgency) changed are flagged for review
    with a Danish reason and returned; a scenario seen for the first time just gets its snapshot.
    Safe to run twice: a second run finds nothing new.
    """
    directory = routing_directory()
    changed: list[ScenarioQuestion] = []
    for scenario in (
        ScenarioQuestion.objects.select_related("municipality").select_for_update().order_by("pk")
    ):
        fingerprint = directory_fingerprint(directory=directory, municipality_slug=scenario.municipality.slug)
        try:
            _concern, decision = scenario_decision(scenario=scenario, on=on, directory=directory)
        except (ConcernInputError, DirectoryError) as exc:
            reason = f"Reglerne kan ikke længere vurdere scenariet: {getattr(exc, 'text_da', exc)}"
            if not scenario.needs_review or scenario.needs_review_reason != reason:
                scenario.needs_review, scenario.needs_review_reason = True, reason
                scenario.save(update_fields=["needs_review", "needs_review_reason"])
                changed.append(scenario)
            continue
        old, new = _stored_key(scenario), _key_of(decision)
        first_time = not scenario.key_computed_at
        if not first_time and old != new:
            scenario.needs_review = True
            scenario.needs_review_reason = key_change_reason(old=old, new=new)
            changed.append(scenario)
        _snapshot(scenario, decision, fingerprint, at)
        scenario.save(update_fields=_SNAPSHOT_FIELDS)
    return changed


# --- Grading -----------------------------------------------------------------------------------------


def scenario_answer_grade(
    *,
    scenario: ScenarioQuestion,
    first_action: str,
    actions: Iterable[str],
    level: str | None = None,
    urgency: str | None = None,
    on: datetime.date,
    directory: Directory | None = None,
) -> Grade:
    """Grade an answer against the rules' live decision for the scenario (see ``quizzes.grading``)."""
    concern, decision = scenario_decision(scenario=scenario, on=on, directory=directory)
    return grade_answer(
        concern=concern,
        decision=decision,
        first_action=first_action,
        actions=list(actions),
        level=level or None,
        urgency=urgency or None,
        ask_level=scenario.ask_level,
        ask_urgency=scenario.ask_urgency,
    )


@dataclass(frozen=True)
class AnswerInput:
    first_action: str
    actions: tuple[str, ...] = ()
    level: str = ""
    urgency: str = ""


@dataclass(frozen=True)
class GradedAnswer:
    scenario: ScenarioQuestion
    answer: AnswerInput
    grade: Grade


# --- The final assessment's draw ---------------------------------------------------------------------


def draw_scenario_ids(*, bank_ids: Sequence[int], count: int, seed: int) -> list[int]:
    """``count`` distinct ids from ``bank_ids``, chosen by ``seed`` alone (same seed, same draw)."""
    ordered = sorted(set(bank_ids))
    # Reproducible by design (the seed is stored with the attempt); not a security use.
    return random.Random(seed).sample(ordered, min(count, len(ordered)))  # noqa: S311


def final_assessment_bank(*, page: FinalAssessmentPage) -> list[int]:
    scenarios = ScenarioQuestion.objects.all()
    if page.scenario_tag:
        scenarios = scenarios.filter(tags__name=page.scenario_tag)
    return list(scenarios.values_list("pk", flat=True).distinct())


@dataclass(frozen=True)
class DrawCollisionReport:
    bank_size: int
    count: int
    attempts: int
    colliding_pairs: int
    measured: float  # colliding pairs / all pairs of attempts
    exact: float  # 1 / C(bank_size, count)


def draw_collision_measure(
    *, bank_size: int, count: int, attempts: int, first_seed: int = 0
) -> DrawCollisionReport:
    """Draw ``attempts`` sets with consecutive seeds and measure how often two attempts got the
    identical set (over all pairs), next to the exact probability for a uniform draw."""
    sets = Counter(
        tuple(sorted(draw_scenario_ids(bank_ids=range(bank_size), count=count, seed=seed)))
        for seed in range(first_seed, first_seed + attempts)
    )
    pairs = sum(comb(n, 2) for n in sets.values())
    return DrawCollisionReport(
        bank_size=bank_size,
        count=count,
        attempts=attempts,
        colliding_pairs=pairs,
        measured=pairs / comb(attempts, 2),
        exact=1 / comb(bank_size, min(count, bank_size)),
    )


# --- Attempts -----------------------------------------------------------------------------------------


def _canonical(page: Page) -> Page:
    from courses.services import page_canonical

    return page_canonical(page)


def quiz_kind(page: Page) -> str:
    if isinstance(page, FinalAssessmentPage):
        return QuizAttempt.Kind.FINAL
    if isinstance(page, ModuleQuizPage):
        return QuizAttempt.Kind.MODULE
    return QuizAttempt.Kind.PRACTICE


def quiz_scenario_ids(*, page: ModuleQuizPage | FinalAssessmentPage, seed: int) -> list[int]:
    if isinstance(page, FinalAssessmentPage):
        return draw_scenario_ids(
            bank_ids=final_assessment_bank(page=page), count=page.question_count, seed=seed
        )
    return list(page.quiz_scenarios.order_by("sort_order").values_list("scenario_id", flat=True))


@transaction.atomic
def quiz_attempt_open(
    *, user: User, page: ModuleQuizPage | FinalAssessmentPage, seed: int, at: datetime.datetime
) -> QuizAttempt:
    """The learner's unsubmitted attempt at this quiz, or a new one (with its own seed and draw)."""
    canonical = _canonical(page).specific
    attempt = (
        QuizAttempt.objects.select_for_update()
        .filter(user=user, page=canonical, submitted_at__isnull=True)
        .order_by("-started_at", "-id")
        .first()
    )
    if attempt is not None:
        return attempt
    return QuizAttempt.objects.create(
        user=user,
        page=canonical,
        kind=quiz_kind(canonical),
        scenario_ids=quiz_scenario_ids(page=canonical, seed=seed),
        seed=seed,
        started_at=at,
        rules_version=RULES_VERSION,
    )


def quiz_attempt_scenarios(*, attempt: QuizAttempt) -> list[ScenarioQuestion]:
    by_id = ScenarioQuestion.objects.select_related("municipality").in_bulk(attempt.scenario_ids)
    return [by_id[pk] for pk in attempt.scenario_ids if pk in by_id]


def quiz_attempt_for_user(*, user: User, attempt_id: int, page: Page) -> QuizAttempt | None:
    return QuizAttempt.objects.filter(user=user, pk=attempt_id, page=_canonical(page)).first()


def quiz_attempts_submitted(*, user: User, page: Page) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(user=user, page=_canonical(page), submitted_at__isnull=False))


def quiz_passes(*, score: float, critical_error_count: int) -> bool:
    """80 % or more (exactly 80 % passes) and no critical error."""
    return round(score * 100, 6) >= PASS_MARK_PERCENT and critical_error_count == 0


@transaction.atomic
def quiz_attempt_submit(
    *, attempt: QuizAttempt, answers: dict[int, AnswerInput], on: datetime.date, at: datetime.datetime
) -> list[GradedAnswer]:
    """Grade and record every answer of an open attempt, score it, and, when it passes, refresh the
    module's or course's completion. ``answers`` maps scenario id → answer; each of the attempt's
    scenarios must be answered. Submitting an already submitted attempt changes nothing."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        return quiz_attempt_graded(attempt=attempt, on=on)
    scenarios = quiz_attempt_scenarios(attempt=attempt)
    missing = [scenario.pk for scenario in scenarios if scenario.pk not in answers]
    if missing or not scenarios:
        raise ValueError(f"attempt {attempt.pk}: unanswered scenarios {missing}")
    graded = _grade_all(scenarios, answers, on)
    QuizAnswer.objects.bulk_create(_answer_rows(attempt, graded))
    attempt.score = sum(item.grade.score for item in graded) / len(graded)
    attempt.critical_error_count = sum(len(item.grade.critical_errors) for item in graded)
    attempt.passed = quiz_passes(score=attempt.score, critical_error_count=attempt.critical_error_count)
    attempt.submitted_at = at
    attempt.rules_version = graded[0].grade.decision.rules_version
    attempt.save(update_fields=["score", "critical_error_count", "passed", "submitted_at", "rules_version"])
    if attempt.passed:
        _completion_refresh(attempt=attempt, at=at)
    return graded


def _grade_all(
    scenarios: list[ScenarioQuestion], answers: dict[int, AnswerInput], on: datetime.date
) -> list[GradedAnswer]:
    # One small directory per municipality of the scenarios (one query each), never the whole country's.
    directories: dict[int, Directory] = {}
    for scenario in scenarios:
        if scenario.municipality_id not in directories:
            directories[scenario.municipality_id] = scenario_directory(scenario=scenario)
    return [
        GradedAnswer(
            scenario,
            answers[scenario.pk],
            scenario_answer_grade(
                scenario=scenario,
                first_action=answers[scenario.pk].first_action,
                actions=answers[scenario.pk].actions,
                level=answers[scenario.pk].level,
                urgency=answers[scenario.pk].urgency,
                on=on,
                directory=directories[scenario.municipality_id],
            ),
        )
        for scenario in scenarios
    ]


def _answer_rows(attempt: QuizAttempt, graded: list[GradedAnswer]) -> list[QuizAnswer]:
    return [
        QuizAnswer(
            attempt=attempt,
            scenario=item.scenario,
            first_action=item.answer.first_action,
            actions=list(item.answer.actions),
            level=item.answer.level,
            urgency=item.answer.urgency,
            score=item.grade.score,
            critical_errors=list(item.grade.critical_codes),
        )
        for item in graded
    ]


def quiz_attempt_graded(*, attempt: QuizAttempt, on: datetime.date) -> list[GradedAnswer]:
    """The feedback of a submitted attempt, re-graded from its recorded answers."""
    rows = attempt.answers.select_related("scenario__municipality").order_by("id")
    answers = {
        row.scenario_id: AnswerInput(row.first_action, tuple(row.actions), row.level, row.urgency)
        for row in rows
    }
    return _grade_all([row.scenario for row in rows], answers, on)


def _completion_refresh(*, attempt: QuizAttempt, at: datetime.datetime) -> None:
    from courses.models import CoursePage, ModulePage
    from courses.services import course_completion_refresh, module_completion_refresh

    parent = attempt.page.get_parent().specific
    if attempt.kind == QuizAttempt.Kind.MODULE and isinstance(parent, ModulePage):
        module_completion_refresh(user=attempt.user, module=parent, at=at)
    elif attempt.kind == QuizAttempt.Kind.FINAL and isinstance(parent, CoursePage):
        course_completion_refresh(user=attempt.user, course=parent, at=at)


@dataclass(frozen=True)
class PracticeQuestion:
    """A practice scenario asked in a live lesson."""

    scenario: ScenarioQuestion  # with its municipality
    lesson_id: int  # the lesson page the form is on
    record_page_id: int  # that lesson in the default language: answers are recorded there


def practice_question_read(*, scenario_id: int, lesson_id: int) -> PracticeQuestion | None:
    """The scenario with its municipality, if ``lesson_id`` is a live page; None otherwise. Two plain
    queries (a sub-query that does both costs more to build than it saves); the lesson's page in the
    default locale (as ``courses.services.page_canonical`` finds it) is looked up only for a translation."""
    scenario = ScenarioQuestion.objects.select_related("municipality").filter(pk=scenario_id).first()
    if scenario is None:
        return None
    lesson = (
        Page.objects.live()
        .filter(pk=lesson_id)
        .values_list("locale__language_code", "translation_key")
        .first()
    )
    if lesson is None:
        return None
    language, translation_key = lesson
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    record_page_id = lesson_id
    if language != default:
        record_page_id = (
            Page.objects.filter(translation_key=translation_key, locale__language_code=default)
            .values_list("pk", flat=True)
            .first()
            or lesson_id
        )
    return PracticeQuestion(scenario=scenario, lesson_id=lesson_id, record_page_id=record_page_id)


def practice_answer_record(
    *,
    user: User,
    question: PracticeQuestion,
    answer: AnswerInput,
    on: datetime.date,
    at: datetime.datetime,
) -> GradedAnswer:
    """A practice question in a lesson: graded at once and recorded; it never gates completion."""
    scenario = question.scenario
    item = _grade_all([scenario], {scenario.pk: answer}, on)[0]  # reads only: before the transaction
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            user=user,
            page_id=question.record_page_id,
            kind=QuizAttempt.Kind.PRACTICE,
            scenario_ids=[scenario.pk],
            started_at=at,
            submitted_at=at,
            score=item.grade.score,
            critical_error_count=len(item.grade.critical_errors),
            passed=quiz_passes(score=item.grade.score, critical_error_count=len(item.grade.critical_errors)),
            rules_version=item.grade.decision.rules_version,
        )
        QuizAnswer.objects.bulk_create(_answer_rows(attempt, [item]))
    return item


# --- Completion checks (registered in courses/completion.py) -----------------------------------------


def _passed_every(user: User, quiz_pages: Iterable[Page]) -> bool:
    page_ids = {page.pk for page in quiz_pages}
    if not page_ids:
        return True  # no quiz here: nothing to pass
    passed = set(
        QuizAttempt.objects.filter(user=user, page_id__in=page_ids, passed=True).values_list(
            "page_id", flat=True
        )
    )
    return page_ids <= passed


def module_quiz_passed(user: User, module: Page) -> bool:
    """Module requirement: every live module quiz in the module has a passed attempt."""
    return _passed_every(user, ModuleQuizPage.objects.child_of(module).live())


def final_assessment_passed(user: User, course: Page) -> bool:
    """Course requirement: the course's live final assessment has a passed attempt."""
    return _passed_every(user, FinalAssessmentPage.objects.child_of(course).live())


# --- Insight ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareRow:
    code: str
    label: str
    count: int
    percent: int
    is_key: bool = False


@dataclass(frozen=True)
class Insight:
    scenario: ScenarioQuestion
    learners: int
    answers: int
    average_percent: int
    first_actions: tuple[ShareRow, ...]
    critical_errors: tuple[ShareRow, ...]


def scenario_insight(
    *, scenario: ScenarioQuestion, municipality: Municipality | None = None, on: datetime.date | None = None
) -> Insight | None:
    """How learners answered the scenario, in aggregate only; None below ``MIN_INSIGHT_LEARNERS``
    distinct learners. With ``municipality`` only answers by that municipality's staff count. The
    rules' first action is marked from the live key on ``on`` (or the stored snapshot without it)."""
    answers = QuizAnswer.objects.filter(scenario=scenario, attempt__submitted_at__isnull=False)
    if municipality is not None:
        answers = answers.filter(attempt__user__municipality=municipality)
    learners = answers.values("attempt__user").distinct().count()
    if learners < MIN_INSIGHT_LEARNERS:
        return None
    rows = list(answers.values_list("first_action", "critical_errors", "score"))
    total = len(rows)
    firsts = Counter(first for first, _errors, _score in rows)
    errors = Counter(code for _first, codes, _score in rows for code in (codes or []))
    key_first = scenario.key_first_action
    if on is not None:
        verdict = scenario_verdict(scenario=scenario, on=on)
        key_first = (
            verdict.decision.actions[0] if verdict.decision and verdict.decision.actions else key_first
        )
    return Insight(
        scenario=scenario,
        learners=learners,
        answers=total,
        average_percent=round(100 * sum(score for *_rest, score in rows) / total),
        first_actions=tuple(
            ShareRow(code, action_label(code), n, round(100 * n / total), code == key_first)
            for code, n in sorted(
                firsts.items(),
                key=lambda item: (-item[1], list(ACTIONS).index(item[0]) if item[0] in ACTIONS else 99),
            )
        ),
        critical_errors=tuple(
            ShareRow(code, CRITICAL_ERROR_TEXTS.get(code, code), n, round(100 * n / total))
            for code, n in errors.most_common()
        ),
    )


def scenarios_insight(
    *, municipality: Municipality | None = None, on: datetime.date | None = None
) -> list[tuple[ScenarioQuestion, Insight | None]]:
    return [
        (scenario, scenario_insight(scenario=scenario, municipality=municipality, on=on))
        for scenario in ScenarioQuestion.objects.select_related("municipality").order_by("title")
    ]
