"""Sign-in through a municipality's own identity provider (OpenID Connect, e.g. Microsoft Entra ID).

The providers come from settings.IDENTITY_PROVIDERS (learning.identity_config). The adapter:

a. refuses an ID token whose issuer, or Entra tenant (``tid``), is not the one configured for that
   provider, so a user of another organisation cannot sign in through a shared app registration;
b. never links an existing account by e-mail alone (e-mail authentication is off; a person connects
   their identity-provider account once, while signed in with password and second factor);
c. ties the account to the municipality configured for the provider: a new account (only where the
   provider allows sign-up) belongs to it, and an existing account of another municipality is refused.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone

from .identity_config import IdentityProvider
from .models import Municipality


class IdentityRejected(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def identity_provider_for(*, provider_id: str) -> IdentityProvider | None:
    return next((p for p in settings.IDENTITY_PROVIDERS if p.id == provider_id), None)


def identity_claims(*, extra_data: dict[str, Any]) -> dict[str, Any]:
    """The ID token claims allauth stored for an OpenID Connect login (older versions stored them flat)."""
    id_token = extra_data.get("id_token")
    return id_token if isinstance(id_token, dict) else extra_data


def identity_claims_check(*, provider: IdentityProvider, claims: dict[str, Any]) -> None:
    """Raise IdentityRejected unless the token was issued by the configured issuer (and tenant)."""
    if claims.get("iss") != provider.issuer:
        raise IdentityRejected("issuer")
    if provider.tenant_id and str(claims.get("tid", "")).lower() != provider.tenant_id:
        raise IdentityRejected("tenant")


def identity_municipality(*, provider: IdentityProvider) -> Municipality:
    municipality = Municipality.objects.filter(slug=provider.municipality).first()
    if municipality is None:
        raise IdentityRejected("municipality_missing")
    return municipality


def identity_login_check(*, provider_id: str, extra_data: dict[str, Any], user: Any | None) -> Municipality:
    """Check a completed identity-provider login; return the municipality the account belongs to.

    `user` is the already-linked local account, or None for a first login through this provider.
    """
    provider = identity_provider_for(provider_id=provider_id)
    if provider is None:
        raise IdentityRejected("unknown_provider")
    identity_claims_check(provider=provider, claims=identity_claims(extra_data=extra_data))
    municipality = identity_municipality(provider=provider)
    if user is not None and user.municipality_id != municipality.pk:
        raise IdentityRejected("other_municipality")
    return municipality


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        from .audit import audit_record

        linked_user = sociallogin.user if sociallogin.is_existing else None
        # While connecting an identity to the signed-in account, that account must fit as well.
        if linked_user is None and request.user.is_authenticated:
            linked_user = request.user
        try:
            municipality = identity_login_check(
                provider_id=sociallogin.account.provider, extra_data=sociallogin.account.extra_data, user=linked_user
            )
        except IdentityRejected as rejected:
            audit_record(
                actor=None,
                action="identity_rejected",
                at=timezone.now(),
                target_type="socialaccount.provider",
                target_id=sociallogin.account.provider,
                detail={"reason": rejected.reason},
            )
            raise ImmediateHttpResponse(
                render(request, "account/identity_rejected.html", {"reason": rejected.reason}, status=403)
            ) from None
        sociallogin.state["forebyg_municipality_id"] = municipality.pk

    def can_authenticate_by_email(self, login, email: str) -> bool:
        # Never: an address at the identity provider does not prove ownership of a local account.
        return False

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        provider = identity_provider_for(provider_id=sociallogin.account.provider)
        return bool(provider and provider.allow_signup)

    def populate_user(self, request: HttpRequest, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        provider = identity_provider_for(provider_id=sociallogin.account.provider)
        if provider is not None:
            user.municipality = identity_municipality(provider=provider)
        return user
