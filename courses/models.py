"""Wagtail page types of the site: the home page, plain information pages (e.g. the accessibility
statement), the course tree (index → course → module → lesson, plus one "Din lokale organisation"
page per municipality) and the learners' progress records."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from learning.blocks import CalloutBlock, SourceQuoteBlock, TextBlock
from learning.validators import validate_no_cpr

from .blocks import LESSON_BLOCKS, LOCAL_ORGANISATION_BLOCKS, ModuleSourceBlock

BASIC_BLOCKS = [
    ("text", TextBlock()),
    ("callout", CalloutBlock()),
    ("source_quote", SourceQuoteBlock()),
]


class HomePage(Page):
    intro = RichTextField(_("introduktion"), features=["bold", "italic", "link"], blank=True, validators=[validate_no_cpr])
    body = StreamField(BASIC_BLOCKS, blank=True, verbose_name=_("indhold"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.InfoPage", "courses.CourseIndexPage", "learning.ConcernGuidePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("forside")


class InfoPage(Page):
    """A plain page of text: the accessibility statement, about the platform, privacy."""

    body = StreamField(BASIC_BLOCKS, verbose_name=_("indhold"))
    last_reviewed = models.DateField(_("senest gennemgået"), null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("last_reviewed")]

    parent_page_types = ["courses.HomePage", "courses.InfoPage"]
    subpage_types = ["courses.InfoPage"]

    class Meta:
        verbose_name = _("informationsside")


# --- The course tree ---------------------------------------------------------------------------------


class LoginRequiredPage(Page):
    """A page only signed-in users may see; anonymous visitors are sent to the login page.

    Wagtail only ever serves live (published) pages to visitors, so learners never see drafts.
    """

    # Routed from the cache on later views (learning.page_routes): one query instead of the tree walk.
    route_cacheable = True

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        # Wagtail checks these on every serve (two queries); read from a cached set of restricted tree
        # paths instead: no query when neither this page nor an ancestor is restricted.
        from learning.page_routes import page_view_restrictions

        return page_view_restrictions(page=self, fallback=super().get_view_restrictions)


class CourseIndexPage(LoginRequiredPage):
    intro = RichTextField(_("introduktion"), features=["bold", "italic", "link"], blank=True, validators=[validate_no_cpr])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.LocalOrganisationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("kursusoversigt")

    def get_context(self, request, *args, **kwargs):
        from .services import course_progress

        context = super().get_context(request, *args, **kwargs)
        courses = CoursePage.objects.child_of(self).live().specific()
        context["courses"] = [course_progress(user=request.user, course=course) for course in courses]
        context["local_pages"] = LocalOrganisationPage.objects.child_of(self).live().order_by("title")
        return context


class CoursePage(LoginRequiredPage):
    intro = RichTextField(_("introduktion"), features=["bold", "italic", "link", "ul"], validators=[validate_no_cpr])
    estimated_minutes = models.PositiveSmallIntegerField(_("forventet tid i minutter"), default=60)
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("beviset gælder (måneder)"),
        default=24,
        help_text=_("Hvor længe kursusbeviset gælder, før medarbejderen skal have genopfrisket kurset."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("certificate_validity_months")]),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    # The quizzes app adds "quizzes.FinalAssessmentPage" here (the course's final assessment).
    subpage_types = ["courses.ModulePage", "quizzes.FinalAssessmentPage"]

    class Meta:
        verbose_name = _("kursus")

    def get_context(self, request, *args, **kwargs):
        from .services import course_progress, local_organisation_page_for

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = progress = course_progress(user=request.user, course=self)
        context["resume"] = progress.resume
        context["local_page"] = local_organisation_page_for(user=request.user, near=self)
        return context


class ReviewStatusPanel(Panel):
    """Shows editors on the module's edit page whether its professional review is overdue."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/review_status_panel.html"

        def get_context_data(self, parent_context=None):
            from .services import module_review_status

            context = super().get_context_data(parent_context)
            next_review = getattr(self.instance, "next_review", None)
            context["next_review"] = next_review
            context["status"] = module_review_status(next_review=next_review, today=timezone.localdate())
            return context


class ModulePage(LoginRequiredPage):
    summary = models.TextField(_("resumé"), help_text=_("To-tre sætninger om, hvad modulet handler om."), validators=[validate_no_cpr])
    estimated_minutes = models.PositiveSmallIntegerField(_("forventet tid i minutter"), default=15)
    next_review = models.DateField(
        _("næste faglige gennemgang"),
        help_text=_(
            "Senest denne dato skal modulet gennemgås mod kilderne. Moduler med en overskredet dato står i "
            "listen »Moduler der skal gennemgås« i menuen."
        ),
    )
    sources = StreamField(
        [("source", ModuleSourceBlock())],
        blank=True,
        verbose_name=_("kilder"),
        help_text=_("De kildedokumenter og afsnit, modulet bygger på."),
    )

    content_panels = [
        *Page.content_panels,
        ReviewStatusPanel(heading=_("Status for faglig gennemgang")),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("next_review")]),
        MultiFieldPanel([FieldPanel("sources")], heading=_("Kilder")),
    ]

    parent_page_types = ["courses.CoursePage"]
    # The quizzes app adds "quizzes.ModuleQuizPage" here (the module's knowledge check).
    subpage_types = ["courses.LessonPage", "quizzes.ModuleQuizPage"]

    class Meta:
        verbose_name = _("modul")

    def get_context(self, request, *args, **kwargs):
        # The course, the breadcrumbs and the lessons come from the cached outline (courses.page_cache);
        # the learner's progress is one query (module_progress_for).
        from .page_cache import module_outline, module_outline_uncached
        from .services import module_progress_for

        context = super().get_context(request, *args, **kwargs)
        outline = module_outline(module_path=self.path, request=request)
        if outline is None:  # a module being previewed before it was ever saved
            outline = module_outline_uncached(module=self)
        context["course"] = outline.module.get_parent().specific if outline.course is None else outline.course
        context["breadcrumb_ancestors"] = outline.ancestors[:-1]
        context["progress"] = module_progress_for(user=request.user, outline=outline)
        return context


class LessonPage(LoginRequiredPage):
    body = StreamField(LESSON_BLOCKS, verbose_name=_("indhold"))

    content_panels = [*Page.content_panels, FieldPanel("body")]

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lektion")

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Record the first opening only: the progress read for the page already says whether the learner
        # opened it before (no query, no write on later views).
        context = getattr(response, "context_data", None) or {}
        if request.user.is_authenticated and request.method == "GET" and not context.get("lesson_opened"):
            from .services import lesson_open

            lesson_open(user=request.user, lesson=self, at=timezone.now())
        return response

    def get_context(self, request, *args, **kwargs):
        # The module, course, breadcrumbs and neighbours come from the cached outline and the rendered
        # body from the cached body (courses.page_cache); the learner's progress is one query.
        from .page_cache import (
            lesson_body,
            lesson_body_html,
            module_outline,
            module_outline_uncached,
            parent_path,
        )
        from .services import module_progress_for

        context = super().get_context(request, *args, **kwargs)
        outline = module_outline(module_path=parent_path(self), request=request)
        if outline is None:  # a lesson being previewed before it was ever saved
            outline = module_outline_uncached(module=self.get_parent().specific)
        module = outline.module
        context["module"] = module
        context["course"] = module.get_parent().specific if outline.course is None else outline.course
        context["breadcrumb_ancestors"] = outline.ancestors
        context["progress"] = progress = module_progress_for(user=request.user, outline=outline, also=self)
        context["completed"] = progress.lesson_completed(self)
        context["lesson_opened"] = progress.lesson_opened(self)
        body = lesson_body(lesson=self, request=request)
        context["lesson_body"] = lesson_body_html(body=body, lesson=self, request=request)
        context["completes_by_h5p"] = body.completes_by_h5p
        context["previous_lesson"], context["next_lesson"] = outline.neighbours(self)
        return context


class LocalOrganisationPage(LoginRequiredPage):
    """ "Din lokale organisation": who does what in one municipality, with its contact points read
    live from the municipal directory (so a changed phone number shows at once, without editing)."""

    municipality = models.ForeignKey(
        "learning.Municipality",
        on_delete=models.PROTECT,
        related_name="local_organisation_pages",
        verbose_name=_("kommune"),
    )
    intro = RichTextField(_("introduktion"), features=["bold", "italic", "link"], blank=True, validators=[validate_no_cpr])
    body = StreamField(LOCAL_ORGANISATION_BLOCKS, blank=True, verbose_name=_("indhold"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("municipality"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lokal organisation")
        verbose_name_plural = _("lokale organisationer")

    def get_context(self, request, *args, **kwargs):
        from .services import directory_contact_rows, directory_for_municipality

        context = super().get_context(request, *args, **kwargs)
        directory = directory_for_municipality(slug=self.municipality.slug)
        context["directory"] = directory
        context["contact_rows"] = directory_contact_rows(directory=directory) if directory else []
        return context


# --- Progress ------------------------------------------------------------------------------------------
# Progress always points at the Danish (default-locale) pages, whichever translation the learner used.


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    opened_at = models.DateTimeField(_("åbnet"))
    completed_at = models.DateTimeField(_("gennemført"), null=True, blank=True)

    class Meta:
        verbose_name = _("lektionsforløb")
        verbose_name_plural = _("lektionsforløb")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id}"


class ModuleCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("gennemført"))

    class Meta:
        verbose_name = _("gennemført modul")
        verbose_name_plural = _("gennemførte moduler")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_completion_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.module_id}"


class CourseCompletion(models.Model):
    """That a person completed a course: the record certificates and coverage are built on.

    A person can complete a course again after starting a refresher (``CourseRestart``), so there may
    be several rows per (user, course), one per round. PROTECT: a course someone has completed cannot
    be deleted (unpublish it instead), so the training record survives.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(_("gennemført"))

    class Meta:
        verbose_name = _("gennemført kursus")
        verbose_name_plural = _("gennemførte kurser")
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["user", "course", "completed_at"], name="course_completion_lookup")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"


class CourseRestart(models.Model):
    """The learner takes the course again (a refresher): lessons and modules completed before
    `started_at` no longer count towards this course, and completing it again records a new
    ``CourseCompletion``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_restarts"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="restarts")
    started_at = models.DateTimeField(_("startet"))

    class Meta:
        verbose_name = _("genstart af kursus")
        verbose_name_plural = _("genstarter af kurser")
        indexes = [models.Index(fields=["user", "course", "started_at"], name="course_restart_lookup")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id} · {self.started_at:%Y-%m-%d}"
