"""The Celery task of the reviews: the nightly end of publicity periods (公示期满). The beat
schedule that runs it is in greenmfg/celery.py; ``manage.py run_schedule`` runs it for any date.

The sweep is idempotent (an ended publicity is not found again) and each publicity ends in its
own transaction, so a task that fails on a database error is retried and picks up the rest.
"""

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from greenmfg.core import clock
from reviews.services.publicity import publicities_end


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def task_end_publicities(self, today: str | None = None) -> int:
    """End the publicities whose last day was before ``today`` (ISO; default: today)."""
    return publicities_end(datetime.date.fromisoformat(today) if today else clock.today())
