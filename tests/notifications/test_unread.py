"""Each user's messages show which are unread, and can be narrowed to those."""

import pytest

from greenmfg.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_unread_messages_are_marked_in_words_and_can_be_listed_alone(client, demo):
    user = demo["luoyang-county"]
    read = notify(recipient=user, subject="已读的消息", body="正文")
    notify(recipient=user, subject="未读的消息", body="正文")
    client.force_login(user)
    client.post(f"/notifications/{read.pk}/read/")

    everything = client.get("/notifications/").content.decode()
    unread = client.get("/notifications/?unread=1").content.decode()

    assert "已读的消息" in everything and "未读的消息" in everything
    assert everything.count(">未读</span>") == 1
    assert "未读的消息" in unread and "已读的消息" not in unread
