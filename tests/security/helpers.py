"""Helpers shared by the security tests: real logins through allauth's forms, second factor included."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.mfa import user_totp_code
from tests.factories import TEST_PASSWORD


def login(client: Client, user, *, password: str = TEST_PASSWORD, code: str | None = None):
    """Log in through allauth's login form; answer the second-factor step when there is one."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    if response.status_code == 302 and response["Location"].endswith(reverse("mfa_authenticate")):
        code = code or user_totp_code(user=user, at=timezone.now())
        response = client.post(reverse("mfa_authenticate"), {"code": code})
    return response


def recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(authenticator).get_unused_codes()


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
