"""Course pages and completions for certificate tests, built the way the courses app builds them."""

from __future__ import annotations

import datetime
import itertools

from django.db import transaction
from wagtail.models import Page

from courses.models import (
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    HomePage,
    ModuleCompletion,
    ModulePage,
)

_counter = itertools.count(1)


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="Forside", slug=f"forside-{next(_counter)}")
        Page.get_first_root_node().add_child(instance=home)
    index = CourseIndexPage(title="Kurser", slug="kurser")
    home.add_child(instance=index)
    return index


def make_course(*, title: str = "Genkend tegn på radikalisering", validity_months: int = 24) -> CoursePage:
    course = CoursePage(
        title=title,
        slug=f"kursus-{next(_counter)}",
        intro="<p>Et opdigtet kursus til test.</p>",
        certificate_validity_months=validity_months,
    )
    course_index().add_child(instance=course)
    return course


def complete_course(*, user, course: CoursePage, at: datetime.datetime) -> CourseCompletion:
    """Complete the course through the courses app's own service: one module, completed."""
    from courses.services import course_completion_refresh

    module = ModulePage.objects.child_of(course).first()
    if module is None:
        module = ModulePage(
            title="Modul 1",
            slug=f"modul-{next(_counter)}",
            summary="Et modul.",
            next_review=datetime.date(2027, 1, 1),
        )
        course.add_child(instance=module)
    ModuleCompletion.objects.get_or_create(user=user, module=module, defaults={"completed_at": at})
    completion = course_completion_refresh(user=user, course=course, at=at)
    assert completion is not None
    return completion


def record_completion(*, user, course: CoursePage, at: datetime.datetime) -> CourseCompletion:
    """A completion row as the courses service writes it, then our handler in the same transaction."""
    from certificates.services import certificate_issue_for_completion

    with transaction.atomic():
        completion, _ = CourseCompletion.objects.update_or_create(
            user=user, course=course, defaults={"completed_at": at}
        )
        certificate_issue_for_completion(completion=completion, at=at)
    return completion
