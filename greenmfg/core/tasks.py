"""The Celery tasks that build long documents (see greenmfg.core.documents).

Each is retried ``MAX_RETRIES`` times on any error; after the last try its document is marked
failed and the progress page says so. The parts of one document are separate tasks, so two
workers build them side by side; the last part to finish queues the merge.
"""

import functools

from celery import shared_task

from greenmfg.core import documents, outbox


@shared_task(bind=True, max_retries=documents.MAX_RETRIES)
def task_build_document(self, document_id: int) -> str:
    return documents.run_with_retries(
        self, document_id, lambda: documents.build_document(document_id)
    )


@shared_task(bind=True, max_retries=documents.MAX_RETRIES)
def task_build_document_part(self, document_id: int, index: int) -> str:
    return documents.run_with_retries(
        self, document_id, lambda: documents.build_part(document_id, index)
    )


@shared_task(bind=True, max_retries=documents.MAX_RETRIES)
def task_merge_document(self, document_id: int) -> str:
    return documents.run_with_retries(
        self, document_id, lambda: documents.merge_document(document_id)
    )


@shared_task
def task_delete_expired_documents() -> int:
    """Nightly (beat): the documents older than DOCUMENT_RETENTION_DAYS, with their files."""
    return documents.delete_expired_documents()


@shared_task
def task_flush_outbox() -> int:
    """Every five minutes (beat): the tasks the broker could not take when they were queued, or
    that a process died before publishing after its commit."""
    return outbox.flush_outbox()


def register() -> None:
    """Start documents' builds through these tasks (called by CoreConfig.ready), through the
    outbox so that a broker down never fails the request that asked for one. A build is kept
    in the transaction that creates its document (published after the commit, or by the flush
    if the process dies first); parts and merges, queued by a worker, are published at once."""
    documents.register_queue(
        build=functools.partial(outbox.enqueue_on_commit, task_build_document),
        part=functools.partial(outbox.enqueue, task_build_document_part),
        merge=functools.partial(outbox.enqueue, task_merge_document),
    )
