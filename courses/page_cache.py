"""What the lesson and module pages cache between requests: the module's outline and the lesson's body.

Both are the same for every learner; the per-learner parts (progress, the H5P player's signed play URL,
the CSRF token of the practice form) are never stored here: progress is read per request
(``courses.services.module_progress_for``), the H5P block is rendered per request, and the stored body
holds a placeholder where the CSRF token goes, filled in with the viewer's own token on every request.

* ``module_outline``: the module, its course, its ancestors (for the breadcrumbs) and its live lessons in
  order (for the progress, the lesson list and the previous/next links), instead of ~6 tree queries
  per view.
* ``lesson_body``: the lesson's StreamField rendered once per page, revision and language, instead of
  rendering every block (and reading its snippets) per view. Blocks are rendered with a context holding
  only the page and the placeholder token, never the request or the user, so nothing of one learner can
  end up in another's copy.

Invalidation: keys include the page-cache version (``learning.cache``), bumped by any page save, move,
(un)publish or delete, and by any save or delete of the snippets lesson blocks show
(``page_cache_snippets_connect``); ``PAGE_CACHE_SECONDS`` bounds anything else (e.g. a template change
deployed without a page change). Previews never read or write the body cache.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from learning.cache import PAGE_CACHE_SECONDS, TOKEN_PLACEHOLDER, page_cache_bump, request_page_cache_version

CACHE_SCHEMA = 2  # bump when ModuleOutline or LessonBody change shape

# Blocks rendered per request, never stored: the H5P player's URL carries a signed, short-lived token
# naming the learner (interactive.services.playback_token_create).
PER_REQUEST_BLOCKS = frozenset({"h5p"})
# Wagtail's StreamBlock.render_basic wraps each child like this (include_block output is kept identical).
BLOCK_WRAPPER = '<div class="w-block-{1} block-{1}">{0}</div>'
BLOCK_SEPARATOR = "\n"


# --- The module's outline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleOutline:
    module: Page  # the specific module page (normally a ModulePage)
    course: Page | None  # the specific CoursePage above it, if any
    ancestors: tuple[Page, ...]  # the tree root first, down to and including the module
    lessons: tuple[Page, ...]  # the module's live lessons in the editors' order (body not loaded)
    # Page id → translation key of every translation of these lessons, the module and the course: progress
    # rows point at the Danish pages and count on every translation (matched without joining the tree).
    translation_keys: Mapping[int, uuid.UUID]

    def neighbours(self, lesson: Page) -> tuple[Page | None, Page | None]:
        """The live lessons before and after `lesson` (by tree position, like ``lesson_neighbours``)."""
        previous = [other for other in self.lessons if other.path < lesson.path]
        following = [other for other in self.lessons if other.path > lesson.path]
        return (previous[-1] if previous else None, following[0] if following else None)


def _outline_build(*, module_path: str) -> ModuleOutline | None:
    module = Page.objects.filter(path=module_path).first()
    return module_outline_uncached(module=module.specific) if module is not None else None


def module_outline_uncached(*, module: Page) -> ModuleOutline:
    """The outline read now, not stored (e.g. for a module being previewed before it was ever saved)."""
    from .models import CoursePage, LessonPage

    if not module.path:  # not in the tree yet: no ancestors, course or lessons to read
        return ModuleOutline(module=module, course=None, ancestors=(), lessons=(), translation_keys={})
    course = CoursePage.objects.ancestor_of(module).first()
    lessons = tuple(LessonPage.objects.child_of(module).live().order_by("path").defer_streamfields())
    keys = {lesson.translation_key for lesson in lessons} | {module.translation_key}
    if course is not None:
        keys.add(course.translation_key)
    return ModuleOutline(
        module=module,
        course=course,
        ancestors=tuple(Page.objects.ancestor_of(module, inclusive=True).order_by("path")),
        lessons=lessons,
        translation_keys=dict(
            Page.objects.filter(translation_key__in=keys).values_list("pk", "translation_key")
        ),
    )


def module_outline(*, module_path: str, request: HttpRequest) -> ModuleOutline | None:
    """The outline of the module at tree path `module_path`, always read from the database rows (never
    from a page object being previewed)."""
    version = request_page_cache_version(request)
    key = f"courses:outline:{CACHE_SCHEMA}:{version}:{module_path}"
    outline = cache.get(key)
    if not isinstance(outline, ModuleOutline):
        outline = _outline_build(module_path=module_path)
        if outline is None:
            return None
        cache.set(key, outline, PAGE_CACHE_SECONDS)
    return outline


def parent_path(page: Page) -> str:
    return page.path[: -page.steplen]


# --- The lesson's body -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveBlock:
    """A block of the body rendered per request (see PER_REQUEST_BLOCKS), with its value."""

    block_type: str
    value: Any


@dataclass(frozen=True)
class LessonBody:
    parts: tuple[str | LiveBlock, ...]  # rendered blocks (CSRF token as a placeholder) or live blocks
    completes_by_h5p: bool  # courses.services.lesson_completes_by_h5p of this body


def _body_build(*, lesson) -> LessonBody:
    from .services import lesson_completes_by_h5p

    # Only the page and the placeholder token: no request, no user (see the module docstring).
    context = {"page": lesson, "csrf_token": TOKEN_PLACEHOLDER}
    parts: list[str | LiveBlock] = []
    for child in lesson.body:
        if child.block_type in PER_REQUEST_BLOCKS:
            parts.append(LiveBlock(block_type=child.block_type, value=child.value))
        else:
            parts.append(str(format_html(BLOCK_WRAPPER, child.render(context=context), child.block_type)))
    return LessonBody(parts=tuple(parts), completes_by_h5p=lesson_completes_by_h5p(lesson=lesson))


def lesson_body(*, lesson, request: HttpRequest) -> LessonBody:
    """The lesson's body for this request's language, from the cache (the rendered blocks are the same
    for every learner). A preview renders the page object as edited and stores nothing."""
    if getattr(request, "is_preview", False):
        return _body_build(lesson=lesson)
    version = request_page_cache_version(request)
    language = translation.get_language() or ""
    key = f"courses:lessonbody:{CACHE_SCHEMA}:{version}:{lesson.pk}:{lesson.latest_revision_id}:{language}"
    body = cache.get(key)
    if not isinstance(body, LessonBody):
        body = _body_build(lesson=lesson)
        cache.set(key, body, PAGE_CACHE_SECONDS)
    return body


def lesson_body_html(*, body: LessonBody, lesson, request: HttpRequest) -> SafeString:
    """The body as this request shows it: the viewer's own CSRF token in the stored blocks, and the live
    blocks rendered now (for the H5P player: a play URL signed for this learner)."""
    stream_block = type(lesson)._meta.get_field("body").stream_block
    token = get_token(request)
    html = []
    for part in body.parts:
        if isinstance(part, LiveBlock):
            block = stream_block.child_blocks[part.block_type]
            rendered = block.render(part.value, context={"page": lesson, "request": request})
            html.append(str(format_html(BLOCK_WRAPPER, rendered, part.block_type)))
        else:
            html.append(part.replace(TOKEN_PLACEHOLDER, token))
    return mark_safe(BLOCK_SEPARATOR.join(html))  # noqa: S308 (rendered by the block templates; escaped there)


# --- Invalidation by the snippets lesson blocks show --------------------------------------------------------

# The snippet models lesson blocks render (courses.blocks.LESSON_BLOCKS): a changed title, story or
# status must show at once, so saving or deleting one invalidates like a page change does.
BODY_SNIPPET_MODELS = ("interactive.H5PActivity", "quizzes.ScenarioQuestion")


def on_body_snippet_changed(sender=None, **kwargs) -> None:
    """Signal receiver: only calls the service."""
    page_cache_bump()


def page_cache_snippets_connect() -> None:
    """Connect the invalidation receivers (called from CoursesConfig.ready)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for label in BODY_SNIPPET_MODELS:
        model = apps.get_model(label)
        post_save.connect(
            on_body_snippet_changed, sender=model, dispatch_uid=f"forebyg-lessonbody-saved-{label}"
        )
        post_delete.connect(
            on_body_snippet_changed, sender=model, dispatch_uid=f"forebyg-lessonbody-deleted-{label}"
        )
