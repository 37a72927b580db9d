"""Queries of the complaints (举报): what the public may complain about, which complaints an
official sees and handles, and what the complainant reads by tracking code.

An official sees the complaints handled in their subtree (a county its own, a city its own and
its counties'). The complainant's identity and the evidence are for the officials who may handle
the complaint only — the handling bureau and those above it — never for an administrator, the
unit complained about or the public.
"""

from django.db.models import Q, QuerySet

from greenmfg.accounts.scoping import can_oversee, jurisdiction_q
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from registry.models import Complaint, ComplaintEvidence, Listing, RemovalProposal

LISTING_SEARCH_LIMIT = 20
# The steps of the handling the complainant may read (their dates and names, no comments).
PUBLIC_STEPS = ("file", "verify", "close")
BLACKLIST_LINK_ACTION = "blacklist_linked"


# --- what may be complained about --------------------------------------------------------------


def complaintable_listings() -> QuerySet[Listing]:
    """Units currently on a list (active or under re-review), as ``active_listings_of`` counts."""
    return Listing.objects.filter(
        status__in=(Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)
    ).select_related("jurisdiction")


def listing_search(*, query: str, limit: int = LISTING_SEARCH_LIMIT) -> list[Listing]:
    """Listed units whose name contains ``query`` or whose credit code is ``query``."""
    query = query.strip()
    if not query:
        return []
    return list(
        complaintable_listings()
        .filter(Q(unit_name__icontains=query) | Q(credit_code=query.upper()))
        .order_by("unit_name", "-listed_on", "pk")[:limit]
    )


def complaintable_agencies() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=Organisation.Kind.AGENCY, status=Organisation.Status.ACTIVE
    ).select_related("jurisdiction")


def city_of(jurisdiction: Jurisdiction) -> Jurisdiction:
    """The city over ``jurisdiction`` (itself when it is a city or above)."""
    if jurisdiction.level != Level.COUNTY:
        return jurisdiction
    return (
        Jurisdiction.objects.filter(key__in=jurisdiction.ancestor_keys, level=Level.CITY).first()
        or jurisdiction
    )


# --- the officials ----------------------------------------------------------------------------


def complaint_list(*, user) -> QuerySet[Complaint]:
    """Complaints handled in the official's subtree (every one for an administrator)."""
    queryset = Complaint.objects.select_related(
        "listing", "agency", "handling_jurisdiction", "handled_by"
    )
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return queryset.none()
    return queryset.filter(jurisdiction_q(user, field="handling_jurisdiction"))


def may_handle(*, user, complaint: Complaint) -> bool:
    """The handling bureau's officials and those above it verify and close the complaint."""
    return bool(
        user.is_authenticated
        and user.is_official
        and can_oversee(user, complaint.handling_jurisdiction)
    )


def may_see_identity(*, user, complaint: Complaint) -> bool:
    """洛阳/济南 第二十一条 ask for a real name and contact details so that the bureau can verify;
    only the officials who handle the complaint read them."""
    return may_handle(user=user, complaint=complaint)


def complaint_evidence(*, complaint: Complaint) -> QuerySet[ComplaintEvidence]:
    return ComplaintEvidence.objects.filter(complaint=complaint).order_by("pk")


def evidence_for(*, user, pk: int) -> ComplaintEvidence | None:
    """One evidence file, only for an official who may handle its complaint."""
    evidence = (
        ComplaintEvidence.objects.select_related("complaint__handling_jurisdiction")
        .filter(pk=pk)
        .first()
    )
    if evidence is None or not may_see_identity(user=user, complaint=evidence.complaint):
        return None
    return evidence


def removal_proposals_of(*, complaint: Complaint) -> QuerySet[RemovalProposal]:
    return RemovalProposal.objects.filter(complaint=complaint).order_by("pk")


def linked_blacklist_entry_ids(*, complaint: Complaint) -> list[int]:
    """The blacklist entries recorded against the complaint (see complaint_link_blacklist)."""
    entries = audit_entries_for(subject=complaint).filter(action=BLACKLIST_LINK_ACTION)
    ids = []
    for data in entries.values_list("data", flat=True):
        entry = (data or {}).get("blacklist_entry")
        if isinstance(entry, int) and entry not in ids:
            ids.append(entry)
    return ids


# --- the complainant -----------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()[:16]


def complaint_by_code(*, code: str) -> Complaint | None:
    code = normalise_code(code)
    if not code:
        return None
    return (
        Complaint.objects.select_related("listing", "agency", "handling_jurisdiction")
        .filter(tracking_code=code)
        .first()
    )


def public_steps(*, complaint: Complaint) -> list[dict]:
    """The handling as the complainant reads it: when it was received, verified and closed —
    no officials' names, no internal comments (the outcome note is shown on its own)."""
    entries = (
        audit_entries_for(subject=complaint)
        .filter(action__in=PUBLIC_STEPS)
        .order_by("at", "id")
        .values("at", "action", "action_label")
    )
    return [{"at": entry["at"], "label": entry["action_label"]} for entry in entries]


def subject_name(complaint: Complaint) -> str:
    if complaint.subject == Complaint.Subject.LISTING and complaint.listing_id:
        return complaint.listing.unit_name
    if complaint.agency_id:
        return complaint.agency.name
    return ""
