"""The Celery tasks that build long documents (see greenmfg.core.documents).

Each is retried ``MAX_RETRIES`` times on any error; after the last try its document is marked
failed and the progress page says so. The parts of one document are separate tasks, so two
workers build them side by side; the last part to finish queues the merge.
"""

from celery import shared_task

from greenmfg.core import documents


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


def register() -> None:
    """Start documents' builds through these tasks (called by CoreConfig.ready)."""
    documents.register_queue(
        build=task_build_document.delay,
        part=task_build_document_part.delay,
        merge=task_merge_document.delay,
    )
