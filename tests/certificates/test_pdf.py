import datetime
import re

import pytest

from certificates.pdf import CertificatePdfData, certificate_pdf_render
from certificates.services import certificate_pdf_bytes, certificate_verification_url

from .factories import record_completion
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db


def _data(**overrides) -> CertificatePdfData:
    values = {
        "learner_name": "Søren Æbelø",
        "course_title": "Genkend tegn på radikalisering",
        "municipality_name": "Køge Kommune",
        "issued_on": datetime.date(2026, 3, 2),
        "expires_on": datetime.date(2028, 3, 2),
        "code": "Abc_def-GHIjklmnopqrstuvwxyz0123",
        "verification_url": "https://forebyg.example/certificates/verify/Abc_def-GHIjklmnopqrstuvwxyz0123/",
        "rules_version": "2026.1",
        "language": "da",
    }
    values.update(overrides)
    return CertificatePdfData(**values)


def test_pdf_has_the_facts_as_real_danish_text():
    content = certificate_pdf_render(_data())
    text = pdf_text(content)
    assert "Kursusbevis" in text
    assert "Søren Æbelø" in text
    assert "Genkend tegn på radikalisering" in text
    assert "Køge Kommune" in text
    assert "2. marts 2026" in text
    assert "2. marts 2028" in text
    assert "Abc_def-GHIjklmnopqrstuvwxyz0123" in text
    assert "https://forebyg.example/certificates/verify/Abc_def-GHIjklmnopqrstuvwxyz0123/" in text


def test_pdf_declares_language_title_author_and_has_the_qr_code_image():
    content = certificate_pdf_render(_data())
    assert b"/Lang (da)" in content
    assert b"/Title" in content
    assert b"/Author (Forebyg)" in content
    assert b"/Subtype /Image" in content  # the QR code
    title = re.search(rb"/Title <feff([0-9a-f]+)>", content)
    assert title is not None
    assert "Søren Æbelø" in bytes.fromhex(title.group(1).decode()).decode("utf-16-be")
    assert b"/StructTreeRoot" in content  # the QR code's alt text lives in the structure tree


def test_english_pdf_is_english():
    content = certificate_pdf_render(_data(language="en"))
    text = pdf_text(content)
    assert b"/Lang (en)" in content
    assert "Certificate of completion" in text
    assert "2 March 2028" in text


def test_certificate_pdf_uses_the_absolute_verification_url(learner, course, at, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://forebyg.example"
    record_completion(user=learner, course=course, at=at)
    from certificates.models import Certificate

    certificate = Certificate.objects.get()
    url = certificate_verification_url(certificate=certificate)
    assert url == f"https://forebyg.example/certificates/verify/{certificate.code}/"
    text = pdf_text(certificate_pdf_bytes(certificate=certificate))
    assert url in text
    assert certificate.code in text
    assert "Søren Æbelø" in text


def test_an_erased_learners_certificate_pdf_is_rendered_again_without_the_name(
    learner, course, at, django_capture_on_commit_callbacks
):
    """Erasing removes the PDF (it shows the name) but keeps the certificate as proof: its PDF is made anew."""
    from certificates.models import Certificate
    from learning.retention import user_erase

    with django_capture_on_commit_callbacks(execute=True):
        record_completion(user=learner, course=course, at=at)
    assert Certificate.objects.get().pdf_status == Certificate.PdfStatus.DONE
    user_erase(user=learner, by=None, at=at)
    certificate = Certificate.objects.get()
    assert not certificate.pdf

    text = pdf_text(certificate_pdf_bytes(certificate=certificate))

    assert certificate.code in text
    assert "Søren" not in text
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf_status == Certificate.PdfStatus.DONE
