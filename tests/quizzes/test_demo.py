"""The demo scenario bank: every scenario loaded, a quiz per module, the final assessment, and the
practice scenarios inserted into the lessons, idempotently."""

import pytest
from wagtail.models import Locale

from courses.models import CoursePage, LessonPage, ModulePage
from learning.demo import DEMO_SEEDERS, DemoReport
from quizzes.demo import demo_scenarios_load, demo_seed_scenarios, module_quiz_selection
from quizzes.models import FinalAssessmentPage, ModuleQuizPage, ScenarioQuestion


def scenario_blocks():
    return sorted(
        (lesson.slug, block.value.slug)
        for lesson in LessonPage.objects.filter(locale__language_code="da")
        for block in lesson.body
        if block.block_type == "scenario"
    )


def test_the_seeder_runs_after_the_courses_seeder():
    assert DEMO_SEEDERS.index("quizzes.demo.demo_seed_scenarios") > DEMO_SEEDERS.index(
        "courses.demo.demo_seed_courses"
    )


def test_small_modules_get_related_scenarios():
    items = demo_scenarios_load()
    selection = module_quiz_selection(items=items, module_key="modul-1")
    assert len(selection) == 3
    assert selection[0] == "roedovre-20-aarig-aktivist-ingen-tegn"  # the module's own scenario first
    assert all(item["module"].startswith("modul-2") for item in items if item["slug"] in selection[1:])


def test_demo_seeds_the_bank_quizzes_and_lesson_scenarios(demo):
    items = demo_scenarios_load()
    assert ScenarioQuestion.objects.count() == len(items) == 31
    assert not ScenarioQuestion.objects.filter(key_computed_at__isnull=True).exists()
    assert not ScenarioQuestion.objects.filter(needs_review=True).exists()
    danish = Locale.objects.get(language_code="da")
    modules = ModulePage.objects.filter(locale=danish)
    assert modules.count() == 4
    for module in modules:
        quiz = ModuleQuizPage.objects.child_of(module).get()
        assert quiz.live and quiz.quiz_scenarios.count() >= 3
    module_4 = modules.get(slug__startswith="modul-4")
    assert ModuleQuizPage.objects.child_of(module_4).get().quiz_scenarios.count() == 17
    course = CoursePage.objects.get(locale=danish)
    final = FinalAssessmentPage.objects.child_of(course).get()
    assert final.live and final.question_count == 8
    assert scenario_blocks() == sorted(
        [
            ("tipping-point", "akut-trussel-skole"),
            ("flere-tegn-paa-samme-tid", "koege-15-aarig-elev-tre-tegn"),
            ("undgaa-at-stemple", "ishoej-19-aarig-et-tegn"),
            ("det-specifikke-foregribende-niveau", "roedovre-16-aarig-to-tegn"),
            ("voksne-grupper-og-borgere", "koege-34-aarig-borger-jobcenter"),
            ("voksne-grupper-og-borgere", "borger-nabo-bekymring"),
        ]
    )

    before = (
        ScenarioQuestion.objects.count(),
        ModuleQuizPage.objects.count(),
        FinalAssessmentPage.objects.count(),
    )
    demo_seed_scenarios(DemoReport())
    after = (
        ScenarioQuestion.objects.count(),
        ModuleQuizPage.objects.count(),
        FinalAssessmentPage.objects.count(),
    )
    assert before == after
    assert len(scenario_blocks()) == 6


@pytest.mark.django_db
def test_the_demo_scenarios_route_to_their_documented_keys(demo):
    """Spot checks straight from the routing contract's public examples, via the seeded scenarios."""
    koege_15 = ScenarioQuestion.objects.get(slug="koege-15-aarig-elev-tre-tegn")
    assert koege_15.key_actions == ["notify_children_services"] and koege_15.key_urgency == "non_acute"
    roedovre_16 = ScenarioQuestion.objects.get(slug="roedovre-16-aarig-to-tegn")
    assert roedovre_16.key_first_action == "inform_leader"
    acute = ScenarioQuestion.objects.get(slug="akut-trussel-skole")
    assert acute.key_first_action == "police_112" and acute.key_level == "targeted"
