"""事故/事件: a county records a major accident or a level II or higher environmental event at a
listed unit, and a removal proposal opens for the listing's authority.

How soon the county must report, counted from the day of the event:

- 洛阳 第十七条: "3日内报市工业和信息化局" — on time up to and including the third day after
  the event; the fourth day is late. When the third day is a rest day the period ends on the
  next working day (民法典 第二百零三条, workdays.period_end).
- 济南 第十八条: "实时上报". A portal counts in days, so 实时 is read as the same day or the next
  (the event may happen at night or be found the next morning); the second day after is late.
  实时 is no period the document counts in days, so a weekend does not stretch it.
- 大连: the notice names no reporting window; nothing is flagged.

Late reports are recorded and flagged, never refused. Every recorded incident opens a removal
proposal under the policy's incident ground (洛阳 第十八条(四), 济南 第十八条, 大连 三).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_mgmt.models import Incident
from dynamic_mgmt.policy import listing_policy
from dynamic_mgmt.services.removal import propose_removal
from dynamic_mgmt.workdays import PeriodEnd, period_end
from greenmfg.accounts.scoping import can_oversee, scope_queryset
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from registry.models import Listing, RemovalProposal


@dataclass(frozen=True)
class ReportingWindow:
    days: int  # after the event, the report on the last of them still on time
    basis: str
    # The document counts a period in days (民法典 第二百零三条 applies: a last day on a rest day
    # moves to the next working day); 济南's 实时 is no period, the portal's one day is a reading.
    is_period: bool


REPORTING_WINDOWS = {
    "luoyang-2024": ReportingWindow(3, gettext_lazy("洛阳 第十七条：事故发生后3日内上报"), True),
    "jinan-2024": ReportingWindow(
        1, gettext_lazy("济南 第十八条：实时上报（按当日或次日计）"), False
    ),
}
RECORD = "record"


def reporting_deadline(policy: str, occurred_on: datetime.date) -> PeriodEnd | None:
    """The last day of the reporting window (None: the policy sets none)."""
    window = REPORTING_WINDOWS.get(policy)
    if window is None:
        return None
    day = occurred_on + datetime.timedelta(days=window.days)
    return period_end(day) if window.is_period else PeriodEnd(day, day)


def is_late(policy: str, occurred_on: datetime.date, reported_on: datetime.date) -> bool:
    deadline = reporting_deadline(policy, occurred_on)
    return deadline is not None and reported_on > deadline.date


def reporting_basis(policy: str) -> str:
    window = REPORTING_WINDOWS.get(policy)
    return str(window.basis) if window else _("未规定上报时限")


# --- who and what ------------------------------------------------------------------------------


def may_record(*, user, listing: Listing) -> bool:
    """The officials whose subtree holds the unit (the county first of all)."""
    return bool(
        user.is_authenticated and user.is_official and can_oversee(user, listing.jurisdiction)
    )


def incident_list(*, user) -> QuerySet[Incident]:
    queryset = Incident.objects.select_related(
        "listing__jurisdiction", "listing__authority", "reported_by"
    )
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return queryset.none()
    return scope_queryset(queryset, user, jurisdiction_field="listing__jurisdiction")


def recordable_listings(*, user) -> QuerySet[Listing]:
    """The units on a list in the official's subtree."""
    if not user.is_authenticated or not user.is_official:
        return Listing.objects.none()
    queryset = Listing.objects.exclude(status=Listing.Status.REMOVED).select_related("jurisdiction")
    return scope_queryset(queryset, user, jurisdiction_field="jurisdiction").order_by(
        "unit_name", "pk"
    )


def proposal_of(incident: Incident) -> RemovalProposal | None:
    """The removal proposal the incident opened."""
    entry = audit_entries_for(subject=incident).filter(action=RECORD).first()
    proposal_id = (entry.data or {}).get("proposal") if entry else None
    if not isinstance(proposal_id, int):
        return None
    return RemovalProposal.objects.filter(pk=proposal_id).first()


# --- the command -----------------------------------------------------------------------------


@transaction.atomic
def incident_record(
    *,
    listing: Listing,
    actor,
    kind: str,
    occurred_on: datetime.date,
    description: str,
    reported_on: datetime.date | None = None,
) -> Incident:
    """Record an incident, flag it late under the policy's window and open a removal proposal."""
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "authority__jurisdiction", "batch")
        .get(pk=listing.pk)
    )
    if not may_record(user=actor, listing=listing):
        raise NotPermitted(_("只有单位所在县（区）及其上级工业和信息化主管部门可以记录事故事件。"))
    if listing.status == Listing.Status.REMOVED:
        raise DomainError(_("该单位已移出名单。"), code="removed")
    today = clock.today()
    reported_on = reported_on or today
    description = description.strip()
    errors = {}
    if kind not in Incident.Kind.values:
        errors["kind"] = _("请选择事故事件类别。")
    if occurred_on > today:
        errors["occurred_on"] = _("发生日期不能晚于今天。")
    if reported_on > today:
        errors["reported_on"] = _("上报日期不能晚于今天。")
    elif reported_on < occurred_on:
        errors["reported_on"] = _("上报日期不能早于发生日期。")
    if not description:
        errors["description"] = _("请填写情况说明。")
    if errors:
        raise ValidationError(errors)
    policy = listing_policy(listing)
    deadline = reporting_deadline(policy, occurred_on)
    late = deadline is not None and reported_on > deadline.date
    incident = Incident.objects.create(
        listing=listing,
        kind=kind,
        occurred_on=occurred_on,
        reported_on=reported_on,
        late=late,
        description=description,
        reported_by=actor,
    )
    proposal = propose_removal(
        listing=listing,
        source=RemovalProposal.Source.INCIDENT,
        ground_code="incident",
        reason=_("%(date)s 发生%(kind)s：%(description)s")
        % {
            "date": occurred_on.isoformat(),
            "kind": incident.get_kind_display(),
            "description": description,
        },
        actor=actor,
        data={"incident": incident.pk},
    )
    audit_record(
        subject=incident,
        actor=actor,
        action=RECORD,
        action_label=_("记录事故事件"),
        comment=description,
        data={
            "kind": kind,
            "occurred_on": occurred_on.isoformat(),
            "reported_on": reported_on.isoformat(),
            "deadline": deadline.date.isoformat() if deadline else None,
            "deadline_note": deadline.note if deadline else "",
            "calendar_warning": "".join(deadline.warnings) if deadline else "",
            "late": late,
            "basis": reporting_basis(policy),
            "proposal": proposal.pk,
        },
    )
    return incident


def incident_link(incident: Incident) -> str:
    return reverse("dynamic_mgmt:incident-detail", args=[incident.pk])
