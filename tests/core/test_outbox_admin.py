"""The outbox in the admin (待投递任务): what waits and why, sent now, or deleted."""

import pytest

from greenmfg.core.models import OutboxTask
from greenmfg.notifications.models import Notification
from tests.core.test_outbox import broker_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, demo):
    client.force_login(demo["admin"])
    return client


def kept(task: str = "greenmfg.notifications.tasks.task_send_notification", args=(0,)):
    return OutboxTask.objects.create(task=task, args=list(args), last_error="Connection refused")


def test_the_list_shows_what_waits_and_why(operator):
    row = kept()
    response = operator.get("/admin/core/outboxtask/")
    body = response.content.decode()
    assert response.status_code == 200
    assert row.task in body and "Connection refused" in body
    assert operator.get("/admin/core/outboxtask/add/").status_code == 403


def test_send_now_publishes_the_selected_rows_once(operator, demo, mailoutbox):
    notification = Notification.objects.create(
        recipient=demo["luoyang-county"], subject="待办：新的申报", body="请处理。"
    )
    row = kept(args=(notification.pk,))
    other = kept(args=(notification.pk,))
    response = operator.post(
        "/admin/core/outboxtask/",
        {"action": "send_now", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "已投递 1 个任务，未投递 0 个" in response.content.decode()
    assert not OutboxTask.objects.filter(pk=row.pk).exists()
    assert OutboxTask.objects.filter(pk=other.pk).exists()  # not selected: left for the flush
    assert len(mailoutbox) == 1


def test_send_now_while_the_broker_is_down_keeps_the_row(operator, broker_down):  # noqa: F811
    row = kept()
    response = operator.post(
        "/admin/core/outboxtask/",
        {"action": "send_now", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "已投递 0 个任务，未投递 1 个" in response.content.decode()
    row.refresh_from_db()
    assert row.attempts == 1


def test_a_row_no_process_knows_can_be_deleted(operator):
    row = kept(task="greenmfg.tasks.renamed_long_ago")
    response = operator.post(f"/admin/core/outboxtask/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not OutboxTask.objects.filter(pk=row.pk).exists()


def test_only_an_administrator_sees_it(client, demo):
    client.force_login(demo["luoyang-city"])
    response = client.get("/admin/core/outboxtask/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
