"""A real Celery worker process, on Redis, picks up a task and completes it in the database.

Needs PostgreSQL (the worker is another process, so it cannot see SQLite's in-memory test
database) and Redis. In CI both are there, and the suite refuses to start without them.
"""

import uuid

import pytest
from celery import Celery

from greenmfg.notifications.models import Notification
from tests.factories import UserFactory
from tests.services.workers import (
    NEEDS_SERVICES,
    REDIS_URL,
    start_worker,
    stop_worker,
    wait_until,
)

pytestmark = NEEDS_SERVICES


def sent(notification: Notification) -> bool:
    """Whether the worker has sent ``notification`` (read afresh)."""
    notification.refresh_from_db()
    return notification.status == Notification.Status.SENT


@pytest.fixture
def worker(tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    process = start_worker(queue, log)
    yield queue
    stop_worker(process)
    print(log.read_text())


def test_real_worker_sends_a_queued_notification(worker):
    user = UserFactory(email="worker@example.cn")
    notification = Notification.objects.create(recipient=user, subject="真实队列", body="测试")
    client = Celery("probe", broker=REDIS_URL, set_as_current=False)
    client.send_task(
        "greenmfg.notifications.tasks.task_send_notification", args=[notification.id], queue=worker
    )
    wait_until(lambda: sent(notification))
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
