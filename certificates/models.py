"""Certificates of completed courses, their Open Badges signing keys and the coordinators' ZIP exports.

A certificate is written in the same transaction as the course completion; rendering the PDF and
sending the e-mail happen afterwards in tasks, tracked by `pdf_status` and `email_status` so that a
sweeper can pick up whatever a lost broker message left behind.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.validators import validate_no_cpr


class CertificateStanding(models.TextChoices):
    """What a certificate is worth at a given moment (computed, never stored)."""

    VALID = "valid", _("Gyldigt")
    EXPIRED = "expired", _("Udløbet")
    REVOKED = "revoked", _("Tilbagekaldt")


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Gyldigt")
        REVOKED = "revoked", _("Tilbagekaldt")

    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("Venter")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Fejlet")

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Venter")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("bruger"),
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("kursus")
    )
    completion = models.ForeignKey(
        "courses.CourseCompletion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("gennemførelse"),
    )
    # The period a certificate covers: 1 for the first certificate of (user, course), then 2, 3 … for
    # each renewal. Together with the unique constraint this is "one certificate per validity period".
    generation = models.PositiveIntegerField(_("periode"), default=1)
    completed_at = models.DateTimeField(_("gennemført"))
    # Snapshots at issue: a certificate states what was true when it was issued.
    municipality = models.ForeignKey(
        "learning.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("kommune"),
    )
    department = models.ForeignKey(
        "learning.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("afdeling"),
    )
    learner_name = models.CharField(_("navn på beviset"), max_length=300)
    course_title = models.CharField(_("kursets titel"), max_length=255)
    language = models.CharField(_("sprog"), max_length=8, default="da")
    code = models.CharField(_("verifikationskode"), max_length=64, unique=True, editable=False)
    rules_version = models.CharField(_("regelversion"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("udstedt"))
    expires_at = models.DateTimeField(_("udløber"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    revoked_reason = models.TextField(_("begrundelse for tilbagekaldelse"), blank=True, validators=[validate_no_cpr])
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tilbagekaldt af"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("erstatter"),
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/pdf/%Y/%m/", blank=True)
    pdf_status = models.CharField(
        _("PDF-status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    email_status = models.CharField(
        _("e-mailstatus"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_claimed_at = models.DateTimeField(_("e-mail påbegyndt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sendt"), null=True, blank=True)
    last_queued_at = models.DateTimeField(_("senest sat i kø"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("bevis")
        verbose_name_plural = _("beviser")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "generation"], name="certificate_one_per_user_course_period"
            ),
            models.UniqueConstraint(
                fields=["user", "course", "completed_at"], name="certificate_one_per_completion"
            ),
        ]
        indexes = [
            models.Index(fields=["pdf_status", "last_queued_at"], name="certificate_pdf_pending_idx"),
            models.Index(fields=["email_status", "last_queued_at"], name="certificate_email_pending_idx"),
            models.Index(fields=["status", "expires_at"], name="certificate_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_name}: {self.course_title} ({self.issued_at:%d.%m.%Y})"

    def standing_at(self, at: datetime) -> str:
        if self.status == self.Status.REVOKED:
            return CertificateStanding.REVOKED
        if self.expires_at <= at:
            return CertificateStanding.EXPIRED
        return CertificateStanding.VALID


class RefresherEnrolment(models.Model):
    """A learner's decision to take a course again to renew a certificate."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="refreshers", verbose_name=_("bevis")
    )
    started_at = models.DateTimeField(_("startet"))
    completed_certificate = models.OneToOneField(
        Certificate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nyt bevis"),
    )

    class Meta:
        verbose_name = _("genopfriskning")
        verbose_name_plural = _("genopfriskninger")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(completed_certificate__isnull=True),
                name="refresher_one_open_per_certificate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} – {self.started_at:%d.%m.%Y}"


class SigningKey(models.Model):
    """The platform's Ed25519 key for Open Badges. The private key is stored encrypted (Fernet)."""

    kid = models.CharField(_("nøgle-id"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("offentlig nøgle (JWK)"))
    private_key_encrypted = models.TextField(_("privat nøgle (krypteret)"))
    created_at = models.DateTimeField(_("oprettet"))
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signeringsnøgle")
        verbose_name_plural = _("signeringsnøgler")
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="signingkey_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.kid


class CertificateExport(models.Model):
    """A ZIP of all certificates of one department, built in the background for a coordinator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter")
        RUNNING = "running", _("I gang")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Fejlet")

    public_id = models.UUIDField(_("offentligt id"), default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "learning.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("kommune")
    )
    department = models.ForeignKey(
        "learning.Department", on_delete=models.CASCADE, related_name="+", verbose_name=_("afdeling")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("bestilt af"),
    )
    requested_at = models.DateTimeField(_("bestilt"))
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    certificate_count = models.PositiveIntegerField(_("antal beviser"), default=0)
    file = models.FileField(_("fil"), upload_to="certificates/exports/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("eksport af beviser")
        verbose_name_plural = _("eksporter af beviser")

    def __str__(self) -> str:
        return f"{self.department} – {self.requested_at:%d.%m.%Y %H:%M}"
