"""Handing Celery tasks to the broker without ever failing the request that queued them.

Every task queued after a commit goes through :func:`enqueue`. It publishes once, with the
short connection timeouts of the settings (``CELERY_BROKER_CONNECTION_TIMEOUT``, the Redis
transports' ``socket_connect_timeout``, no publish retry and no result-store reconnect loop):
when Redis is down the request that committed is answered at once, and the task is kept as an
:class:`~greenmfg.core.models.OutboxTask` row. :func:`flush_outbox` (beat every five minutes,
``manage.py flush_outbox``) publishes the rows again, oldest first, and deletes each once the
broker has taken it.

A task may thus run twice (a row published, then the process killed before its delete), never
not at all: the tasks queued here are idempotent (a notification is sent only while queued, a
document built only while in flight). With ``CELERY_TASK_ALWAYS_EAGER`` (the demo, the tests)
tasks run in-process as before and nothing is kept.
"""

from __future__ import annotations

import logging

from celery import Task, current_app
from django.db import transaction

from greenmfg.core.models import OutboxTask

logger = logging.getLogger(__name__)


def _publish(task: Task, args: list, queue: str | None) -> None:
    options = {"queue": queue} if queue else {}
    # retry=False: one try at the broker, no kombu retry loop holding the request.
    task.apply_async(args=args, retry=False, **options)


def enqueue(task: Task, *args, queue: str | None = None) -> None:
    """Publish ``task(*args)``; when the broker cannot take it, keep it in the outbox."""
    if task.app.conf.task_always_eager:
        _publish(task, list(args), queue)
        return
    try:
        _publish(task, list(args), queue)
    except Exception as error:
        # Any broker or result-store failure (kombu's OperationalError, the Redis result
        # store's RuntimeError) is kept for later, never raised to the user.
        logger.warning("broker unavailable, %s kept in the outbox: %s", task.name, error)
        OutboxTask.objects.create(
            task=task.name, args=list(args), queue=queue or "", last_error=str(error)[:2000]
        )


def flush_outbox(*, limit: int = 1000) -> int:
    """Publish the kept tasks again, oldest first; the count published. Stops at the first
    failure (the broker is still down: the rest wait for the next run). Each row is locked
    while it is published (``skip_locked``), so two runs side by side never send one twice."""
    published = 0
    last_id = 0
    for _ in range(limit):
        with transaction.atomic():
            row = (
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(id__gt=last_id)
                .order_by("id")
                .first()
            )
            if row is None:
                break
            last_id = row.id
            task = current_app.tasks.get(row.task)
            try:
                if task is None:
                    raise LookupError(f"unknown task {row.task}")
                _publish(task, row.args, row.queue or None)
            except Exception as error:
                row.attempts += 1
                row.last_error = str(error)[:2000]
                row.save(update_fields=["attempts", "last_error"])
                if task is None:
                    continue
                logger.warning("outbox: %s still not published: %s", row.task, error)
                break
            row.delete()
            published += 1
    return published
