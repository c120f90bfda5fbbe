import pytest

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "/en/", "/konto/login/", "/tilgaengelighedserklaering/"])
def test_site_pages_have_a_strict_content_security_policy(client, demo_site, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_site_templates_contain_no_inline_script(client, demo_site):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert " onclick=" not in html


def test_admin_gets_the_relaxed_editorial_policy_only_there(admin_client, admin_user):
    from learning.mfa import user_mfa_provision

    user_mfa_provision(user=admin_user)
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in _policy(response)["script-src"]
