"""Each role's inbox (待办), as the dashboard shows it.

The role inboxes are read in :mod:`reviews.selectors.inbox`; a listed unit's annual tables to
file come from ``dynamic_mgmt``, above ``reviews`` in the order of apps, so the applicant's
inbox is completed here, at the top.
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dynamic_mgmt.selectors.table import OVERDUE, my_filings
from greenmfg.accounts.roles import Role
from greenmfg.core import clock
from reviews.selectors import inbox as role_inbox
from reviews.selectors.inbox import AUTHORITY_ROLES, Inbox, InboxItem, deadline_of


def applicant_inbox(*, user, now: datetime | None = None) -> Inbox:
    """The applicant's inbox and, for a listed unit, the annual tables to file (two more
    queries)."""
    now = now or clock.now()
    inbox = role_inbox.applicant_inbox(user=user, now=now)
    if not user.is_authenticated or user.role != Role.APPLICANT or not user.organisation_id:
        return inbox
    inbox.filings = my_filings(user=user, today=timezone.localdate(now))
    inbox.items.extend(_annual_table_items(inbox.filings, now=now))
    return inbox


def _annual_table_items(filings, *, now: datetime) -> list[InboxItem]:
    """The item of a listed unit's annual tables to file (open or overdue), with the nearest
    deadline; none when nothing is to file."""
    rows = [row for row in filings if row.actionable]
    if not rows:
        return []
    overdue = any(row.state == OVERDUE for row in rows)
    return [
        InboxItem(
            key="annual_tables",
            label=_("待填报的动态管理表"),
            count=len(rows),
            url=reverse("dynamic_mgmt:table-mine"),
            deadline=deadline_of(min(row.window.deadline for row in rows), now=now),
            deadline_label=_("填报截止"),
            urgent=overdue,
            overdue_text=_("已逾期，请尽快填报") if overdue else "",
        )
    ]


def inbox_for(*, user, now: datetime | None = None) -> Inbox | None:
    """The inbox of the user's role; None for a role that has none (administrator, agency)."""
    if not user.is_authenticated:
        return None
    role = user.effective_role
    if role == Role.COUNTY_OFFICIAL:
        return role_inbox.county_inbox(user=user, now=now)
    if role in AUTHORITY_ROLES:
        return role_inbox.authority_inbox(user=user, now=now)
    if role == Role.DEPARTMENT_OFFICIAL:
        return role_inbox.department_inbox(user=user, now=now)
    if role == Role.EXPERT:
        return role_inbox.expert_inbox(user=user, now=now)
    if role == Role.APPLICANT:
        return applicant_inbox(user=user, now=now)
    return None
