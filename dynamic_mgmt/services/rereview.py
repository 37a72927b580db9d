"""三年复审 (济南 第十五条): a Jinan city unit's three-year cycle ends in a re-review.

The nightly sweep (dynamic_mgmt.schedule.re_reviews) tells the unit and its county ahead of the
term's end and opens a :class:`ReReviewCase` on the day, putting the unit under re-review. The
city that published the list (or a level above: removal_services.may_decide) then decides:

- :func:`re_review_extend` — passed: the term runs three more years from its end
  (``valid_until`` += 3 years), the registry records the "extended" history entry and announces
  it (registry.services.history.listing_record_re_review → announce_change), the unit is
  active again;
- :func:`re_review_end` — failed: the registry records the result, and a removal proposal opens
  with the ground explained, so that the removal itself stays the one flow of
  dynamic_mgmt.services.removal (decided, announced, three years' bar).

Every decision is audited on the case and told to the unit and its county.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dynamic_mgmt.models import ReReviewCase
from dynamic_mgmt.policy import listing_policy
from dynamic_mgmt.removal_grounds import Ground, ground
from dynamic_mgmt.services.removal import may_decide, propose_removal
from dynamic_mgmt.workflow import END, EXTEND, re_review_workflow
from greenmfg.accounts.scoping import scope_queryset
from greenmfg.accounts.selectors import bureau_users, unit_users
from greenmfg.core import clock
from greenmfg.core.dates import add_years
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.transitions import run_transition
from greenmfg.notifications.bulk import Notice, send_notices
from registry.models import Listing, RemovalProposal
from registry.services.history import FAILED, PASSED, listing_record_re_review

__all__ = [
    "RE_REVIEW_GROUND",
    "TERM_YEARS",
    "extended_until",
    "may_decide_re_review",
    "re_review_end",
    "re_review_extend",
    "re_review_list",
]

TERM_YEARS = 3
S = ReReviewCase.Status
DOCUMENT_MAX = 100
# 济南 第十五条 ends a unit's listing when its re-review fails; removal_grounds has no row for
# it yet, so it is named here (the lead may move it there as jinan-2024 "re_review_failed").
RE_REVIEW_GROUND = Ground("re_review_failed", "第十五条", "三年期满复审未通过")


# --- queries --------------------------------------------------------------------------------------


def re_review_list(*, user) -> QuerySet[ReReviewCase]:
    """The cases of the official's subtree (all for an admin); a unit's users see their own."""
    queryset = ReReviewCase.objects.select_related(
        "listing__jurisdiction", "listing__authority__jurisdiction", "decided_by"
    )
    return scope_queryset(
        queryset,
        user,
        jurisdiction_field="listing__jurisdiction",
        organisation_field="listing__organisation",
    )


def may_decide_re_review(*, user, case: ReReviewCase) -> bool:
    """The officials of the bureau that published the list, and those above it (the same
    officials who decide its removal)."""
    return may_decide(user=user, listing=case.listing)


def extended_until(case: ReReviewCase) -> datetime.date:
    """The end of the next term if the case passes: three years after the current end."""
    return add_years(case.listing.valid_until or case.due_on, TERM_YEARS)


# --- commands -------------------------------------------------------------------------------------


def _locked_open(case: ReReviewCase, actor) -> ReReviewCase:
    case = (
        ReReviewCase.objects.select_for_update(of=("self",))
        .select_related(
            "listing__authority__jurisdiction", "listing__jurisdiction", "listing__batch"
        )
        .get(pk=case.pk)
    )
    if not may_decide_re_review(user=actor, case=case):
        raise NotPermitted(
            _("只有发布该名单的%(authority)s及其上级工业和信息化主管部门可以作出复审结论。")
            % {"authority": case.listing.authority.name}
        )
    if case.status != S.OPEN:
        raise DomainError(
            _("该复审已作出结论（%(status)s）。") % {"status": case.get_status_display()},
            code="decided",
        )
    if case.listing.status == Listing.Status.REMOVED:
        raise DomainError(_("该单位已移出名单。"), code="removed")
    return case


def _clean_document_number(value: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > DOCUMENT_MAX:
        raise ValidationError(
            {"document_number": _("文号不能超过 %(n)d 个字。") % {"n": DOCUMENT_MAX}}
        )
    return value


def _close(case: ReReviewCase, *, actor, action: str, decision: str, data: dict) -> None:
    """The case's conclusion, through the runner; ``case`` (locked and checked by
    :func:`_locked_open`) is updated in place for the caller."""

    def decide(row: ReReviewCase, transition) -> None:
        row.decision, row.decided_by, row.decided_at = decision, actor, clock.now()

    row = run_transition(
        workflow=re_review_workflow,
        instance=case,
        action=action,
        actor=actor,
        comment=decision,
        # may_decide_re_review let only officials this far (a superuser among them included).
        role=actor.role,
        before_save=decide,
        update_fields=["decision", "decided_by", "decided_at"],
        # The trail has always named the conclusion by the state it reaches.
        audit_action={EXTEND: S.EXTENDED, END: S.ENDED}[action],
        audit_data={"listing": case.listing_id, "due_on": case.due_on.isoformat(), **data},
    )
    case.status, case.decision = row.status, row.decision
    case.decided_by, case.decided_at = row.decided_by, row.decided_at


def _tell(case: ReReviewCase, subject: str, body: str) -> None:
    """The unit's accounts and its county's officials."""
    listing = case.listing
    link = reverse("dynamic_mgmt:rereview-detail", args=[case.pk])
    recipients = unit_users([listing.organisation_id]).get(listing.organisation_id, [])
    notices = [Notice(user_id, email, subject, body) for user_id, email in recipients]
    county = bureau_users(jurisdiction_ids=[listing.jurisdiction_id])
    notices += [
        Notice(user_id, email, subject, body, link)
        for user_id, email in county.get(listing.jurisdiction_id, [])
    ]
    send_notices(notices)


@transaction.atomic
def re_review_extend(
    *, case: ReReviewCase, actor, reason: str = "", document_number: str = ""
) -> ReReviewCase:
    """复审通过: the listing is valid three more years from the end of its term, active again;
    the extension is in its history and announced."""
    document_number = _clean_document_number(document_number)
    case = _locked_open(case, actor)
    listing = case.listing
    old_end = listing.valid_until or case.due_on
    new_end = extended_until(case)
    event = listing_record_re_review(
        listing=listing,
        actor=actor,
        outcome=PASSED,
        occurred_on=clock.today(),
        document_number=document_number,
        reason=reason.strip(),
        valid_until=new_end,
    )
    decision = reason.strip() or _("复审通过，有效期延长至 %(date)s。") % {
        "date": new_end.isoformat()
    }
    _close(
        case,
        actor=actor,
        action=EXTEND,
        decision=decision,
        data={"event": event.pk, "valid_until": new_end.isoformat(), "document": document_number},
    )
    _tell(
        case,
        _("复审通过：名单有效期延长至 %(date)s") % {"date": new_end.isoformat()},
        _("「%(name)s」三年期满复审通过，名单有效期由 %(old)s 延长至 %(new)s。")
        % {"name": listing.unit_name, "old": old_end.isoformat(), "new": new_end.isoformat()},
    )
    return case


@transaction.atomic
def re_review_end(
    *, case: ReReviewCase, actor, reason: str, document_number: str = ""
) -> tuple[ReReviewCase, RemovalProposal]:
    """复审未通过: the result is recorded in the registry and a removal proposal opens with the
    ground explained; the authority removes the unit through the removal flow."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("复审未通过时请说明理由。")})
    document_number = _clean_document_number(document_number)
    case = _locked_open(case, actor)
    listing = case.listing
    event = listing_record_re_review(
        listing=listing,
        actor=actor,
        outcome=FAILED,
        occurred_on=clock.today(),
        document_number=document_number,
        reason=reason,
    )
    rule = ground(listing_policy(listing), RE_REVIEW_GROUND.code) or RE_REVIEW_GROUND
    proposal = propose_removal(
        listing=listing,
        source=RemovalProposal.Source.OTHER,
        reason=_("名单有效期至 %(date)s，三年期满复审未通过：%(reason)s（依据%(article)s）")
        % {"date": case.due_on.isoformat(), "reason": reason, "article": rule.article},
        actor=actor,
        ground_code=rule.code,
        article=rule.article,
        data={"re_review": case.pk},
        once=True,
    )
    _close(
        case,
        actor=actor,
        action=END,
        decision=reason,
        data={"event": event.pk, "proposal": proposal.pk, "document": document_number},
    )
    _tell(
        case,
        _("复审未通过：%(name)s") % {"name": listing.unit_name},
        _("「%(name)s」三年期满复审未通过：%(reason)s。已提出移出名单建议，由%(authority)s决定。")
        % {"name": listing.unit_name, "reason": reason, "authority": listing.authority.name},
    )
    return case, proposal
