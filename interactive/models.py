"""H5P activities: an uploaded package, checked and extracted by a background task, played sandboxed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from learning.validators import validate_no_cpr


class H5PActivity(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Venter på kontrol")
        READY = "ready", _("Klar")
        REJECTED = "rejected", _("Afvist")

    title = models.CharField(_("titel"), max_length=200, validators=[validate_no_cpr])
    slug = models.SlugField(_("kort navn"), max_length=100, unique=True)
    # The public id used in playback URLs; never the database id.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    package = models.FileField(_("H5P-pakke (.h5p)"), upload_to="h5p/uploads/", blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("årsag til afvisning"), blank=True)
    main_library = models.CharField(_("hovedbibliotek"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    processed_at = models.DateTimeField(_("kontrolleret"), null=True, blank=True)

    panels = [FieldPanel("title"), FieldPanel("slug"), FieldPanel("package")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("H5P-aktivitet")
        verbose_name_plural = _("H5P-aktiviteter")

    def __str__(self) -> str:
        return self.title

    @property
    def content_prefix(self) -> str:
        """Where the checked package is extracted in media storage."""
        return f"h5p/content/{self.uid}/"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY


class XAPIStatement(models.Model):
    """One xAPI statement sent by the sandboxed player, recorded for the user the signed token names.

    The client's own actor is never trusted or stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="xapi_statements",
        verbose_name=_("bruger"),
    )
    activity = models.ForeignKey(
        H5PActivity, on_delete=models.CASCADE, related_name="statements", verbose_name=_("aktivitet")
    )
    # The lesson page that embedded the activity (a Wagtail page id; the page may be deleted later).
    lesson_page_id = models.PositiveIntegerField(_("lektionsside"), null=True, blank=True)
    # The statement id the player generated; a re-sent statement is recognised by it.
    statement_uuid = models.UUIDField(_("udsagns-id"), null=True, blank=True)
    verb = models.CharField(_("verbum"), max_length=255)
    success = models.BooleanField(_("lykkedes"), null=True, blank=True)
    score_scaled = models.FloatField(_("skaleret score"), null=True, blank=True)
    raw = models.JSONField(_("udsagn (forkortet)"), default=dict)
    received_at = models.DateTimeField(_("modtaget"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("xAPI-udsagn")
        verbose_name_plural = _("xAPI-udsagn")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "statement_uuid"],
                condition=models.Q(statement_uuid__isnull=False),
                name="interactive_xapi_unique_statement_per_user",
            )
        ]
        indexes = [models.Index(fields=["user", "activity"], name="interactive_xapi_user_act")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.verb_short} {self.activity_id}"

    @property
    def verb_short(self) -> str:
        return self.verb.rstrip("/").rsplit("/", 1)[-1]


class H5PActivityCompletion(models.Model):
    """A user completed an activity inside a lesson: recorded once, the lesson told once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="h5p_completions",
        verbose_name=_("bruger"),
    )
    activity = models.ForeignKey(
        H5PActivity, on_delete=models.CASCADE, related_name="completions", verbose_name=_("aktivitet")
    )
    lesson_page_id = models.PositiveIntegerField(_("lektionsside"))
    completed_at = models.DateTimeField(_("gennemført"))
    # Set when courses.services.lesson_complete has accepted the completion.
    lesson_notified_at = models.DateTimeField(_("lektion opdateret"), null=True, blank=True)

    class Meta:
        verbose_name = _("gennemført H5P-aktivitet")
        verbose_name_plural = _("gennemførte H5P-aktiviteter")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "activity", "lesson_page_id"], name="interactive_completion_once_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.activity_id} {self.lesson_page_id}"
