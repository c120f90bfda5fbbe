import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateExport
from learning.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

from .factories import record_completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course):
    record_completion(user=learner, course=course, at=timezone.now())
    return Certificate.objects.get()


def _login(client, user):
    assert client.login(email=user.email, password=TEST_PASSWORD)


def test_coordinator_revokes_with_a_reason(client, coordinator, certificate):
    _login(client, coordinator)
    url = reverse("certificates:revoke", kwargs={"code": certificate.code})
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Kurset blev gennemført på en kollegas konto."})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == coordinator
    assert certificate.revoked_reason == "Kurset blev gennemført på en kollegas konto."
    assert certificate.revoked_at is not None
    verify = client.get(reverse("certificates:verify", kwargs={"code": certificate.code}))
    assert "Beviset er tilbagekaldt" in verify.content.decode()


@pytest.mark.parametrize(
    ("reason", "message"),
    [("   ", "Skriv en begrundelse"), ("Fejl vedr. 010203-1234", "CPR-nummer")],
)
def test_revoke_refuses_empty_reasons_and_cpr_numbers(client, coordinator, certificate, reason, message):
    _login(client, coordinator)
    response = client.post(
        reverse("certificates:revoke", kwargs={"code": certificate.code}), {"reason": reason}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_other_municipality_gets_404_for_revoke_download_and_export(
    client, other_coordinator, coordinator, certificate
):
    export = CertificateExport.objects.create(
        municipality=coordinator.municipality,
        department=certificate.department,
        requested_by=coordinator,
        requested_at=timezone.now(),
        status=CertificateExport.Status.DONE,
    )
    _login(client, other_coordinator)
    revoke = reverse("certificates:revoke", kwargs={"code": certificate.code})
    assert client.get(revoke).status_code == 404
    assert client.post(revoke, {"reason": "Ondsindet"}).status_code == 404
    assert client.get(reverse("certificates:pdf", kwargs={"code": certificate.code})).status_code == 404
    assert (
        client.get(reverse("certificates:export", kwargs={"public_id": export.public_id})).status_code == 404
    )
    assert (
        client.get(
            reverse("certificates:export_download", kwargs={"public_id": export.public_id})
        ).status_code
        == 404
    )
    # Exporting a department of another municipality is refused as an invalid choice.
    response = client.post(reverse("certificates:coordinator"), {"department": certificate.department_id})
    assert response.status_code == 400
    assert not CertificateExport.objects.filter(requested_by=other_coordinator).exists()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_service_refuses_revocation_across_municipalities(other_coordinator, certificate):
    from django.core.exceptions import PermissionDenied

    from certificates.services import certificate_revoke

    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, by=other_coordinator, reason="x", at=timezone.now())


def test_learners_download_only_their_own_pdf(client, learner, certificate, roles, koege):
    colleague = UserFactory(municipality=koege, roles=[Role.LEARNER])
    _login(client, colleague)
    assert client.get(reverse("certificates:pdf", kwargs={"code": certificate.code})).status_code == 404
    _login(client, learner)
    response = client.get(reverse("certificates:pdf", kwargs={"code": certificate.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_non_coordinators_cannot_open_the_coordinator_page(client, learner):
    _login(client, learner)
    assert client.get(reverse("certificates:coordinator")).status_code == 403


def test_export_builds_a_zip_of_the_department_in_the_background(
    client, coordinator, certificate, django_capture_on_commit_callbacks
):
    _login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:coordinator"), {"department": certificate.department_id})
    export = CertificateExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:export", kwargs={"public_id": export.public_id})
    assert export.status == CertificateExport.Status.DONE
    assert export.certificate_count == 1

    status_page = client.get(response["Location"])
    assert "ZIP-filen er klar med 1 bevis." in status_page.content.decode()
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()

    download = client.get(reverse("certificates:export_download", kwargs={"public_id": export.public_id}))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert "oversigt.csv" in names
    pdfs = [name for name in names if name.endswith(".pdf")]
    assert len(pdfs) == 1
    assert archive.read(pdfs[0]).startswith(b"%PDF")
    overview = archive.read("oversigt.csv").decode("utf-8-sig")
    assert "Søren Æbelø" in overview
    assert certificate.code in overview


def test_pending_export_page_polls_and_offers_a_manual_refresh(client, coordinator, certificate):
    export = CertificateExport.objects.create(
        municipality=coordinator.municipality,
        department=certificate.department,
        requested_by=coordinator,
        requested_at=timezone.now(),
    )
    _login(client, coordinator)
    html = client.get(reverse("certificates:export", kwargs={"public_id": export.public_id})).content.decode()
    assert 'hx-trigger="every 3s"' in html
    assert "Opdatér status" in html
    assert (
        client.get(
            reverse("certificates:export_download", kwargs={"public_id": export.public_id})
        ).status_code
        == 404
    )
