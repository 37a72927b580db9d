"""Queries of the recommendations to a higher level: what a bureau may recommend, and the
推荐汇总表 (大连 附件1) of what it has recommended."""

from django.db.models import Exists, OuterRef, QuerySet

from applications.models import Application, Batch
from greenmfg.accounts.scoping import scope_root
from greenmfg.directory.models import LEVEL_DEPTH
from registry.models import Listing

from .promotion_services import RECOMMENDING_LEVEL


def may_recommend_into(*, user, batch: Batch) -> bool:
    """True for officials of the level directly below the batch, inside its jurisdiction."""
    expected = RECOMMENDING_LEVEL.get(batch.level)
    if expected is None or not user.is_authenticated or not user.is_official:
        return False
    root = scope_root(user)
    return (
        root is not None
        and root.level == expected
        and root.path.startswith(batch.jurisdiction.path)
    )


def promotion_candidates(*, user, batch: Batch) -> QuerySet[Listing]:
    """Active listings of lower levels in the official's subtree, of the types the batch takes,
    annotated with ``already`` when the unit is already recommended into the batch."""
    root = scope_root(user)
    if root is None:
        return Listing.objects.none()
    depth = LEVEL_DEPTH[batch.level]
    lower_levels = [level for level, level_depth in LEVEL_DEPTH.items() if level_depth > depth]
    recommended = Application.objects.filter(
        batch=batch,
        organisation=OuterRef("organisation"),
        unit_type=OuterRef("unit_type"),
        product_name=OuterRef("product_name"),
    ).exclude(status=Application.Status.NOT_RECOMMENDED)
    return (
        Listing.objects.filter(
            jurisdiction__path__startswith=root.path,
            status=Listing.Status.ACTIVE,
            level__in=lower_levels,
            unit_type__in=batch.unit_types,
        )
        .select_related("organisation", "jurisdiction", "application__batch", "authority")
        .annotate(already=Exists(recommended))
        .order_by("unit_type", "organisation__name", "-listed_on")
    )


def recommendation_summary(*, user, batch: Batch) -> QuerySet[Application]:
    """推荐汇总表: the applications recommended into ``batch`` from the official's subtree
    (the authority of the batch sees every region's)."""
    queryset = Application.objects.filter(batch=batch, source_application__isnull=False).exclude(
        status=Application.Status.NOT_RECOMMENDED
    )
    if not user.is_sysadmin and user.organisation_id != batch.authority_id:
        root = scope_root(user)
        if root is None:
            return queryset.none()
        queryset = queryset.filter(jurisdiction__path__startswith=root.path)
    return queryset.select_related(
        "organisation", "jurisdiction", "agency", "source_application__listing"
    ).order_by("unit_type", "jurisdiction__path", "organisation__name")


def levels_by_unit(*, listings: list[Listing]) -> dict[tuple, set[str]]:
    """The levels each unit of ``listings`` is on, keyed by (organisation, type, product):
    one query for a page of candidates."""
    organisations = {listing.organisation_id for listing in listings}
    levels: dict[tuple, set[str]] = {}
    rows = Listing.objects.filter(
        organisation_id__in=organisations,
        status__in=(Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW),
    ).values_list("organisation_id", "unit_type", "product_name", "level")
    for organisation_id, unit_type, product_name, level in rows:
        levels.setdefault((organisation_id, unit_type, product_name), set()).add(level)
    return levels
