"""The registry's documents are built by the shared tasks of greenmfg.core.tasks (a long list's
PDF in parts, the published list's PDF at publication); registry.services.document registers
how. This task stays for the builds queued under its name before the move."""

from celery import shared_task

from greenmfg.core.tasks import task_build_document as core_build_document


@shared_task
def task_build_document(document_id: int) -> str:
    core_build_document.delay(document_id)
    return "forwarded"
