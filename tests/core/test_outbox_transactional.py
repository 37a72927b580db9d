"""The transactional outbox (issue 20, item 3, faults): a task queued for after a commit is
written in the transaction, so a process that dies between the commit and the publish leaves it
to the flush instead of losing it; the flush leaves a fresh row to its commit's callback."""

import datetime
import time

import pytest
from celery import current_app
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from greenmfg.accounts.tasks import task_send_set_password_email
from greenmfg.core import clock, documents, outbox
from greenmfg.core.imports import services as import_services
from greenmfg.core.imports.services import import_apply, import_upload
from greenmfg.core.imports.tasks import task_import_apply, task_import_preview
from greenmfg.core.models import OutboxTask
from greenmfg.core.tasks import task_build_document
from greenmfg.notifications.models import Notification
from greenmfg.notifications.tasks import task_send_notification
from tests.core.test_outbox import broker_down  # noqa: F401 (fixture)
from tests.factories import UserFactory
from tests.factories.staff_imports import staff_row, staff_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """The app publishing for real (not in-process) to a broker that takes every task: the
    publishes are recorded as ``(task name, args, queue)`` instead of sent."""
    published = []
    saved = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    monkeypatch.setattr(
        outbox, "_publish", lambda task, args, queue: published.append((task.name, args, queue))
    )
    yield published
    current_app.conf.task_always_eager = saved


def age(rows, seconds: int) -> None:
    """Move the rows' creation ``seconds`` into the past (created_at is the machine's moment)."""
    rows.update(created_at=clock.real_now() - datetime.timedelta(seconds=seconds))


def queue_and_die(task, *args, **options) -> None:
    """A transaction that queues ``task`` and commits, in a process killed before its on_commit
    callbacks run: they are captured and never executed."""
    with transaction.atomic():
        outbox.enqueue_on_commit(task, *args, **options)


def test_a_task_of_a_process_that_died_after_the_commit_is_published_once_by_the_flush(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_and_die(task_send_notification, 7)
    assert len(callbacks) == 1
    row = OutboxTask.objects.get(task=task_send_notification.name, args=[7])
    assert (row.attempts, row.last_error) == (0, "")
    assert broker == []

    # Within the grace the row is its commit's: the beat's flush leaves it.
    assert outbox.flush_outbox() == 0
    assert OutboxTask.objects.filter(pk=row.pk).exists()

    age(OutboxTask.objects.filter(pk=row.pk), outbox.grace_seconds() + 1)
    assert outbox.flush_outbox() == 1
    assert outbox.flush_outbox() == 0
    assert broker == [(task_send_notification.name, [7], None)]
    assert not OutboxTask.objects.filter(pk=row.pk).exists()


def test_after_the_commit_the_task_is_published_once_and_no_row_is_left(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue_on_commit(task_send_notification, 8, queue="sweeps")
        # Written inside the transaction, published only after it.
        assert OutboxTask.objects.filter(args=[8], queue="sweeps").exists()
        assert broker == []
    assert broker == [(task_send_notification.name, [8], "sweeps")]
    assert not OutboxTask.objects.filter(args=[8]).exists()
    age(OutboxTask.objects.all(), outbox.grace_seconds() + 1)
    assert outbox.flush_outbox() == 0
    assert len(broker) == 1


def test_a_rolled_back_transaction_publishes_nothing_and_keeps_nothing(
    broker, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue_on_commit(task_send_notification, 9)
        raise RuntimeError("refused")
    assert callbacks == []
    assert broker == []
    assert not OutboxTask.objects.filter(args=[9]).exists()


@pytest.mark.parametrize(
    ("seconds_old", "flushed"),
    [(0, False), (59, False), (61, True)],
    ids=["fresh", "within-grace", "past-grace"],
)
def test_the_flush_leaves_an_untried_row_to_its_commit_for_the_grace(
    broker, settings, django_capture_on_commit_callbacks, seconds_old, flushed
):
    settings.OUTBOX_GRACE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=False):
        queue_and_die(task_send_notification, 10)
    age(OutboxTask.objects.filter(args=[10]), seconds_old)
    assert outbox.flush_outbox() == int(flushed)
    assert OutboxTask.objects.filter(args=[10]).exists() is not flushed


def test_a_row_a_publish_has_failed_is_flushed_within_the_grace(broker):
    OutboxTask.objects.create(task=task_send_notification.name, args=[11], attempts=1)
    OutboxTask.objects.create(task=task_send_notification.name, args=[12], last_error="refused")
    assert outbox.flush_outbox() == 2
    assert [args for _, args, _ in broker] == [[11], [12]]


def test_a_late_callback_publishes_nothing_the_flush_has_sent(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_and_die(task_send_notification, 13)
    assert outbox.flush_outbox(grace=0) == 1
    (callback,) = callbacks
    callback()
    assert broker == [(task_send_notification.name, [13], None)]


def test_the_command_takes_every_row_with_no_grace(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        queue_and_die(task_send_notification, 14)
    call_command("flush_outbox")
    assert broker == []
    call_command("flush_outbox", "--grace", "0")
    assert broker == [(task_send_notification.name, [14], None)]
    assert not OutboxTask.objects.filter(args=[14]).exists()


def test_broker_down_at_the_commit_keeps_the_row_with_the_try_counted_then_the_flush_sends_it(
    broker_down,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="outbox-tx@example.cn")
    notification = Notification.objects.create(recipient=user, subject="申报已提交", body="测试")

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue_on_commit(task_send_notification, notification.id)
    assert time.monotonic() - started < 5
    row = OutboxTask.objects.get(task=task_send_notification.name, args=[notification.id])
    assert row.attempts == 1 and row.last_error

    # Refused once already: the flush tries it at once, still down.
    assert outbox.flush_outbox() == 0
    row.refresh_from_db()
    assert row.attempts == 2

    broker_down.conf.task_always_eager = True  # the broker back (here: tasks in-process)
    assert outbox.flush_outbox() == 1
    assert not OutboxTask.objects.filter(pk=row.pk).exists()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert [message.to for message in mail.outbox] == [["outbox-tx@example.cn"]]


def test_in_process_tasks_run_after_the_commit_and_keep_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="eager@example.cn")
    notification = Notification.objects.create(recipient=user, subject="申报已提交", body="测试")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue_on_commit(task_send_notification, notification.id)
        assert not OutboxTask.objects.exists()
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert not OutboxTask.objects.exists()


# The callers: each keeps its task in the transaction that queues it.


def test_a_requested_document_keeps_its_build_with_its_row(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        document = documents.request_document(
            kind="outbox-test",
            key=documents.document_key("outbox-test", clock.real_now().isoformat()),
            title="名单",
            params={},
            rows=1,
            extension="xlsx",
        )
    row = OutboxTask.objects.get(task=task_build_document.name, args=[document.pk])
    assert broker == []
    age(OutboxTask.objects.filter(pk=row.pk), outbox.grace_seconds() + 1)
    assert outbox.flush_outbox() == 1
    assert broker == [(task_build_document.name, [document.pk], None)]


@pytest.mark.parametrize(
    ("queue", "task", "args"),
    [
        ("preview", task_import_preview, (101,)),
        ("apply", task_import_apply, (102, True)),
    ],
    ids=["preview", "apply"],
)
def test_a_large_import_keeps_its_task_in_the_transaction(
    broker, django_capture_on_commit_callbacks, queue, task, args
):
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        getattr(import_services._queue, queue)(*args)
    assert OutboxTask.objects.filter(task=task.name, args=list(args)).exists()
    assert broker == []


def test_a_staff_import_keeps_the_set_password_emails_in_its_transaction(
    broker, demo, django_capture_on_commit_callbacks
):
    actor = demo["luoyang-city"]
    run = import_upload(
        kind="staff", uploaded=staff_upload([staff_row(用户名="ll-outbox")]), actor=actor
    )
    with django_capture_on_commit_callbacks(execute=False):
        import_apply(run=run, actor=actor)
    rows = OutboxTask.objects.filter(task=task_send_set_password_email.name)
    assert [row.args[1] for row in rows] == [actor.pk]
    assert broker == []
    age(rows, outbox.grace_seconds() + 1)
    assert outbox.flush_outbox() == 1
    assert [name for name, _, _ in broker] == [task_send_set_password_email.name]
