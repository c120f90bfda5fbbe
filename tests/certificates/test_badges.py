import json

import jwt
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, SigningKey

from .factories import record_completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course):
    record_completion(user=learner, course=course, at=timezone.now())
    return Certificate.objects.get()


def test_jwt_verifies_with_the_published_jwks_and_has_the_right_claims(client, certificate, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://forebyg.example"
    response = client.get(reverse("certificates:badge_jwt", kwargs={"code": certificate.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()

    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    keys = client.get(reverse("certificates:jwks")).json()["keys"]
    jwk = next(key for key in keys if key["kid"] == header["kid"])
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    assert "d" not in jwk  # never the private part
    public_key = jwt.PyJWK(jwk).key
    claims = jwt.decode(token, public_key, algorithms=["EdDSA"])

    assert claims["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["issuer"]["type"] == ["Profile"]
    assert claims["issuer"]["id"] == claims["iss"]
    assert claims["id"] == f"https://forebyg.example/certificates/verify/{certificate.code}/"
    subject = claims["credentialSubject"]
    assert subject["achievement"]["name"] == certificate.course_title
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["identifier"][0]["identityHash"] == "Søren Æbelø"
    assert claims["validFrom"].startswith(str(timezone.localtime(certificate.issued_at).date()))
    assert claims["exp"] == int(certificate.expires_at.timestamp())
    assert certificate.user.email not in json.dumps(claims)

    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, public_key, algorithms=["EdDSA"])


def test_unsigned_json_credential(client, certificate):
    response = client.get(reverse("certificates:badge_json", kwargs={"code": certificate.code}))
    assert response.status_code == 200
    credential = json.loads(response.content)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "validUntil" in credential


def test_revoked_and_unknown_badges(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, revoked_at=timezone.now()
    )
    for name in ("certificates:badge_json", "certificates:badge_jwt"):
        response = client.get(reverse(name, kwargs={"code": certificate.code}))
        assert response.status_code == 410
        assert response.json()["error"] == "revoked"
    assert client.get(reverse("certificates:badge_jwt", kwargs={"code": "C" * 32})).status_code == 404


def test_keygen_is_idempotent_rotation_keeps_old_public_keys_and_private_keys_are_encrypted(
    client, certificate
):
    call_command("badge_keygen")
    call_command("badge_keygen")
    assert SigningKey.objects.count() == 1
    first = SigningKey.objects.get()
    assert "PRIVATE KEY" not in first.private_key_encrypted
    old_token = client.get(
        reverse("certificates:badge_jwt", kwargs={"code": certificate.code})
    ).content.decode()

    call_command("badge_keygen", "--rotate")
    assert SigningKey.objects.filter(active=True).count() == 1
    keys = client.get(reverse("certificates:jwks")).json()["keys"]
    assert {key["kid"] for key in keys} == set(SigningKey.objects.values_list("kid", flat=True))
    old_jwk = next(key for key in keys if key["kid"] == first.kid)
    jwt.decode(old_token, jwt.PyJWK(old_jwk).key, algorithms=["EdDSA"])  # still verifies


def test_key_is_generated_lazily_on_first_use(client):
    assert SigningKey.objects.count() == 0
    keys = client.get(reverse("certificates:jwks")).json()["keys"]
    assert len(keys) == 1
    assert SigningKey.objects.count() == 1
