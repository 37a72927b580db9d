"""A real Celery worker process, on Redis, picks up a task and completes it in the database.

Needs PostgreSQL (the worker is another process, so it cannot see SQLite's in-memory test
database) and Redis. In CI both are there, and the suite refuses to start without them.
"""

import os
import subprocess
import sys
import time
import uuid

import pytest
from celery import Celery
from django.db import connection

from greenmfg.notifications.models import Notification
from tests.conftest import IN_CI, redis_reachable
from tests.factories import UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not IN_CI
        and (
            connection.vendor != "postgresql"
            or not redis_reachable(REDIS_URL or "redis://127.0.0.1:6379")
        ),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
    ),
]


@pytest.fixture
def worker(tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "greenmfg.settings.base",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "greenmfg",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    print(log.read_text())


def test_real_worker_sends_a_queued_notification(worker):
    user = UserFactory(email="worker@example.cn")
    notification = Notification.objects.create(recipient=user, subject="真实队列", body="测试")
    client = Celery("probe", broker=REDIS_URL, set_as_current=False)
    client.send_task(
        "greenmfg.notifications.tasks.task_send_notification", args=[notification.id], queue=worker
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == Notification.Status.SENT:
            break
        time.sleep(0.5)
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
