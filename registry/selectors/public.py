"""What the public sees of the published lists: listed units only, public fields only.

A Listing exists only once an authority has published its list (see
``registry.services.listing.listing_create_from_application``), so
drafts, applications that were not
listed and everything of the review (scores, objections, complaints, the application's facts)
never reach these queries: they read ``registry_listing`` and its history, never the
application behind it.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.scoping import can_oversee
from greenmfg.core import clock
from greenmfg.directory.models import LEVEL_DEPTH
from registry.models import Announcement, Listing, ListingEvent, RemovalProposal
from reviews.models import Publicity

# The fields of a listing that are public (the API, the pages and the downloads read only these).
PUBLIC_FIELDS = (
    "id",
    "organisation_id",
    "unit_name",
    "credit_code",
    "unit_type",
    "product_name",
    "level",
    "year",
    "document_number",
    "listed_on",
    "valid_until",
    "removed_on",
    "status",
    "jurisdiction__key",
    "jurisdiction__name",
    "jurisdiction__level",
    "jurisdiction__parent__name",
    "authority__name",
)
NO_TERM = _("未设期限")

# How an Announcement names its subject (``subject_type``, see
# registry.services.announcement): the model label, followed by ":<occasion>" for a second
# announcement of the same subject. A unit's page shows those about its listings, about the
# events of their history, and the publicity and list announcements of the batches that
# listed it.
LISTING_SUBJECT = "registry.listing"
EVENT_SUBJECT = "registry.listingevent"
PUBLICITY_SUBJECT = "reviews.publicity"


def _subject_q(label: str, ids) -> Q:
    return (Q(subject_type=label) | Q(subject_type__startswith=f"{label}:")) & Q(subject_id__in=ids)


def public_listings() -> QuerySet[Listing]:
    """Every listing (removed ones too: the filters choose), with what the lists show."""
    return Listing.objects.select_related("jurisdiction__parent", "authority").only(*PUBLIC_FIELDS)


def region_name(listing: Listing) -> str:
    """The unit's place as the lists print it: a county with its city (洛阳市洛龙区)."""
    place = listing.jurisdiction
    parent = place.parent if place.parent_id else None
    if parent is not None and LEVEL_DEPTH.get(place.level, 0) >= LEVEL_DEPTH["county"]:
        return f"{parent.name}{place.name}"
    return place.name


def validity_label(listing: Listing) -> str:
    return listing.valid_until.isoformat() if listing.valid_until else str(NO_TERM)


@dataclass
class UnitPage:
    """A listed unit: its listings on every level, their history and announcements."""

    organisation_id: int
    name: str
    credit_code: str
    region: str
    listings: list[Listing]
    events: list[ListingEvent]
    announcements: list[Announcement]
    former_names: list[str]

    @property
    def is_listed(self) -> bool:
        return any(listing.status != Listing.Status.REMOVED for listing in self.listings)

    # The overall status names each listing: a unit removed from one list but still on another
    # is 在册 only on that other one, never on the list that removed it (issue 14.12).
    @property
    def standing(self) -> list[Listing]:
        return [x for x in self.listings if x.status != Listing.Status.REMOVED]

    @property
    def removed(self) -> list[Listing]:
        return [x for x in self.listings if x.status == Listing.Status.REMOVED]


def _level_order(listing: Listing):
    return (LEVEL_DEPTH.get(listing.level, 9), -listing.listed_on.toordinal(), listing.pk)


def unit_page(*, organisation_id: int) -> UnitPage | None:
    """The unit's public page in four queries; None when it was never listed."""
    listings = sorted(public_listings().filter(organisation_id=organisation_id), key=_level_order)
    if not listings:
        return None
    by_id = {listing.pk: listing for listing in listings}
    events = list(
        ListingEvent.objects.filter(listing_id__in=by_id)
        .only(
            "id",
            "listing_id",
            "kind",
            "occurred_on",
            "document_number",
            "old_value",
            "new_value",
            "reason",
        )
        .order_by("occurred_on", "id")
    )
    for event in events:
        event.listing = by_id[event.listing_id]
    publicities = Publicity.objects.filter(
        status=Publicity.Status.PUBLISHED, batch__listings__organisation_id=organisation_id
    ).values("pk")
    subjects = (
        _subject_q(LISTING_SUBJECT, list(by_id))
        | _subject_q(EVENT_SUBJECT, [event.pk for event in events])
        | _subject_q(PUBLICITY_SUBJECT, publicities)
    )
    announcements = list(
        Announcement.objects.filter(subjects, published_at__lte=clock.now())
        .select_related("authority")
        .order_by("-published_at", "-id")
    )
    # The name the unit carries now: the latest one set on any of its listings.
    named = [(listing.listed_on, listing.pk, listing.unit_name) for listing in listings]
    named += [
        (event.occurred_on, event.listing_id, event.new_value)
        for event in events
        if event.kind == ListingEvent.Kind.NAME_CHANGE and event.new_value
    ]
    current = max(named)[2]
    former = [
        event.old_value
        for event in events
        if event.kind == ListingEvent.Kind.NAME_CHANGE and event.old_value not in ("", current)
    ]
    former = list(dict.fromkeys(former))
    latest = max(listings, key=lambda listing: (listing.listed_on, listing.pk))
    return UnitPage(
        organisation_id=organisation_id,
        name=current,
        credit_code=next((x.credit_code for x in listings if x.credit_code), ""),
        region=region_name(latest),
        listings=listings,
        events=events,
        announcements=announcements,
        former_names=former,
    )


def pending_removals_for(*, user, listings: list[Listing]) -> dict[int, int]:
    """The open removal proposals of ``listings`` that ``user`` may see (officials over the
    unit's place and administrators), as listing id → the latest proposal's id; empty, and no
    query, for everyone else: the public never learns that a removal is being considered."""
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return {}
    visible = [x.pk for x in listings if can_oversee(user, x.jurisdiction)]
    if not visible:
        return {}
    rows = (
        RemovalProposal.objects.filter(listing_id__in=visible, status=RemovalProposal.Status.OPEN)
        .order_by("listing_id", "created_at", "id")
        .values_list("listing_id", "id")
    )
    return dict(rows)
