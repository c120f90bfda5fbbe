import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate

from .factories import record_completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course):
    record_completion(user=learner, course=course, at=timezone.now() - datetime.timedelta(days=10))
    return Certificate.objects.get()


def _without_shell_echo(content: bytes) -> bytes:
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'name="next" type="hidden" value="[^"]+"', b"", content)


def _verify(client, code, **extra):
    return client.get(reverse("certificates:verify", kwargs={"code": code}), **extra)


def test_valid_certificate_shows_minimum_data(client, certificate, learner):
    response = _verify(client, certificate.code)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Beviset er gyldigt" in html
    assert "Søren Æbelø" in html
    assert certificate.course_title in html
    assert learner.email not in html
    assert "Køge" not in html  # no municipality
    assert response["X-Robots-Tag"].startswith("noindex")


def test_expired_certificate(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    html = _verify(client, certificate.code).content.decode()
    assert "Beviset er udløbet" in html
    assert "Beviset er gyldigt" not in html


def test_revoked_certificate_shows_the_date(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, revoked_at=datetime.datetime(2026, 4, 9, 10, tzinfo=datetime.UTC)
    )
    html = _verify(client, certificate.code).content.decode()
    assert "Beviset er tilbagekaldt (9. april 2026)" in html


def test_unknown_and_malformed_codes_get_identical_responses(client, certificate):
    unknown = _verify(client, "A" * 32)
    malformed = _verify(client, "ikke-en-kode!")
    too_long = _verify(client, "x" * 500)
    with_nul = client.get("/certificates/verify/%00abc/")
    assert unknown.status_code == malformed.status_code == too_long.status_code == with_nul.status_code == 200
    assert "Ukendt bevis" in unknown.content.decode()
    # Apart from the site shell's language form (a fresh CSRF mask and the current path as "next" on
    # every page) the three responses are the same bytes; our template never echoes the code.
    bodies = {_without_shell_echo(r.content) for r in (unknown, malformed, too_long, with_nul)}
    assert len(bodies) == 1
    main = re.search(r"<main.*</main>", malformed.content.decode(), re.S).group(0)
    assert "ikke-en-kode" not in main


def test_malformed_codes_are_looked_up_like_unknown_ones(client, certificate, django_assert_num_queries):
    from certificates.services import certificate_find_by_code

    with django_assert_num_queries(1):
        assert certificate_find_by_code(code="ikke en kode") is None
    with django_assert_num_queries(1):
        assert certificate_find_by_code(code="B" * 32) is None


def test_rate_limit_per_ip_gives_a_danish_429(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        assert _verify(client, certificate.code, REMOTE_ADDR="10.0.0.1").status_code == 200
    limited = _verify(client, certificate.code, REMOTE_ADDR="10.0.0.1")
    assert limited.status_code == 429
    assert "For mange opslag" in limited.content.decode()
    assert limited["Retry-After"] == "60"
    # Another client is not affected, and a spoofed X-Forwarded-For does not help without trusted proxies.
    assert _verify(client, certificate.code, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert (
        _verify(client, certificate.code, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code
        == 429
    )


def test_behind_a_trusted_proxy_the_client_is_the_right_most_forwarded_entry(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    for _ in range(2):
        assert (
            _verify(client, certificate.code, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 200
        )
    # Prepending a fake address does not change who the client is.
    spoofed = _verify(client, certificate.code, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", **proxy)
    assert spoofed.status_code == 429
    assert _verify(client, certificate.code, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 200


def test_client_ip_with_two_trusted_proxies(rf, settings):
    from certificates.ratelimit import client_ip

    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.1")
    assert client_ip(request) == "203.0.113.7"
    short = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(short) == "10.0.0.2"


def test_verify_form_accepts_a_pasted_link(client, certificate):
    url = f"https://forebyg.example/certificates/verify/{certificate.code}/"
    response = client.get(reverse("certificates:verify_form"), {"code": f"  {url} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", kwargs={"code": certificate.code})


def test_verify_form_without_a_code_shows_a_danish_error(client):
    response = client.get(reverse("certificates:verify_form"), {"code": "  "})
    assert response.status_code == 200
    assert "Skriv bevisets verifikationskode." in response.content.decode()
    assert 'for="id_code"' in response.content.decode()
