"""Municipal identity providers (OpenID Connect): configuration, tenant pinning, no linking by e-mail,
municipality mapping. Offline: the tokens are fabricated claim sets, nothing goes over the network."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from learning.identity import IdentityRejected, SocialAccountAdapter, identity_login_check
from learning.identity_config import identity_providers_parse, socialaccount_apps
from learning.models import AuditEvent, User
from learning.roles import Role
from tests.factories import MunicipalityFactory, UserFactory

TENANT = "11111111-2222-3333-4444-555555555555"
OTHER_TENANT = "99999999-8888-7777-6666-555555555555"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
CONFIG = [
    {
        "id": "koege-entra",
        "name": "Køge Kommune",
        "municipality": "koege",
        "tenant_id": TENANT,
        "client_id": "app-id",
        "client_secret": "hemmelig",
    },
    {
        "id": "ishoej-oidc",
        "name": "Ishøj Kommune",
        "municipality": "ishoej",
        "server_url": "https://idp.ishoej.example/realms/staff",
        "issuer": "https://idp.ishoej.example/realms/staff",
        "client_id": "forebyg",
        "client_secret": "hemmelig",
        "allow_signup": True,
    },
]


@pytest.fixture
def providers(settings):
    settings.IDENTITY_PROVIDERS = identity_providers_parse(json.dumps(CONFIG))
    return settings.IDENTITY_PROVIDERS


def _claims(**overrides):
    return {"iss": ISSUER, "tid": TENANT, "sub": "abc", "aud": "app-id", "email": "karin@koege.example", **overrides}


def test_entra_provider_defaults_to_its_own_tenant_endpoints():
    (koege, ishoej) = identity_providers_parse(json.dumps(CONFIG))
    assert koege.server_url == ISSUER
    assert koege.issuer == ISSUER
    assert not koege.allow_signup
    assert ishoej.allow_signup and not ishoej.tenant_id
    apps = socialaccount_apps((koege, ishoej))
    assert apps[0]["provider_id"] == "koege-entra"
    assert apps[0]["settings"]["server_url"] == ISSUER


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tenant_id": "common"}, "egen tenant"),
        ({"tenant_id": "organizations"}, "egen tenant"),
        ({"tenant_id": "ikke-en-guid"}, "GUID"),
        ({"tenant_id": "", "server_url": "https://login.microsoftonline.com/common/v2.0", "issuer": ISSUER}, "fælles"),
        ({"tenant_id": "", "server_url": "http://idp.example", "issuer": "http://idp.example"}, "https"),
        ({"client_secret": ""}, "client_secret"),
        ({"municipality": None}, "municipality"),
    ],
)
def test_unsafe_or_incomplete_configuration_is_refused(change, message):
    entry = {**CONFIG[0], **change}
    with pytest.raises(ImproperlyConfigured, match=message):
        identity_providers_parse(json.dumps([entry]))


def test_configuration_must_be_a_json_list_with_unique_ids():
    assert identity_providers_parse("") == ()
    with pytest.raises(ImproperlyConfigured):
        identity_providers_parse("{not json")
    with pytest.raises(ImproperlyConfigured):
        identity_providers_parse(json.dumps([CONFIG[0], CONFIG[0]]))


def test_settings_never_link_accounts_by_email(settings):
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT is False
    assert settings.SOCIALACCOUNT_ADAPTER == "learning.identity.SocialAccountAdapter"


@pytest.mark.django_db
def test_token_from_the_configured_tenant_maps_to_its_municipality(providers):
    koege = MunicipalityFactory(slug="koege")
    municipality = identity_login_check(provider_id="koege-entra", extra_data={"id_token": _claims()}, user=None)
    assert municipality == koege


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (_claims(tid=OTHER_TENANT), "tenant"),
        (_claims(tid=None), "tenant"),
        (_claims(iss=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"), "issuer"),
        (_claims(iss="https://sts.windows.net/" + TENANT + "/"), "issuer"),
    ],
)
def test_token_from_another_tenant_or_issuer_is_refused(providers, claims, reason):
    MunicipalityFactory(slug="koege")
    with pytest.raises(IdentityRejected) as rejected:
        identity_login_check(provider_id="koege-entra", extra_data={"id_token": claims}, user=None)
    assert rejected.value.reason == reason


@pytest.mark.django_db
def test_unknown_provider_and_other_municipality_are_refused(providers, roles):
    MunicipalityFactory(slug="koege")
    ishoej_user = UserFactory(municipality=MunicipalityFactory(slug="ishoej"), roles=[Role.LEARNER])
    with pytest.raises(IdentityRejected, match="unknown_provider"):
        identity_login_check(provider_id="fremmed", extra_data={"id_token": _claims()}, user=None)
    with pytest.raises(IdentityRejected, match="other_municipality"):
        identity_login_check(provider_id="koege-entra", extra_data={"id_token": _claims()}, user=ishoej_user)


def _sociallogin(provider_id: str, claims: dict, user: User | None = None, emails=()) -> SocialLogin:
    account = SocialAccount(provider=provider_id, uid=claims.get("sub", "x"), extra_data={"id_token": claims})
    return SocialLogin(
        account=account,
        user=user or User(email=claims.get("email", "")),
        email_addresses=[EmailAddress(email=email, verified=True, primary=True) for email in emails],
    )


def _request(user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/konto/oidc/koege-entra/login/callback/")
    request.user = user or AnonymousUser()
    request.session = {}
    return request


@pytest.mark.django_db
def test_adapter_answers_a_foreign_tenant_with_403_and_an_audit_event(providers):
    MunicipalityFactory(slug="koege")
    request = _request()
    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter(request).pre_social_login(request, _sociallogin("koege-entra", _claims(tid=OTHER_TENANT)))
    assert refused.value.response.status_code == 403
    assert "Login afvist" in refused.value.response.content.decode()
    event = AuditEvent.objects.get(action="identity_rejected")
    assert event.detail == {"reason": "tenant"}
    assert event.target_id == "koege-entra"


@pytest.mark.django_db
def test_adapter_accepts_the_right_tenant_and_sets_the_municipality(providers):
    koege = MunicipalityFactory(slug="koege")
    request = _request()
    sociallogin = _sociallogin("ishoej-oidc", {"iss": "https://idp.ishoej.example/realms/staff", "sub": "u1"})
    MunicipalityFactory(slug="ishoej")
    adapter = SocialAccountAdapter(request)
    adapter.pre_social_login(request, sociallogin)
    assert adapter.is_open_for_signup(request, sociallogin)  # Ishøj allows sign-up through its IdP
    user = adapter.populate_user(request, sociallogin, {"email": "ny@ishoej.example", "first_name": "Ny"})
    assert user.municipality.slug == "ishoej"

    koege_login = _sociallogin("koege-entra", _claims())
    adapter.pre_social_login(request, koege_login)
    assert koege_login.state["forebyg_municipality_id"] == koege.pk
    assert not adapter.is_open_for_signup(request, koege_login)  # Køge: only connect existing accounts


@pytest.mark.django_db
def test_an_existing_account_is_never_taken_over_by_email(providers, roles):
    MunicipalityFactory(slug="koege")
    existing = UserFactory(email="karin@koege.example", municipality=MunicipalityFactory(slug="koege"), roles=[Role.COORDINATOR])
    sociallogin = _sociallogin("koege-entra", _claims(), emails=["karin@koege.example"])
    request = _request()
    adapter = SocialAccountAdapter(request)
    assert adapter.can_authenticate_by_email(sociallogin, "karin@koege.example") is False
    with context.request_context(request):
        sociallogin.lookup()
    assert not sociallogin.is_existing
    assert sociallogin.user.pk is None
    assert not SocialAccount.objects.filter(user=existing).exists()


@pytest.mark.django_db
def test_login_page_offers_the_configured_providers(client, providers, settings):
    from learning.identity_config import socialaccount_apps

    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": socialaccount_apps(providers)}}
    html = client.get(reverse("account_login")).content.decode()
    assert "Køge Kommune" in html
    assert "Ishøj Kommune" in html
