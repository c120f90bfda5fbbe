"""Training coverage: each municipality's training targets, the roster behind them, reminders, exports
and the per-person training summary the dashboard reads.

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


class AuditAction(models.TextChoices):
    """What coverage records in the shared audit log (``learning.AuditEvent``, via ``learning.audit``)."""

    PEOPLE_VIEWED = "people_viewed", _("Så personlisten")
    PEOPLE_EXPORTED = "people_exported", _("Eksporterede personlisten")
    ROSTER_IMPORTED = "roster_imported", _("Importerede medarbejdere")


# --- The training summary (read by the dashboard; written only by ``coverage.summary``) -------------------


class StaffMember(models.Model):
    """Where a person works and whether they are in the audience of their municipality's targets: a copy
    of the user's municipality, department and job role, and "active account holding the learner role".

    The dashboard groups and filters these narrow rows instead of the user table and its group
    memberships. ``coverage.summary.staff_member_refresh`` keeps a row in step with its user; every
    service that changes those facts calls it (see ``learning.services.USER_CHANGED_HANDLERS``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="coverage_staff",
        verbose_name=_("bruger"),
    )
    municipality = models.ForeignKey(
        "learning.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune"),
    )
    department = models.ForeignKey(
        "learning.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afdeling"),
    )
    job_role = models.CharField(
        _("stillingsfunktion"), max_length=30, choices=JobRole.choices, blank=True, editable=False
    )
    is_active_learner = models.BooleanField(
        _("aktiv medarbejder"), db_default=False, help_text=_("Aktiv konto med rollen Medarbejder.")
    )

    class Meta:
        verbose_name = _("medarbejder (dækning)")
        verbose_name_plural = _("medarbejdere (dækning)")
        indexes = [
            models.Index(
                fields=["municipality", "department", "job_role"],
                condition=models.Q(is_active_learner=True),
                name="coverage_staff_audience_idx",
            )
        ]

    def __str__(self) -> str:
        return str(self.user_id)


class StaffTrainingStatus(models.Model):
    """One person's training in one course, summarised from their lesson progress, restarts and
    certificates (revoked certificates left out). Times only: whether a certificate is valid or expired
    is decided by comparing ``valid_until`` with the moment asked about, never stored.

    Rewritten by ``coverage.summary.training_status_refresh`` in the same transaction as every event
    that changes it (lesson opened or completed, course restarted, certificate issued or revoked);
    ``manage.py coverage_summary_rebuild`` recomputes every row from the source tables.
    """

    # The unique (user, course) and the (municipality, course) indexes below serve the look-ups by user and
    # by municipality: no separate index on either foreign key (fewer indexes to write on every event).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coverage_training",
        db_index=False,
        verbose_name=_("bruger"),
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("kursus")
    )
    # A copy of the user's municipality, so one municipality's rows are read through one index.
    municipality = models.ForeignKey(
        "learning.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("kommune"),
    )
    lessons_opened = models.PositiveIntegerField(_("lektioner åbnet"), db_default=0)
    first_opened_at = models.DateTimeField(_("første lektion åbnet"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("seneste lektion åbnet"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("seneste aktivitet"), null=True, blank=True)
    restarted_at = models.DateTimeField(_("senest startet forfra"), null=True, blank=True)
    certificates_held = models.PositiveIntegerField(_("beviser (ikke tilbagekaldte)"), db_default=0)
    first_certified_at = models.DateTimeField(_("første bevis udstedt"), null=True, blank=True)
    last_certified_at = models.DateTimeField(_("seneste bevis udstedt"), null=True, blank=True)
    valid_until = models.DateTimeField(_("gyldigt til"), null=True, blank=True)

    class Meta:
        verbose_name = _("uddannelsesstatus")
        verbose_name_plural = _("uddannelsesstatus")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="coverage_training_once_per_user_course")
        ]
        indexes = [models.Index(fields=["municipality", "course"], name="coverage_training_muni_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"
