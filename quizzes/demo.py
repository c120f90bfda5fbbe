"""Demo content of the quizzes app: the scenario bank, one module quiz per module, the course's final
assessment, and the practice scenarios in the lessons. Idempotent: running it twice changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from learning.models import Municipality

from .models import FinalAssessmentPage, ModuleQuizPage, ModuleQuizScenario, ScenarioQuestion
from .services import scenario_review_complete

SCENARIOS_PATH = Path(__file__).resolve().parent / "content" / "scenarios.json"
COURSE_CONTENT_DIR = Path(settings.BASE_DIR) / "courses" / "content"
MIN_MODULE_QUIZ_SCENARIOS = 3
_MODULE_NUMBER = re.compile(r"^modul-(\d+)")


def _module_key(slug: str) -> str:
    """»modul-4-handlepligter« and »modul-4-handlepligter-og-henvisning« are the same module."""
    match = _MODULE_NUMBER.match(slug)
    return match.group(0) if match else slug


def demo_scenarios_load(*, path: Path = SCENARIOS_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def demo_scenario_upsert(*, data: dict) -> tuple[ScenarioQuestion, bool]:
    """Create the scenario if its slug is new; an existing one (maybe edited since) is left alone."""
    existing = ScenarioQuestion.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    facts = data["facts"]
    scenario = ScenarioQuestion.objects.create(
        slug=data["slug"],
        title=data["title_da"],
        story=data["story_da"],
        municipality=Municipality.objects.get(slug=facts["municipality"]),
        subject=facts.get("subject", "person"),
        age=facts.get("age"),
        reporter=facts.get("reporter", "employee"),
        signs=list(facts.get("signs", [])),
        illegal_act=facts.get("illegal_act", "none"),
        danger_to_life=facts.get("danger_to_life", False),
        in_extremist_milieu=facts.get("in_extremist_milieu", False),
        wants_exit=facts.get("wants_exit", False),
        returnee=facts.get("returnee", False),
        within_opening_hours=facts.get("within_opening_hours", True),
        ask_level=data.get("ask_level", False),
        ask_urgency=data.get("ask_urgency", False),
        source=data.get("source", ""),
    )
    scenario.tags.add(_module_key(data["module"]))
    return scenario, True


def module_quiz_selection(*, items: list[dict], module_key: str) -> list[str]:
    """The slugs for a module's quiz: its own scenarios; below three, the next modules' (then the
    previous modules') scenarios are added, in file order."""
    own = [item["slug"] for item in items if _module_key(item["module"]) == module_key]
    if len(own) >= MIN_MODULE_QUIZ_SCENARIOS:
        return own
    keys = sorted({_module_key(item["module"]) for item in items})
    later = [key for key in keys if key > module_key]
    earlier = [key for key in reversed(keys) if key < module_key]
    for key in [*later, *earlier]:
        for item in items:
            if len(own) >= MIN_MODULE_QUIZ_SCENARIOS:
                return own
            if _module_key(item["module"]) == key and item["slug"] not in own:
                own.append(item["slug"])
    return own


def _publish(page) -> None:
    page.save_revision().publish()


@transaction.atomic
def demo_seed_scenarios(report) -> None:
    from courses.models import CoursePage, ModulePage

    now = timezone.now()
    items = demo_scenarios_load()
    created = 0
    for data in items:
        scenario, was_created = demo_scenario_upsert(data=data)
        if was_created or scenario.key_computed_at is None:
            scenario_review_complete(scenario=scenario, on=timezone.localdate(now), at=now)
            created += was_created
    by_slug = {scenario.slug: scenario for scenario in ScenarioQuestion.objects.all()}

    danish = Locale.objects.filter(language_code="da").first()
    modules = ModulePage.objects.filter(locale=danish) if danish else ModulePage.objects.none()
    quizzes = 0
    for module in modules:
        quiz = ModuleQuizPage.objects.child_of(module).first()
        if quiz is None:
            quiz = ModuleQuizPage(
                title=f"Tjek din viden: {module.title}",
                slug="tjek-din-viden",
                intro="<p>Læs hvert scenarie, og vælg, hvad du gør først, og hvad du ellers skal gøre.</p>",
            )
            for order, slug in enumerate(
                module_quiz_selection(items=items, module_key=_module_key(module.slug))
            ):
                if slug in by_slug:
                    quiz.quiz_scenarios.add(ModuleQuizScenario(scenario=by_slug[slug], sort_order=order))
            module.add_child(instance=quiz)
            _publish(quiz)
            quizzes += 1

    for course in CoursePage.objects.filter(locale=danish) if danish else []:
        if not FinalAssessmentPage.objects.child_of(course).exists():
            final = FinalAssessmentPage(
                title="Afsluttende prøve",
                slug="afsluttende-proeve",
                intro="<p>Prøven trækker nye scenarier fra scenariebanken, hver gang du tager den.</p>",
                question_count=8,
            )
            course.add_child(instance=final)
            _publish(final)

    wired = demo_wire_lesson_scenarios(locale=danish, by_slug=by_slug) if danish else 0
    report.notes.append(
        f"Scenarier: {len(by_slug)} i banken ({created} nye), {quizzes} nye modulquizzer, "
        f"{wired} øvelser sat ind i lektioner."
    )


def demo_wire_lesson_scenarios(*, locale, by_slug: dict[str, ScenarioQuestion]) -> int:
    """Insert the »scenario« blocks named in courses/content/modul-*.json into their lessons (found by
    module slug and lesson slug), at the position the file gives, unless the lesson already has them."""
    from courses.models import LessonPage, ModulePage

    wired = 0
    for path in sorted(COURSE_CONTENT_DIR.glob("modul-*.json")):
        with path.open(encoding="utf-8") as handle:
            module_data = json.load(handle)
        module = ModulePage.objects.filter(slug=module_data["slug"], locale=locale).first()
        if module is None:
            continue
        for lesson_data in module_data.get("lessons", []):
            wanted = [
                (index, block["scenario"])
                for index, block in enumerate(lesson_data.get("body", []))
                if block.get("type") == "scenario" and block.get("scenario") in by_slug
            ]
            lesson = (
                LessonPage.objects.child_of(module).filter(slug=lesson_data["slug"]).first()
                if wanted
                else None
            )
            if lesson is not None and _lesson_insert_scenarios(lesson=lesson, wanted=wanted, by_slug=by_slug):
                wired += 1
    return wired


def _lesson_insert_scenarios(
    *, lesson, wanted: list[tuple[int, str]], by_slug: dict[str, ScenarioQuestion]
) -> bool:
    present = {
        block.value.pk for block in lesson.body if block.block_type == "scenario" and block.value is not None
    }
    missing = [(index, slug) for index, slug in wanted if by_slug[slug].pk not in present]
    if not missing:
        return False
    data = list(lesson.body.raw_data)
    for index, slug in missing:
        data.insert(min(index, len(data)), {"type": "scenario", "value": by_slug[slug].pk})
    lesson.body = data
    _publish(lesson)
    return True
