"""Privacy: download my data, erase a person (keeping anonymised proof of training), the nightly purge,
and the audit log."""

import datetime
import json

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate
from learning import retention
from learning.audit import audit_record
from learning.models import AuditEvent, User
from learning.retention import retention_purge, user_data_export, user_erase
from learning.roles import Role
from learning.tasks import purge_expired_data_task
from tests.certificates.factories import make_course, record_completion
from tests.factories import TEST_PASSWORD, UserFactory

from .helpers import is_logged_in, login

pytestmark = pytest.mark.django_db
AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def learner(roles):
    return UserFactory(roles=[Role.LEARNER], first_name="Mette", last_name="Opdigtet")


@pytest.fixture
def certified(learner):
    course = make_course()
    record_completion(user=learner, course=course, at=AT)
    return Certificate.objects.get(user=learner)


# --- Download my data ----------------------------------------------------------------------------------


def test_my_data_requires_login(client):
    response = client.get(reverse("my_data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_data_is_a_json_download_of_my_own_data_only(client, learner, certified, roles):
    other = UserFactory(roles=[Role.LEARNER], first_name="Anden", last_name="Person")
    record_completion(user=other, course=certified.course, at=AT)
    client.force_login(learner)
    response = client.get(reverse("my_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == learner.email
    assert data["profile"]["roles"] == ["learner"]
    assert [row["code"] for row in data["records"]["certificates.certificate"]] == [certified.code]
    assert len(data["records"]["courses.coursecompletion"]) == 1
    assert other.email not in response.content.decode()
    assert "Anden" not in response.content.decode()
    assert AuditEvent.objects.filter(action="data_exported", actor=learner).exists()


def test_my_data_never_contains_secrets(roles):
    editor = UserFactory(roles=[Role.EDITOR])  # has TOTP and recovery codes
    data = user_data_export(user=editor, at=AT)
    authenticators = data["records"]["mfa.authenticator"]
    assert {row["type"] for row in authenticators} == {"totp", "recovery_codes"}
    assert all("data" not in row for row in authenticators)
    assert "password" not in data["profile"]
    text = json.dumps(data)
    secret = Authenticator.objects.get(user=editor, type="totp").data["secret"]
    assert secret not in text


def test_exporters_registry_adds_app_data(learner, monkeypatch):
    monkeypatch.setattr(retention, "DATA_EXPORTERS", ["tests.security.test_privacy.example_exporter"])
    data = user_data_export(user=learner, at=AT)
    assert data["records"]["example.rows"] == [{"user": learner.email}]


def example_exporter(*, user):
    return {"example.rows": [{"user": user.email}]}


# --- Erase -----------------------------------------------------------------------------------------------


def test_erase_removes_personal_data_and_keeps_anonymised_proof(client, learner, certified, roles):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    email = learner.email
    session = Client()
    session.force_login(learner)
    assert session.get(reverse("dashboard")).status_code == 200
    counts = user_erase(user=learner, by=admin, at=AT)

    learner.refresh_from_db()
    assert learner.email.endswith("@slettet.invalid")
    assert (learner.first_name, learner.last_name, learner.is_active, learner.has_usable_password()) == ("", "", False, False)
    assert learner.department is None
    assert not learner.groups.exists()
    assert not User.objects.filter(email=email).exists()
    assert counts["courses.coursecompletion"] == 1
    assert counts["account.emailaddress"] == 1
    assert session.get(reverse("dashboard")).status_code == 302
    assert not is_logged_in(session)

    certificate = Certificate.objects.get(pk=certified.pk)
    assert certificate.learner_name == "Slettet bruger"
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.course_title and certificate.completed_at  # proof that training took place
    page = client.get(reverse("certificates:verify", kwargs={"code": certificate.code}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mette" not in html and "Opdigtet" not in html
    assert "Tilbagekaldt" in html or "tilbagekaldt" in html

    event = AuditEvent.objects.get(action="user_erased")
    assert event.actor == admin
    assert event.target_id == str(learner.pk)
    assert "Mette" not in json.dumps(event.detail)

    assert login(Client(), learner, password=TEST_PASSWORD).status_code == 200  # cannot log in any more


def test_erase_twice_changes_nothing_more(learner, certified):
    user_erase(user=learner, by=None, at=AT)
    snapshot = User.objects.filter(pk=learner.pk).values().get()
    user_erase(user=learner, by=None, at=AT + datetime.timedelta(days=1))
    assert User.objects.filter(pk=learner.pk).values().get() == snapshot


def test_erase_user_command(learner, roles):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    call_command("erase_user", learner.email, "--by", admin.email)
    learner.refresh_from_db()
    assert learner.email.endswith("@slettet.invalid")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("erase_user", "findes-ikke@forebyg.example")
    other = UserFactory(roles=[Role.LEARNER])
    with pytest.raises(CommandError):
        call_command("erase_user", other.email, "--by", other.email)  # only administrators erase


# --- Nightly purge -------------------------------------------------------------------------------------------


def _session(*, user, expires: datetime.datetime) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


def test_purge_deletes_expired_sessions_old_audit_events_and_stale_accounts(learner, settings, monkeypatch):
    expired = _session(user=learner, expires=AT - datetime.timedelta(minutes=1))
    live = _session(user=learner, expires=AT + datetime.timedelta(hours=1))
    old = audit_record(actor=learner, action="test", at=AT - datetime.timedelta(days=settings.RETENTION_DAYS["audit_log"] + 1))
    recent = audit_record(actor=learner, action="test", at=AT - datetime.timedelta(days=1))
    gone = UserFactory(is_active=False, first_name="Fratrådt")
    User.objects.filter(pk=gone.pk).update(last_login=AT - datetime.timedelta(days=settings.RETENTION_DAYS["deactivated_account"] + 1))
    recently_left = UserFactory(is_active=False, first_name="Nylig")
    User.objects.filter(pk=recently_left.pk).update(last_login=AT - datetime.timedelta(days=10))
    calls = []
    monkeypatch.setattr(retention, "RETENTION_HOOKS", ["tests.security.test_privacy.example_hook"])
    monkeypatch.setattr("tests.security.test_privacy.HOOK_CALLS", calls)

    result = retention_purge(at=AT)

    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert User.objects.get(pk=gone.pk).first_name == ""
    assert User.objects.get(pk=recently_left.pk).first_name == "Nylig"
    assert result["deactivated_accounts_erased"] == 1
    assert calls == [AT]
    assert AuditEvent.objects.filter(action="retention_purge").exists()

    again = retention_purge(at=AT)  # safe to run twice
    assert again["sessions"] == 0 and again["deactivated_accounts_erased"] == 0


HOOK_CALLS: list = []


def example_hook(*, at):
    HOOK_CALLS.append(at)
    return 1


def test_a_failing_hook_does_not_stop_the_purge(monkeypatch):
    monkeypatch.setattr(retention, "RETENTION_HOOKS", ["tests.security.test_privacy.failing_hook"])
    result = retention_purge(at=AT)
    assert result["tests.security.test_privacy.failing_hook"] == "fejl"


def failing_hook(*, at):
    raise RuntimeError("boom")


def test_registered_hooks_exist_and_take_at():
    import inspect

    from django.utils.module_loading import import_string

    for dotted in retention.RETENTION_HOOKS:
        assert "at" in inspect.signature(import_string(dotted)).parameters, dotted
    for dotted in retention.DATA_EXPORTERS:
        assert "user" in inspect.signature(import_string(dotted)).parameters, dotted


def test_purge_command_and_beat_task(settings):
    call_command("purge_expired_data")
    assert AuditEvent.objects.filter(action="retention_purge").count() == 1
    result = purge_expired_data_task.delay(AT.isoformat()).get()
    assert "sessions" in result
    assert settings.CELERY_BEAT_SCHEDULE["learning-purge-expired-data"]["task"] == "learning.tasks.purge_expired_data_task"


def test_logged_in_user_is_not_logged_out_by_the_purge(client, learner):
    login(client, learner)
    retention_purge(at=datetime.datetime.now(tz=datetime.UTC))
    assert client.get(reverse("dashboard")).status_code == 200
    assert is_logged_in(client)
