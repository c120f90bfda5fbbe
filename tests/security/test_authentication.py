"""Authentication: rate limits on every login form, real client address behind a proxy, second factor
with one-time recovery codes, the Django admin's login going through allauth, no user enumeration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from learning.roles import Role
from tests.factories import UserFactory

from .helpers import is_logged_in, login, recovery_codes

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def rate_limits(settings):
    """The production rate limits (the test settings switch them off unless TEST_RATE_LIMITS=1)."""
    settings.ACCOUNT_RATE_LIMITS = {
        "login": "30/m/ip",
        "login_failed": "10/m/ip,5/5m/key",
        "reset_password": "20/m/ip,5/m/key",
        "reset_password_from_key": "20/m/ip",
        "change_password": "5/m/user",
    }
    cache.clear()
    yield settings.ACCOUNT_RATE_LIMITS
    cache.clear()


def test_base_settings_rate_limit_every_login_form():
    from learning.settings import base

    limits = base.ACCOUNT_RATE_LIMITS
    assert limits["login"] and limits["login_failed"] and limits["reset_password"]
    # Counters live in the shared cache: Redis in production (several app servers share the count).
    assert base.WAGTAILADMIN_LOGIN_URL == "account_login"


def _too_many(response) -> bool:
    return any(error.code == "too_many_login_attempts" for error in response.context["form"].non_field_errors().as_data())


def test_failed_logins_for_one_account_are_rate_limited(client, roles, rate_limits):
    user = UserFactory(roles=[Role.LEARNER])
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "forkert-kode"})
        assert not _too_many(response)
    # Now even the right password is refused: guessing has stopped paying off.
    blocked = client.post(reverse("account_login"), {"login": user.email, "password": "Korrekt-Hest-Batteri-9"})
    assert blocked.status_code == 200
    assert _too_many(blocked)
    assert not is_logged_in(client)


def test_rate_limit_counts_the_real_client_behind_the_proxy(client, roles, settings, rate_limits):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**rate_limits, "login_failed": "3/m/ip"}

    def attempt(n: int, client_ip: str):
        # A different address each time, so only the per-client limit can trigger.
        return client.post(
            reverse("account_login"),
            {"login": f"ukendt{n}@forebyg.example", "password": "x"},
            HTTP_X_FORWARDED_FOR=client_ip,
        )

    for n in range(3):
        assert not _too_many(attempt(n, "203.0.113.7"))
    assert _too_many(attempt(3, "203.0.113.7"))
    # Same proxy (same REMOTE_ADDR), another client behind it: not blocked.
    assert not _too_many(attempt(4, "198.51.100.9"))


def test_proxy_count_comes_from_one_environment_variable():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "learning.settings.test", "TRUSTED_PROXY_COUNT": "2"}
    env.pop("TRUSTED_CLIENT_IP_HEADER", None)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split() == ["2", "2", "None"]
    assert django_settings.ALLAUTH_TRUSTED_PROXY_COUNT == django_settings.TRUSTED_PROXY_COUNT


def test_django_admin_login_goes_to_allauth(client):
    response = client.get("/django-admin/login/?next=/django-admin/learning/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fdjango-admin%2Flearning%2Fuser%2F"


def test_django_admin_login_refuses_an_offsite_next(client):
    response = client.get("/django-admin/login/?next=https://evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_django_admin_login_form_cannot_be_posted(client, roles):
    user = UserFactory(roles=[Role.ADMINISTRATOR])
    response = client.post("/django-admin/login/", {"username": user.email, "password": "x"})
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_wagtail_admin_sends_anonymous_users_to_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_coordinator_needs_the_second_factor_to_log_in(client, roles):
    user = UserFactory(roles=[Role.COORDINATOR])
    response = client.post(reverse("account_login"), {"login": user.email, "password": "Korrekt-Hest-Batteri-9"})
    assert response["Location"].endswith(reverse("mfa_authenticate"))
    assert not is_logged_in(client)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not is_logged_in(client)


def test_a_recovery_code_works_exactly_once(client, roles):
    user = UserFactory(roles=[Role.EDITOR])
    code = recovery_codes(user)[0]
    login(client, user, code=code)
    assert is_logged_in(client)
    client.post(reverse("account_logout"))
    assert not is_logged_in(client)

    login(client, user, code=code)
    assert not is_logged_in(client)
    assert code not in recovery_codes(user)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, roles):
    user = UserFactory(roles=[Role.LEARNER])
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "findes-ikke@forebyg.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Both addresses get a mail (the unknown one is told no account exists), so timing and UI match.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([user.email, "findes-ikke@forebyg.example"])


def test_login_error_is_the_same_for_a_wrong_password_and_an_unknown_address(client, roles):
    user = UserFactory(roles=[Role.LEARNER])
    wrong_password = client.post(reverse("account_login"), {"login": user.email, "password": "forkert-kode"})
    unknown = client.post(reverse("account_login"), {"login": "findes-ikke@forebyg.example", "password": "forkert-kode"})
    assert wrong_password.context["form"].errors == unknown.context["form"].errors
