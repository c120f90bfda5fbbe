"""Training coverage: each municipality's training targets, the roster behind them, reminders, exports
and the audit trail of who looked at whom.

How people are counted against a target is written once, in ``coverage.services`` (see
``COUNTING_RULE``); these models only hold the data.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from learning.models import JobRole
from learning.validators import validate_no_cpr


class TrainingTargetForm(WagtailAdminModelForm):
    """The admin form: job roles as checkboxes instead of raw JSON."""

    audience_job_roles = forms.MultipleChoiceField(
        label=_("målgruppe: stillingsfunktioner"),
        choices=JobRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen valgt: alle stillingsfunktioner."),
    )

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        departments = cleaned.get("audience_departments")
        if municipality is not None and departments:
            foreign = [d for d in departments if d.municipality_id != municipality.pk]
            if foreign:
                self.add_error(
                    "audience_departments", _("Vælg kun afdelinger i den kommune, målet gælder for.")
                )
        return cleaned


class TrainingTarget(models.Model):
    """How many people of a municipality's staff should be trained in a period, in which courses.

    Counting rule (also shown on the dashboard): a person in the audience counts once when they hold a
    certificate for one of the target's courses that was issued within the period and is not revoked.
    """

    municipality = models.ForeignKey(
        "learning.Municipality", on_delete=models.CASCADE, related_name="training_targets", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=150, validators=[validate_no_cpr])
    period_start = models.DateField(_("periodens start"))
    period_end = models.DateField(_("periodens slutning"), help_text=_("Sidste dag i perioden (medregnes)."))
    target_count = models.PositiveIntegerField(_("mål (antal personer)"))
    courses = models.ManyToManyField(
        "courses.CoursePage",
        related_name="training_targets",
        verbose_name=_("kurser"),
        help_text=_("Et bevis for ét af disse kurser tæller."),
    )
    audience_job_roles = models.JSONField(
        _("målgruppe: stillingsfunktioner"), default=list, blank=True, help_text=_("Tom: alle stillingsfunktioner.")
    )
    audience_departments = models.ManyToManyField(
        "learning.Department",
        blank=True,
        related_name="training_targets",
        verbose_name=_("målgruppe: afdelinger"),
        help_text=_("Ingen valgt: alle afdelinger i kommunen."),
    )

    base_form_class = TrainingTargetForm

    class Meta:
        ordering = ["municipality__name", "-period_end", "name"]
        verbose_name = _("uddannelsesmål")
        verbose_name_plural = _("uddannelsesmål")
        indexes = [models.Index(fields=["municipality", "period_end"], name="coverage_target_muni_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="coverage_target_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y})"

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Periodens slutning skal ligge efter dens start.")})
        valid_roles = set(JobRole.values)
        roles = self.audience_job_roles or []
        if not isinstance(roles, list) or any(role not in valid_roles for role in roles):
            raise ValidationError({"audience_job_roles": _("Ukendt stillingsfunktion i målgruppen.")})


class ReminderSettings(models.Model):
    """How often a municipality's staff are reminded; edited by its coordinators."""

    class Cadence(models.IntegerChoices):
        WEEKLY = 7, _("Hver 7. dag")
        FORTNIGHTLY = 14, _("Hver 14. dag")
        MONTHLY = 30, _("Hver 30. dag")

    municipality = models.OneToOneField(
        "learning.Municipality", on_delete=models.CASCADE, related_name="reminder_settings", verbose_name=_("kommune")
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("interval"),
        choices=Cadence.choices,
        default=Cadence.FORTNIGHTLY,
        help_text=_("Hver medarbejder får højst én påmindelse af hver slags inden for dette antal dage."),
    )
    paused = models.BooleanField(_("sæt påmindelser på pause"), default=False)
    stalled_after_days = models.PositiveSmallIntegerField(
        _("gået i stå efter (dage)"),
        default=21,
        help_text=_("Medarbejdere, der har startet kurset, men ikke har lavet noget i så mange dage, får en påmindelse."),
    )

    class Meta:
        verbose_name = _("indstillinger for påmindelser")
        verbose_name_plural = _("indstillinger for påmindelser")

    def __str__(self) -> str:
        return str(self.municipality)


class ReminderLog(models.Model):
    class Kind(models.TextChoices):
        NOT_STARTED = "not_started", _("Ikke startet")
        STALLED = "stalled", _("Gået i stå")
        EXPIRING = "expiring", _("Bevis udløber snart")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coverage_reminders", verbose_name=_("bruger")
    )
    kind = models.CharField(_("slags"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sendt"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sendt påmindelse")
        verbose_name_plural = _("sendte påmindelser")
        indexes = [models.Index(fields=["user", "kind", "sent_at"], name="coverage_remind_user_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.sent_at:%d.%m.%Y}"


class Invitation(models.Model):
    """That a person was invited by a coordinator; ``sent_at`` makes the e-mail go out exactly once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coverage_invitation", verbose_name=_("bruger")
    )
    municipality = models.ForeignKey(
        "learning.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("kommune")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("inviteret af")
    )
    created_at = models.DateTimeField(_("oprettet"))
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("afsendelse påbegyndt"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepteret"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")

    def __str__(self) -> str:
        return str(self.user)


class RosterUpload(models.Model):
    """A parsed roster file between preview and confirm. Only the coordinator who uploaded it can use it;
    the client only ever sends back its random ``public_id`` (never a file path)."""

    public_id = models.UUIDField(_("offentligt id"), default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "learning.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("kommune")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploadet af")
    )
    uploaded_at = models.DateTimeField(_("uploadet"))
    filename = models.CharField(_("filnavn"), max_length=200, blank=True)
    rows = models.JSONField(_("rækker"), default=list)
    imported_at = models.DateTimeField(_("importeret"), null=True, blank=True)

    class Meta:
        verbose_name = _("medarbejderliste")
        verbose_name_plural = _("medarbejderlister")

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%d.%m.%Y %H:%M})"


class ReportExport(models.Model):
    """An annual report PDF built in the background for a coordinator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter")
        RUNNING = "running", _("I gang")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Fejlet")

    public_id = models.UUIDField(_("offentligt id"), default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "learning.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("kommune")
    )
    target = models.ForeignKey(TrainingTarget, on_delete=models.CASCADE, related_name="reports", verbose_name=_("mål"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("bestilt af")
    )
    requested_at = models.DateTimeField(_("bestilt"))
    as_of = models.DateField(_("opgjort pr."))
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("fil"), upload_to="coverage/reports/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")

    def __str__(self) -> str:
        return f"{self.target} – {self.requested_at:%d.%m.%Y %H:%M}"


class AuditEvent(models.Model):
    """Who looked at or exported which people (the security engineer may generalise this later)."""

    class Action(models.TextChoices):
        PEOPLE_VIEWED = "people_viewed", _("Så personlisten")
        PEOPLE_EXPORTED = "people_exported", _("Eksporterede personlisten")
        ROSTER_IMPORTED = "roster_imported", _("Importerede medarbejdere")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("aktør")
    )
    action = models.CharField(_("handling"), max_length=30, choices=Action.choices)
    municipality = models.ForeignKey(
        "learning.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("kommune")
    )
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)
    at = models.DateTimeField(_("tidspunkt"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("revisionshændelse")
        verbose_name_plural = _("revisionshændelser")
        indexes = [models.Index(fields=["municipality", "at"], name="coverage_audit_muni_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d.%m.%Y %H:%M}"
