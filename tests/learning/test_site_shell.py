import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learning.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_email
from learning.mfa import user_totp_code
from learning.models import Department, Municipality, User
from learning.roles import ROLES_REQUIRING_MFA, user_roles

pytestmark = pytest.mark.django_db


def test_home_page_is_danish(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Tilgængelighedserklæring" in html
    assert "Gå til sidens indhold" in html  # skip link


def test_english_home_page_is_served_under_en(client, demo_site):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_was_redirects_to_the_accessibility_statement(client, demo_site):
    response = client.get("/was", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain
    assert "<h1>Tilgængelighedserklæring</h1>" in response.content.decode()


def test_not_found_page_is_danish(client, demo_site):
    response = client.get("/findes-slet-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_seed_demo_is_idempotent(demo):
    counts = (Municipality.objects.count(), Department.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Municipality.objects.count(), Department.objects.count(), User.objects.count()) == counts
    assert set(Municipality.objects.values_list("slug", flat=True)) == {"koege", "ishoej", "roedovre"}


def test_seed_demo_prints_demo_accounts(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "koordinator.koege@forebyg.example" in out
    assert DEMO_PASSWORD in out


def test_seed_demo_refuses_outside_demo_mode(db, settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


@pytest.mark.parametrize("municipality", ["koege", "ishoej", "roedovre"])
@pytest.mark.parametrize(("role", "prefix"), [(p[0], p[1]) for p in DEMO_PEOPLE])
def test_every_demo_role_can_log_in(client, demo_site, municipality, role, prefix):
    email = demo_email(prefix=prefix, municipality_slug=municipality)
    response = client.post("/konto/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    user = User.objects.get(email=email)
    if role in ROLES_REQUIRING_MFA:
        # Privileged demo roles have TOTP enrolled: the password alone does not log them in.
        assert response["Location"].endswith("/konto/2fa/authenticate/")
        assert "_auth_user_id" not in client.session
        code = user_totp_code(user=user, at=timezone.now())
        response = client.post("/konto/2fa/authenticate/", {"code": code})
        assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert role in user_roles(user)
    assert user.municipality.slug == municipality
    page = client.get("/overblik/")
    assert page.status_code == 200


def test_demo_editor_can_open_wagtail_admin(client, demo_site):
    email = demo_email(prefix="redaktoer", municipality_slug="koege")
    client.post("/konto/login/", {"login": email, "password": DEMO_PASSWORD})
    user = User.objects.get(email=email)
    client.post("/konto/2fa/authenticate/", {"code": user_totp_code(user=user, at=timezone.now())})
    assert client.get("/admin/").status_code == 200


def test_privileged_role_without_mfa_is_sent_to_enrol(client, demo_site):
    user = User.objects.get(email=demo_email(prefix="koordinator", municipality_slug="ishoej"))
    user.authenticator_set.all().delete()
    client.force_login(user)
    response = client.get("/overblik/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The enrolment page stays reachable (allauth may first ask to re-enter the password): no loop.
    final = client.get(reverse("mfa_activate_totp"), follow=True)
    assert final.status_code == 200
    assert "/konto/" in final.redirect_chain[-1][0] if final.redirect_chain else True


def test_demo_totp_command_prints_the_current_code(demo_site, capsys):
    email = demo_email(prefix="koordinator", municipality_slug="koege")
    call_command("demo_totp", email)
    code = capsys.readouterr().out.strip()
    assert code == user_totp_code(user=User.objects.get(email=email), at=timezone.now())


def test_demo_learner_cannot_open_wagtail_admin(client, demo_site):
    client.post("/konto/login/", {"login": demo_email(prefix="medarbejder", municipality_slug="koege"),
                                 "password": DEMO_PASSWORD})
    response = client.get("/admin/")
    assert response.status_code in (302, 403)


def test_login_page_is_danish_and_labelled(client, db):
    html = client.get("/konto/login/").content.decode()
    assert "<h1>Log ind</h1>" in html
    assert re.search(r'<label class="form-label" for="id_login">', html)
    assert 'class="form-input"' in html
    assert "opret dig" not in html


def test_language_switch_sets_english(client, demo_site):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/")
