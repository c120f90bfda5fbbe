"""Classroom decks (authored in Wagtail as snippets) and live sessions with anonymous pupils.

Privacy by design: a participant is a random token (stored only as a hash) and an optional nickname
from a fixed word list. No name, account, IP address or user agent is stored. When a session ends,
participants and individual votes are deleted and only ``StepResult`` aggregates are kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin
from wagtail.search import index

from learning.validators import validate_no_cpr

from .blocks import DeckStepsBlock

FICTION_HELP = _(
    "<p><strong>Alle personer i et forløb skal være opdigtede.</strong> Skriv aldrig om rigtige elever, "
    "borgere eller sager – og aldrig navne, CPR-numre eller andet, der kan pege på en rigtig person.</p>"
)


class ClassroomDeck(PreviewableMixin, index.Indexed, models.Model):
    """A scenario deck that an SSP teacher runs live with a class."""

    title = models.CharField(_("titel"), max_length=200, validators=[validate_no_cpr])
    title_en = models.CharField(_("titel (engelsk)"), max_length=200, blank=True, validators=[validate_no_cpr])
    slug = models.SlugField(_("kort navn"), max_length=100, unique=True)
    age_min = models.PositiveSmallIntegerField(_("fra alder"), default=10)
    age_max = models.PositiveSmallIntegerField(_("til alder"), default=18)
    theme = models.CharField(
        _("tema"),
        max_length=200,
        validators=[validate_no_cpr],
        help_text=_("Fx tolerance, identitet, medborgerskab, social pejling, digitale medier, gruppepres."),
    )
    summary = models.TextField(_("resumé"), validators=[validate_no_cpr])
    source = models.CharField(
        _("kilder"), max_length=400, blank=True, help_text=_("Fx »004 (SSP-læseplanen); 003 §3.1.1.2«."),
        validators=[validate_no_cpr],
    )
    steps = StreamField(DeckStepsBlock(), verbose_name=_("trin"))
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    panels = [
        HelpPanel(content=FICTION_HELP, heading=_("Opdigtede personer")),
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("title_en"), FieldPanel("slug")], heading=_("Titel")
        ),
        MultiFieldPanel(
            [FieldPanel("age_min"), FieldPanel("age_max"), FieldPanel("theme"), FieldPanel("summary"),
             FieldPanel("source")],
            heading=_("Om forløbet"),
        ),
        FieldPanel("steps"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("theme"),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["age_min", "title"]
        verbose_name = _("klasseforløb")
        verbose_name_plural = _("klasseforløb")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError({"age_max": _("»Til alder« skal være mindst lige så høj som »fra alder«.")})

    # Wagtail preview: the deck as a teacher sees it, with the rules' verdict on every routing step.
    def get_preview_template(self, request, mode_name, **kwargs):
        return "classroom/deck_preview.html"

    def get_preview_context(self, request, mode_name, **kwargs):
        from django.utils import timezone

        context = super().get_preview_context(request, mode_name, **kwargs)
        context.update({"deck": self, "today": timezone.localdate(), "is_preview": True})
        return context


class LiveSession(models.Model):
    """One run of a deck with a class. Holds a frozen snapshot of the deck's steps."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    deck = models.ForeignKey(
        ClassroomDeck, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions",
        verbose_name=_("forløb"),
    )
    deck_title = models.CharField(_("forløbets titel"), max_length=200)
    steps = models.JSONField(_("trin (øjebliksbillede)"), default=list)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="classroom_sessions",
        verbose_name=_("underviser"),
    )
    join_code = models.CharField(_("deltagerkode"), max_length=16)
    current_step = models.PositiveSmallIntegerField(_("aktuelt trin"), default=0)
    voting_open = models.BooleanField(_("afstemning åben"), default=False)
    revealed = models.BooleanField(_("afsløret"), default=False)
    locked = models.BooleanField(_("lukket for nye deltagere"), default=False)
    # Aggregate counts of the current step, frozen when the teacher reveals (what pupils then see).
    revealed_counts = models.JSONField(_("afslørede tal"), default=dict, blank=True)
    # Bumped on every teacher action; pupils' polls compare it (via the cache) to skip unchanged state.
    state_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("startet"))
    expires_at = models.DateTimeField(_("udløber"))
    ended_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("klassesession")
        verbose_name_plural = _("klassesessioner")
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"],
                condition=models.Q(ended_at__isnull=True),
                name="classroom_unique_join_code_among_active_sessions",
            )
        ]
        indexes = [models.Index(fields=["ended_at", "expires_at"], name="classroom_session_active_idx")]

    def __str__(self) -> str:
        return f"{self.deck_title} ({self.join_code})"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def join_code_display(self) -> str:
        return f"{self.join_code[:4]} {self.join_code[4:]}"


class Participant(models.Model):
    """An anonymous pupil in one session: a random token (hashed) and an optional fixed-list nickname."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="participants")
    token_hash = models.CharField(max_length=64, unique=True)
    nickname = models.CharField(_("kaldenavn"), max_length=40, blank=True, validators=[validate_no_cpr])
    removed = models.BooleanField(_("fjernet"), default=False)
    joined_at = models.DateTimeField(_("deltager fra"))

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")

    def __str__(self) -> str:
        return self.nickname or _("Anonym elev")


class Vote(models.Model):
    """One participant's answer in one step. Deleted when the session ends (aggregates are kept)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    step_index = models.PositiveSmallIntegerField()
    option_key = models.CharField(max_length=4)

    class Meta:
        verbose_name = _("stemme")
        verbose_name_plural = _("stemmer")
        constraints = [
            models.UniqueConstraint(fields=["participant", "step_index"], name="classroom_one_vote_per_step")
        ]
        indexes = [models.Index(fields=["session", "step_index"], name="classroom_vote_step_idx")]

    def __str__(self) -> str:
        return f"{self.step_index + 1}{self.option_key}"


class StepResult(models.Model):
    """What is kept after a session: how many chose each option in each step. Nothing about anyone."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="results")
    step_index = models.PositiveSmallIntegerField()
    option_key = models.CharField(max_length=4)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "step_index", "option_key"]
        verbose_name = _("resultat")
        verbose_name_plural = _("resultater")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "step_index", "option_key"], name="classroom_unique_step_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step_index + 1}{self.option_key}: {self.count}"
