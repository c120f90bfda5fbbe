import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import translation
from kombu.exceptions import OperationalError

from certificates import tasks
from certificates.models import Certificate
from certificates.services import (
    certificate_issue_for_completion,
    certificate_start_refresher,
    certificates_requeue_pending,
)
from courses.models import CourseCompletion
from learning.rules import RULES_VERSION

from .factories import complete_course, make_course, record_completion

pytestmark = pytest.mark.django_db


def test_completion_through_the_courses_service_issues_one_certificate_with_snapshots(
    learner, course, at, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete_course(user=learner, course=course, at=at)

    certificate = Certificate.objects.get()
    assert certificate.user == learner
    assert certificate.course_id == course.pk
    assert certificate.completion == completion
    assert certificate.municipality == learner.municipality
    assert certificate.department == learner.department
    assert certificate.learner_name == "Søren Æbelø"
    assert certificate.course_title == course.title
    assert certificate.rules_version == str(RULES_VERSION)
    assert certificate.language == "da"
    assert certificate.issued_at == at
    assert certificate.expires_at == datetime.datetime(2028, 3, 2, 9, 30, tzinfo=datetime.UTC)
    assert len(certificate.code) >= 32
    assert str(certificate.pk) != certificate.code
    assert certificate.pdf_status == Certificate.PdfStatus.DONE
    assert certificate.email_status == Certificate.EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_issuing_twice_for_the_same_completion_returns_the_same_row(learner, course, at):
    completion = CourseCompletion.objects.create(user=learner, course=course, completed_at=at)
    first = certificate_issue_for_completion(completion=completion, at=at)
    second = certificate_issue_for_completion(completion=completion, at=at + datetime.timedelta(minutes=1))
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_a_new_completion_within_the_validity_period_does_not_issue_a_second_certificate(learner, course, at):
    record_completion(user=learner, course=course, at=at)
    record_completion(user=learner, course=course, at=at + datetime.timedelta(days=200))
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_certificate_for_the_same_period(learner, course, at):
    from django.db import IntegrityError

    record_completion(user=learner, course=course, at=at)
    existing = Certificate.objects.get()
    with pytest.raises(IntegrityError):
        Certificate.objects.create(
            user=learner,
            course=course,
            generation=existing.generation,
            completed_at=at + datetime.timedelta(days=1),
            learner_name="x",
            course_title="x",
            code="another-code",
            issued_at=at,
            expires_at=at,
        )


def test_validity_comes_from_the_course_and_english_learners_get_english(learner, at):
    course = make_course(validity_months=12)
    completion = CourseCompletion.objects.create(user=learner, course=course, completed_at=at)
    with translation.override("en"):
        certificate = certificate_issue_for_completion(completion=completion, at=at)
    assert certificate.expires_at == datetime.datetime(2027, 3, 2, 9, 30, tzinfo=datetime.UTC)
    assert certificate.language == "en"


def test_month_arithmetic_clamps_to_the_end_of_a_shorter_month():
    from certificates.services import add_months

    value = datetime.datetime(2026, 8, 31, 12, 0, tzinfo=datetime.UTC)
    assert add_months(value, 6) == datetime.datetime(2027, 2, 28, 12, 0, tzinfo=datetime.UTC)
    assert add_months(value, 24) == datetime.datetime(2028, 8, 31, 12, 0, tzinfo=datetime.UTC)


def test_render_and_send_tasks_run_twice_render_once_and_send_once(learner, course, at):
    with mock.patch("certificates.services._queue_safely"):  # nothing runs on its own here
        record_completion(user=learner, course=course, at=at)
    certificate = Certificate.objects.get()
    assert certificate.pdf_status == Certificate.PdfStatus.PENDING

    tasks.certificate_render_pdf.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    first_file = certificate.pdf.name
    assert certificate.pdf_status == Certificate.PdfStatus.DONE
    tasks.certificate_render_pdf.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.pdf.name == first_file

    tasks.certificate_send_email.apply(args=[certificate.pk])
    tasks.certificate_send_email.apply(args=[certificate.pk])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert "kursusbevis" in message.subject.lower()
    assert certificate.code in message.body
    assert message.attachments[0][2] == "application/pdf"
    assert message.attachments[0][1].startswith(b"%PDF")


def test_a_send_claimed_by_another_worker_is_not_sent_again(learner, course, at):
    with mock.patch("certificates.services._queue_safely"):
        record_completion(user=learner, course=course, at=at)
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(email_status=Certificate.EmailStatus.SENDING)
    tasks.certificate_send_email.apply(args=[certificate.pk])
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim_so_a_retry_can_send(learner, course, at):
    from certificates.services import certificate_send_email

    with mock.patch("certificates.services._queue_safely"):
        record_completion(user=learner, course=course, at=at)
    certificate = Certificate.objects.get()
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError),
        pytest.raises(ConnectionRefusedError),
    ):
        certificate_send_email(certificate_id=certificate.pk, at=at)
    certificate.refresh_from_db()
    assert certificate.email_status == Certificate.EmailStatus.PENDING
    assert certificate_send_email(certificate_id=certificate.pk, at=at) is True
    assert len(mail.outbox) == 1


def test_broker_down_completion_succeeds_and_the_sweeper_sends_exactly_once(
    learner, course, at, django_capture_on_commit_callbacks
):
    broker_down = OperationalError("[Errno 111] Connection refused")
    with (
        mock.patch.object(tasks.certificate_render_pdf, "delay", side_effect=broker_down),
        mock.patch.object(tasks.certificate_send_email, "delay", side_effect=broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        completion = complete_course(user=learner, course=course, at=at)

    assert CourseCompletion.objects.filter(pk=completion.pk).exists()
    certificate = Certificate.objects.get()
    assert certificate.pdf_status == Certificate.PdfStatus.PENDING
    assert certificate.email_status == Certificate.EmailStatus.PENDING
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_requeue_pending(at=at + datetime.timedelta(minutes=5)) == 0
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_requeue_pending(at=at + datetime.timedelta(minutes=11)) == 1
    certificate.refresh_from_db()
    assert certificate.pdf_status == Certificate.PdfStatus.DONE
    assert certificate.email_status == Certificate.EmailStatus.SENT
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_requeue_pending(at=at + datetime.timedelta(hours=2)) == 0
    assert len(mail.outbox) == 1


def test_the_sweeper_task_runs_from_beat_without_arguments(learner, course, at):
    assert tasks.certificates_requeue_pending.apply().get() == 0


def test_a_refresher_makes_the_next_completion_issue_a_superseding_certificate(learner, course, at):
    record_completion(user=learner, course=course, at=at)
    old = Certificate.objects.get()
    near_expiry = old.expires_at - datetime.timedelta(days=20)
    enrolment = certificate_start_refresher(certificate=old, at=near_expiry)
    assert certificate_start_refresher(certificate=old, at=near_expiry).pk == enrolment.pk
    # The course starts over for the learner: earlier progress no longer counts.
    from courses.models import CourseRestart

    assert CourseRestart.objects.filter(user=learner, started_at=near_expiry).count() == 1

    record_completion(user=learner, course=course, at=near_expiry + datetime.timedelta(days=5))

    new = Certificate.objects.exclude(pk=old.pk).get()
    assert new.supersedes == old
    assert new.generation == old.generation + 1
    assert new.expires_at > old.expires_at
    enrolment.refresh_from_db()
    assert enrolment.completed_certificate == new
    old.refresh_from_db()
    assert old.status == Certificate.Status.VALID  # history kept as it was


def test_a_refresher_cannot_be_started_long_before_expiry(learner, course, at):
    from django.core.exceptions import ValidationError

    record_completion(user=learner, course=course, at=at)
    with pytest.raises(ValidationError):
        certificate_start_refresher(certificate=Certificate.objects.get(), at=at + datetime.timedelta(days=1))


def test_completing_again_after_expiry_issues_a_new_certificate(learner, course, at):
    record_completion(user=learner, course=course, at=at)
    old = Certificate.objects.get()
    record_completion(user=learner, course=course, at=old.expires_at + datetime.timedelta(days=3))
    assert Certificate.objects.count() == 2
    assert Certificate.objects.get(generation=2).supersedes == old
