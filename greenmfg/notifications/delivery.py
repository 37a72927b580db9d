"""E-mail delivery of notifications, called by the Celery tasks."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from greenmfg.core import clock
from greenmfg.notifications.models import Notification

MAX_ATTEMPTS = 5


def notification_send(*, notification_id: int) -> Notification | None:
    """Send one queued notification. Idempotent: a sent one is left alone."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(id=notification_id, status=Notification.Status.QUEUED)
            .first()
        )
        if notification is None:
            return None
        notification.attempts += 1
        try:
            body = notification.body
            if notification.link:
                body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.link}"
            send_mail(
                subject=f"[绿色制造名单管理平台] {notification.subject}",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
        except Exception as error:
            notification.last_error = str(error)[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            return notification
        notification.status = Notification.Status.SENT
        notification.sent_at = clock.now()
        notification.save(update_fields=["attempts", "status", "sent_at"])
        return notification


def queued_notification_ids(*, older_than: timedelta = timedelta(minutes=5)) -> list[int]:
    cutoff = clock.now() - older_than
    return list(
        Notification.objects.filter(
            status=Notification.Status.QUEUED, created_at__lt=cutoff
        ).values_list("id", flat=True)[:1000]
    )
