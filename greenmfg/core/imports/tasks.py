"""The Celery tasks of large imports (above ``IMPORT_ASYNC_ROWS`` rows): ids in, services out.

A failure is recorded on the run (its page says so) and not retried: an import is checked again
from its file by the next try the user asks for.
"""

import contextlib

from celery import shared_task

from greenmfg.core import outbox
from greenmfg.core.errors import DomainError
from greenmfg.core.imports import services


@shared_task
def task_import_preview(run_id: int) -> None:
    with contextlib.suppress(DomainError):  # recorded on the run
        services.run_preview(run_id)


@shared_task
def task_import_apply(run_id: int, keep_good_rows: bool) -> None:
    with contextlib.suppress(DomainError):  # recorded on the run
        services.run_apply(run_id, keep_good_rows=keep_good_rows)


def register() -> None:
    """Large imports run through these tasks, queued after the upload's commit (called by
    CoreConfig.ready)."""

    def later(task):
        def queue(*args):
            outbox.enqueue_on_commit(task, *args)

        return queue

    services.register_queue(preview=later(task_import_preview), apply=later(task_import_apply))
