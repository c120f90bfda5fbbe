"""Services of the certificates app: issue, render, e-mail, verify, renew, revoke and export.

Keyword-only, typed, time passed in as `at`. Tasks and views are thin wrappers around these.
"""

from __future__ import annotations

import calendar
import csv
import io
import logging
import re
import secrets
import zipfile
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learning.roles import (
    coordinator_municipality,
    )
from learning.validators import validate_no_cpr

from .models import Certificate, CertificateExport, CertificateStanding, RefresherEnrolment
from .pdf import CertificatePdfData, certificate_pdf_render

if TYPE_CHECKING:
    from learning.models import Department, User

logger = logging.getLogger(__name__)

DEFAULT_VALIDITY_MONTHS = 24
REQUEUE_AFTER = timedelta(minutes=10)
STALE_EMAIL_CLAIM = timedelta(minutes=30)
REFRESHER_WINDOW = timedelta(days=90)
LANGUAGES = ("da", "en")
# Functions ``(*, user, course, at) -> None`` called in the same transaction as a certificate is issued or
# revoked (dotted paths; apps append theirs). The coverage app keeps its training summary with it.
CERTIFICATE_CHANGED_HANDLERS: list[str] = [
    "coverage.summary.training_status_changed",
]
# token_urlsafe(24): 24 random bytes = 192 bits, written as 32 URL-safe characters.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MAX_CODE_LENGTH = 64


class CertificateError(ValidationError):
    """A request about a certificate that cannot be honoured (shown to the user as is)."""


# --- Helpers -------------------------------------------------------------------------------------------


def add_months(value: datetime, months: int) -> datetime:
    """`value` plus whole calendar months; the 31st becomes the last day of a shorter month."""
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def certificate_code_new() -> str:
    return secrets.token_urlsafe(24)


def certificate_language(value: str | None) -> str:
    value = (value or "").lower()
    return "en" if value.startswith("en") else "da"


def certificate_verification_url(*, certificate: Certificate) -> str:
    """The absolute public URL printed on the certificate and encoded in its QR code."""
    with translation.override(certificate.language):
        path = reverse("certificates:verify", kwargs={"code": certificate.code})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def certificate_absolute_url(*, name: str, kwargs: dict[str, Any] | None = None, language: str = "da") -> str:
    with translation.override(language):
        path = reverse(name, kwargs=kwargs)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _rules_version() -> str:
    from learning.rules import RULES_VERSION

    return str(RULES_VERSION)


def _open_refresher(certificate: Certificate) -> RefresherEnrolment | None:
    return certificate.refreshers.filter(completed_certificate__isnull=True).first()


def certificate_changed(*, certificate: Certificate, at: datetime) -> None:
    """Tell the registered apps, in the caller's transaction, that one of the user's certificates for
    the course was issued or revoked."""
    for dotted in CERTIFICATE_CHANGED_HANDLERS:
        import_string(dotted)(user=certificate.user, course=certificate.course, at=at)


# --- Issuing ---------------------------------------------------------------------------------------------


def certificate_issue_for_completion(*, completion: Any, at: datetime) -> Certificate:
    """Issue the certificate for a course completion; called in the completion's transaction.

    One certificate per (user, course, validity period): calling this again for the same completion,
    or for a new completion while the current certificate is still valid and no refresher was started,
    returns the existing certificate. After expiry, revocation or a started refresher, a completion
    issues the next certificate, which `supersedes` the previous one (history is kept).
    """
    user, course = completion.user, completion.course
    completed_at = completion.completed_at
    with transaction.atomic():
        existing = Certificate.objects.filter(user=user, course=course, completed_at=completed_at).first()
        if existing is not None:
            return existing
        latest = Certificate.objects.filter(user=user, course=course).order_by("-generation").first()
        refresher = _open_refresher(latest) if latest is not None else None
        if latest is not None and latest.standing_at(at) == CertificateStanding.VALID and refresher is None:
            return latest
        validity = getattr(course, "certificate_validity_months", None) or DEFAULT_VALIDITY_MONTHS
        language = certificate_language(getattr(completion, "language", None) or translation.get_language())
        certificate = Certificate(
            user=user,
            course=course,
            completion=completion,
            generation=(latest.generation + 1) if latest is not None else 1,
            completed_at=completed_at,
            municipality_id=user.municipality_id,
            department_id=user.department_id,
            learner_name=user.get_full_name().strip(),
            course_title=course.title,
            language=language,
            code=certificate_code_new(),
            rules_version=_rules_version(),
            issued_at=at,
            expires_at=add_months(at, validity),
            supersedes=latest,
            last_queued_at=at,
        )
        try:
            with transaction.atomic():  # a savepoint: a concurrent issue for the same period wins
                certificate.save()
        except IntegrityError:
            winner = (
                Certificate.objects.filter(user=user, course=course)
                .filter(Q(completed_at=completed_at) | Q(generation=certificate.generation))
                .first()
            )
            if winner is None:
                raise
            return winner
        if refresher is not None:
            refresher.completed_certificate = certificate
            refresher.save(update_fields=["completed_certificate"])
        certificate_changed(certificate=certificate, at=at)
        certificate_queue_processing(certificate_id=certificate.pk)
    return certificate


# --- Queueing ----------------------------------------------------------------------------------------------


def _queue_safely(task: Any, *args: Any, what: str) -> None:
    """Queue a task without ever failing the caller.

    With the broker down `apply_async` raises (kombu OperationalError); in the embedded setup tasks run
    eagerly and their own errors surface here. Either way the certificate stays pending in the
    database and `certificates_requeue_pending` picks it up; what the user was doing has succeeded.
    """
    try:
        task.delay(*args)
    except Exception:
        logger.exception("Could not queue %s %s; the sweeper will retry", what, args)


def certificate_queue_processing(*, certificate_id: int) -> None:
    """After commit, queue rendering of the PDF (which then queues the e-mail)."""
    from .tasks import certificate_render_pdf

    transaction.on_commit(lambda: _queue_safely(certificate_render_pdf, certificate_id, what="PDF rendering"))


def certificate_queue_email(*, certificate_id: int) -> None:
    from .tasks import certificate_send_email

    transaction.on_commit(
        lambda: _queue_safely(certificate_send_email, certificate_id, what="certificate e-mail")
    )


def certificates_requeue_pending(
    *, at: datetime, older_than: timedelta = REQUEUE_AFTER, limit: int = 500
) -> int:
    """Queue again every certificate whose PDF or e-mail has been pending for longer than `older_than`.

    A claim to send that is older than STALE_EMAIL_CLAIM belongs to a worker that died mid-send; it is
    released (at-least-once: a crash right after the SMTP hand-off could mean a second e-mail).
    """
    Certificate.objects.filter(
        email_status=Certificate.EmailStatus.SENDING, email_claimed_at__lt=at - STALE_EMAIL_CLAIM
    ).update(email_status=Certificate.EmailStatus.PENDING)
    cutoff = at - older_than
    ids = list(
        Certificate.objects.filter(
            Q(pdf_status=Certificate.PdfStatus.PENDING) | Q(email_status=Certificate.EmailStatus.PENDING),
            Q(last_queued_at__isnull=True) | Q(last_queued_at__lt=cutoff),
        )
        .order_by("last_queued_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for certificate_id in ids:
        Certificate.objects.filter(pk=certificate_id).update(last_queued_at=at)
        certificate_queue_processing(certificate_id=certificate_id)
    return len(ids)


# --- PDF ---------------------------------------------------------------------------------------------------


def certificate_pdf_data(*, certificate: Certificate) -> CertificatePdfData:
    return CertificatePdfData(
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        municipality_name=certificate.municipality.name if certificate.municipality_id else "",
        issued_on=timezone.localtime(certificate.issued_at).date(),
        expires_on=timezone.localtime(certificate.expires_at).date(),
        code=certificate.code,
        verification_url=certificate_verification_url(certificate=certificate),
        rules_version=certificate.rules_version,
        language=certificate.language,
    )


def certificate_render_pdf(*, certificate_id: int) -> Certificate | None:
    """Render and store the PDF unless it is already done. Safe to run twice, also concurrently."""
    certificate = Certificate.objects.select_related("municipality").filter(pk=certificate_id).first()
    if certificate is None:
        return None
    if certificate.pdf_status == Certificate.PdfStatus.DONE and certificate.pdf:
        return certificate
    content = certificate_pdf_render(certificate_pdf_data(certificate=certificate))
    name = default_storage.save(
        f"certificates/pdf/{certificate.issued_at:%Y/%m}/bevis-{secrets.token_hex(8)}.pdf",
        ContentFile(content),
    )
    # Also when "done" but without a file: erasing a learner removes the PDF (it shows the name) and keeps
    # the certificate as anonymised proof, whose PDF is then rendered again without the name.
    updated = (
        Certificate.objects.filter(pk=certificate_id)
        .filter(~Q(pdf_status=Certificate.PdfStatus.DONE) | Q(pdf=""))
        .update(pdf=name, pdf_status=Certificate.PdfStatus.DONE)
    )
    if not updated:  # another run finished first: keep its file, drop ours
        default_storage.delete(name)
    certificate.refresh_from_db()
    return certificate


def certificate_mark_pdf_failed(*, certificate_id: int) -> None:
    Certificate.objects.filter(pk=certificate_id).exclude(pdf_status=Certificate.PdfStatus.DONE).update(
        pdf_status=Certificate.PdfStatus.FAILED
    )


def certificate_pdf_bytes(*, certificate: Certificate) -> bytes:
    """The stored PDF, rendered now if the background task has not (yet) done it: a PDF is never lost."""
    if certificate.pdf_status != Certificate.PdfStatus.DONE or not certificate.pdf:
        certificate = certificate_render_pdf(certificate_id=certificate.pk) or certificate
    try:
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        logger.warning("PDF of certificate %s missing from storage; rendering it again", certificate.pk)
        Certificate.objects.filter(pk=certificate.pk).update(pdf_status=Certificate.PdfStatus.PENDING)
        certificate = certificate_render_pdf(certificate_id=certificate.pk) or certificate
        with certificate.pdf.open("rb") as handle:
            return handle.read()


def certificate_pdf_filename(*, certificate: Certificate) -> str:
    prefix = "certificate" if certificate.language == "en" else "kursusbevis"
    slug = slugify(certificate.course_title)[:60] or "kursus"
    return f"{prefix}-{slug}-{timezone.localtime(certificate.issued_at):%Y-%m-%d}.pdf"


# --- E-mail ------------------------------------------------------------------------------------------------


def _send_templated_email(
    *, template: str, context: dict[str, Any], to: str, language: str, attachment: tuple | None = None
) -> None:
    with translation.override(language):
        subject = " ".join(render_to_string(f"certificates/email/{template}_subject.txt", context).split())
        body = render_to_string(f"certificates/email/{template}_body.txt", context)
        html = render_to_string(f"certificates/email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    message.attach_alternative(html, "text/html")
    if attachment is not None:
        message.attach(*attachment)
    message.send()


def certificate_send_email(*, certificate_id: int, at: datetime) -> bool:
    """E-mail the learner their certificate with the PDF attached, exactly once.

    The conditional UPDATE pending → sending is the claim: of two concurrent runs only one gets it.
    A failure releases the claim (back to pending) and re-raises so the task retries.
    """
    claimed = Certificate.objects.filter(
        pk=certificate_id, email_status=Certificate.EmailStatus.PENDING
    ).update(email_status=Certificate.EmailStatus.SENDING, email_claimed_at=at)
    if not claimed:
        return False
    try:
        certificate = Certificate.objects.select_related("user", "municipality").get(pk=certificate_id)
        pdf = certificate_pdf_bytes(certificate=certificate)
        _send_templated_email(
            template="certificate_issued",
            context={
                "certificate": certificate,
                "verification_url": certificate_verification_url(certificate=certificate),
                "my_certificates_url": certificate_absolute_url(
                    name="certificates:mine", language=certificate.language
                ),
            },
            to=certificate.user.email,
            language=certificate.language,
            attachment=(certificate_pdf_filename(certificate=certificate), pdf, "application/pdf"),
        )
    except Exception:
        Certificate.objects.filter(pk=certificate_id, email_status=Certificate.EmailStatus.SENDING).update(
            email_status=Certificate.EmailStatus.PENDING
        )
        raise
    Certificate.objects.filter(pk=certificate_id).update(
        email_status=Certificate.EmailStatus.SENT, email_sent_at=at
    )
    return True


def certificate_mark_email_failed(*, certificate_id: int) -> None:
    Certificate.objects.filter(pk=certificate_id, email_status=Certificate.EmailStatus.PENDING).update(
        email_status=Certificate.EmailStatus.FAILED
    )


# --- Verification ---------------------------------------------------------------------------------------------


def certificate_find_by_code(*, code: str) -> Certificate | None:
    """The certificate with this code, or None.

    Malformed codes are looked up too (a query that cannot match), so they take as long as unknown
    ones and a caller cannot tell the two apart by timing.
    """
    candidate = code_candidate(code)
    found = Certificate.objects.select_related("course").filter(code=candidate).first()
    if found is None or not CODE_PATTERN.match(candidate):
        return None
    return found


def code_candidate(code: str | None) -> str:
    """Bound the length and drop NUL characters (PostgreSQL refuses them) before any lookup."""
    return (code or "")[:MAX_CODE_LENGTH].replace("\x00", "")


def code_from_user_input(value: str) -> str:
    """Accept a bare code or a pasted verification URL and return the code part."""
    value = value.strip()
    match = re.search(r"/verify/([^/?#\s]+)/?", value)
    if match:
        return match.group(1)
    return value.strip("/ ")


# --- Renewal ------------------------------------------------------------------------------------------------------


def certificate_can_start_refresher(*, certificate: Certificate, at: datetime) -> bool:
    if certificate.status == Certificate.Status.REVOKED:
        return False
    if Certificate.objects.filter(supersedes=certificate).exists():
        return False
    return certificate.expires_at - at <= REFRESHER_WINDOW


def certificate_start_refresher(*, certificate: Certificate, at: datetime) -> RefresherEnrolment:
    """Enrol the learner in a refresher: their next completion of the course issues a new certificate
    that supersedes this one. Idempotent: an open refresher is returned as it is."""
    if not certificate_can_start_refresher(certificate=certificate, at=at):
        raise CertificateError(
            _(
                "Du kan forny beviset, når der er under %(days)s dage til det udløber, eller når det er udløbet."
            )
            % {"days": REFRESHER_WINDOW.days},
            code="refresher_not_possible",
        )
    with transaction.atomic():
        existing = _open_refresher(certificate)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                enrolment = RefresherEnrolment.objects.create(certificate=certificate, started_at=at)
        except IntegrityError:
            return _open_refresher(certificate)
        # The learner takes the course again from the start: earlier lesson and module completions
        # stop counting, and finishing again records a new completion (and so a new certificate).
        from courses.services import course_restart

        course_restart(user=certificate.user, course=certificate.course, at=at)
        return enrolment


# --- Coordinators ----------------------------------------------------------------------------------------------


def certificates_for_coordinator(*, user: User) -> QuerySet[Certificate]:
    municipality = coordinator_municipality(user=user)
    if municipality is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(municipality=municipality).select_related("department", "course")


def certificate_revoke(*, certificate: Certificate, by: User, reason: str, at: datetime) -> Certificate:
    """Revoke a certificate of the coordinator's own municipality, with a reason (never a CPR number)."""
    municipality = coordinator_municipality(user=by)
    if municipality is None or certificate.municipality_id != municipality.pk:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Skriv en begrundelse for tilbagekaldelsen."), code="reason_required")
    validate_no_cpr(reason)
    with transaction.atomic():
        updated = Certificate.objects.filter(pk=certificate.pk, status=Certificate.Status.VALID).update(
            status=Certificate.Status.REVOKED, revoked_at=at, revoked_reason=reason, revoked_by=by
        )
        certificate.refresh_from_db()
        if updated:
            certificate_changed(certificate=certificate, at=at)
        else:
            logger.info("Certificate %s was already revoked", certificate.pk)
    return certificate


def certificate_export_request(*, by: User, department: Department, at: datetime) -> CertificateExport:
    municipality = coordinator_municipality(user=by)
    if municipality is None or department.municipality_id != municipality.pk:
        raise PermissionDenied
    export = CertificateExport.objects.create(
        municipality=municipality, department=department, requested_by=by, requested_at=at
    )
    from .tasks import certificate_export_build as build_task

    transaction.on_commit(lambda: _queue_safely(build_task, export.pk, what="certificate export"))
    return export


def certificate_export_for_coordinator(*, user: User, public_id: Any) -> CertificateExport | None:
    municipality = coordinator_municipality(user=user)
    if municipality is None:
        return None
    return (
        CertificateExport.objects.select_related("department")
        .filter(public_id=public_id, municipality=municipality)
        .first()
    )


def certificate_export_build(*, export_id: int, at: datetime) -> CertificateExport | None:
    """Build the ZIP of a department's certificates (every PDF and an overview CSV) in storage."""
    claimed = CertificateExport.objects.filter(
        pk=export_id, status__in=[CertificateExport.Status.PENDING, CertificateExport.Status.FAILED]
    ).update(status=CertificateExport.Status.RUNNING)
    export = (
        CertificateExport.objects.select_related("department", "municipality").filter(pk=export_id).first()
    )
    if export is None or not claimed:
        return export
    try:
        certificates = (
            Certificate.objects.filter(municipality=export.municipality, department=export.department)
            .select_related("municipality")
            .order_by("learner_name", "course_title", "issued_at")
        )
        buffer = io.BytesIO()
        overview = io.StringIO()
        writer = csv.writer(overview, delimiter=";")
        writer.writerow(["Navn", "Kursus", "Udstedt", "Udløber", "Status", "Tilbagekaldt", "Kontrol", "Fil"])
        count = 0
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for certificate in certificates:
                filename = (
                    f"{slugify(certificate.learner_name)[:40] or 'bevis'}_{slugify(certificate.course_title)[:40]}"
                    f"_{timezone.localtime(certificate.issued_at):%Y-%m-%d}_{certificate.code[:8]}.pdf"
                )
                archive.writestr(filename, certificate_pdf_bytes(certificate=certificate))
                standing = certificate.standing_at(at)
                writer.writerow(
                    [
                        certificate.learner_name,
                        certificate.course_title,
                        f"{timezone.localtime(certificate.issued_at):%d.%m.%Y}",
                        f"{timezone.localtime(certificate.expires_at):%d.%m.%Y}",
                        str(CertificateStanding(standing).label),
                        f"{timezone.localtime(certificate.revoked_at):%d.%m.%Y}"
                        if certificate.revoked_at
                        else "",
                        certificate_verification_url(certificate=certificate),
                        filename,
                    ]
                )
                count += 1
            # UTF-8 with BOM so Excel shows æøå correctly.
            archive.writestr("oversigt.csv", "\ufeff" + overview.getvalue())
        name = default_storage.save(
            f"certificates/exports/{at:%Y/%m}/beviser-{secrets.token_hex(8)}.zip",
            ContentFile(buffer.getvalue()),
        )
    except Exception:
        CertificateExport.objects.filter(pk=export_id).update(status=CertificateExport.Status.PENDING)
        raise
    CertificateExport.objects.filter(pk=export_id).update(
        status=CertificateExport.Status.DONE, file=name, finished_at=at, certificate_count=count
    )
    export.refresh_from_db()
    return export


def certificate_export_mark_failed(*, export_id: int) -> None:
    CertificateExport.objects.filter(pk=export_id).exclude(status=CertificateExport.Status.DONE).update(
        status=CertificateExport.Status.FAILED
    )


def certificate_for_download(*, user: User, code: str) -> Certificate | None:
    """The certificate if `user` may download its PDF: the owner, or a coordinator of its municipality."""
    certificate = Certificate.objects.select_related("municipality").filter(code=code_candidate(code)).first()
    if certificate is None or not user.is_authenticated:
        return None
    if certificate.user_id == user.pk:
        return certificate
    municipality = coordinator_municipality(user=user)
    if municipality is not None and certificate.municipality_id == municipality.pk:
        return certificate
    return None
