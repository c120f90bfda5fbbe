"""Security headers on every kind of page: one live page of every Wagtail page type in the demo content,
plus the account, admin, API and error responses."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, get_page_models

from learning.models import User
from learning.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def assert_site_headers(response, *, strict: bool = True) -> None:
    policy = _policy(response)
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert "frame-ancestors" in policy
    if strict:
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def _creatable_page_types() -> list[type[Page]]:
    # wagtail.models.Page itself is the tree's root type, not a page type anyone can create or visit.
    return [model for model in get_page_models() if model.is_creatable]


def test_every_page_type_has_a_live_demo_page_with_the_security_headers(demo, roles):
    learner = User.objects.filter(email="medarbejder.koege@forebyg.example").first() or UserFactory(roles=[Role.LEARNER])
    client = Client()
    client.force_login(learner)
    missing, failed = [], []
    for model in _creatable_page_types():
        page = model.objects.live().exact_type(model).first()
        if page is None:
            missing.append(model._meta.label)
            continue
        response = client.get(page.url)
        if response.status_code != 200:
            failed.append(f"{model._meta.label} {page.url}: {response.status_code}")
            continue
        assert_site_headers(response)
    assert not missing, f"Ingen publiceret demo-side af sidetyperne: {missing} (tilføj en i demo-indholdet)"
    assert not failed, f"Sider svarede ikke 200: {failed}"


@pytest.mark.parametrize(
    "path", ["/konto/login/", "/konto/password/reset/", "/en/konto/login/", "/side-der-ikke-findes/"]
)
def test_account_and_error_pages_have_the_strict_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_site_headers(response)


def test_json_api_has_the_headers(client):
    response = client.post("/api/route/", data="{}", content_type="application/json")
    assert response.status_code < 500
    assert_site_headers(response)


def test_admin_keeps_object_src_and_base_uri_locked(client, roles):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_site_headers(response, strict=False)


def test_hsts_on_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get(reverse("account_login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, roles):
    user = UserFactory(roles=[Role.LEARNER])
    client.get(reverse("account_login"))
    response = client.post(reverse("account_login"), {"login": user.email, "password": "Korrekt-Hest-Batteri-9"})
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies["csrftoken"]
    assert csrf_cookie["httponly"]
    assert csrf_cookie["samesite"] == "Lax"
