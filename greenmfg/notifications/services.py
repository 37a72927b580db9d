from greenmfg.core import clock, outbox
from greenmfg.notifications.models import Notification
from greenmfg.notifications.tasks import task_send_notification


def notify(*, recipient, subject: str, body: str, link: str = "") -> Notification:
    """Keep a message for ``recipient`` and send it by e-mail once the transaction commits (through
    the outbox: a broker down delays the e-mail, never the caller)."""
    notification = Notification.objects.create(
        recipient=recipient,
        subject=subject,
        body=body,
        link=link,
        status=Notification.Status.QUEUED if recipient.email else Notification.Status.NO_EMAIL,
    )
    if recipient.email:
        outbox.enqueue_on_commit(task_send_notification, notification.id)
    return notification


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
