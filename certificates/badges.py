"""Open Badges 3.0: each certificate as an OpenBadgeCredential, signed as a VC-JWT with Ed25519 (EdDSA).

The platform's signing key lives in `SigningKey`, its private half encrypted with a key derived from
settings.BADGE_KEY_SECRET (default: SECRET_KEY). The public keys are published as a JWKS; old,
inactive keys stay published so credentials signed before a rotation still verify.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from typing import Any

import jwt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Certificate, SigningKey
from .services import certificate_absolute_url, certificate_verification_url

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
JWT_MEDIA_TYPE = "application/vc+jwt"
ISSUER_NAME = "Forebyg"


class SigningKeyUnavailable(RuntimeError):
    """The active key cannot be decrypted (the secret changed): rotate with `badge_keygen --rotate`."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _fernet() -> Fernet:
    secret = (getattr(settings, "BADGE_KEY_SECRET", "") or settings.SECRET_KEY).encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"forebyg-badge-signing-key").derive(
        secret
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _public_jwk(private_key: Ed25519PrivateKey) -> dict[str, str]:
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    # RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, no whitespace.
    thumbprint = hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest()
    return {**jwk, "kid": _b64url(thumbprint), "use": "sig", "alg": "EdDSA"}


def signing_key_create(*, at: datetime, rotate: bool = False) -> SigningKey:
    """Generate a new Ed25519 key. Without `rotate` it returns the active key if there is one."""
    with transaction.atomic():
        current = SigningKey.objects.select_for_update().filter(active=True).first()
        if current is not None and not rotate:
            return current
        if current is not None:
            current.active = False
            current.save(update_fields=["active"])
        private_key = Ed25519PrivateKey.generate()
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        jwk = _public_jwk(private_key)
        try:
            with transaction.atomic():
                return SigningKey.objects.create(
                    kid=jwk["kid"],
                    public_jwk=jwk,
                    private_key_encrypted=_fernet().encrypt(pem).decode(),
                    created_at=at,
                    active=True,
                )
        except IntegrityError:  # created concurrently by another process: use theirs
            return SigningKey.objects.get(active=True)


def signing_key_active(*, at: datetime) -> SigningKey:
    """The active key, generated on first use."""
    return SigningKey.objects.filter(active=True).first() or signing_key_create(at=at)


def signing_key_private(*, key: SigningKey) -> Ed25519PrivateKey:
    try:
        pem = _fernet().decrypt(key.private_key_encrypted.encode())
    except InvalidToken as exc:
        raise SigningKeyUnavailable(f"Signing key {key.kid} cannot be decrypted") from exc
    private_key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private_key, Ed25519PrivateKey)  # noqa: S101 – we only ever store Ed25519 keys
    return private_key


def jwks() -> dict[str, list[dict[str, str]]]:
    return {"keys": [key.public_jwk for key in SigningKey.objects.order_by("-active", "-created_at")]}


def _iso(value: datetime) -> str:
    return value.astimezone().isoformat(timespec="seconds")


def badge_credential(*, certificate: Certificate) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential (a W3C Verifiable Credential 2.0)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    course_url = base + certificate.course.url if getattr(certificate.course, "url", None) else base + "/"
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        # No e-mail and no account id leave the platform: the holder is identified by name only.
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.learner_name or "-",
            }
        ],
        "achievement": {
            "id": course_url,
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": certificate.course_title,
            "description": f"Gennemført kurset «{certificate.course_title}» på Forebyg.",
            "criteria": {
                "narrative": "Alle moduler og den afsluttende opgave i kurset er gennemført på Forebyg."
            },
            "inLanguage": certificate.language,
        },
    }
    return {
        "@context": CONTEXTS,
        "id": certificate_verification_url(certificate=certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {
            "id": certificate_absolute_url(name="certificates:issuer"),
            "type": ["Profile"],
            "name": ISSUER_NAME,
            "url": base + "/",
        },
        "validFrom": _iso(certificate.issued_at),
        "validUntil": _iso(certificate.expires_at),
        "credentialSubject": subject,
    }


def badge_issuer_profile() -> dict[str, Any]:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return {
        "@context": CONTEXTS,
        "id": certificate_absolute_url(name="certificates:issuer"),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": base + "/",
        "description": "Forebyg – træningsplatform for forebyggelse af radikalisering.",
    }


def badge_jwt(*, certificate: Certificate, at: datetime) -> str:
    """The credential signed as a VC-JWT (JWS compact, EdDSA); `kid` names the key in the JWKS."""
    key = signing_key_active(at=at)
    credential = badge_credential(certificate=certificate)
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "iat": int(certificate.issued_at.timestamp()),
        "nbf": int(certificate.issued_at.timestamp()),
        "exp": int(certificate.expires_at.timestamp()),
    }
    return jwt.encode(
        claims,
        signing_key_private(key=key),
        algorithm="EdDSA",
        headers={"kid": key.kid, "typ": "vc+jwt", "cty": "vc"},
    )
