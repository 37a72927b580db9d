"""Commands on a listed unit's history: a name change, a boundary or scope change, a re-review.

Each command locks the listing row, checks that the actor is an official whose subtree holds
the unit (or an administrator), takes the listing's event through the one door
(registry.services.listing.listing_transition: the table, one :class:`ListingEvent`, one audit
row), and
announces the change (registry.services.announcement.announce_change; the start of a
re-review is procedural and not announced). The
Organisation's own name is the directory's business: a name change here changes only what the
list shows (``Listing.unit_name``) and keeps the former name in the history. Removal belongs
to the dynamic-management flow (RemovalProposal) and is not done here.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenmfg.accounts.scoping import can_oversee
from greenmfg.core import clock
from greenmfg.core.dates import add_years
from greenmfg.core.errors import DomainError, NotPermitted
from registry.models import Listing, ListingEvent, RemovalProposal
from registry.selectors.listing import listing_scope_q
from registry.services.announcement import announce_change
from registry.services.listing import LISTING_TERMS_YEARS, listing_transition
from registry.workflow import (
    CHANGE_BOUNDARY,
    CHANGE_SCOPE,
    EXTEND,
    FAIL_RE_REVIEW,
    PASS_RE_REVIEW,
    RENAME,
    START_RE_REVIEW,
)

__all__ = [
    "CHANGE_KINDS",
    "RE_REVIEW_OUTCOMES",
    "can_record_history",
    "listing_record_change",
    "listing_record_name_change",
    "listing_record_re_review",
    "listings_overseen",
    "open_removal_proposals",
]

CHANGE_KINDS = (ListingEvent.Kind.BOUNDARY_CHANGE, ListingEvent.Kind.SCOPE_CHANGE)
# The listing's event (registry.workflow) for each kind of change recorded here.
CHANGE_EVENTS = {
    ListingEvent.Kind.BOUNDARY_CHANGE: CHANGE_BOUNDARY,
    ListingEvent.Kind.SCOPE_CHANGE: CHANGE_SCOPE,
}
STARTED, PASSED, FAILED = "started", "passed", "failed"
RE_REVIEW_OUTCOMES = {
    STARTED: gettext_lazy("启动复审"),
    PASSED: gettext_lazy("复审通过"),
    FAILED: gettext_lazy("复审未通过"),
}
VALUE_MAX = ListingEvent._meta.get_field("old_value").max_length
NAME_MAX = Listing._meta.get_field("unit_name").max_length


def can_record_history(*, user, listing: Listing) -> bool:
    """Officials whose subtree holds the unit, and administrators."""
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return False
    return can_oversee(user, listing.jurisdiction)


def _locked(listing: Listing, actor) -> Listing:
    """The listing's row, locked for the change, after the permission and state checks."""
    if not can_record_history(user=actor, listing=listing):
        raise NotPermitted(_("只有单位所在地区及其上级工业和信息化主管部门可以记录名单变动。"))
    locked = Listing.objects.select_for_update().select_related("jurisdiction").get(pk=listing.pk)
    if locked.status == Listing.Status.REMOVED:
        raise DomainError(_("该单位已移出名单，不能再记录变动。"), code="removed")
    return locked


def _check_date(listing: Listing, occurred_on: datetime.date) -> None:
    if occurred_on > clock.today():
        raise ValidationError({"occurred_on": _("日期不能晚于今天。")})
    if occurred_on < listing.listed_on:
        raise ValidationError(
            {
                "occurred_on": _("日期不能早于列入名单的日期（%(date)s）。")
                % {"date": listing.listed_on.isoformat()}
            }
        )


def listing_record_name_change(
    *,
    listing: Listing,
    actor,
    new_name: str,
    occurred_on: datetime.date,
    document_number: str = "",
    reason: str = "",
) -> ListingEvent:
    """名称变更: the list shows the new name from now on; the former one stays in the history."""
    new_name = " ".join(new_name.split())
    if not new_name:
        raise ValidationError({"new_name": _("请填写变更后的单位名称。")})
    if len(new_name) > NAME_MAX:
        raise ValidationError({"new_name": _("单位名称不能超过 %(n)d 个字。") % {"n": NAME_MAX}})
    with transaction.atomic():
        listing = _locked(listing, actor)
        _check_date(listing, occurred_on)
        if new_name == listing.unit_name:
            raise ValidationError({"new_name": _("变更后的名称与名单上的名称相同。")})
        event = listing_transition(
            listing=listing,
            event=RENAME,
            actor=actor,
            comment=reason.strip(),
            on=occurred_on,
            document_number=document_number.strip(),
            old_value=listing.unit_name[:VALUE_MAX],
            new_value=new_name[:VALUE_MAX],
            unit_name=new_name,
        )
        announce_change(event, actor=actor)
    return event


def listing_record_change(
    *,
    listing: Listing,
    actor,
    kind: str,
    new_value: str,
    occurred_on: datetime.date,
    old_value: str = "",
    document_number: str = "",
    reason: str = "",
) -> ListingEvent:
    """边界变更 / 范围或地址变更: recorded in the history; the listing itself is unchanged."""
    if kind not in CHANGE_KINDS:
        raise ValidationError({"kind": _("请选择边界变更或范围（地址）变更。")})
    new_value, old_value = new_value.strip(), old_value.strip()
    if not new_value:
        raise ValidationError({"new_value": _("请填写变更后的情况。")})
    if len(new_value) > VALUE_MAX or len(old_value) > VALUE_MAX:
        message = _("变更前后的情况各不能超过 %(n)d 个字，详情请写入说明。") % {"n": VALUE_MAX}
        raise ValidationError({"new_value": message})
    with transaction.atomic():
        listing = _locked(listing, actor)
        _check_date(listing, occurred_on)
        event = listing_transition(
            listing=listing,
            event=CHANGE_EVENTS[kind],
            actor=actor,
            comment=reason.strip(),
            on=occurred_on,
            document_number=document_number.strip(),
            old_value=old_value,
            new_value=new_value,
        )
        announce_change(event, actor=actor)
    return event


def _term_years(listing: Listing) -> int | None:
    policy = listing.batch.policy if listing.batch_id else ""
    return LISTING_TERMS_YEARS.get((policy, listing.level))


def listing_record_re_review(
    *,
    listing: Listing,
    actor,
    outcome: str,
    occurred_on: datetime.date,
    document_number: str = "",
    reason: str = "",
    valid_until: datetime.date | None = None,
) -> ListingEvent:
    """复审 (济南 第十五条: a three-year cycle, extended by re-review).

    ``started`` puts the unit under re-review; ``passed`` returns it to active and, for a list
    with a term, extends the validity by one term from the current end (or to ``valid_until``);
    ``failed`` records the result and leaves the unit under re-review: its removal goes
    through the dynamic-management flow.
    """
    if outcome not in RE_REVIEW_OUTCOMES:
        raise ValidationError({"outcome": _("请选择复审结果。")})
    if outcome == FAILED and not reason.strip():
        raise ValidationError({"reason": _("复审未通过时请说明理由。")})
    with transaction.atomic():
        listing = _locked(listing, actor)
        _check_date(listing, occurred_on)
        label = str(RE_REVIEW_OUTCOMES[outcome])
        recorded = {
            "listing": listing,
            "actor": actor,
            "comment": reason.strip(),
            "on": occurred_on,
            "document_number": document_number.strip(),
            "audit_data": {"outcome": outcome},
        }
        if outcome == STARTED:
            if listing.status == Listing.Status.UNDER_REVIEW:
                raise DomainError(_("该单位已在复审中。"), code="under_review")
            event = listing_transition(event=START_RE_REVIEW, new_value=label, **recorded)
        elif outcome == PASSED:
            old_end = listing.valid_until
            years = _term_years(listing)
            if valid_until is None and old_end is not None and years:
                valid_until = add_years(max(old_end, occurred_on), years)
            if valid_until is not None and valid_until <= occurred_on:
                raise ValidationError({"valid_until": _("新的有效期须晚于复审日期。")})
            new_end = valid_until if valid_until is not None else old_end
            if new_end is not None and new_end != old_end:
                event = listing_transition(
                    event=EXTEND,
                    old_value=old_end.isoformat() if old_end else "",
                    new_value=new_end.isoformat(),
                    valid_until=new_end,
                    **recorded,
                )
            else:
                event = listing_transition(
                    event=PASS_RE_REVIEW, new_value=label, valid_until=new_end, **recorded
                )
        else:
            event = listing_transition(event=FAIL_RE_REVIEW, new_value=label, **recorded)
        if outcome != STARTED:
            announce_change(event, actor=actor)
    return event


# --- queries of the officials' pages and API ---------------------------------------------------


def listings_overseen(*, user) -> QuerySet[Listing]:
    """The listings of the official's subtree (every listing for an administrator)."""
    queryset = Listing.objects.select_related("jurisdiction__parent", "authority", "batch")
    if not user.is_authenticated or not (user.is_sysadmin or user.is_official):
        return queryset.none()
    return queryset.filter(listing_scope_q(user))


def open_removal_proposals(*, listing: Listing) -> QuerySet[RemovalProposal]:
    """The removal proposals waiting for the authority's decision (read-only here)."""
    return listing.removal_proposals.filter(status=RemovalProposal.Status.OPEN).order_by(
        "-created_at", "-id"
    )
