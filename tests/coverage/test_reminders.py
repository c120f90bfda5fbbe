"""Reminders: cadence, pause, at most one per interval, idempotent."""

import datetime as dt

import pytest
from django.core import mail

from coverage.models import Invitation, ReminderLog, ReminderSettings
from coverage.reminders import reminders_send

from .conftest import aware
from .factories import certify, make_staff, open_lesson

AT = aware(2026, 11, 21, 7, 30)


@pytest.fixture
def people(roles, koege, course, tree):
    invited = make_staff(municipality=koege, email="invited@forebyg.example")
    Invitation.objects.create(user=invited, municipality=koege, created_at=AT - dt.timedelta(days=20), sent_at=AT - dt.timedelta(days=20))
    fresh = make_staff(municipality=koege, email="fresh@forebyg.example")  # invited yesterday: not yet
    Invitation.objects.create(user=fresh, municipality=koege, created_at=AT - dt.timedelta(days=1), sent_at=AT - dt.timedelta(days=1))
    stalled = make_staff(municipality=koege, email="stalled@forebyg.example")
    open_lesson(user=stalled, lesson=tree.all_lessons[0], at=AT - dt.timedelta(days=40))
    active = make_staff(municipality=koege, email="active@forebyg.example")
    open_lesson(user=active, lesson=tree.all_lessons[0], at=AT - dt.timedelta(days=2))
    expiring = make_staff(municipality=koege, email="expiring@forebyg.example")
    certify(user=expiring, course=course, issued_at=AT - dt.timedelta(days=700))
    return {"invited": invited, "stalled": stalled, "expiring": expiring}


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_each_kind_is_reminded_once_and_a_second_run_sends_nothing(people, koege):
    ReminderSettings.objects.create(municipality=koege, cadence_days=14, stalled_after_days=21)
    result = reminders_send(at=AT)
    assert result.sent == 3
    assert _recipients() == ["expiring@forebyg.example", "invited@forebyg.example", "stalled@forebyg.example"]
    kinds = dict(ReminderLog.objects.values_list("user__email", "kind"))
    assert kinds == {
        "expiring@forebyg.example": "expiring",
        "invited@forebyg.example": "not_started",
        "stalled@forebyg.example": "stalled",
    }
    assert all(m.subject for m in mail.outbox)
    assert reminders_send(at=AT).sent == 0
    assert reminders_send(at=AT + dt.timedelta(days=12)).sent == 0  # within the interval
    assert len(mail.outbox) == 3


def test_cadence_decides_when_the_next_reminder_goes(people, koege):
    ReminderSettings.objects.create(municipality=koege, cadence_days=7, stalled_after_days=21)
    assert reminders_send(at=AT).sent == 3
    # Six days later only the person invited the day before the first run is due (7 days after invitation).
    assert [m.to for m in mail.outbox[3:]] == []
    assert reminders_send(at=AT + dt.timedelta(days=6)).sent == 1
    assert mail.outbox[-1].to == ["fresh@forebyg.example"]
    assert reminders_send(at=AT + dt.timedelta(days=7, minutes=1)).sent == 3


def test_paused_municipality_gets_none(people, koege):
    ReminderSettings.objects.create(municipality=koege, paused=True)
    assert reminders_send(at=AT).sent == 0
    assert mail.outbox == []


def test_a_person_gets_one_reminder_even_if_several_kinds_apply(roles, koege, course, tree):
    person = make_staff(municipality=koege, email="both@forebyg.example")
    certify(user=person, course=course, issued_at=AT - dt.timedelta(days=700))
    Invitation.objects.create(user=person, municipality=koege, created_at=AT - dt.timedelta(days=800), sent_at=AT - dt.timedelta(days=800))
    assert reminders_send(at=AT).sent == 1
    assert ReminderLog.objects.get(user=person).kind == "expiring"


def test_not_started_reminder_for_someone_without_a_password_has_a_fresh_link(people, koege):
    reminders_send(at=AT)
    message = next(m for m in mail.outbox if m.to == ["invited@forebyg.example"])
    assert "/password/reset/key/" not in message.body  # they have a password already
    invited = people["invited"]
    invited.set_unusable_password()
    invited.save()
    mail.outbox.clear()
    reminders_send(at=AT + dt.timedelta(days=15))
    message = next(m for m in mail.outbox if m.to == ["invited@forebyg.example"])
    assert "/konto/password/reset/key/" in message.body
