import datetime

import pytest
from django.core import mail
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificates_send_expiry_reminders
from tests.factories import TEST_PASSWORD

from .factories import record_completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, at):
    record_completion(user=learner, course=course, at=at)
    mail.outbox.clear()
    return Certificate.objects.get()


def test_reminder_is_sent_once_within_30_days_of_expiry(certificate):
    too_early = certificate.expires_at - datetime.timedelta(days=31)
    assert certificates_send_expiry_reminders(at=too_early) == 0
    assert mail.outbox == []

    within = certificate.expires_at - datetime.timedelta(days=29)
    assert certificates_send_expiry_reminders(at=within) == 1
    assert certificates_send_expiry_reminders(at=within + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    assert "udløber snart" in mail.outbox[0].subject
    certificate.refresh_from_db()
    assert certificate.reminder_sent_at == within


def test_no_reminder_for_revoked_certificates(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED)
    assert certificates_send_expiry_reminders(at=certificate.expires_at - datetime.timedelta(days=5)) == 0
    assert mail.outbox == []


def test_learner_page_lists_history_and_starts_a_refresher(client, learner, certificate, course):
    from django.utils import timezone

    old_expiry = timezone.now() + datetime.timedelta(days=10)
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=old_expiry)
    assert client.login(email=learner.email, password=TEST_PASSWORD)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.course_title in page
    assert reverse("certificates:pdf", kwargs={"code": certificate.code}) in page
    assert "Forny beviset" in page

    response = client.post(reverse("certificates:refresher", kwargs={"code": certificate.code}), follow=True)
    assert "Du er tilmeldt genopfriskning" in response.content.decode()
    assert certificate.refreshers.filter(completed_certificate__isnull=True).count() == 1


def test_learner_page_shows_expired_and_revoked_with_text(client, learner, certificate, course, at):
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED, revoked_at=at)
    assert client.login(email=learner.email, password=TEST_PASSWORD)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert "Tilbagekaldt" in page
