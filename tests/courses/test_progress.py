"""Progress and completion services: lessons, modules, courses, the completion registry."""

import datetime
import logging

import pytest
from django.db import transaction
from wagtail.models import Locale

from courses import completion as registry
from courses.models import CourseCompletion, LessonProgress, ModuleCompletion
from courses.services import (
    course_completion_refresh,
    course_progress,
    course_restart,
    course_resume_target,
    lesson_complete,
    lesson_open,
    module_completion_refresh,
    module_progress,
    page_ensure_translation,
)

from .factories import build_tree

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
HANDLER = "tests.courses.test_progress.record_completion"
calls: list = []


def record_completion(*, completion, at):
    calls.append((completion.pk, at, transaction.get_connection().in_atomic_block))


def refuse(*, completion, at):
    raise RuntimeError("certifikatet kunne ikke udstedes")


def quiz_failed(user, module):
    return False


def quiz_passed(user, module):
    return True


@pytest.fixture(autouse=True)
def _handlers(monkeypatch):
    calls.clear()
    monkeypatch.setattr(registry, "COURSE_COMPLETION_HANDLERS", [HANDLER])
    monkeypatch.setattr(registry, "MODULE_REQUIREMENTS", [])
    monkeypatch.setattr(registry, "COURSE_REQUIREMENTS", [])


def _at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def _complete_all(user, tree, start=0):
    for i, lesson in enumerate(tree.all_lessons):
        lesson_complete(user=user, lesson=lesson, at=_at(start + i))


def test_lesson_open_is_idempotent_and_keeps_the_first_time(tree, learner):
    lesson = tree.lessons[0][0]
    lesson_open(user=learner, lesson=lesson, at=_at(0))
    lesson_open(user=learner, lesson=lesson, at=_at(5))
    progress = LessonProgress.objects.get()
    assert progress.opened_at == _at(0)
    assert progress.completed_at is None


def test_lesson_complete_is_idempotent_and_keeps_the_first_completion(tree, learner):
    lesson = tree.lessons[0][0]
    lesson_open(user=learner, lesson=lesson, at=_at(0))
    lesson_complete(user=learner, lesson=lesson, at=_at(1))
    lesson_complete(user=learner, lesson=lesson, at=_at(9))
    progress = LessonProgress.objects.get()
    assert (progress.opened_at, progress.completed_at) == (_at(0), _at(1))


def test_module_is_completed_only_when_every_lesson_is(tree, learner):
    first, second = tree.lessons[0]
    lesson_complete(user=learner, lesson=first, at=_at(0))
    assert not ModuleCompletion.objects.exists()
    assert module_completion_refresh(user=learner, module=tree.modules[0], at=_at(1)) is None
    lesson_complete(user=learner, lesson=second, at=_at(2))
    completion = ModuleCompletion.objects.get()
    assert (completion.module_id, completion.completed_at) == (tree.modules[0].pk, _at(2))
    assert not CourseCompletion.objects.exists()  # module 2 is still open


def test_unpublished_lessons_do_not_count(tree, learner):
    tree.lessons[0][1].unpublish()
    lesson_complete(user=learner, lesson=tree.lessons[0][0], at=_at(0))
    assert ModuleCompletion.objects.filter(module=tree.modules[0]).exists()


def test_module_requirements_from_the_registry_must_pass(tree, learner, monkeypatch):
    monkeypatch.setattr(registry, "MODULE_REQUIREMENTS", ["tests.courses.test_progress.quiz_failed"])
    for lesson in tree.lessons[0]:
        lesson_complete(user=learner, lesson=lesson, at=_at(0))
    assert not ModuleCompletion.objects.exists()
    monkeypatch.setattr(registry, "MODULE_REQUIREMENTS", ["tests.courses.test_progress.quiz_passed"])
    assert module_completion_refresh(user=learner, module=tree.modules[0], at=_at(3)) is not None
    assert ModuleCompletion.objects.get().completed_at == _at(3)


def test_course_requirements_from_the_registry_must_pass(tree, learner, monkeypatch):
    monkeypatch.setattr(registry, "COURSE_REQUIREMENTS", ["tests.courses.test_progress.quiz_failed"])
    _complete_all(learner, tree)
    assert ModuleCompletion.objects.count() == 2
    assert not CourseCompletion.objects.exists()
    monkeypatch.setattr(registry, "COURSE_REQUIREMENTS", ["tests.courses.test_progress.quiz_passed"])
    assert course_completion_refresh(user=learner, course=tree.course, at=_at(30)) is not None
    assert calls and calls[0][1] == _at(30)


def test_course_completion_calls_the_handler_once_inside_the_transaction(tree, learner):
    _complete_all(learner, tree)
    completion = CourseCompletion.objects.get()
    assert completion.completed_at == _at(3)
    assert calls == [(completion.pk, _at(3), True)]
    # Refreshing again, or completing a lesson again, neither records nor certifies twice.
    assert course_completion_refresh(user=learner, course=tree.course, at=_at(50)) == completion
    lesson_complete(user=learner, lesson=tree.lessons[1][1], at=_at(51))
    assert CourseCompletion.objects.count() == 1
    assert len(calls) == 1


def test_a_failing_handler_rolls_the_completion_back(tree, learner, monkeypatch):
    monkeypatch.setattr(registry, "COURSE_COMPLETION_HANDLERS", ["tests.courses.test_progress.refuse"])
    for lesson in tree.all_lessons[:-1]:
        lesson_complete(user=learner, lesson=lesson, at=_at(0))
    with pytest.raises(RuntimeError):
        lesson_complete(user=learner, lesson=tree.all_lessons[-1], at=_at(1))
    # Same transaction: neither the course completion nor the last lesson's completion was kept.
    assert not CourseCompletion.objects.exists()
    assert not LessonProgress.objects.filter(lesson=tree.all_lessons[-1]).exists()


def test_a_handler_not_written_yet_is_skipped_with_a_warning(tree, learner, monkeypatch, caplog):
    monkeypatch.setattr(
        registry,
        "COURSE_COMPLETION_HANDLERS",
        ["certificates.findes_ikke.issue", "courses.services.findes_ikke", HANDLER],
    )
    with caplog.at_level(logging.WARNING, logger="courses.completion"):
        _complete_all(learner, tree)
    assert CourseCompletion.objects.count() == 1
    assert len(calls) == 1
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "certificates.findes_ikke.issue" in messages
    assert "courses.services.findes_ikke" in messages


def test_progress_on_an_english_page_is_recorded_on_the_danish_page(tree, learner):
    english = Locale.objects.get_or_create(language_code="en")[0]
    lesson = tree.lessons[0][0]
    lesson_en = page_ensure_translation(page=lesson, locale=english, title="Lesson 1.1").specific
    lesson_complete(user=learner, lesson=lesson_en, at=_at(0))
    assert LessonProgress.objects.get().lesson_id == lesson.pk
    course_en = lesson_en.get_parent().get_parent().specific
    progress = course_progress(user=learner, course=course_en)
    assert progress.done == 1
    assert progress.modules[0].lessons == [lesson_en]


def test_course_progress_counts_lessons_and_resumes_at_the_first_open_lesson(tree, learner):
    lesson_complete(user=learner, lesson=tree.lessons[0][0], at=_at(0))
    lesson_open(user=learner, lesson=tree.lessons[0][1], at=_at(1))
    progress = course_progress(user=learner, course=tree.course)
    assert (progress.done, progress.total, progress.percent) == (1, 4, 25)
    assert [m.percent for m in progress.modules] == [50, 0]
    assert progress.started
    target = course_resume_target(user=learner, course=tree.course)
    assert target.lesson == tree.lessons[0][1]
    assert target.started and not target.completed
    _complete_all(learner, tree, start=10)
    target = course_resume_target(user=learner, course=tree.course)
    assert target.lesson is None and target.completed and target.percent == 100


def test_course_progress_uses_a_fixed_number_of_queries(learner, django_assert_max_num_queries):
    tree = build_tree(modules=4, lessons=5)
    for lesson in tree.all_lessons[:7]:
        lesson_complete(user=learner, lesson=lesson, at=_at(0))
    with django_assert_max_num_queries(7):
        progress = course_progress(user=learner, course=tree.course)
        assert progress.done == 7 and progress.total == 20
        assert [m.done for m in progress.modules] == [5, 2, 0, 0]
    with django_assert_max_num_queries(7):
        assert module_progress(user=learner, module=tree.modules[1]).done == 2


def test_a_restart_starts_a_new_round_and_a_new_completion(tree, learner):
    _complete_all(learner, tree)
    first = CourseCompletion.objects.get()
    restart = course_restart(user=learner, course=tree.course, at=_at(100))
    assert course_restart(user=learner, course=tree.course, at=_at(101)) == restart  # idempotent
    progress = course_progress(user=learner, course=tree.course)
    assert (progress.done, progress.completion) == (0, None)
    _complete_all(learner, tree, start=200)
    second = CourseCompletion.objects.exclude(pk=first.pk).get()
    assert second.completed_at == _at(203)
    assert [call[0] for call in calls] == [first.pk, second.pk]
    assert course_progress(user=learner, course=tree.course).completion == second
