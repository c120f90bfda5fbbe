"""Quiz attempts: the final assessment's draw, the 80 % pass mark, critical errors, retries and the
course completion that follows a pass."""

import datetime

import pytest
from django.utils import timezone

from courses.models import CourseCompletion, ModuleCompletion
from courses.services import lesson_complete
from quizzes.models import QuizAnswer, QuizAttempt
from quizzes.services import (
    AnswerInput,
    draw_collision_measure,
    draw_scenario_ids,
    final_assessment_passed,
    module_quiz_passed,
    quiz_attempt_open,
    quiz_attempt_scenarios,
    quiz_attempt_submit,
    quiz_passes,
)

from .factories import ScenarioFactory, acute_child, adult_koege, build_quiz_tree, roedovre_two_signs
from .helpers import ON, right_answer

AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
pytestmark = pytest.mark.django_db


def submit(attempt, answers):
    return quiz_attempt_submit(attempt=attempt, answers=answers, on=ON, at=AT)


def test_final_assessment_draws_differ_across_seeds_and_repeat_for_the_same_seed(learner):
    bank = [ScenarioFactory() for _ in range(12)]
    tree = build_quiz_tree(scenarios=bank[:3], question_count=8)
    draws = {
        seed: quiz_attempt_scenarios(
            attempt=quiz_attempt_open(user=learner, page=tree.final, seed=seed, at=AT)
        )
        for seed in (1,)
    }
    first = draws[1]
    assert len(first) == 8 and len({s.pk for s in first}) == 8
    bank_ids = [s.pk for s in bank]
    sets = {frozenset(draw_scenario_ids(bank_ids=bank_ids, count=8, seed=seed)) for seed in range(50)}
    assert len(sets) > 40
    assert draw_scenario_ids(bank_ids=bank_ids, count=8, seed=7) == draw_scenario_ids(
        bank_ids=list(reversed(bank_ids)), count=8, seed=7
    )
    # The open attempt is reused until it is submitted: reloading the page does not redraw.
    again = quiz_attempt_open(user=learner, page=tree.final, seed=2, at=AT)
    assert [s.pk for s in quiz_attempt_scenarios(attempt=again)] == [s.pk for s in first]


def test_a_tagged_final_assessment_draws_only_from_its_tag(learner):
    tagged = [ScenarioFactory() for _ in range(3)]
    for scenario in tagged:
        scenario.tags.add("kursus-a")
    [ScenarioFactory() for _ in range(5)]
    tree = build_quiz_tree(scenarios=tagged[:1], question_count=8)
    tree.final.scenario_tag = "kursus-a"
    tree.final.save()
    attempt = quiz_attempt_open(user=learner, page=tree.final, seed=3, at=AT)
    assert sorted(attempt.scenario_ids) == sorted(s.pk for s in tagged)


def test_identical_draw_probability_is_measured_near_the_exact_value():
    report = draw_collision_measure(bank_size=31, count=8, attempts=20_000)
    assert report.exact == pytest.approx(1 / 7_888_725)
    # 20 000 attempts make ~2·10⁸ pairs: about 25 identical pairs are expected for a uniform draw.
    assert 5 <= report.colliding_pairs <= 60
    assert report.measured == pytest.approx(report.exact, rel=0.7)


def five_scenarios():
    return [ScenarioFactory(), acute_child(), roedovre_two_signs(), adult_koege(), ScenarioFactory(age=12)]


def test_exactly_80_percent_without_critical_errors_passes(learner):
    scenarios = five_scenarios()
    tree = build_quiz_tree(scenarios=scenarios)
    attempt = quiz_attempt_open(user=learner, page=tree.quiz, seed=0, at=AT)
    answers = {s.pk: right_answer(s) for s in scenarios}
    answers[scenarios[3].pk] = AnswerInput("observe_and_discuss")  # adult: 0 points, no critical error
    graded = submit(attempt, answers)
    attempt.refresh_from_db()
    assert [item.grade.score for item in graded] == [1.0, 1.0, 1.0, 0.0, 1.0]
    assert attempt.score == pytest.approx(0.8)
    assert attempt.critical_error_count == 0 and attempt.passed
    assert attempt.submitted_at == AT and attempt.rules_version
    assert quiz_passes(score=0.7999, critical_error_count=0) is False


def test_one_critical_error_fails_even_above_the_pass_mark(learner):
    scenarios = five_scenarios()
    tree = build_quiz_tree(scenarios=scenarios)
    attempt = quiz_attempt_open(user=learner, page=tree.quiz, seed=0, at=AT)
    answers = {s.pk: right_answer(s) for s in scenarios}
    # Calling the police about a non-acute child: 50 % on this one (90 % overall) but critical.
    answers[scenarios[0].pk] = AnswerInput("notify_children_services", ("police_114",))
    submit(attempt, answers)
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(0.9)
    assert attempt.critical_error_count == 1 and not attempt.passed
    answer = QuizAnswer.objects.get(attempt=attempt, scenario=scenarios[0])
    assert answer.critical_errors == ["police_not_acute"]
    assert answer.actions == ["police_114"] and answer.first_action == "notify_children_services"


def test_attempts_are_recorded_and_a_retry_starts_a_new_attempt(learner, quiz_tree):
    first = quiz_attempt_open(user=learner, page=quiz_tree.quiz, seed=1, at=AT)
    submit(first, {s.pk: AnswerInput("general_prevention") for s in quiz_tree.scenarios})
    first.refresh_from_db()
    assert not first.passed and first.answers.count() == 3
    # Submitting the same attempt again changes nothing.
    submit(first, {s.pk: right_answer(s) for s in quiz_tree.scenarios})
    first.refresh_from_db()
    assert not first.passed and first.answers.count() == 3
    retry = quiz_attempt_open(user=learner, page=quiz_tree.quiz, seed=2, at=AT)
    assert retry.pk != first.pk and retry.submitted_at is None
    submit(retry, {s.pk: right_answer(s) for s in quiz_tree.scenarios})
    retry.refresh_from_db()
    assert retry.passed and retry.score == 1.0
    assert QuizAttempt.objects.filter(user=learner, page=quiz_tree.quiz).count() == 2


def test_passing_completes_the_module_and_then_the_course(learner, quiz_tree):
    module, course = quiz_tree.module, quiz_tree.tree.course
    for lesson in quiz_tree.tree.all_lessons:
        lesson_complete(user=learner, lesson=lesson, at=AT)
    # Every lesson is done, but the module quiz is not passed yet.
    assert not module_quiz_passed(learner, module)
    assert not ModuleCompletion.objects.filter(user=learner, module=module).exists()

    attempt = quiz_attempt_open(user=learner, page=quiz_tree.quiz, seed=1, at=AT)
    submit(attempt, {s.pk: right_answer(s) for s in quiz_tree.scenarios})
    assert module_quiz_passed(learner, module)
    assert ModuleCompletion.objects.get(user=learner, module=module).completed_at == AT
    assert not CourseCompletion.objects.filter(user=learner, course=course).exists()  # final not passed

    final = quiz_attempt_open(user=learner, page=quiz_tree.final, seed=5, at=AT)
    submit(
        final, {pk: right_answer(s) for pk, s in ((s.pk, s) for s in quiz_attempt_scenarios(attempt=final))}
    )
    assert final_assessment_passed(learner, course)
    assert CourseCompletion.objects.filter(user=learner, course=course).exists()


def test_a_module_or_course_without_a_quiz_has_nothing_to_pass(learner, quiz_tree):
    from courses.models import CoursePage, ModulePage
    from tests.courses.factories import publish_child

    course = publish_child(
        quiz_tree.tree.index, CoursePage(title="Andet kursus", slug="andet", intro="<p>x</p>")
    )
    module = publish_child(
        course, ModulePage(title="Modul", slug="modul", summary="x", next_review=datetime.date(2099, 1, 1))
    )
    assert module_quiz_passed(learner, module)
    assert final_assessment_passed(learner, course)
    assert not module_quiz_passed(learner, quiz_tree.module)
    assert not final_assessment_passed(learner, quiz_tree.tree.course)
