"""A Celery worker killed while the deadline sweep is between two of its committed pages: a
rerun on a fresh worker completes the sweep and nothing is duplicated (issue 20, faults).

The sweep claims and writes a page at a time, each page in its own transaction
(dynamic_mgmt.schedule.mark_late). Here the worker's pages are small and each pauses before its
claim (tests/services/slow_pages.py), so the worker is SIGKILLed once two pages have committed
and the third has written nothing. What the killed worker committed is whole (a mark, a late
table, an audit entry and a notice for each unit of its pages, no more); the rerun claims only
the units left, and every unit ends with one of each, its county naming it once.

tests/services/test_sweep_worker_killed.py kills the worker later, while it delivers the
notices' e-mail. Needs PostgreSQL and Redis, as tests/services/test_celery_worker.py.
"""

import signal
import uuid
from collections import Counter

from celery import Celery

from dynamic_mgmt.models import AnnualTable, ScheduleMark
from greenmfg.audit.models import AuditEntry
from greenmfg.notifications.models import Notification
from tests.dynamic_mgmt.test_schedule_windows import inbox, unit, window
from tests.services.workers import (
    NEEDS_SERVICES,
    REDIS_URL,
    run_on_worker,
    start_worker,
    stop_worker,
    wait_until,
)

PAGE = 4
UNITS = 6 * PAGE
KILL_AFTER_PAGES = 2
LATE = "2027年度动态管理表逾期未填报"

pytestmark = NEEDS_SERVICES


def start_paging_worker(queue: str, log, *, pause: float):
    # The notices' e-mail is queued on the default queue: this worker's own.
    return start_worker(
        queue,
        log,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.services.slow_pages_settings",
            "SWEEP_PAGE_SIZE": str(PAGE),
            "SWEEP_PAGE_PAUSE": str(pause),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
        },
        mode="a",
    )


def marks() -> int:
    return ScheduleMark.objects.filter(kind="late", key="2027").count()


def written(units) -> dict[str, int]:
    """What the sweep has written for ``units``: marks, late tables, their audit entries, the
    units' notices."""
    ids = [listing.pk for listing in units]
    tables = AnnualTable.objects.filter(listing_id__in=ids, year=2027)
    return {
        "marks": ScheduleMark.objects.filter(kind="late", listing_id__in=ids).count(),
        "tables": tables.filter(late=True).count(),
        "audit": AuditEntry.objects.filter(
            action="mark_late",
            object_id__in=[str(pk) for pk in tables.values_list("pk", flat=True)],
        ).count(),
        "notices": Notification.objects.filter(
            recipient__organisation_id__in=[listing.organisation_id for listing in units],
            subject=LATE,
        ).count(),
    }


def test_a_worker_killed_between_the_sweeps_pages_is_completed_by_a_rerun_once(tmp_path):
    units = [unit() for _ in range(UNITS)]
    window()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"

    first = start_paging_worker(queue, log, pause=1.5)
    try:
        client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
        client.send_task(
            "dynamic_mgmt.tasks.task_mark_late", kwargs={"today": "2027-04-16"}, queue=queue
        )
        # Killed in the pause before the next page's claim.
        assert wait_until(lambda: marks() >= KILL_AFTER_PAGES * PAGE, timeout=90)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
    at_kill = marks()
    print(f"killed after {at_kill} of {UNITS} units ({at_kill // PAGE} pages of {PAGE})")
    # Whole pages committed, not the last one; each unit of them with all its writes.
    assert at_kill % PAGE == 0 and 0 < at_kill < UNITS, log.read_text()
    assert written(units) == dict.fromkeys(["marks", "tables", "audit", "notices"], at_kill)

    second = start_paging_worker(queue, log, pause=0)
    try:
        rerun = run_on_worker(queue, "dynamic_mgmt.tasks.task_mark_late", today="2027-04-16")
        again = run_on_worker(queue, "dynamic_mgmt.tasks.task_mark_late", today="2027-04-16")
        # The e-mail queued by both workers' pages goes out on this one.
        queued = Notification.objects.filter(status=Notification.Status.QUEUED)
        assert wait_until(lambda: not queued.exists(), timeout=60)
    finally:
        stop_worker(second)
    print(f"rerun: {rerun['counts']}")

    assert rerun["counts"]["units_late"] == rerun["counts"]["tables_created"] == UNITS - at_kill
    assert again["counts"] == {}
    assert written(units) == dict.fromkeys(["marks", "tables", "audit", "notices"], UNITS)
    assert ScheduleMark.objects.filter(kind="late").values("listing").distinct().count() == UNITS
    assert all(inbox(listing) == [LATE] for listing in units)
    # The county's notices, one per page of either run, name each unit once.
    county = Notification.objects.exclude(subject=LATE).values_list("body", flat=True)
    named = Counter(
        listing.unit_name for listing in units for body in county if listing.unit_name in body
    )
    assert named == dict.fromkeys((listing.unit_name for listing in units), 1), list(county)
    notices = Notification.objects.all()
    assert notices.filter(status=Notification.Status.SENT).count() == notices.count()
    assert all(notice.attempts == 1 for notice in notices)
