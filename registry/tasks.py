"""The Celery tasks of the registry: building a large document in the background. Tasks import
the services, never the reverse: document_services queues the build through the hook that
RegistryConfig.ready registers (:func:`queue_build`)."""

from celery import shared_task
from django.db import OperationalError

from registry.services.document import document_build


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def task_build_document(document_id: int) -> str:
    return document_build(document_id).status


def queue_build(document_id: int) -> None:
    task_build_document.delay(document_id)
