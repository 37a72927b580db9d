"""The numbers of 数据统计, each one grouped query (GROUP BY or an aggregate with FILTER).

Scope: officials read what the other officials' lists show them, through the same predicates
(``jurisdiction_q`` on the listing's or the application's county, ``application_list``,
``overview_queryset``); the public reads the published listings only (``public_listings``), never
an application or a score. A region narrows either to a node's subtree.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Floor

from applications.models import Application
from applications.selectors.applications import application_list
from dynamic_mgmt.models import AnnualTable, GreenGrade
from dynamic_mgmt.selectors.table import FILING_STATES, overview_queryset, overview_summary
from greenmfg.core.queries import Percentile
from greenmfg.directory.models import Jurisdiction, place_q, subtree_q
from registry.models import Listing
from registry.selectors.listing import listing_scope_q, listings_in_subtree
from registry.selectors.public import public_listings
from reviews.models import ScoreSheet

# 在册: the units that hold their listing (one under re-review stays on the list).
CURRENT = (Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)
S = Application.Status
# After the expert review: passed (whatever came after) or failed.
REVIEW_PASSED = (S.PASSED, S.IN_PUBLICITY, S.LISTED, S.NOT_LISTED, S.PROMOTED)
REVIEW_FAILED = (S.FAILED,)
# The bands of an application's mean expert score, by its tens: below 60, 60–69 … 90 and above.
BAND_ORDER = ("<60", "60–69", "70–79", "80–89", "≥90")


def band_of(tens: int) -> str:
    return BAND_ORDER[min(max(tens, 5), 9) - 5]


def national_root() -> Jurisdiction:
    """The top of the tree: the public's scope, and an administrator's."""
    return Jurisdiction.objects.filter(parent__isnull=True).order_by("path").first()


def may_read_statistics(user) -> bool:
    """Officials (their jurisdiction) and administrators (everything) read the full figures."""
    return user.is_authenticated and (user.is_official or user.is_sysadmin)


def in_region(queryset: QuerySet, region: Jurisdiction | None, *, field: str) -> QuerySet:
    """Rows whose ``field`` (a path to a Jurisdiction) lies in ``region``'s subtree."""
    if region is None:
        return queryset
    # A county (and the zones it runs) by id on the indexed foreign key, above by path prefix.
    return queryset.filter(place_q(region, field=field))


def listings_in_region(listings: QuerySet[Listing], region: Jurisdiction | None) -> QuerySet:
    """A region of the listings: by equality on the listing's own province, city or county."""
    return listings if region is None else listings_in_subtree(listings, region)


def _in_child(child: Jurisdiction) -> Q:
    return subtree_q(child)


def official_listings(*, user) -> QuerySet[Listing]:
    """The units on the lists (在册) in ``user``'s subtree, scoped as 名单管理 scopes them
    (``listing_scope_q``: an equality on the listing's own province, city or county)."""
    if not may_read_statistics(user):
        return Listing.objects.none()
    return Listing.objects.filter(listing_scope_q(user), status__in=CURRENT)


def published_listings() -> QuerySet[Listing]:
    """What the public may count: the published listings on the lists (在册)."""
    return public_listings().filter(status__in=CURRENT)


def listing_counts(listings: QuerySet[Listing], *, year: int | None) -> list[dict]:
    """Listed units per (year, level, unit type): one GROUP BY; ``n`` in each row."""
    if year is not None:
        listings = listings.filter(year=year)
    return list(
        listings.order_by()
        .values("year", "level", "unit_type")
        .annotate(n=Count("pk"))
        .order_by("year", "level", "unit_type")
    )


def children_of(region: Jurisdiction) -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(parent=region).order_by("path"))


def counts_by_child(
    listings: QuerySet[Listing], children: list[Jurisdiction], *, year: int | None
) -> dict[int, int]:
    """Listed units in each child's subtree: one aggregate with one FILTER per child (an
    equality on the listing's province, city or county)."""
    if not children:
        return {}
    if year is not None:
        listings = listings.filter(year=year)
    totals = listings.order_by().aggregate(
        **{f"c{child.pk}": Count("pk", filter=_in_child(child)) for child in children}
    )
    return {child.pk: totals[f"c{child.pk}"] for child in children}


def official_applications(*, user) -> QuerySet[Application]:
    """The applications an official's inbox reads (same scope), without its joins."""
    if not may_read_statistics(user):
        return Application.objects.none()
    return application_list(user=user).select_related(None).order_by()


def applications_by_state(applications: QuerySet[Application], *, year: int | None) -> list[dict]:
    """Applications per (batch, state): one GROUP BY, newest batches first."""
    if year is not None:
        applications = applications.filter(batch__year=year)
    return list(
        applications.order_by()
        .values("batch_id", "batch__title", "batch__year", "status")
        .annotate(n=Count("pk"))
        .order_by("-batch__year", "batch__title", "batch_id", "status")
    )


def score_bands(applications: QuerySet[Application], *, year: int | None) -> list[dict]:
    """Applications per (batch, band of their mean submitted expert score): one query, the mean
    a correlated aggregate over the application's sheets (assignment_once leads with the
    application, the sheet is one-to-one with its assignment)."""
    if year is not None:
        applications = applications.filter(batch__year=year)
    means = (
        ScoreSheet.objects.filter(
            assignment__application=OuterRef("pk"), status=ScoreSheet.Status.SUBMITTED
        )
        .order_by()
        .values("assignment__application")
        .annotate(mean=Avg("total"))
        .values("mean")
    )
    rows = list(
        applications.order_by()
        # The tens of the mean, grouped: the correlated mean is read once per application (a
        # CASE of bands would repeat it in every branch). NULL: no submitted sheet yet.
        .annotate(tens=Floor(Subquery(means, output_field=DecimalField()) / 10))
        .values("batch_id", "batch__title", "batch__year", "tens")
        .annotate(n=Count("pk"))
        .order_by("-batch__year", "batch__title", "batch_id", "tens")
    )
    # At most eleven grouped rows per batch are folded into the five bands.
    bands: dict[tuple, dict] = {}
    for row in rows:
        if row["tens"] is None:
            continue
        key = (row["batch_id"], band_of(int(row["tens"])))
        entry = bands.setdefault(
            key,
            {
                "batch_id": row["batch_id"],
                "batch__title": row["batch__title"],
                "batch__year": row["batch__year"],
                "band": key[1],
                "n": 0,
            },
        )
        entry["n"] += row["n"]
    return list(bands.values())


@dataclass(frozen=True)
class Filing:
    year: int
    counts: dict[str, int]

    @property
    def owed(self) -> int:
        """Tables due by now: filed (on time or late), overdue, or open for filing."""
        c = self.counts
        return c["filed"] + c["filed_late"] + c["overdue"] + c["open"]

    @property
    def filed(self) -> int:
        return self.counts["filed"] + self.counts["filed_late"]

    @property
    def rate(self) -> float | None:
        return None if not self.owed else 100 * self.filed / self.owed


def filing_counts(*, user, region: Jurisdiction | None, year: int, today: datetime.date) -> Filing:
    """The 动态管理表 of ``year`` by filing state, as the officials' overview counts them (its
    windows in one query, the states in one GROUP BY)."""
    if not may_read_statistics(user):
        return Filing(year, {**dict.fromkeys(FILING_STATES, 0), "total": 0})
    listings, _windows = overview_queryset(user=user, year=year, today=today)
    return Filing(year, overview_summary(listings_in_region(listings, region)))


def grade_counts(listings: QuerySet[Listing], *, year: int | None) -> list[dict]:
    """企业绿码 grades per (year, grade) of the listings given: one GROUP BY."""
    grades = GreenGrade.objects.filter(listing__in=listings.values("pk"))
    if year is not None:
        grades = grades.filter(year=year)
    return list(
        grades.order_by().values("year", "grade").annotate(n=Count("pk")).order_by("year", "grade")
    )


# The green factories' intensities of the annual table read as trends (dynamic_mgmt.indicators).
TREND_INDICATORS = ("energy_per_unit", "water_per_unit", "carbon_per_unit")


QUARTILES = (("q1", 0.25), ("median", 0.5), ("q3", 0.75))


def indicator_trends(listings: QuerySet[Listing], *, year: int | None) -> list[dict]:
    """Per year up to ``year``: the filed tables of the green factories among ``listings``
    (``n``) and the quartiles of each trend indicator over the tables that report it, as
    ``<key>_q1``, ``<key>`` (the median) and ``<key>_q3`` (one GROUP BY, percentile_cont; a
    filed table's values are validated numbers, dynamic_mgmt.indicators). Medians, not means:
    one factory's figure in other units would drag a mean anywhere."""
    tables = AnnualTable.objects.filter(
        listing__in=listings.filter(unit_type="factory").values("pk"),
        status=AnnualTable.Status.FILED,
    )
    if year is not None:
        tables = tables.filter(year__lte=year)
    quartiles = {
        key if name == "median" else f"{key}_{name}": Percentile(
            Cast(KT(f"indicators__{key}"), FloatField()), fraction
        )
        for key in TREND_INDICATORS
        for name, fraction in QUARTILES
    }
    return list(
        tables.order_by().values("year").annotate(n=Count("pk"), **quartiles).order_by("year")
    )
