"""Handing Celery tasks to the broker: never failing the request that queued them, never losing
one that its transaction committed.

**After a commit.** Code that queues a task for after its transaction commits calls
:func:`enqueue_on_commit` (never ``transaction.on_commit`` around a publish of its own). Inside
the transaction it writes the task as an :class:`~greenmfg.core.models.OutboxTask` row, so the
task commits or rolls back with the data it is about; once committed, an ``on_commit`` callback
publishes it once and deletes the row. A process that dies between the commit and that publish
(killed, restarted by a deploy, out of memory) leaves the row behind, and the flush below
publishes it: before, such a task was lost with the process. When the broker refuses the
publish, the row stays with the try counted.

**Any time.** :func:`enqueue` publishes at once (from a worker, a sweep): when the broker cannot
take the task, it is kept as a row. The e-mail of notices kept in bulk
(greenmfg.notifications.bulk) is published this way after the commit: the notices are rows
themselves, which the five-minute resend sweep sends if that publish never happens.

Either way the publish is one try, with the short connection timeouts of the settings
(``CELERY_BROKER_CONNECTION_TIMEOUT``, the Redis transports' ``socket_connect_timeout``, no
publish retry and no result-store reconnect loop): when Redis is down the request that
committed is answered at once. :func:`flush_outbox` (beat every five minutes,
``manage.py flush_outbox``) publishes the kept rows again, oldest first, and deletes each once
the broker has taken it. It leaves alone a row younger than ``OUTBOX_GRACE_SECONDS`` (two
minutes) that no publish has failed yet: its own ``on_commit`` publish may still be under way.
Both the callback and the flush lock the row they publish (``skip_locked``), so neither sends a
row the other is sending.

A task may thus run twice (a row published, then the process killed before its delete), never
not at all: the tasks queued here bear a second run (a notification is sent only while queued,
a document built only while in flight, an import matches its rows against what the database
holds again, a set-password e-mail goes only to an account that has no password yet). With
``CELERY_TASK_ALWAYS_EAGER`` (the demo, the tests) tasks run in-process after the commit as
before, and nothing is kept.
"""

from __future__ import annotations

import datetime
import logging

from celery import Task, current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from greenmfg.core import clock
from greenmfg.core.models import OutboxTask

logger = logging.getLogger(__name__)

# How long a fresh row is left to the on_commit publish of the process that wrote it.
DEFAULT_GRACE_SECONDS = 120


def _publish(task: Task, args: list, queue: str | None) -> None:
    options = {"queue": queue} if queue else {}
    # retry=False: one try at the broker, no kombu retry loop holding the request.
    task.apply_async(args=args, retry=False, **options)


def _error_text(error: Exception) -> str:
    # Never empty: a row with an error is one a publish has failed, which the flush takes at once.
    return (str(error) or repr(error))[:2000]


def enqueue(task: Task, *args, queue: str | None = None) -> None:
    """Publish ``task(*args)`` now; when the broker cannot take it, keep it in the outbox."""
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
            task=task.name, args=list(args), queue=queue or "", last_error=_error_text(error)
        )


def enqueue_on_commit(task: Task, *args, queue: str | None = None) -> None:
    """Queue ``task(*args)`` for once the current transaction commits, kept in the outbox from
    inside the transaction: published once by the commit's callback, or by the flush if this
    process dies first. A rolled-back transaction queues nothing. Outside a transaction the row
    is written and published at once."""
    if task.app.conf.task_always_eager:
        transaction.on_commit(lambda: enqueue(task, *args, queue=queue))
        return
    row = OutboxTask.objects.create(task=task.name, args=list(args), queue=queue or "")
    # robust: the transaction has committed and the row keeps the task; a failure here (the
    # database gone between the commit and the delete) is logged, never the caller's.
    transaction.on_commit(lambda: _publish_kept(row.pk, task), robust=True)


def _publish_kept(row_id: int, task: Task) -> None:
    """The commit's callback: publish the row's task once and delete the row, unless a flush
    has taken it meanwhile."""
    with transaction.atomic():
        row = OutboxTask.objects.select_for_update(skip_locked=True).filter(pk=row_id).first()
        if row is None:  # published (or being published) by a flush
            return
        if not _deliver(row, task):
            logger.warning(
                "broker unavailable, %s kept in the outbox: %s", row.task, row.last_error
            )


def _deliver(row: OutboxTask, task: Task | None) -> bool:
    """Publish a locked row's task and delete the row; on failure count the try. Whether the
    broker took it."""
    try:
        if task is None:
            raise LookupError(f"unknown task {row.task}")
        _publish(task, row.args, row.queue or None)
    except Exception as error:
        row.attempts += 1
        row.last_error = _error_text(error)
        row.save(update_fields=["attempts", "last_error"])
        return False
    row.delete()
    return True


def grace_seconds() -> int:
    return int(getattr(settings, "OUTBOX_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))


def flush_outbox(
    *, limit: int = 1000, grace: int | None = None, only: list[int] | None = None
) -> int:
    """Publish the kept tasks again, oldest first; the count published. ``only``: these rows
    (the admin's selection), else every row due.

    Takes a row a publish has already failed, or one older than ``grace`` seconds (default
    ``OUTBOX_GRACE_SECONDS``): a younger untried row is still its commit's to publish. Stops at
    the first failure (the broker is still down: the rest wait for the next run). Each row is
    locked while it is published (``skip_locked``), so two runs side by side, or a run and a
    commit's callback, never send one twice."""
    grace = grace_seconds() if grace is None else grace
    # created_at is the machine's moment (auto_now_add), whatever the demo's date.
    cutoff = clock.real_now() - datetime.timedelta(seconds=grace)
    due = Q(attempts__gt=0) | ~Q(last_error="") | Q(created_at__lte=cutoff)
    if only is not None:
        due &= Q(id__in=only)
    published = 0
    last_id = 0
    for _ in range(limit):
        with transaction.atomic():
            row = (
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(due, id__gt=last_id)
                .order_by("id")
                .first()
            )
            if row is None:
                break
            last_id = row.id
            task = current_app.tasks.get(row.task)
            if _deliver(row, task):
                published += 1
                continue
            if task is None:
                continue
            logger.warning("outbox: %s still not published: %s", row.task, row.last_error)
            break
    return published
