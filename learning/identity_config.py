"""Per-municipality identity providers (OpenID Connect), read from the environment.

Pure configuration code: the settings import it, so it touches no models. The list comes from the
``IDENTITY_PROVIDERS`` environment variable, a JSON list of objects::

    [{"id": "koege-entra", "name": "Køge Kommune", "municipality": "koege",
      "tenant_id": "00000000-0000-0000-0000-000000000000",
      "client_id": "…", "client_secret": "…", "allow_signup": false}]

``server_url`` and ``issuer`` default to Microsoft Entra ID's tenant-specific endpoints when
``tenant_id`` is given; any other OpenID Connect provider names them explicitly. See
docs/identity-providers.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

ENTRA_AUTHORITY = "https://login.microsoftonline.com"
_PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_TENANT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Entra's multi-tenant endpoints accept any organisation's users: never allowed here.
_MULTI_TENANT = {"common", "organizations", "consumers"}


@dataclass(frozen=True)
class IdentityProvider:
    id: str
    name: str
    municipality: str
    client_id: str
    client_secret: str
    server_url: str
    issuer: str
    tenant_id: str = ""
    allow_signup: bool = False


def _required(entry: dict, key: str, index: int) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ImproperlyConfigured(f"IDENTITY_PROVIDERS[{index}]: '{key}' mangler eller er tom.")
    return value.strip()


def identity_provider_parse(entry: dict, index: int = 0) -> IdentityProvider:
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"IDENTITY_PROVIDERS[{index}] skal være et JSON-objekt.")
    provider_id = _required(entry, "id", index)
    if not _PROVIDER_ID.match(provider_id):
        raise ImproperlyConfigured(
            f"IDENTITY_PROVIDERS[{index}]: 'id' må kun indeholde små bogstaver, tal og bindestreg."
        )
    tenant_id = str(entry.get("tenant_id") or "").strip().lower()
    if tenant_id in _MULTI_TENANT:
        raise ImproperlyConfigured(
            f"IDENTITY_PROVIDERS[{index}]: 'tenant_id' skal være kommunens egen tenant, ikke '{tenant_id}'."
        )
    if tenant_id and not _TENANT_ID.match(tenant_id):
        raise ImproperlyConfigured(f"IDENTITY_PROVIDERS[{index}]: 'tenant_id' er ikke et gyldigt tenant-id (GUID).")
    server_url = str(entry.get("server_url") or "").strip()
    issuer = str(entry.get("issuer") or "").strip()
    if tenant_id:
        server_url = server_url or f"{ENTRA_AUTHORITY}/{tenant_id}/v2.0"
        issuer = issuer or f"{ENTRA_AUTHORITY}/{tenant_id}/v2.0"
    if not server_url or not issuer:
        raise ImproperlyConfigured(
            f"IDENTITY_PROVIDERS[{index}]: angiv 'tenant_id' (Entra ID) eller både 'server_url' og 'issuer'."
        )
    if not server_url.startswith("https://") or not issuer.startswith("https://"):
        raise ImproperlyConfigured(f"IDENTITY_PROVIDERS[{index}]: 'server_url' og 'issuer' skal bruge https.")
    if any(part in _MULTI_TENANT for part in server_url.split("/")):
        raise ImproperlyConfigured(
            f"IDENTITY_PROVIDERS[{index}]: 'server_url' må ikke være et fælles endpoint (common/organizations)."
        )
    return IdentityProvider(
        id=provider_id,
        name=str(entry.get("name") or provider_id),
        municipality=_required(entry, "municipality", index),
        client_id=_required(entry, "client_id", index),
        client_secret=_required(entry, "client_secret", index),
        server_url=server_url,
        issuer=issuer,
        tenant_id=tenant_id,
        allow_signup=bool(entry.get("allow_signup", False)),
    )


def identity_providers_parse(raw: str) -> tuple[IdentityProvider, ...]:
    """Parse the IDENTITY_PROVIDERS JSON; an empty string means no external providers."""
    if not raw.strip():
        return ()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"IDENTITY_PROVIDERS er ikke gyldig JSON: {error.msg}") from None
    if not isinstance(data, list):
        raise ImproperlyConfigured("IDENTITY_PROVIDERS skal være en JSON-liste.")
    providers = tuple(identity_provider_parse(entry, index) for index, entry in enumerate(data))
    ids = [provider.id for provider in providers]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured("IDENTITY_PROVIDERS: hvert 'id' må kun forekomme én gang.")
    return providers


def socialaccount_apps(providers: tuple[IdentityProvider, ...]) -> list[dict]:
    """allauth's ``SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]`` for the configured providers."""
    return [
        {
            "provider_id": provider.id,
            "name": provider.name,
            "client_id": provider.client_id,
            "secret": provider.client_secret,
            "settings": {
                "server_url": provider.server_url,
                # The ID token is fetched over TLS straight from the provider and decoded by allauth,
                # which checks issuer and audience; our adapter then checks the tenant (learning.identity).
                "fetch_userinfo": False,
                "oauth_pkce_enabled": True,
            },
        }
        for provider in providers
    ]
