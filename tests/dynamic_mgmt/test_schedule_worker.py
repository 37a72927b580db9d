"""The deadline sweep through a real Celery worker on Redis, against PostgreSQL: the day after
the deadline the worker marks the late units, opens the 济南 proposal and sends the notices'
e-mail; sent again, the task does nothing more.

Skipped locally without PostgreSQL and Redis; in CI (``CI=true``) both are there and the suite
refuses to start without them (tests/conftest.py), so CI always runs it.
"""

import os
import time

import pytest
from celery import Celery
from django.db import connection

from dynamic_mgmt.models import AnnualTable, ScheduleMark
from greenmfg.notifications.models import Notification
from registry.models import RemovalProposal
from tests.conftest import IN_CI, redis_reachable
from tests.services.test_celery_worker import worker  # noqa: F401 (fixture)

from .test_schedule_windows import inbox, jinan_unit, unit, window

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


def run_on_worker(queue: str, task: str, **kwargs) -> dict:
    client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    return client.send_task(task, kwargs=kwargs, queue=queue).get(timeout=90)


def wait_until(check, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return check()


def test_a_real_worker_runs_the_deadline_sweep_once(worker):  # noqa: F811
    luoyang, jinan = unit(), jinan_unit(level="city")
    window()
    window(city="370100", level="city")

    first = run_on_worker(worker, "dynamic_mgmt.tasks.task_mark_late", today="2027-04-16")

    assert first["counts"]["units_late"] == 2 and first["counts"]["proposals"] == 1
    assert set(AnnualTable.objects.filter(late=True).values_list("listing_id", flat=True)) == {
        luoyang.pk,
        jinan.pk,
    }
    assert RemovalProposal.objects.get().listing == jinan
    # The e-mail of the notices follows on the same queue.
    assert wait_until(
        lambda: not Notification.objects.filter(status=Notification.Status.QUEUED).exists()
    )
    assert Notification.objects.filter(status=Notification.Status.SENT).exists()

    again = run_on_worker(worker, "dynamic_mgmt.tasks.task_mark_late", today="2027-04-16")

    assert again["counts"] == {}
    assert inbox(luoyang) == ["2027年度动态管理表逾期未填报"]
    assert RemovalProposal.objects.count() == 1
    assert ScheduleMark.objects.filter(kind="late").count() == 2
