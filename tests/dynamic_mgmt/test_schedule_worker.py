"""The deadline sweep through a real Celery worker on Redis, against PostgreSQL: the day after
the deadline the worker marks the late units, opens the 济南 proposal and sends the notices'
e-mail; sent again, the task does nothing more.

Skipped locally without PostgreSQL and Redis; in CI (``CI=true``) both are there and the suite
refuses to start without them (tests/conftest.py), so CI always runs it.
"""

from dynamic_mgmt.models import AnnualTable, ScheduleMark
from greenmfg.notifications.models import Notification
from registry.models import RemovalProposal
from tests.services.test_celery_worker import worker  # noqa: F401 (fixture)
from tests.services.workers import NEEDS_SERVICES, run_on_worker, wait_until

from .test_schedule_windows import inbox, jinan_unit, unit, window

pytestmark = NEEDS_SERVICES


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
