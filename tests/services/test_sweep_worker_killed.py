"""A Celery worker killed in the middle of the deadline sweep's work: a rerun on a fresh worker
completes it and nothing is duplicated (issue 20, faults).

The worker is SIGKILLed while it delivers the sweep's notices (a slow e-mail backend counts
every message in a file). The rerun of the sweep claims nothing twice (ScheduleMark); the
resend of what is still queued delivers the rest; every notice goes out once.

Needs PostgreSQL and Redis, as tests/services/test_celery_worker.py.
"""

import datetime
import signal
import uuid
from collections import Counter

from celery import Celery

from dynamic_mgmt.models import AnnualTable, ScheduleMark
from greenmfg.notifications.models import Notification
from tests.dynamic_mgmt.test_schedule_windows import unit, window
from tests.services.workers import (
    NEEDS_SERVICES,
    REDIS_URL,
    run_on_worker,
    start_worker,
    stop_worker,
    wait_until,
)

UNITS = 60

pytestmark = NEEDS_SERVICES


def start_mail_worker(queue: str, mail_log, log):
    # The resend queues each notice on the default queue: this worker's own.
    return start_worker(
        queue,
        log,
        env={
            "EMAIL_BACKEND": "tests.services.slow_mail.SlowBackend",
            "SLOW_MAIL_LOG": str(mail_log),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
        },
        mode="a",
    )


def sent_lines(mail_log) -> list[str]:
    return mail_log.read_text(encoding="utf-8").splitlines() if mail_log.exists() else []


def test_a_worker_killed_during_the_sweeps_delivery_is_completed_by_a_rerun_once(tmp_path):
    units = [unit() for _ in range(UNITS)]
    window()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_log, log = tmp_path / "mail.log", tmp_path / "worker.log"

    first = start_mail_worker(queue, mail_log, log)
    try:
        client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
        client.send_task(
            "dynamic_mgmt.tasks.task_mark_late", kwargs={"today": "2027-04-16"}, queue=queue
        )
        # Killed once some notices are out and others are not.
        assert wait_until(lambda: len(sent_lines(mail_log)) >= 5, timeout=90)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
    out_at_kill = len(sent_lines(mail_log))
    still_queued = Notification.objects.filter(status=Notification.Status.QUEUED)
    assert still_queued.exists(), "the worker finished before it was killed"

    second = start_mail_worker(queue, mail_log, log)
    try:
        again = run_on_worker(queue, "dynamic_mgmt.tasks.task_mark_late", today="2027-04-16")
        assert again["counts"] == {}
        # The 5-minute resend, its notices made old enough.
        still_queued.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        run_on_worker(queue, "greenmfg.notifications.tasks.task_send_queued_notifications")
        assert wait_until(lambda: not still_queued.exists(), timeout=90)
    finally:
        stop_worker(second)
        print(log.read_text())

    late = set(AnnualTable.objects.filter(late=True).values_list("listing_id", flat=True))
    assert late == {listing.pk for listing in units}
    assert ScheduleMark.objects.filter(kind="late").count() == UNITS
    notices = Notification.objects.all()
    assert notices.filter(status=Notification.Status.SENT).count() == notices.count()
    assert all(notice.attempts == 1 for notice in notices)
    # Every notice's e-mail went out; twice only for the one being sent at the kill (its row
    # rolled back with the worker's connection), so at most one more than the notices.
    lines = Counter(sent_lines(mail_log))
    assert notices.count() <= sum(lines.values()) <= notices.count() + 1, (out_at_kill, lines)
