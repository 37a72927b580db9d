from celery import shared_task
from django.db import OperationalError

from greenmfg.core import outbox
from greenmfg.notifications.delivery import notification_send, queued_notification_ids


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def task_send_notification(self, notification_id: int) -> str:
    notification = notification_send(notification_id=notification_id)
    return notification.status if notification else "skipped"


@shared_task
def task_send_queued_notifications() -> int:
    ids = queued_notification_ids()
    for notification_id in ids:
        outbox.enqueue(task_send_notification, notification_id)
    return len(ids)


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def task_send_notifications(self, notification_ids: list[int]) -> int:
    """The e-mail of one page of notices kept in bulk (bulk.send_notices). Sending is
    idempotent (a sent one is left alone), so a retry after a database error sends only what
    is still queued."""
    sent = 0
    for notification_id in notification_ids:
        notification = notification_send(notification_id=notification_id)
        sent += notification is not None
    return sent
