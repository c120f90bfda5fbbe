import datetime

import pytest
from django.core import mail
from django.utils import timezone

from certificates.demo import demo_seed_certificates
from certificates.models import Certificate, SigningKey
from learning.demo import DemoReport, demo_email

pytestmark = pytest.mark.django_db


def test_demo_certificates_are_seeded_once_and_not_mailed(demo):
    koege = Certificate.objects.get(user__email=demo_email(prefix="medarbejder", municipality_slug="koege"))
    ishoej = Certificate.objects.get(user__email=demo_email(prefix="medarbejder", municipality_slug="ishoej"))
    now = timezone.now()
    assert koege.standing_at(now) == "valid"
    assert ishoej.expires_at - now < datetime.timedelta(days=30)
    assert SigningKey.objects.filter(active=True).count() == 1
    assert mail.outbox == []

    count = Certificate.objects.count()
    demo_seed_certificates(DemoReport())
    assert Certificate.objects.count() == count
