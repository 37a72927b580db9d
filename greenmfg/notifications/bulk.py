"""Many notifications at once: what a nightly sweep tells hundreds of units and bureaus.

:func:`greenmfg.notifications.services.notify` keeps one message and queues its e-mail;
:func:`send_notices` keeps a page of them set-based (greenmfg.core.bulk.insert_rows) and queues
their e-mail as one task per page after the commit (:func:`dispatch_notifications`, then
tasks.task_send_notifications and delivery.notification_send, as for one).
:func:`send_notices_query` does the same for notices the database builds from a query (one
``INSERT … SELECT``): a notice to each account of each unit of a page, nothing read into Python.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from celery import current_task
from django.db import transaction
from django.db.models import Case, Expression, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from greenmfg.core import outbox
from greenmfg.core.bulk import insert_rows, insert_select
from greenmfg.notifications.models import Notification
from greenmfg.notifications.tasks import task_send_notifications

# A notice about many units names this many and counts the rest.
NAMES_SHOWN = 20


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    email: str
    subject: str
    body: str
    link: str = ""


def send_notices(notices: Sequence[Notice]) -> int:
    """Keep the notices in bulk and queue their e-mail after the commit; the count kept."""
    if not notices:
        return 0
    queued_status = Notification.Status.QUEUED
    created = insert_rows(
        Notification,
        [
            {
                "recipient_id": notice.recipient_id,
                "subject": notice.subject[:200],
                "body": notice.body,
                "link": notice.link[:300],
                "status": queued_status if notice.email else Notification.Status.NO_EMAIL,
            }
            for notice in notices
        ],
        returning=("id", "status"),
    )
    queued = [pk for pk, status in created if status == queued_status]
    if queued:
        transaction.on_commit(lambda: dispatch_notifications(queued))
    return len(created)


def send_notices_query(
    source: QuerySet,
    *,
    recipient: Expression,
    email: str,
    subject: str,
    body: Expression,
    link: str = "",
) -> int:
    """:func:`send_notices` for a notice per row of ``source``, built by the database in one
    ``INSERT … SELECT`` (greenmfg.core.bulk.insert_select): ``recipient`` is the expression of
    the user's id over ``source``, ``email`` the path to the user's e-mail (a notice without one
    is kept in the portal only), ``body`` an expression of the text. Their e-mail is queued
    after the commit as for :func:`send_notices`; the count kept."""
    queued_status = Notification.Status.QUEUED
    created = insert_select(
        Notification,
        source,
        {
            "recipient_id": recipient,
            "subject": subject[:200],
            "body": body,
            "link": link[:300],
            "status": Case(
                When(
                    Q(**{email: ""}) | Q(**{f"{email}__isnull": True}),
                    then=Value(Notification.Status.NO_EMAIL),
                ),
                default=Value(queued_status),
            ),
        },
        returning=("id", "status"),
    )
    queued = [pk for pk, status in created if status == queued_status]
    if queued:
        transaction.on_commit(lambda: dispatch_notifications(queued))
    return len(created)


def dispatch_notifications(ids: list[int]) -> None:
    """Send the e-mail of a page's notifications: one task per page. The benchmark replaces
    this to time the sweep alone; the 5-minute resend task picks up anything left queued."""
    # From a worker, the e-mail follows the sweep on its queue; elsewhere the default queue.
    request = current_task.request if current_task else None
    queue = None
    if request is not None and not request.is_eager:
        queue = (request.delivery_info or {}).get("routing_key")
    outbox.enqueue(task_send_notifications, ids, queue=queue)


def names_text(names: Sequence[str]) -> str:
    """The first :data:`NAMES_SHOWN` names, and how many there are when there are more."""
    shown = "、".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += _("等 %(count)d 家") % {"count": len(names)}
    return shown


def group_notices(
    groups: Mapping[Hashable, Sequence[str]],
    recipients: Mapping[Hashable, Sequence[tuple[int, str]]],
    subject: str,
    body: str,
    link: str = "",
) -> list[Notice]:
    """One notice per group to each of its recipients ((user id, e-mail) by the group's key),
    naming the group's members: ``subject`` and ``body`` may use ``%(count)d`` and
    ``%(names)s``."""
    notices = []
    for key, names in groups.items():
        facts = {"count": len(names), "names": names_text(names)}
        for user_id, email in recipients.get(key, ()):
            notices.append(Notice(user_id, email, subject % facts, body % facts, link))
    return notices
