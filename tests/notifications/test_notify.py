import pytest
from django.core import mail

from greenmfg.notifications.delivery import notification_send
from greenmfg.notifications.models import Notification
from greenmfg.notifications.services import notify
from greenmfg.notifications.tasks import task_send_queued_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_sends_email_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(email="li@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, subject="审核结果", body="已通过", link="/dashboard/")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert mail.outbox[0].to == ["li@example.cn"]
    assert "审核结果" in mail.outbox[0].subject and "/dashboard/" in mail.outbox[0].body


def test_sending_twice_sends_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, subject="a", body="b")
    notification_send(notification_id=notification.id)
    assert len(mail.outbox) == 1


def test_user_without_email_keeps_message_in_portal():
    user = UserFactory(email="")
    notification = notify(recipient=user, subject="a", body="b")
    assert notification.status == Notification.Status.NO_EMAIL


def test_failed_send_is_recorded_and_retried(settings, django_capture_on_commit_callbacks):
    user = UserFactory()
    notification = Notification.objects.create(recipient=user, subject="s", body="b")
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    notification_send(notification_id=notification.id)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.attempts == 1 and "SMTP down" in notification.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at.replace(year=2020)
    )
    assert task_send_queued_notifications.delay().get() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
