"""Second-factor enrolment: who must have it, and demo provisioning for the embedded setup."""

from __future__ import annotations

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

from .models import User
from .roles import ROLES_REQUIRING_MFA, user_roles


def user_requires_mfa(user: User) -> bool:
    return bool(user_roles(user) & ROLES_REQUIRING_MFA)


def user_has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_mfa_provision(*, user: User, secret: str | None = None) -> str:
    """Give `user` a TOTP authenticator and recovery codes unless they have one; return the secret."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return decrypt(existing.data["secret"])
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)
    return secret


def totp_code(*, secret: str, at: datetime.datetime, period: int = 30) -> str:
    """The TOTP code for `secret` at time `at` (used by the demo helper command and tests)."""
    return format_hotp_value(hotp_value(secret, int(at.timestamp()) // period))


def user_totp_code(*, user: User, at: datetime.datetime) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code(secret=decrypt(authenticator.data["secret"]), at=at)
