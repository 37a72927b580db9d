"""Redis down while an enterprise submits: the submission is saved and answered at once, its
notification kept in the outbox and delivered once the broker is back (issue 20, faults)."""

import time

import pytest
from celery import current_app
from django.core import mail
from django.core.management import call_command

from applications.models import Application
from applications.services.applications import application_transition
from greenmfg.core import outbox
from greenmfg.core.cache import RedisCache
from greenmfg.core.models import OutboxTask
from greenmfg.notifications.models import Notification
from greenmfg.notifications.tasks import task_send_notification
from tests.applications.test_submission import ready_application

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: the connection is refused, as when Redis is stopped.
UNREACHABLE = "redis://127.0.0.1:1/0"


def forget_connections(app) -> None:
    # Celery caches its broker pool, producer pool and result store; drop them so the next
    # publish connects with the configuration of the moment.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker_down():
    """The app publishing for real (not in-process) to a broker and result store that refuse."""
    app = current_app
    keys = ("task_always_eager", "broker_url", "result_backend")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=UNREACHABLE, result_backend=UNREACHABLE)
    forget_connections(app)
    yield app
    app.conf.update(saved)
    forget_connections(app)


def test_enqueue_keeps_the_task_when_the_broker_refuses(broker_down):
    started = time.monotonic()
    outbox.enqueue(task_send_notification, 42)
    assert time.monotonic() - started < 5
    row = OutboxTask.objects.get()
    assert row.task == task_send_notification.name and row.args == [42]
    assert row.last_error


def test_submit_answers_at_once_and_the_county_is_told_once_the_broker_is_back(
    demo, client, broker_down, django_capture_on_commit_callbacks
):
    application, applicant = ready_application(demo)
    county = demo["luoyang-county"]
    client.force_login(applicant)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/applications/{application.pk}/submit/")
    elapsed = time.monotonic() - started

    assert response.status_code == 200, response.content
    assert elapsed < 5
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    told = Notification.objects.filter(recipient=county, subject__contains="收到新的申报")
    assert told.get().status == Notification.Status.QUEUED
    # Written in the transaction, refused by the broker after the commit: kept, the try counted.
    kept = OutboxTask.objects.filter(task=task_send_notification.name)
    assert kept.exists() and not kept.exclude(attempts=1).exists()
    assert mail.outbox == []

    # Still down: the flush keeps every row, counts the try and stops at the first refusal.
    assert outbox.flush_outbox() == 0
    assert OutboxTask.objects.filter(attempts=2).count() == 1

    # The broker back (here: tasks in-process), the flush publishes and empties the outbox.
    broker_down.conf.task_always_eager = True
    kept = OutboxTask.objects.count()
    call_command("flush_outbox")
    assert OutboxTask.objects.count() == 0
    assert kept >= 1
    assert told.get().status == Notification.Status.SENT
    to_county = [message for message in mail.outbox if message.to == [county.email]]
    assert len(to_county) == 1

    # A second flush, or the 5-minute resend, sends nothing twice.
    assert outbox.flush_outbox() == 0
    assert len([m for m in mail.outbox if m.to == [county.email]]) == 1


def test_an_unknown_task_is_skipped_not_blocking(broker_down):
    OutboxTask.objects.create(task="gone.task_removed", args=[], last_error="refused")
    OutboxTask.objects.create(task=task_send_notification.name, args=[0], last_error="refused")
    broker_down.conf.task_always_eager = True
    assert outbox.flush_outbox() == 1
    left = OutboxTask.objects.get()
    assert left.task == "gone.task_removed" and left.attempts == 1


def test_in_process_tasks_never_reach_the_outbox(demo, django_capture_on_commit_callbacks):
    application, applicant = ready_application(demo)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, action="submit", actor=applicant)
    assert not OutboxTask.objects.exists()


def test_submit_with_the_whole_redis_down_cache_included(
    demo, client, settings, broker_down, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "greenmfg.core.cache.RedisCache",
            "LOCATION": UNREACHABLE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    application, applicant = ready_application(demo)
    client.force_login(applicant)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/applications/{application.pk}/submit/")
    assert response.status_code == 200, response.content
    assert time.monotonic() - started < 5
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert OutboxTask.objects.exists()


def test_the_cache_reads_as_a_miss_while_redis_is_down():
    cache = RedisCache(UNREACHABLE, {"OPTIONS": {"socket_connect_timeout": 1}})
    started = time.monotonic()
    assert cache.get("menu", "default") == "default"
    assert cache.add("limit", 0) is False
    cache.set("menu", 1)
    cache.delete("menu")
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):
        cache.incr("limit")
    assert time.monotonic() - started < 5
