import pytest
from django.urls import reverse

from learning.models import User
from learning.roles import ROLE_GROUP_NAMES, Role, role_group, roles_sync, user_has_role, user_roles
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_not_username():
    user = User.objects.create_user("Mette@Forebyg.Example", "en-lang-adgangskode")
    assert user.email == "mette@forebyg.example"
    assert not hasattr(user, "username") or user.username is None
    assert User.USERNAME_FIELD == "email"


def test_login_form_accepts_email_and_password(client, roles):
    user = UserFactory(roles=[Role.LEARNER])
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == user


def test_wrong_password_gives_danish_error_and_no_session(client, roles):
    user = UserFactory(roles=[Role.LEARNER])
    response = client.post(reverse("account_login"), {"login": user.email, "password": "forkert"})
    assert response.status_code == 200
    assert "ikke korrekt" in response.content.decode() or "forkert" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_nobody_can_sign_up_on_their_own(client, roles):
    response = client.post(
        reverse("account_signup"),
        {"email": "ny@forebyg.example", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert not User.objects.filter(email="ny@forebyg.example").exists()
    assert response.status_code in (200, 403)


def test_roles_sync_is_idempotent_and_creates_every_role_group(roles):
    roles_sync()
    for role in Role:
        group = role_group(role)
        assert group.name == ROLE_GROUP_NAMES[role]
    coordinator = role_group(Role.COORDINATOR)
    codenames = set(coordinator.permissions.values_list("codename", flat=True))
    assert {"view_coverage", "manage_roster", "access_admin"} <= codenames


def test_revoking_a_role_takes_effect_on_the_next_request(client, roles):
    user = UserFactory(roles=[Role.COORDINATOR])
    client.force_login(user)
    assert user_has_role(user, Role.COORDINATOR)
    user.groups.remove(role_group(Role.COORDINATOR))
    fresh = User.objects.get(pk=user.pk)
    assert Role.COORDINATOR not in user_roles(fresh)
    response = client.get(reverse("dashboard"))
    assert "Koordinator" not in response.content.decode()


def test_inactive_user_holds_no_role(roles):
    user = UserFactory(roles=[Role.EDITOR], is_active=False)
    assert user_roles(user) == frozenset()


def test_dashboard_requires_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
