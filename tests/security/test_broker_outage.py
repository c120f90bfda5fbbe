"""Reliability with the production path (Redis broker): with the broker unreachable a user's action still
succeeds and the work completes once it is back; a real worker consumes what was queued.

These tests need a real Redis and run only when REDIS_URL is set (the production-path CI run). The
embedded run (SQLite, no broker, tasks in-process) has no broker to lose, so there they are skipped.
The outage is simulated by pointing the broker at a closed port, never by stopping a shared Redis.
"""

import datetime
import os
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from learning.celery import app as celery_app
from learning.models import AuditEvent
from learning.roles import Role
from tests.certificates.factories import make_course, record_completion
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="Needs a real Redis broker: runs only in the production-path run (REDIS_URL set).",
)
CLOSED_BROKER = "redis://127.0.0.1:6390/0"


def _use_broker(url: str, *, eager: bool) -> None:
    celery_app.conf.update(
        broker_url=url,
        task_always_eager=eager,
        broker_connection_timeout=1,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        task_publish_retry=False,
    )
    _drop_pools()


def _drop_pools() -> None:
    """Forget pooled connections to the previous broker (Celery's and kombu's global producer pools)."""
    from kombu import pools

    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def broker_config():
    saved = {key: celery_app.conf[key] for key in (
        "broker_url", "task_always_eager", "broker_connection_timeout", "broker_connection_retry",
        "broker_connection_max_retries", "task_publish_retry", "task_default_queue",
    )}
    yield
    celery_app.conf.update(saved)
    _drop_pools()


@pytest.mark.django_db
def test_completing_a_course_succeeds_with_the_broker_down_and_the_sweeper_finishes_later(
    roles, broker_config, settings, django_capture_on_commit_callbacks
):
    learner = UserFactory(roles=[Role.LEARNER])
    course = make_course()
    at = timezone.now()

    _use_broker(CLOSED_BROKER, eager=False)
    with django_capture_on_commit_callbacks(execute=True):
        record_completion(user=learner, course=course, at=at)  # the user's action
    certificate = Certificate.objects.get(user=learner)
    assert certificate.pdf_status == Certificate.PdfStatus.PENDING  # recorded, waiting for the worker

    # The broker is back; the sweeper (beat, every 5 minutes) queues the pending work again.
    _use_broker(os.environ["REDIS_URL"], eager=True)
    from certificates.services import certificates_requeue_pending

    with django_capture_on_commit_callbacks(execute=True):
        queued = certificates_requeue_pending(at=at + datetime.timedelta(minutes=30))
    assert queued == 1
    certificate.refresh_from_db()
    assert certificate.pdf_status == Certificate.PdfStatus.DONE
    assert certificate.email_status == Certificate.EmailStatus.SENT


@pytest.mark.django_db
def test_the_learner_page_still_answers_with_the_broker_down(client, roles, broker_config):
    learner = UserFactory(roles=[Role.LEARNER])
    _use_broker(CLOSED_BROKER, eager=False)
    client.force_login(learner)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_consumes_a_queued_task(broker_config):
    from celery.contrib.testing.worker import start_worker

    from learning.tasks import purge_expired_data_task

    queue = f"forebyg-test-{uuid.uuid4().hex[:8]}"  # our own queue on the shared Redis
    _use_broker(os.environ["REDIS_URL"], eager=False)
    celery_app.conf.task_default_queue = queue
    with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
        purge_expired_data_task.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not AuditEvent.objects.filter(action="retention_purge").exists():
            time.sleep(0.2)
    assert AuditEvent.objects.filter(action="retention_purge").exists()
