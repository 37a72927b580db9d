"""移出名单: removal proposals (动态调整意见 / 移出建议) and the authority's decision on them.

Proposals come from complaints (registry.services.complaint), incidents, rejected changes, the
scheduled tasks (late tables, indicators, credit data) and officials; :func:`propose_removal`
is the one way to open one, with its ground in the listing's policy (removal_grounds).

The authority that published the listing decides — its officials, or those above it (a
province over a city's list); never a county for a city's list. Removing sets the listing's
status and date, writes the "removed" history entry with the public reason and the document
number, announces the removal on the public site, closes the listing's other open proposals
and tells the unit; every higher list the unit is still on gets a proposal of its own (see
:func:`tell_higher_lists`). Keeping records the decision. A removal bars the unit from applying for
three years: applications.precheck reads the removed listings as the rules' ``removed_from_list``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import UnitType
from dynamic_mgmt import removal_grounds
from dynamic_mgmt.policy import listing_policy
from dynamic_mgmt.removal_grounds import Ground
from dynamic_mgmt.workflow import CLOSE_WITH_REMOVAL, KEEP, REMOVE, removal_workflow
from greenmfg.accounts.scoping import can_oversee, scope_queryset
from greenmfg.accounts.selectors import bureau_users
from greenmfg.audit.services import audit_query, audit_record
from greenmfg.core import clock
from greenmfg.core.bulk import insert_rows, keys_in
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.transitions import run_transition
from greenmfg.core.workflow import Transition
from greenmfg.directory.models import LEVEL_DEPTH
from greenmfg.notifications.bulk import group_notices, send_notices
from greenmfg.notifications.services import notify
from registry import workflow as listing_events
from registry.models import Listing, ListingEvent, RemovalProposal
from registry.services.announcement import announce_removal
from registry.services.listing import listing_transition

R = RemovalProposal.Status
DOCUMENT_MAX = ListingEvent._meta.get_field("document_number").max_length


# --- who ------------------------------------------------------------------------------------


def may_decide(*, user, listing: Listing) -> bool:
    """The officials of the bureau that published the listing, and those above it."""
    return bool(
        user.is_authenticated
        and user.is_official
        and can_oversee(user, listing.authority.jurisdiction)
    )


# --- queries ----------------------------------------------------------------------------------


def proposal_list(*, user) -> QuerySet[RemovalProposal]:
    """The proposals about the listed units of the official's subtree (all for an admin)."""
    queryset = RemovalProposal.objects.select_related(
        "listing__jurisdiction", "listing__authority__jurisdiction", "created_by", "decided_by"
    )
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return queryset.none()
    return scope_queryset(queryset, user, jurisdiction_field="listing__jurisdiction")


def other_proposals(*, proposal: RemovalProposal) -> QuerySet[RemovalProposal]:
    return (
        RemovalProposal.objects.filter(listing_id=proposal.listing_id)
        .exclude(pk=proposal.pk)
        .select_related("decided_by")
        .order_by("-created_at", "-id")
    )


def public_reason(proposal: RemovalProposal) -> str:
    """What the announcement says: the ground in the policy's words and its article — never
    who complained or reported."""
    policy = listing_policy(proposal.listing)
    ground = removal_grounds.ground(policy, proposal.ground) if proposal.ground else None
    wording = ground.wording if ground else ""
    article = proposal.article or (ground.article if ground else "")
    if not wording:
        wording = {
            RemovalProposal.Source.INCIDENT: _("发生重大及以上事故或突发环境事件"),
            RemovalProposal.Source.INDICATOR: _("绿色制造水平关键指标不符合评价要求"),
            RemovalProposal.Source.CREDIT: _("存在不得列入名单的信用记录"),
        }.get(proposal.source, _("经核实不再符合绿色制造名单要求"))
    return f"{wording}（{article}）" if article else wording


def ground_label(proposal: RemovalProposal) -> str:
    ground = removal_grounds.ground(listing_policy(proposal.listing), proposal.ground)
    if ground is None:
        return proposal.ground
    return f"{ground.article} {ground.wording}"


# --- commands ---------------------------------------------------------------------------------


def _proposal_link(proposal: RemovalProposal) -> str:
    return reverse("dynamic_mgmt:removal-detail", args=[proposal.pk])


def _unit_users(listing: Listing):
    return listing.organisation.users.filter(is_active=True)


def _proposal_fields(
    *, source: str, reason: str, ground: Ground | None, ground_code: str = "", article: str = ""
) -> dict:
    """The columns every new proposal gets, one at a time or a page at once: its ground's code
    and article (``ground_code`` and ``article`` where no ground of the policy names it)."""
    return {
        "source": source,
        "reason": reason.strip(),
        "ground": ground.code if ground else ground_code,
        "article": (ground.article if ground else article)[:40],
    }


def propose_removal(
    *,
    listing: Listing,
    source: str,
    reason: str,
    actor=None,
    ground_code: str = "",
    article: str = "",
    complaint=None,
    data: dict | None = None,
    once: bool = False,
) -> RemovalProposal:
    """Open a removal proposal for the authority to decide, with its ground in the listing's
    policy (``ground_code``, see removal_grounds; ``article`` where no ground names it).

    ``once`` returns the listing's open proposal of the same source and ground instead of a
    second one (the scheduled tasks are idempotent with it). Call inside the transaction of
    the event that gives the reason; the authority's officials are notified.
    """
    current = Listing.objects.filter(pk=listing.pk).values_list("status", flat=True).first()
    if current == Listing.Status.REMOVED:
        raise DomainError(_("该单位已移出名单，无需再提出移出建议。"), code="removed")
    ground = removal_grounds.ground(listing_policy(listing), ground_code) if ground_code else None
    if once:
        existing = RemovalProposal.objects.filter(
            listing=listing, source=source, ground=ground_code, status=R.OPEN
        ).first()
        if existing is not None:
            return existing
    proposal = RemovalProposal.objects.create(
        listing=listing,
        complaint=complaint,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **_proposal_fields(
            source=source, reason=reason, ground=ground, ground_code=ground_code, article=article
        ),
    )
    audit_record(
        subject=proposal,
        actor=actor,
        action="propose",
        action_label=_("提出移出建议"),
        to_state=proposal.status,
        comment=proposal.reason,
        data={
            "listing": listing.pk,
            "source": source,
            "ground": proposal.ground,
            "article": proposal.article,
            **(data or {}),
        },
        state_labels=removal_workflow.states,
    )
    for member in listing.authority.users.filter(is_active=True):
        notify(
            recipient=member,
            subject=_("移出名单建议：%(name)s") % {"name": listing.unit_name},
            body=_(
                "「%(name)s」有新的移出名单建议（%(source)s%(article)s），请按动态管理程序决定。"
            )
            % {
                "name": listing.unit_name,
                "source": proposal.get_source_display(),
                "article": f"，{proposal.article}" if proposal.article else "",
            },
            link=_proposal_link(proposal),
        )
    return proposal


@dataclass(frozen=True)
class Proposal:
    """One proposal of a page the nightly sweeps raise: the listing's columns they read with
    the page (no query per unit), the source, the ground of the unit's policy and the reason."""

    listing_id: int
    unit_name: str
    authority_id: int
    source: str
    ground: Ground
    reason: str


def propose_many(proposals: Sequence[Proposal], *, action_label: str) -> list[int]:
    """:func:`propose_removal` for a page at once, by the system (dynamic_mgmt.schedule): open
    the proposals set-based, audit them, and tell each list's authority in one notice naming
    its units; their ids. The sweeps' claims make it idempotent (no ``once`` here)."""
    if not proposals:
        return []
    created = insert_rows(
        RemovalProposal,
        [
            {
                "listing_id": item.listing_id,
                **_proposal_fields(source=item.source, reason=item.reason, ground=item.ground),
            }
            for item in proposals
        ],
    )
    ids = [pk for (pk,) in created]
    # Their audit entries built by the database from the rows just written.
    audit_query(
        RemovalProposal.objects.filter(pk__in=keys_in(ids)),
        text=F("listing__unit_name"),
        action="propose",
        action_label=action_label,
        to_state=R.OPEN,
        state_labels=removal_workflow.states,
    )
    by_authority: dict[int, list[str]] = {}
    for item in proposals:
        by_authority.setdefault(item.authority_id, []).append(item.unit_name)
    send_notices(
        group_notices(
            by_authority,
            bureau_users(organisation_ids=by_authority),
            _("移出名单建议（%(count)d 家）"),
            _(
                "定时复核对以下 %(count)d 家名单单位提出移出名单建议（动态调整意见），"
                "请按动态管理程序决定：%(names)s。"
            ),
            reverse("dynamic_mgmt:removal-list"),
        )
    )
    return ids


def _check_removal_date(listing: Listing, removed_on: datetime.date) -> None:
    if removed_on > clock.today():
        raise ValidationError({"removed_on": _("移出日期不能晚于今天。")})
    if removed_on < listing.listed_on:
        raise ValidationError(
            {
                "removed_on": _("移出日期不能早于列入名单的日期（%(date)s）。")
                % {"date": listing.listed_on.isoformat()}
            }
        )


def _close(
    proposal: RemovalProposal,
    *,
    actor,
    transition: Transition,
    decision: str,
    service: str = "",
) -> None:
    """The proposal's decision, through the runner; ``proposal`` (locked, its step resolved by
    :func:`removal_decide`) is updated in place for the caller."""

    def decide(row: RemovalProposal, _transition) -> None:
        row.decision, row.decided_by, row.decided_at = decision, actor, clock.now()

    row = run_transition(
        workflow=removal_workflow,
        instance=proposal,
        action=transition.action,
        actor=actor,
        comment=decision,
        service=service,
        before_save=decide,
        update_fields=["decision", "decided_by", "decided_at"],
        audit_data={"listing": proposal.listing_id},
    )
    proposal.status, proposal.decision = row.status, row.decision
    proposal.decided_by, proposal.decided_at = row.decided_by, row.decided_at


@transaction.atomic
def removal_decide(
    *,
    proposal: RemovalProposal,
    actor,
    decision: str,
    comment: str = "",
    document_number: str = "",
    removed_on: datetime.date | None = None,
    reason: str = "",
) -> RemovalProposal:
    """Decide an open proposal: ``remove`` (document number required; ``reason`` is what the
    public reads, by default the ground and its article) or ``keep`` (``comment`` required)."""
    proposal = (
        RemovalProposal.objects.select_for_update(of=("self",))
        .select_related("listing__authority__jurisdiction", "listing__jurisdiction")
        .get(pk=proposal.pk)
    )
    if not may_decide(user=actor, listing=proposal.listing):
        raise NotPermitted(
            _("只有发布该名单的%(authority)s及其上级工业和信息化主管部门可以决定是否移出。")
            % {"authority": proposal.listing.authority.name}
        )
    if decision not in (REMOVE, KEEP):
        raise ValidationError({"decision": _("请选择移出名单或不予移出。")})
    transition = removal_workflow.resolve(
        state=proposal.status, action=decision, role=actor.effective_role, comment=comment
    )
    listing = Listing.objects.select_for_update(of=("self",)).get(pk=proposal.listing_id)
    proposal.listing = listing
    if decision == KEEP:
        _close(proposal, actor=actor, transition=transition, decision=comment.strip())
        _tell_unit(listing, kept=True, proposal=proposal)
        return proposal

    if listing.status == Listing.Status.REMOVED:
        raise DomainError(_("该单位已移出名单。"), code="removed")
    document_number = " ".join(document_number.split())
    if not document_number:
        raise ValidationError({"document_number": _("请填写移出决定的文号。")})
    if len(document_number) > DOCUMENT_MAX:
        raise ValidationError(
            {"document_number": _("文号不能超过 %(n)d 个字。") % {"n": DOCUMENT_MAX}}
        )
    removed_on = removed_on or clock.today()
    _check_removal_date(listing, removed_on)
    reason = reason.strip() or public_reason(proposal)

    listing_transition(
        listing=listing,
        event=listing_events.REMOVE,
        actor=actor,
        comment=reason,
        on=removed_on,
        document_number=document_number,
        audit_data={"proposal": proposal.pk, "removed_on": removed_on.isoformat()},
        removed_on=removed_on,
    )
    announce_removal(
        listing,
        removed_on=removed_on,
        reason=reason,
        document_number=document_number,
        actor=actor,
    )
    _close(proposal, actor=actor, transition=transition, decision=comment.strip() or reason)
    closing = removal_workflow.resolve(
        state=R.OPEN,
        action=CLOSE_WITH_REMOVAL,
        role=actor.effective_role,
        service="removal_decide",
    )
    others = RemovalProposal.objects.select_for_update().filter(listing=listing, status=R.OPEN)
    for other in others.exclude(pk=proposal.pk).order_by("pk"):
        _close(
            other,
            actor=actor,
            transition=closing,
            decision=_("该单位已依据%(number)s移出名单，本建议一并办结。")
            % {"number": document_number},
            service="removal_decide",
        )
    tell_higher_lists(listing, actor=actor, document_number=document_number)
    _tell_unit(listing, kept=False, proposal=proposal, document_number=document_number)
    return proposal


# --- a removal reaches the lists above ----------------------------------------------------------

# A listing still in force: on the list (a unit under re-review stays on it), as the sweeps read it.
IN_FORCE = (Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)


def higher_listings(listing: Listing) -> QuerySet[Listing]:
    """The same unit's listings on the lists above ``listing`` that are still in force.

    The same unit is the same organisation, or the same credit code where the listing has one
    (a list typed in from a published document may name the unit under another organisation
    row), with the same unit type; a design product is listed per product, so only the same
    product counts. Only lists above are told: a province's removal does not reach a county's
    list, and a list of the same level is another authority's own business. A listing whose
    term ended before the removal is no longer in force.
    """
    depth = LEVEL_DEPTH[listing.level]
    above = [level for level, level_depth in LEVEL_DEPTH.items() if level_depth < depth]
    same_unit = Q(organisation_id=listing.organisation_id)
    if listing.credit_code:
        same_unit |= Q(credit_code=listing.credit_code)
    queryset = Listing.objects.filter(
        same_unit, unit_type=listing.unit_type, level__in=above, status__in=IN_FORCE
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=listing.removed_on or clock.today()))
    if listing.unit_type == UnitType.DESIGN_PRODUCT:
        queryset = queryset.filter(product_name=listing.product_name)
    return queryset.exclude(pk=listing.pk).select_related(
        "batch", "authority__jurisdiction", "jurisdiction"
    )


def _list_name(listing: Listing) -> str:
    return _("%(year)s年度%(level)s%(type)s名单") % {
        "year": listing.year,
        "level": listing.get_level_display(),
        "type": listing.get_unit_type_display(),
    }


def lower_removal_reason(*, higher: Listing, removed: Listing, document_number: str, ground) -> str:
    """The proposal's reason: the lower list, who removed the unit from it, when and by which
    document, then the ground in the higher list's policy (never the lower list's articles)."""
    facts = {
        "name": removed.unit_name,
        "authority": removed.authority.name,
        "list": _list_name(removed),
        "date": removed.removed_on.isoformat() if removed.removed_on else "",
        "number": f"{document_number}，" if document_number else "",
        "higher": _list_name(higher),
        "article": ground.article,
        "wording": ground.wording,
    }
    return (
        _(
            "「%(name)s」已被%(authority)s移出%(list)s（%(number)s%(date)s 移出）。"
            "依据%(article)s（%(wording)s），建议将其移出%(higher)s。"
        )
        % facts
    )


def tell_higher_lists(
    listing: Listing, *, actor=None, document_number: str = ""
) -> list[RemovalProposal]:
    """A removal reaches the lists above (issue 14.12): the authority of each higher listing of
    the same unit still in force gets a removal proposal under the ground its own policy gives
    a unit removed from a list (removal_grounds.REMOVED_BELOW_GROUNDS), and its officials are
    notified on commit (propose_removal). Idempotent: a higher listing that already has an open
    proposal on that ground (from this or an earlier removal, or the credit sweep) gets none.

    Called by :func:`removal_decide`, the one door through which a listing is removed: the
    complaint, incident, re-review, change and scheduled paths all raise proposals that end
    there, and the registry's history commands never remove.
    """
    raised = []
    higher = higher_listings(listing).select_for_update(of=("self",)).order_by("pk")
    for above in higher:
        ground = removal_grounds.removed_below_ground(listing_policy(above))
        if ground is None:
            continue
        if RemovalProposal.objects.filter(
            listing=above, ground=ground.code, status=R.OPEN
        ).exists():
            continue
        raised.append(
            propose_removal(
                listing=above,
                source=RemovalProposal.Source.LOWER_LIST,
                reason=lower_removal_reason(
                    higher=above, removed=listing, document_number=document_number, ground=ground
                ),
                actor=actor,
                ground_code=ground.code,
                data={"lower_listing": listing.pk, "lower_document_number": document_number},
            )
        )
    return raised


def _tell_unit(
    listing: Listing, *, kept: bool, proposal: RemovalProposal, document_number: str = ""
) -> None:
    facts = {
        "name": listing.unit_name,
        "list": f"{listing.year}年度{listing.get_level_display()}{listing.get_unit_type_display()}",
        "authority": listing.authority.name,
        "number": document_number,
        "date": listing.removed_on.isoformat() if listing.removed_on else "",
    }
    if kept:
        subject = _("移出名单建议的决定：不予移出")
        body = _("%(authority)s经研究，决定不将「%(name)s」移出%(list)s名单。") % facts
    else:
        subject = _("移出名单决定：%(name)s") % facts
        body = (
            _(
                "%(authority)s决定将「%(name)s」移出%(list)s名单（%(number)s，%(date)s）。"
                "自移出之日起三年内不得申报绿色制造名单。"
            )
            % facts
        )
    link = reverse("registry:public-unit", args=[listing.organisation_id])
    for member in _unit_users(listing):
        notify(recipient=member, subject=subject, body=body, link=link)
