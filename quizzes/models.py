"""Scenario questions (authored as snippets), the quiz pages and the learners' attempts.

A scenario holds the *facts* of a fictional case. Its answer key is never typed in: grading routes
the facts through ``learning.rules.route`` live. The ``key_*`` fields are only a snapshot of the
last computed key, kept so that a change in the rules or the municipal directory can be detected
and the scenario flagged for review (``quizzes.services.scenario_keys_refresh``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.managers import TaggableManager
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PreviewableMixin

from learning.rules import ACTIONS, LEVELS, SIGNS, URGENCIES
from learning.validators import validate_no_cpr

SIGN_CHOICES = [(code, sign.label_da) for code, sign in SIGNS.items()]
ACTION_CHOICES = [(code, info.label_da) for code, info in ACTIONS.items()]
LEVEL_CHOICES = [(code, label.label_da) for code, label in LEVELS.items()]
URGENCY_CHOICES = [(code, label.label_da) for code, label in URGENCIES.items()]

PASS_MARK_PERCENT = 80


class ScenarioQuestion(PreviewableMixin, models.Model):
    class Subject(models.TextChoices):
        PERSON = "person", _("Én bestemt person")
        GROUP = "group", _("En gruppe, et sted eller et miljø")

    class Reporter(models.TextChoices):
        EMPLOYEE = "employee", _("Offentligt ansat i sit job")
        CITIZEN = "citizen", _("Privatperson (forælder, nabo, ven)")

    class IllegalAct(models.TextChoices):
        NONE = "none", _("Nej")
        SUSPECTED = "suspected", _("Begrundet mistanke")

    slug = models.SlugField(_("kort navn"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=200, validators=[validate_no_cpr])
    story = models.TextField(
        _("fortælling"),
        validators=[validate_no_cpr],
        help_text=_(
            "Personerne skal være opdigtede: brug aldrig navne på rigtige personer og aldrig CPR-numre."
        ),
    )
    # --- The facts, in the routing contract's input form ---------------------------------------------
    municipality = models.ForeignKey(
        "learning.Municipality",
        on_delete=models.PROTECT,
        related_name="scenario_questions",
        verbose_name=_("kommune"),
        help_text=_("Hvis kommunes procedure og kontakter gælder."),
    )
    subject = models.CharField(
        _("bekymringen gælder"), max_length=10, choices=Subject.choices, default=Subject.PERSON
    )
    age = models.PositiveSmallIntegerField(
        _("alder"), null=True, blank=True, help_text=_("Tom = alderen er ukendt.")
    )
    reporter = models.CharField(
        _("hvem er bekymret"), max_length=10, choices=Reporter.choices, default=Reporter.EMPLOYEE
    )
    signs = models.JSONField(_("bekymringstegn"), default=list, blank=True)
    illegal_act = models.CharField(
        _("mistanke om ulovlig handling"),
        max_length=10,
        choices=IllegalAct.choices,
        default=IllegalAct.NONE,
        help_text=_(
            "Vold, trusler, hærværk, terror eller udrejse til en terrorbevægelse eller væbnet konflikt."
        ),
    )
    danger_to_life = models.BooleanField(_("fare for liv eller sikkerhed lige nu"), default=False)
    in_extremist_milieu = models.BooleanField(_("del af et ekstremistisk miljø"), default=False)
    wants_exit = models.BooleanField(_("ønsker hjælp til at komme ud af et miljø"), default=False)
    returnee = models.BooleanField(_("vendt hjem fra en konfliktzone"), default=False)
    within_opening_hours = models.BooleanField(_("inden for kommunens åbningstid"), default=True)
    # --- What the learner is asked --------------------------------------------------------------------
    ask_level = models.BooleanField(_("spørg om forebyggelsesniveau"), default=False)
    ask_urgency = models.BooleanField(_("spørg om akut/ikke akut"), default=False)
    source = models.CharField(
        _("kilde"), max_length=300, blank=True, help_text=_("Kildedokument og afsnit, fx »003 §3.2.3«."),
        validators=[validate_no_cpr],
    )
    tags = TaggableManager(
        _("emneord"),
        blank=True,
        help_text=_("Adskil emneord med komma, fx modulets eller kursets korte navn; bruges til afsluttende prøver."),
    )
    # --- Snapshot of the computed key (never edited; only used to detect change) ---------------------
    key_first_action = models.CharField(
        _("nøgle: første handling"), max_length=40, blank=True, editable=False
    )
    key_actions = models.JSONField(_("nøgle: handlinger"), default=list, blank=True, editable=False)
    key_level = models.CharField(_("nøgle: niveau"), max_length=20, blank=True, editable=False)
    key_urgency = models.CharField(_("nøgle: hastegrad"), max_length=20, blank=True, editable=False)
    key_rules_version = models.CharField(_("regelversion"), max_length=60, blank=True, editable=False)
    key_directory_fingerprint = models.CharField(
        _("katalogets fingeraftryk"), max_length=64, blank=True, editable=False
    )
    key_computed_at = models.DateTimeField(_("nøgle beregnet"), null=True, blank=True, editable=False)
    needs_review = models.BooleanField(_("skal gennemgås"), default=False, editable=False, db_index=True)
    needs_review_reason = models.TextField(_("hvorfor gennemgang"), blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("scenarie")
        verbose_name_plural = _("scenarier")

    def __str__(self) -> str:
        return self.title

    # Wagtail's live preview: the rules' verdict for the facts being edited.
    def get_preview_template(self, request, mode_name):
        return "quizzes/scenario_preview.html"

    def get_preview_context(self, request, mode_name):
        from django.utils import timezone

        from .services import scenario_verdict

        context = super().get_preview_context(request, mode_name)
        context["verdict"] = scenario_verdict(scenario=self, on=timezone.localdate())
        return context

    @property
    def key_first_action_label(self) -> str:
        info = ACTIONS.get(self.key_first_action)  # type: ignore[call-overload]
        return info.label_da if info else "–"

    @property
    def key_actions_labels(self) -> list[str]:
        return [ACTIONS[code].label_da for code in self.key_actions if code in ACTIONS]  # type: ignore[index]


class QuizPageBase(Page):
    """Common behaviour of the two quiz page types; ``serve`` hands over to the quizzes views."""

    intro = RichTextField(_("introduktion"), features=["bold", "italic", "link", "ul"], blank=True, validators=[validate_no_cpr])

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from .views import quiz_page_serve

        return quiz_page_serve(request, page=self)


class ModuleQuizPage(QuizPageBase):
    """The knowledge check at the end of a module: a chosen list of scenarios."""

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("quiz_scenarios", label=_("Scenarier"), min_num=1),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("modulquiz")
        verbose_name_plural = _("modulquizzer")


class ModuleQuizScenario(Orderable):
    page = ParentalKey(ModuleQuizPage, on_delete=models.CASCADE, related_name="quiz_scenarios")
    scenario = models.ForeignKey(
        ScenarioQuestion,
        on_delete=models.PROTECT,
        related_name="module_quiz_links",
        verbose_name=_("scenarie"),
    )

    panels = [FieldPanel("scenario")]

    class Meta(Orderable.Meta):
        verbose_name = _("scenarie i quizzen")
        verbose_name_plural = _("scenarier i quizzen")


class FinalAssessmentPage(QuizPageBase):
    """The course's final assessment: ``question_count`` scenarios drawn from the bank per attempt."""

    question_count = models.PositiveSmallIntegerField(_("antal spørgsmål"), default=8)
    scenario_tag = models.CharField(
        _("kun scenarier med emneordet"),
        max_length=100,
        blank=True,
        help_text=_("Tom = hele scenariebanken."),
        validators=[validate_no_cpr],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("question_count"),
        FieldPanel("scenario_tag"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("afsluttende prøve")
        verbose_name_plural = _("afsluttende prøver")


class QuizAttempt(models.Model):
    class Kind(models.TextChoices):
        MODULE = "module", _("Modulquiz")
        FINAL = "final", _("Afsluttende prøve")
        PRACTICE = "practice", _("Øvelse i en lektion")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("side")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    scenario_ids = models.JSONField(_("scenarier"), default=list)
    started_at = models.DateTimeField(_("startet"))
    submitted_at = models.DateTimeField(_("afleveret"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("bestået"), default=False)
    critical_error_count = models.PositiveSmallIntegerField(_("kritiske fejl"), default=0)
    seed = models.BigIntegerField(_("seed"), default=0)
    rules_version = models.CharField(_("regelversion"), max_length=60, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("quizforsøg")
        verbose_name_plural = _("quizforsøg")
        indexes = [models.Index(fields=["user", "page", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.page_id} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return round((self.score or 0) * 100)


class QuizAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    scenario = models.ForeignKey(ScenarioQuestion, on_delete=models.CASCADE, related_name="answers")
    first_action = models.CharField(_("første handling"), max_length=40)
    actions = models.JSONField(_("handlinger"), default=list)
    level = models.CharField(_("niveau"), max_length=20, blank=True)
    urgency = models.CharField(_("hastegrad"), max_length=20, blank=True)
    score = models.FloatField(_("score"))
    critical_errors = models.JSONField(_("kritiske fejl"), default=list)

    class Meta:
        ordering = ["attempt", "id"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.scenario_id}"
