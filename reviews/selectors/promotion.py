"""Queries of the recommendations to a higher level: what a bureau may recommend, and the
推荐汇总表 (大连 附件1「工业和信息化主管部门推荐汇总表」) of what it has recommended."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, Batch
from greenmfg.accounts.scoping import scope_root
from greenmfg.directory.models import LEVEL_DEPTH, Jurisdiction
from registry.models import Listing
from reviews.services.promotion import RECOMMENDING_LEVEL


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


# 大连 附件1 lists what a bureau recommends, one table per unit type, in the order the notice
# treats them: 一(一) 绿色工厂, (二) 绿色设计产品, (三) 绿色工业园区, (四) 绿色供应链管理企业.
ANNEX1_UNIT_ORDER = ("factory", "design_product", "park", "supply_chain")
ANNEX1_TITLE = gettext_lazy("工业和信息化主管部门推荐汇总表")

# Before the county's 推荐 an application is no recommendation; every later state (expert
# review, listing, a recommendation further up...) still is one the county made.
NOT_YET_RECOMMENDED = (
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.RETURNED,
    Application.Status.COUNTY_REVIEW,
    Application.Status.NOT_RECOMMENDED,
)


@dataclass(frozen=True)
class SummaryColumn:
    """One column of the 推荐汇总表: its key, its Chinese header and how to read a row."""

    key: str
    header: str
    value: Callable[[Any], Any]
    width: int = 16


def _listed_as(application) -> str:
    try:
        listing = application.source_application.listing
    except (AttributeError, Listing.DoesNotExist):
        return ""
    return f"{listing.get_level_display()}（{listing.document_number}）"


def annex1_columns() -> list[SummaryColumn]:
    """The columns of the 推荐汇总表, in one order for the page, the PDF and the Excel file.

    Only what describes the recommended unit: no workflow state, id or internal flag.
    产品名称 is its own column (绿色设计产品 only, blank for the other types).
    """
    return [
        SummaryColumn("serial", _("序号"), lambda a: a.serial, 6),
        SummaryColumn("region", _("地区"), lambda a: a.jurisdiction.name, 14),
        SummaryColumn("name", _("单位名称"), lambda a: a.organisation.name, 36),
        SummaryColumn(
            "credit_code", _("统一社会信用代码"), lambda a: a.organisation.credit_code, 22
        ),
        SummaryColumn("industry", _("所属行业"), lambda a: a.industry, 16),
        SummaryColumn("product", _("产品名称"), lambda a: a.product_name, 20),
        SummaryColumn("mode", _("评价方式"), lambda a: a.get_evaluation_mode_display(), 12),
        SummaryColumn(
            "agency", _("第三方评价机构"), lambda a: a.agency.name if a.agency else "", 28
        ),
        SummaryColumn("listed", _("已列入名单"), _listed_as, 30),
    ]


def summary_title(region: Jurisdiction | None) -> str:
    """附件1's title after the recommending region's name (「大连市…推荐汇总表」)."""
    return f"{region.name}{ANNEX1_TITLE}" if region else str(ANNEX1_TITLE)


def summary_regions(*, batch: Batch) -> QuerySet[Jurisdiction]:
    """The regions that recommend into ``batch``: the level right below its jurisdiction (a
    city batch's counties, a province batch's cities)."""
    return Jurisdiction.objects.filter(parent=batch.jurisdiction).order_by("path")


def sees_every_region(*, user, batch: Batch) -> bool:
    return user.is_sysadmin or (user.is_official and user.organisation_id == batch.authority_id)


def summary_region(*, user, batch: Batch, region_id: str | None) -> Jurisdiction | None:
    """The region whose 推荐汇总表 ``user`` asks for: ``region_id`` when given (it must lie in the
    user's own subtree, else 404), else the official's own region; None for the batch's
    authority looking at every region at once. Non-officials get 404."""
    if not (user.is_authenticated and (user.is_official or user.is_sysadmin)):
        raise Http404
    every = sees_every_region(user=user, batch=batch)
    root = None if user.is_sysadmin else scope_root(user)
    if region_id:
        # Only plain ASCII digits: "²" passes isdigit() but is no id (a 404, never a 500).
        raw = str(region_id)
        valid = raw.isascii() and raw.isdigit() and len(raw) < 19
        region = (
            Jurisdiction.objects.filter(
                pk=int(raw), path__startswith=batch.jurisdiction.path
            ).first()
            if valid
            else None
        )
        if region is None or (
            not every and (root is None or not region.path.startswith(root.path))
        ):
            raise Http404
        return region
    if every:
        return None
    if root is None:
        raise Http404
    return root


def recommendation_summary(
    *, user, batch: Batch, region: Jurisdiction | None = None
) -> QuerySet[Application]:
    """推荐汇总表: the applications recommended into ``batch`` from the official's subtree
    (the authority of the batch sees every region's), narrowed to ``region`` when given.

    A city batch lists what its counties recommended; a province or national batch what the
    cities (provinces) recommended into it. Rows come in 附件1's order of unit types, each
    with its ``serial`` (序号) counted within its type.
    """
    queryset = Application.objects.filter(batch=batch).exclude(status__in=NOT_YET_RECOMMENDED)
    if not user.is_sysadmin and user.organisation_id != batch.authority_id:
        root = scope_root(user)
        if root is None:
            return queryset.none()
        queryset = queryset.filter(jurisdiction__path__startswith=root.path)
    if region is not None:
        queryset = queryset.filter(jurisdiction__path__startswith=region.path)
    unit_rank = Case(
        *(When(unit_type=code, then=Value(rank)) for rank, code in enumerate(ANNEX1_UNIT_ORDER)),
        default=Value(len(ANNEX1_UNIT_ORDER)),
        output_field=IntegerField(),
    )
    within_type = [F("jurisdiction__path").asc(), F("organisation__name").asc(), F("pk").asc()]
    return (
        queryset.select_related(
            "organisation", "jurisdiction", "agency", "source_application__listing"
        )
        .annotate(
            unit_rank=unit_rank,
            serial=Window(RowNumber(), partition_by=[F("unit_type")], order_by=within_type),
        )
        .order_by("unit_rank", "jurisdiction__path", "organisation__name", "pk")
    )


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
