"""A portal process that dies between its commit and the outbox's publish: the task is not lost
but kept as a row, which ``manage.py flush_outbox`` publishes to a real worker that sends the
e-mail exactly once (issue 20, item 3, faults).

Every step is a process of its own on the portal's settings (not eager), this test's database
and Redis: the process that notifies and dies (tests/services/die_after_commit.py), the
flushes, the worker. Its queue is the test's own, so no other worker takes the task.

Needs PostgreSQL and Redis, as tests/services/test_celery_worker.py.
"""

import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis

from greenmfg.core.models import OutboxTask
from greenmfg.notifications.models import Notification
from greenmfg.notifications.tasks import task_send_notification
from tests.factories import UserFactory
from tests.services.die_after_commit import DIED_AFTER_COMMIT, SUBJECT
from tests.services.workers import (
    NEEDS_SERVICES,
    REDIS_URL,
    portal_environment,
    start_worker,
    stop_worker,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = NEEDS_SERVICES


def run_portal(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def sent_lines(mail_log: Path) -> list[str]:
    return mail_log.read_text(encoding="utf-8").splitlines() if mail_log.exists() else []


def wait_until(condition, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_a_task_of_a_process_that_died_after_its_commit_is_sent_once_by_the_flush(tmp_path):
    user = UserFactory(email="died-after-commit@example.cn")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_log, log = tmp_path / "mail.log", tmp_path / "worker.log"
    redis_url = REDIS_URL or "redis://127.0.0.1:6379/0"
    # notify() queues on the default queue: in every process here, this test's own.
    env = portal_environment(
        {
            "REDIS_URL": redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_BACKEND": "tests.services.slow_mail.SlowBackend",
            "SLOW_MAIL_LOG": str(mail_log),
        }
    )

    died = run_portal(["-m", "tests.services.die_after_commit", str(user.pk)], env)
    assert died.returncode == DIED_AFTER_COMMIT, died.stderr[-2000:]

    # Committed: the notice and the task's row; published: nothing.
    notification = Notification.objects.get(recipient=user, subject=SUBJECT)
    assert notification.status == Notification.Status.QUEUED
    row = OutboxTask.objects.get()
    assert (row.task, row.args, row.queue) == (task_send_notification.name, [notification.id], "")
    assert (row.attempts, row.last_error) == (0, "")
    broker = redis.Redis.from_url(redis_url)
    assert list(broker.scan_iter(match=f"{queue}*")) == []

    worker = start_worker(queue, log, env=env)
    try:
        # What a restarted portal's operator runs (no portal process left to publish it).
        flushed = run_portal(["manage.py", "flush_outbox", "--grace", "0"], env)
        assert flushed.returncode == 0, flushed.stderr[-2000:]
        assert "published 1, 0 left in the outbox" in flushed.stdout
        assert not OutboxTask.objects.exists()

        assert wait_until(lambda: sent_lines(mail_log), timeout=20), "no e-mail went out"
        notification.refresh_from_db()
        assert notification.status == Notification.Status.SENT

        again = run_portal(["manage.py", "flush_outbox", "--grace", "0"], env)
        assert again.returncode == 0, again.stderr[-2000:]
        assert "published 0, 0 left in the outbox" in again.stdout
        # Give a second delivery, if there were one, time to show.
        time.sleep(1)
    finally:
        stop_worker(worker)
        print(log.read_text())
    # One e-mail, to the user, with the notice's subject (after the site's prefix).
    [sent] = sent_lines(mail_log)
    recipient, subject = sent.split("\t")
    assert (recipient, subject.endswith(SUBJECT)) == (user.email, True)
    notification.refresh_from_db()
    assert notification.attempts == 1
