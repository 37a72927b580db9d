from celery import shared_task

from .delivery import notification_send, queued_notification_ids


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def task_send_notification(self, notification_id: int) -> str:
    notification = notification_send(notification_id=notification_id)
    return notification.status if notification else "skipped"


@shared_task
def task_send_queued_notifications() -> int:
    ids = queued_notification_ids()
    for notification_id in ids:
        task_send_notification.delay(notification_id)
    return len(ids)
