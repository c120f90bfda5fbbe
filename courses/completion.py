"""The explicit registry of what else a module or course needs before it counts as completed, and
of what happens when a course is completed.

Other apps plug in by appending a dotted path here (and saying so in their report):

* ``MODULE_REQUIREMENTS``: functions ``(user, module) -> bool``. A module is completed when every live
  lesson in it is completed AND every function here returns True. The quizzes app adds its
  "module quiz passed" check here.
* ``COURSE_REQUIREMENTS``: functions ``(user, course) -> bool``. A course is completed when every live
  module in it is completed AND every function here returns True. The quizzes app adds its
  "final assessment passed" check here.
* ``COURSE_COMPLETION_HANDLERS``: functions ``(*, completion, at) -> None``, called once, in the same
  transaction that creates the ``CourseCompletion`` row.
* ``PROGRESS_CHANGED_HANDLERS``: functions ``(*, user, course, at) -> None``, called in the same
  transaction whenever a user's lesson progress in a course changes (a lesson opened for the first time
  or completed) or they restart the course. The coverage app keeps its training summary with it.

Requirements must import: a wrong path is a programming error and fails loudly. A completion
handler whose module or function does not exist yet is skipped with a logged warning (the
certificates app is being written in parallel); any other import error propagates.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MODULE_REQUIREMENTS: list[str] = [
    "quizzes.services.module_quiz_passed",
]
COURSE_REQUIREMENTS: list[str] = [
    "quizzes.services.final_assessment_passed",
]
COURSE_COMPLETION_HANDLERS: list[str] = [
    "certificates.services.certificate_issue_for_completion",
]
PROGRESS_CHANGED_HANDLERS: list[str] = [
    "coverage.summary.training_status_changed",
]


def module_requirements_met(*, user: Any, module: Any) -> bool:
    return all(import_string(dotted)(user, module) for dotted in MODULE_REQUIREMENTS)


def course_requirements_met(*, user: Any, course: Any) -> bool:
    return all(import_string(dotted)(user, course) for dotted in COURSE_REQUIREMENTS)


def progress_changed(*, user: Any, course: Any, at: Any) -> None:
    """Run every progress handler (a wrong path is a programming error and fails loudly)."""
    for dotted in PROGRESS_CHANGED_HANDLERS:
        import_string(dotted)(user=user, course=course, at=at)


def course_completion_handlers() -> list[Callable[..., Any]]:
    """The handlers that exist now, in registry order; missing ones are skipped with a warning."""
    handlers = []
    for dotted in COURSE_COMPLETION_HANDLERS:
        module_path, _sep, name = dotted.rpartition(".")
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as exc:
            # Only the handler's own module (or a package above it) missing means "not written yet".
            if exc.name is None or not (module_path == exc.name or module_path.startswith(f"{exc.name}.")):
                raise
            logger.warning(
                "Course completion handler %s skipped: module %s does not exist yet", dotted, exc.name
            )
            continue
        handler = getattr(module, name, None)
        if handler is None:
            logger.warning(
                "Course completion handler %s skipped: %s has no %s yet", dotted, module_path, name
            )
            continue
        handlers.append(handler)
    return handlers
