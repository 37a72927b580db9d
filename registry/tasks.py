from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def task_build_document(document_id: int) -> str:
    from .document_services import document_build

    return document_build(document_id).status
