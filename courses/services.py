"""Services for the page tree (translations, editor permissions), course progress and completion,
and the "Din lokale organisation" pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils.translation import gettext
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import GroupPagePermission, Locale, Page

from learning.roles import Role, role_group
from learning.rules import ACTIONS, MunicipalityDirectory

from . import completion as completion_registry
from .models import (
    CourseCompletion,
    CoursePage,
    CourseRestart,
    LessonPage,
    LessonProgress,
    LocalOrganisationPage,
    ModuleCompletion,
    ModulePage,
)

if TYPE_CHECKING:
    from learning.models import User

    from .page_cache import ModuleOutline

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def page_ensure_translation(*, page: Page, locale: Locale, title: str) -> Page:
    """Return the page's translation into `locale`, creating and publishing it if it is missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translation = page.copy_for_translation(locale, copy_parents=True, alias=False)
    translation.title = title
    translation.save_revision().publish()
    return translation


def pages_grant_editor_permissions(*, root_page: Page) -> None:
    group = role_group(Role.EDITOR)
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)


# --- The course tree --------------------------------------------------------------------------------


def page_canonical(page: Page) -> Page:
    """The page's translation in the default locale (Danish), where progress is recorded."""
    # A page read with its locale (the cached page routing reads it so) in the default language is its
    # own canonical page: no query for the default locale.
    if Page.locale.is_cached(page) and page.locale.language_code == get_supported_content_language_variant(
        settings.LANGUAGE_CODE
    ):
        return page
    default = Locale.get_default()
    if page.locale_id == default.id:
        return page
    translation = page.get_translation_or_none(default)
    return translation.specific if translation is not None else page


def module_lessons(*, module: ModulePage) -> list[LessonPage]:
    """The live lessons of a module, in the editors' order."""
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def lesson_neighbours(*, lesson: LessonPage) -> tuple[LessonPage | None, LessonPage | None]:
    """The live lessons before and after this one in its module."""
    siblings = LessonPage.objects.sibling_of(lesson, inclusive=False).live()
    previous = siblings.filter(path__lt=lesson.path).order_by("-path").first()
    following = siblings.filter(path__gt=lesson.path).order_by("path").first()
    return previous, following


def lesson_h5p_activities(*, lesson: LessonPage) -> list:
    return [block.value for block in lesson.body if block.block_type == "h5p" and block.value is not None]


def lesson_completes_by_h5p(*, lesson: LessonPage) -> bool:
    """True when the lesson embeds a playable (ready) H5P activity: then the activity's xAPI
    completion completes the lesson, not the "Markér som gennemført" button."""
    from interactive.models import H5PActivity

    return any(
        activity.status == H5PActivity.Status.READY for activity in lesson_h5p_activities(lesson=lesson)
    )


# --- Progress ---------------------------------------------------------------------------------------------
# A course can be taken again (a refresher): a CourseRestart marks the moment from which lesson and
# module completions count again. Without a restart everything ever completed counts.


def course_counts_from(*, user: User, course: CoursePage) -> datetime.datetime | None:
    """Since when the user's completions count for this course: their latest restart, if any."""
    course = page_canonical(course)
    restart = CourseRestart.objects.filter(user=user, course=course).order_by("-started_at").first()
    return restart.started_at if restart is not None else None


def _counts(completed_at: datetime.datetime | None, counts_from: datetime.datetime | None) -> bool:
    return completed_at is not None and (counts_from is None or completed_at >= counts_from)


def _course_of(page: Page) -> CoursePage | None:
    return CoursePage.objects.ancestor_of(page).first()


def lesson_open(*, user: User, lesson: LessonPage, at: datetime.datetime) -> LessonProgress:
    """Record that the user opened the lesson (the first time only); the first opening is reported to
    the progress handlers in the same transaction."""
    lesson = page_canonical(lesson)
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is not None:  # the usual case: one query, no transaction
        return progress
    with transaction.atomic():
        progress, created = LessonProgress.objects.get_or_create(
            user=user, lesson=lesson, defaults={"opened_at": at}
        )
        if created and (course := _course_of(lesson)) is not None:
            completion_registry.progress_changed(user=user, course=course, at=at)
    return progress


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage, at: datetime.datetime) -> LessonProgress:
    """Mark the lesson completed (keeping the first completion time in the current round) and refresh
    the module's and the course's completion. Safe to call again."""
    lesson = page_canonical(lesson)
    course = _course_of(lesson)
    counts_from = course_counts_from(user=user, course=course) if course is not None else None
    progress, created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"opened_at": at, "completed_at": at}
    )
    changed = created
    if not created and not _counts(progress.completed_at, counts_from):
        progress.completed_at = at
        progress.save(update_fields=["completed_at"])
        changed = True
    if changed and course is not None:
        completion_registry.progress_changed(user=user, course=course, at=at)
    module = lesson.get_parent().specific
    if isinstance(module, ModulePage):
        module_completion_refresh(user=user, module=module, at=at)
    return progress


@transaction.atomic
def module_completion_refresh(
    *, user: User, module: ModulePage, at: datetime.datetime
) -> ModuleCompletion | None:
    """Record the module as completed once every live lesson is completed and every registered
    module requirement passes; then refresh the course. Returns the completion, or None."""
    module = page_canonical(module)
    course = module.get_parent().specific
    course = course if isinstance(course, CoursePage) else None
    counts_from = course_counts_from(user=user, course=course) if course is not None else None
    completion = ModuleCompletion.objects.filter(user=user, module=module).first()
    if completion is None or not _counts(completion.completed_at, counts_from):
        lessons = module_lessons(module=module)
        if not lessons:
            return None  # nothing to complete is not completed
        completed = LessonProgress.objects.filter(user=user, lesson__in=lessons, completed_at__isnull=False)
        if counts_from is not None:
            completed = completed.filter(completed_at__gte=counts_from)
        done = set(completed.values_list("lesson_id", flat=True))
        if any(lesson.pk not in done for lesson in lessons):
            return None
        if not completion_registry.module_requirements_met(user=user, module=module):
            return None
        if completion is None:
            completion = ModuleCompletion.objects.create(user=user, module=module, completed_at=at)
        else:  # completed again after a restart
            completion.completed_at = at
            completion.save(update_fields=["completed_at"])
    if course is not None:
        course_completion_refresh(user=user, course=course, at=at)
    return completion


@transaction.atomic
def course_completion_refresh(
    *, user: User, course: CoursePage, at: datetime.datetime
) -> CourseCompletion | None:
    """Record the course as completed once every live module is completed (in the current round) and
    every registered course requirement (e.g. the final assessment) passes. When it records a new
    completion, the registered completion handlers (the certificate) run in this same transaction.
    Returns the current round's completion, or None."""
    course = page_canonical(course)
    # One refresh at a time per learner, so two requests cannot both record the completion.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    counts_from = course_counts_from(user=user, course=course)
    current = CourseCompletion.objects.filter(user=user, course=course)
    if counts_from is not None:
        current = current.filter(completed_at__gte=counts_from)
    completion = current.order_by("-completed_at").first()
    if completion is not None:
        return completion
    modules = list(ModulePage.objects.child_of(course).live())
    if not modules:
        return None
    completed = ModuleCompletion.objects.filter(user=user, module__in=modules)
    if counts_from is not None:
        completed = completed.filter(completed_at__gte=counts_from)
    if completed.count() < len(modules):
        return None
    if not completion_registry.course_requirements_met(user=user, course=course):
        return None
    completion = CourseCompletion.objects.create(user=user, course=course, completed_at=at)
    for handler in completion_registry.course_completion_handlers():
        handler(completion=completion, at=at)
    return completion


@transaction.atomic
def course_restart(*, user: User, course: CoursePage, at: datetime.datetime) -> CourseRestart:
    """Start the course again (a refresher): from `at`, the user's earlier lesson and module
    completions no longer count for it, and completing it again records a new CourseCompletion
    (and so a new certificate). Idempotent within one round: restarting a course the user has not
    completed since the last restart returns that restart."""
    course = page_canonical(course)
    latest = CourseRestart.objects.filter(user=user, course=course).order_by("-started_at").first()
    if latest is not None:
        completed_since = CourseCompletion.objects.filter(
            user=user, course=course, completed_at__gte=latest.started_at
        ).exists()
        if not completed_since:
            return latest
    restart = CourseRestart.objects.create(user=user, course=course, started_at=at)
    completion_registry.progress_changed(user=user, course=course, at=at)
    return restart


@dataclass(frozen=True)
class ModuleProgress:
    """A completed module counts all its lessons as done (e.g. a lesson added after the learner
    completed the module, or a completion recorded by an import)."""

    module: ModulePage
    lessons: list[LessonPage]
    completed_keys: frozenset  # translation keys of the lessons completed in the current round
    completed: bool
    opened_keys: frozenset = frozenset()  # translation keys of the lessons ever opened (module_progress_for)

    def lesson_completed(self, lesson: Page) -> bool:
        return self.completed or lesson.translation_key in self.completed_keys

    def lesson_opened(self, lesson: Page) -> bool:
        return lesson.translation_key in self.opened_keys

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if self.lesson_completed(lesson))

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.completed else 0)

    @property
    def lesson_rows(self) -> list[tuple[LessonPage, bool]]:
        return [(lesson, self.lesson_completed(lesson)) for lesson in self.lessons]

    @property
    def first_open_lesson(self) -> LessonPage | None:
        return next((lesson for lesson in self.lessons if not self.lesson_completed(lesson)), None)


@dataclass(frozen=True)
class CourseProgress:
    course: CoursePage
    modules: list[ModuleProgress]
    completion: CourseCompletion | None  # the current round's completion
    started: bool

    @property
    def total(self) -> int:
        return sum(module.total for module in self.modules)

    @property
    def done(self) -> int:
        return self.total if self.completion is not None else sum(module.done for module in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.completion else 0)

    @property
    def resume(self) -> LessonPage | None:
        """The first lesson, in course order, the user has not completed (None when all are)."""
        if self.completion is not None:
            return None
        return next((lesson for m in self.modules if (lesson := m.first_open_lesson) is not None), None)


@dataclass(frozen=True)
class _Keys:
    lessons_completed: frozenset
    lessons_opened: frozenset
    modules_completed: frozenset
    completion: CourseCompletion | None


def _progress_keys(*, user: User, course: CoursePage | None) -> _Keys:
    """What the user has done, as translation keys so it applies to every translation of the pages,
    counted from the user's latest restart of `course`. A fixed number of queries."""
    if not user.is_authenticated:
        return _Keys(frozenset(), frozenset(), frozenset(), None)
    counts_from = course_counts_from(user=user, course=course) if course is not None else None
    opened: set = set()
    completed: set = set()
    for key, completed_at in LessonProgress.objects.filter(user=user).values_list(
        "lesson__translation_key", "completed_at"
    ):
        opened.add(key)
        if _counts(completed_at, counts_from):
            completed.add(key)
    module_rows = ModuleCompletion.objects.filter(user=user)
    completions = CourseCompletion.objects.none()
    if course is not None:
        completions = CourseCompletion.objects.filter(
            user=user, course__translation_key=course.translation_key
        )
    if counts_from is not None:
        module_rows = module_rows.filter(completed_at__gte=counts_from)
        completions = completions.filter(completed_at__gte=counts_from)
    modules = set(module_rows.values_list("module__translation_key", flat=True))
    return _Keys(
        frozenset(completed),
        frozenset(opened),
        frozenset(modules),
        completions.order_by("-completed_at").first(),
    )


def course_progress(*, user: User, course: CoursePage) -> CourseProgress:
    """The user's progress through a course, in the locale of the page given, in a fixed number of
    queries whatever the size of the course (no query per module or lesson)."""
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    lessons = list(LessonPage.objects.descendant_of(course).live().order_by("path"))
    keys = _progress_keys(user=user, course=course)
    rows = [
        ModuleProgress(
            module=module,
            lessons=[lesson for lesson in lessons if lesson.path.startswith(module.path)],
            completed_keys=keys.lessons_completed,
            completed=module.translation_key in keys.modules_completed,
        )
        for module in modules
    ]
    started = any(lesson.translation_key in keys.lessons_opened for lesson in lessons)
    return CourseProgress(course=course, modules=rows, completion=keys.completion, started=started)


def module_progress(*, user: User, module: ModulePage) -> ModuleProgress:
    keys = _progress_keys(user=user, course=_course_of(module))
    return ModuleProgress(
        module=module,
        lessons=module_lessons(module=module),
        completed_keys=keys.lessons_completed,
        completed=module.translation_key in keys.modules_completed,
    )


# (model, column of the page id, the two times read) of each part of _progress_rows.
_PROGRESS_PARTS = (
    (LessonProgress, "lesson", "opened_at", "completed_at"),
    (ModuleCompletion, "module", "completed_at", "completed_at"),
    (CourseRestart, "course", "started_at", "started_at"),
)


def _progress_rows(
    *, user_id: int, lesson_ids: set[int], module_ids: set[int], course_ids: set[int]
) -> list[tuple[int, datetime.datetime | None, datetime.datetime | None]]:
    """(page id, time, time) of the learner's lesson progress, module completions and course restarts of
    these pages, in one UNION ALL. Written out rather than built with the ORM: on the lesson page, the
    hottest page of the platform, the ORM's building, compiling and converting of the three-part union
    cost several times the query itself. Table and column names come from the models; the values are
    parameters; the times get the same database converters the ORM applies (SQLite stores text)."""
    quote, parts, params = connection.ops.quote_name, [], []
    ids_per_part = (lesson_ids, module_ids, course_ids)
    for (model, page_field, first, second), ids in zip(_PROGRESS_PARTS, ids_per_part, strict=True):
        if not ids:
            continue
        meta = model._meta
        columns = ", ".join(quote(meta.get_field(name).column) for name in (page_field, first, second))
        placeholders = ", ".join(["%s"] * len(ids))
        parts.append(  # identifiers from the models (quoted), every value a parameter
            f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {quote(meta.get_field('user').column)} = %s "
            f"AND {quote(meta.get_field(page_field).column)} IN ({placeholders})"
        )
        params += [user_id, *sorted(ids)]
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    field = LessonProgress._meta.get_field("opened_at")  # every time read is a DateTimeField
    converters = [*connection.ops.get_db_converters(field.cached_col), *field.get_db_converters(connection)]

    def as_datetime(value):
        for converter in converters:
            value = converter(value, field.cached_col, connection)
        return value

    return [(page_id, as_datetime(first), as_datetime(second)) for page_id, first, second in rows]


def module_progress_for(*, user: User, outline: ModuleOutline, also: Page | None = None) -> ModuleProgress:
    """The same figures as ``module_progress`` (and which lessons were ever opened) for the module of a
    cached outline (``courses.page_cache.module_outline``), in ONE query: the learner's progress rows of
    the module's lessons (and of `also`, e.g. a lesson being previewed), their completion of the module
    and their restarts of the course, as one UNION ALL over the ids of every translation of those pages
    (no join: the outline maps the ids to translation keys)."""
    lessons = list(outline.lessons)
    module, course = outline.module, outline.course
    if not user.is_authenticated:
        return ModuleProgress(module=module, lessons=lessons, completed_keys=frozenset(), completed=False)
    key_of = outline.translation_keys
    lesson_keys = {lesson.translation_key for lesson in lessons}
    if also is not None and also.translation_key not in lesson_keys:  # e.g. a lesson that is not live
        translations = Page.objects.filter(translation_key=also.translation_key).values_list("pk", "translation_key")
        key_of = {**key_of, **dict(translations)}
        lesson_keys.add(also.translation_key)
    lesson_ids = {pk for pk, key in key_of.items() if key in lesson_keys}
    module_ids = {pk for pk, key in key_of.items() if key == module.translation_key}
    course_ids = {pk for pk, key in key_of.items() if course is not None and key == course.translation_key}
    found = _progress_rows(user_id=user.pk, lesson_ids=lesson_ids, module_ids=module_ids, course_ids=course_ids)
    # Since when completions count: the latest restart of the course (course_counts_from).
    restarts = [at for pk, at, _same in found if pk in course_ids]
    counts_from = max(restarts) if restarts else None
    lesson_rows = [(key_of[pk], completed_at) for pk, _opened, completed_at in found if pk in lesson_ids]
    completed = frozenset(key for key, completed_at in lesson_rows if _counts(completed_at, counts_from))
    return ModuleProgress(
        module=module,
        lessons=lessons,
        completed_keys=completed,
        completed=any(pk in module_ids and _counts(at, counts_from) for pk, _at, at in found),
        opened_keys=frozenset(key for key, _completed_at in lesson_rows),
    )


@dataclass(frozen=True)
class ResumeTarget:
    course: CoursePage
    lesson: LessonPage | None  # None: every lesson is completed
    started: bool
    percent: int
    completed: bool


def course_resume_target(*, user: User, course: CoursePage) -> ResumeTarget:
    """Where "Fortsæt hvor du slap" leads: the first lesson of the course not yet completed."""
    progress = course_progress(user=user, course=course)
    return ResumeTarget(
        course=course,
        lesson=progress.resume,
        started=progress.started,
        percent=progress.percent,
        completed=progress.completion is not None,
    )


def user_resume_targets(*, user: User, locale: Locale | None = None) -> list[ResumeTarget]:
    """One resume target per live course in the locale (the active language by default)."""
    locale = locale or Locale.get_active()
    courses = CoursePage.objects.live().filter(locale=locale).order_by("path")
    return [course_resume_target(user=user, course=course) for course in courses]


# --- Local organisation --------------------------------------------------------------------------------


def directory_for_municipality(*, slug: str) -> MunicipalityDirectory | None:
    """The municipality's procedure and contact points, or None if the directory lacks it.

    The ONE place the course pages read the directory: the database-backed directory (edited by
    administrators in the Wagtail admin), via ``learning.directory.directory_current``.
    """
    from learning.directory import directory_current

    return directory_current().municipalities.get(slug)


@dataclass(frozen=True)
class ContactRow:
    what: str
    name: str
    phone: str
    phone_href: str
    email: str
    hours: str
    ages: str
    source: str


def phone_href(phone: str) -> str:
    """A tel: address for a Danish phone number as written ("41 74 90 90" → "tel:+4541749090")."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if not digits:
        return ""
    if len(digits) == 8 and not digits.startswith("+"):
        digits = f"+45{digits}"
    return f"tel:{digits}"


def _ages(point) -> str:
    if point.min_age is None and point.max_age is None:
        return ""
    if point.min_age is None or point.min_age == 0:
        return gettext("under %(age)s år") % {"age": point.max_age + 1}
    if point.max_age is None:
        return gettext("%(age)s år og derover") % {"age": point.min_age}
    return gettext("%(low)s–%(high)s år") % {"low": point.min_age, "high": point.max_age}


def directory_contact_rows(*, directory: MunicipalityDirectory) -> list[ContactRow]:
    return [
        ContactRow(
            what=ACTIONS[point.action].label_da,
            name=point.name,
            phone=point.phone,
            phone_href=phone_href(point.phone),
            email=point.email,
            hours=point.hours,
            ages=_ages(point),
            source=point.source,
        )
        for point in directory.contacts
    ]


def local_organisation_page_for(*, user: User, near: Page) -> LocalOrganisationPage | None:
    """The live "Din lokale organisation" page for the user's municipality, in the locale of `near`."""
    municipality_id = getattr(user, "municipality_id", None)
    if municipality_id is None:
        return None
    return (
        LocalOrganisationPage.objects.live()
        .filter(locale_id=near.locale_id, municipality_id=municipality_id)
        .order_by("path")
        .first()
    )


# --- Editorial review ------------------------------------------------------------------------------------


def modules_due_for_review(*, today: datetime.date):
    """Modules (every locale) whose professional review date has passed, the most overdue first."""
    return (
        ModulePage.objects.filter(next_review__lt=today)
        .select_related("locale")
        .order_by("next_review", "path")
    )


def module_review_status(*, next_review: datetime.date | None, today: datetime.date) -> str:
    """ "overdue", "soon" (within 30 days), "ok" or "unset"."""
    if next_review is None:
        return "unset"
    if next_review < today:
        return "overdue"
    if next_review <= today + datetime.timedelta(days=30):
        return "soon"
    return "ok"
