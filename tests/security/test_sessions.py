"""Sessions: idle and absolute timeouts, activity written at most once a minute, and a password or
second-factor change ends the user's other sessions."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.mfa import totp_code
from learning.models import AuditEvent
from learning.roles import Role
from learning.sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY, session_verdict
from tests.factories import TEST_PASSWORD, UserFactory

from .helpers import is_logged_in, login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Helt-Nyt-Kodeord-2026"


def _verdict(*, started_ago: int, seen_ago: int, idle: int = 1800, absolute: int = 8 * 3600):
    at = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
    now = int(at.timestamp())
    return session_verdict(
        started_at=now - started_ago,
        seen_at=now - seen_ago,
        at=at,
        idle_timeout=idle,
        absolute_timeout=absolute,
        write_interval=60,
    )


def test_verdict_idle_and_absolute_limits():
    assert not _verdict(started_ago=3600, seen_ago=1799).expired
    assert _verdict(started_ago=3600, seen_ago=1800).reason == "idle"
    # Constant activity does not extend the absolute limit.
    assert _verdict(started_ago=8 * 3600, seen_ago=5).reason == "absolute"
    assert not _verdict(started_ago=10, seen_ago=59).touch
    assert _verdict(started_ago=120, seen_ago=60).touch


def _set_session(client: Client, **values) -> None:
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


@pytest.fixture
def learner_client(client, roles):
    user = UserFactory(roles=[Role.LEARNER])
    login(client, user)
    assert is_logged_in(client)
    return client


def test_login_starts_both_clocks(learner_client):
    session = learner_client.session
    assert session[SESSION_STARTED_KEY] == session[SESSION_SEEN_KEY]
    assert abs(session[SESSION_STARTED_KEY] - timezone.now().timestamp()) < 60


def test_idle_session_is_logged_out(learner_client, settings):
    now = int(timezone.now().timestamp())
    _set_session(learner_client, **{SESSION_SEEN_KEY: now - settings.SESSION_IDLE_TIMEOUT - 1})
    response = learner_client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_logged_in(learner_client)


def test_session_older_than_the_absolute_limit_is_logged_out_even_when_active(learner_client, settings):
    now = int(timezone.now().timestamp())
    _set_session(learner_client, **{SESSION_STARTED_KEY: now - settings.SESSION_COOKIE_AGE - 1, SESSION_SEEN_KEY: now - 5})
    response = learner_client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert not is_logged_in(learner_client)


def test_activity_is_written_at_most_once_a_minute(learner_client):
    now = int(timezone.now().timestamp())
    _set_session(learner_client, **{SESSION_SEEN_KEY: now - 30})
    assert learner_client.get(reverse("dashboard")).status_code == 200
    assert learner_client.session[SESSION_SEEN_KEY] == now - 30  # not rewritten within the minute

    _set_session(learner_client, **{SESSION_SEEN_KEY: now - 90})
    assert learner_client.get(reverse("dashboard")).status_code == 200
    assert learner_client.session[SESSION_SEEN_KEY] >= now


def test_password_change_alone_invalidates_other_sessions_through_the_session_hash(roles):
    user = UserFactory(roles=[Role.LEARNER])
    other = Client()
    login(other, user)
    assert other.get(reverse("dashboard")).status_code == 200
    user.set_password(NEW_PASSWORD)  # no signal, no service: Django's session auth hash alone
    user.save()
    assert other.get(reverse("dashboard")).status_code == 302
    assert not is_logged_in(other)


def test_password_change_form_ends_other_sessions_and_keeps_this_one(roles):
    user = UserFactory(roles=[Role.LEARNER])
    mine, other = Client(), Client()
    login(mine, user)
    login(other, user)
    response = mine.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert mine.get(reverse("dashboard")).status_code == 200
    assert other.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action="password_changed", actor=user).exists()


def _reauthenticate(client: Client) -> None:
    """allauth asks for the password again before any second-factor change."""
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def test_adding_a_second_factor_ends_other_sessions(roles, django_capture_on_commit_callbacks):
    user = UserFactory(roles=[Role.LEARNER])
    mine, other = Client(), Client()
    login(mine, user)
    other.force_login(user)  # a session that did not start through allauth is tracked too
    assert other.get(reverse("dashboard")).status_code == 200

    _reauthenticate(mine)
    assert mine.get(reverse("mfa_activate_totp")).status_code == 200
    secret = mine.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        response = mine.post(reverse("mfa_activate_totp"), {"code": totp_code(secret=secret, at=timezone.now())})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    assert mine.get(reverse("dashboard")).status_code == 200
    assert other.get(reverse("dashboard")).status_code == 302
    # TOTP and the recovery codes generated with it are two authenticators: two events, one ending.
    ended = [event.detail["other_sessions_ended"] for event in AuditEvent.objects.filter(action="mfa_added", actor=user)]
    assert sorted(ended) == [0, 1]


def test_removing_the_second_factor_ends_other_sessions(roles):
    from learning.mfa import user_mfa_provision

    user = UserFactory(roles=[Role.LEARNER])
    user_mfa_provision(user=user)
    mine, other = Client(), Client()
    login(mine, user)
    other.force_login(user)
    assert other.get(reverse("dashboard")).status_code == 200

    _reauthenticate(mine)
    response = mine.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert mine.get(reverse("dashboard")).status_code == 200
    assert other.get(reverse("dashboard")).status_code == 302
