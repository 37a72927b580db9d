"""The Celery tasks of the dynamic management: the nightly sweeps (dynamic_mgmt.schedule). The
beat schedule that runs them is in greenmfg/celery.py; the e-mail of the notices they keep goes
through greenmfg.notifications (bulk.send_notices, tasks.task_send_notifications).

Tasks import the sweeps, never the reverse.

Each sweep is idempotent and commits page by page, so a task that fails on a database error
(a lost connection, a deadlock, a serialisation failure: ``OperationalError``; a connection
already closed under it: ``InterfaceError``) is retried with an exponential backoff and picks
up where it stopped: the retry selects the candidates left again (its work list lives in the
database session, which a lost connection takes with it). ``today`` is an ISO date (the clock moved
for the demo or a catch-up); without it, today in Asia/Shanghai.
"""

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from dynamic_mgmt import schedule
from greenmfg.core import clock

RETRY = {
    "bind": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def _today(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else clock.today()


@shared_task(**RETRY)
def task_open_windows(self, today: str | None = None) -> dict:
    return schedule.open_windows(_today(today)).as_dict()


@shared_task(**RETRY)
def task_send_reminders(self, today: str | None = None) -> dict:
    return schedule.send_reminders(_today(today)).as_dict()


@shared_task(**RETRY)
def task_mark_late(self, today: str | None = None) -> dict:
    return schedule.mark_late(_today(today)).as_dict()


@shared_task(**RETRY)
def task_check_indicators(self, today: str | None = None) -> dict:
    return schedule.check_indicators(_today(today)).as_dict()


@shared_task(**RETRY)
def task_re_reviews(self, today: str | None = None) -> dict:
    return schedule.re_reviews(_today(today)).as_dict()


@shared_task(**RETRY)
def task_recheck_credit(self, today: str | None = None) -> dict:
    return schedule.recheck_credit(_today(today)).as_dict()


@shared_task(**RETRY)
def task_compute_benchmarks(self, today: str | None = None) -> dict:
    return schedule.benchmarks(_today(today)).as_dict()


@shared_task(**RETRY)
def task_run_schedule(self, today: str | None = None, only: list[str] | None = None) -> list:
    """Every sweep for one day, in order (what ``manage.py run_schedule`` runs in-process)."""
    return [result.as_dict() for result in schedule.run_all(_today(today), only=only)]
