"""Redis unreachable, then back: a notification's task kept in the outbox is published by the
flush to a real Celery worker on Redis, which sends the e-mail exactly once (issue 20, faults).

Needs PostgreSQL and Redis, as tests/services/test_celery_worker.py (whose worker it uses).
"""

import contextlib
import time

from celery import current_app

from greenmfg.core import outbox
from greenmfg.core.models import OutboxTask
from greenmfg.notifications.models import Notification
from greenmfg.notifications.tasks import task_send_notification
from tests.core.test_outbox import UNREACHABLE, forget_connections
from tests.factories import UserFactory
from tests.services.test_celery_worker import sent, worker  # noqa: F401 (fixture)
from tests.services.workers import NEEDS_SERVICES, REDIS_URL, wait_until

pytestmark = NEEDS_SERVICES


@contextlib.contextmanager
def broker_at(url: str):
    """The app publishing for real (not in-process) to ``url``, broker and result store."""
    app = current_app
    keys = ("task_always_eager", "broker_url", "result_backend")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=url, result_backend=url)
    forget_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        forget_connections(app)


def test_a_kept_task_reaches_the_real_worker_once_redis_is_back(worker):  # noqa: F811
    user = UserFactory(email="outbox@example.cn")
    notification = Notification.objects.create(recipient=user, subject="申报已提交", body="测试")

    with broker_at(UNREACHABLE):
        started = time.monotonic()
        outbox.enqueue(task_send_notification, notification.id, queue=worker)
        assert time.monotonic() - started < 5
        assert outbox.flush_outbox() == 0  # still down: kept, the try counted
    assert OutboxTask.objects.get().attempts == 1

    with broker_at(REDIS_URL or "redis://127.0.0.1:6379/0"):
        assert outbox.flush_outbox() == 1
        assert outbox.flush_outbox() == 0
    assert not OutboxTask.objects.exists()

    wait_until(lambda: sent(notification))
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
