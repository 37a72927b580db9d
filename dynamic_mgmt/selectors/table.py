"""Queries on 动态管理表: who sees which tables, a unit's own filing rows, the officials'
overview of a year (who filed, who is late, who filed late) and a unit's indicators over the
years with their changes and a small chart per indicator.

Every list reads a fixed number of queries whatever the number of units: the windows of a
year are few, so which one governs a unit is decided by a CASE over them in the same query.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from dynamic_mgmt.indicators import (
    Indicator,
    Worsening,
    change,
    format_number,
    indicators_for,
    worsenings,
)
from dynamic_mgmt.models import AnnualTable, FilingWindow
from dynamic_mgmt.services.calendar import schedule_for
from dynamic_mgmt.services.window import LISTED, nearest_window, window_list
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.core.workdays import fixed_date_note
from greenmfg.directory.models import subtree_q
from registry.models import Listing
from registry.selectors.listing import listing_scope_q

__all__ = [
    "FILING_STATES",
    "FilingRow",
    "deadline_notes",
    "filing_state",
    "listings_visible",
    "my_filings",
    "overview_queryset",
    "overview_summary",
    "table_list",
    "table_worsenings",
    "table_worsenings_of",
    "unit_history",
    "with_deadline_notes",
    "with_previous_indicators",
    "with_worsenings",
]

FILED, FILED_LATE, OVERDUE, OPEN, NOT_OPEN, NO_WINDOW = (
    "filed",
    "filed_late",
    "overdue",
    "open",
    "not_open",
    "no_window",
)
FILING_STATES = {
    FILED: _("已按时填报"),
    FILED_LATE: _("逾期填报"),
    OVERDUE: _("逾期未填报"),
    OPEN: _("待填报"),
    NOT_OPEN: _("填报期未开始"),
    NO_WINDOW: _("未设置填报期"),
}
# The status badge each state wears (the words are always there too).
STATE_STYLES = {
    FILED: "active",
    FILED_LATE: "pending",
    OVERDUE: "rejected",
    OPEN: "pending",
    NOT_OPEN: "pending",
    NO_WINDOW: "pending",
}


# --- who sees what -----------------------------------------------------------------------------


def _is_filer(user) -> bool:
    return user.role == Role.APPLICANT and bool(user.organisation_id)


def listings_visible(*, user) -> QuerySet[Listing]:
    """Officials: the listings of their subtree; a listed unit's users: their own."""
    queryset = Listing.objects.select_related("jurisdiction__parent", "authority", "batch")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin or user.is_official:
        return queryset.filter(listing_scope_q(user))
    if _is_filer(user):
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.none()


def table_list(*, user) -> QuerySet[AnnualTable]:
    """The tables ``user`` may read, scoped like their listings."""
    queryset = AnnualTable.objects.select_related(
        "listing__jurisdiction__parent", "window", "filed_by"
    )
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin or user.is_official:
        return queryset.filter(listing_scope_q(user, field="listing"))
    if _is_filer(user):
        return queryset.filter(listing__organisation_id=user.organisation_id)
    return queryset.none()


# --- a unit's own rows -------------------------------------------------------------------------


def filing_state(
    window: FilingWindow | None, table: AnnualTable | None, today: datetime.date
) -> str:
    if table is not None and table.status == AnnualTable.Status.FILED:
        return FILED_LATE if table.late else FILED
    if window is None:
        return NO_WINDOW
    if today > window.deadline:
        return OVERDUE
    if today < window.opens_on:
        return NOT_OPEN
    return OPEN


@dataclass
class FilingRow:
    listing: Listing
    window: FilingWindow | None
    table: AnnualTable | None
    state: str

    @property
    def year(self) -> int:
        return self.window.year if self.window else self.table.year

    @property
    def state_label(self) -> str:
        if self.state == OPEN and self.table is not None:
            return str(_("填报中（草稿）"))
        return str(FILING_STATES[self.state])

    @property
    def state_style(self) -> str:
        return STATE_STYLES[self.state]

    @property
    def actionable(self) -> bool:
        return self.state in (OPEN, OVERDUE)


def deadline_notes(deadlines: Iterable[datetime.date]) -> dict[datetime.date, str]:
    """What each filing deadline is on the working-day calendar, as the filing-window list says
    it (workdays.fixed_date_note): a working day, or a rest day that is not moved. A deadline is
    a fixed date (洛阳 第十六条 4月15日前, 大连 11月15日前), not a period, so 民法典 第二百零三条
    does not move it; the note names the next working day. Two queries for any number."""
    days = set(deadlines)
    if not days:
        return {}
    schedule = schedule_for({day.year + step for day in days for step in (0, 1)})
    return {day: fixed_date_note(day, schedule) for day in days}


def with_deadline_notes(windows: Iterable[FilingWindow | None]) -> list[FilingWindow]:
    """The windows, each with ``deadline_note`` set (see :func:`deadline_notes`)."""
    windows = [window for window in windows if window is not None]
    notes = deadline_notes(window.deadline for window in windows)
    for window in windows:
        window.deadline_note = notes[window.deadline]
    return windows


def my_filings(*, user, today: datetime.date) -> list[FilingRow]:
    """A listed unit's users: each listing's table under every window opened so far (the
    nearest window on its path for its level and the year), what is to do first, each window
    with its deadline's working-day note. Five queries, whatever the number of listings and
    years."""
    if not user.is_authenticated or not _is_filer(user):
        return []
    listings = list(
        Listing.objects.filter(organisation_id=user.organisation_id, status__in=LISTED)
        .select_related("jurisdiction")
        .order_by("level", "unit_type", "id")
    )
    if not listings:
        return []
    keys = {key for listing in listings for key in listing.jurisdiction.path.strip("/").split("/")}
    windows = list(
        FilingWindow.objects.filter(
            jurisdiction__key__in=keys, level__in={listing.level for listing in listings}
        ).select_related("jurisdiction")
    )
    tables = {
        (table.listing_id, table.year): table
        for table in AnnualTable.objects.filter(listing__in=[x.pk for x in listings])
    }
    rows = []
    for listing in listings:
        years = sorted({w.year for w in windows if w.level == listing.level}, reverse=True)
        for year in years:
            window = nearest_window(
                windows, jurisdiction=listing.jurisdiction, level=listing.level, year=year
            )
            table = tables.get((listing.pk, year))
            if window is None or (table is None and window.opens_on > today):
                continue
            if table is None and listing.listed_on > window.deadline:
                continue  # listed after that year's deadline: not due
            rows.append(FilingRow(listing, window, table, filing_state(window, table, today)))
    rows.sort(key=lambda row: (not row.actionable, -row.year, row.window.deadline))
    with_deadline_notes({row.window.pk: row.window for row in rows}.values())
    return rows


# --- the officials' overview -------------------------------------------------------------------


def _governing(windows: list[FilingWindow], value) -> Case:
    """CASE picking, for a listing, ``value(window)`` of the nearest window on its path."""
    nearest_first = sorted(windows, key=lambda window: len(window.jurisdiction.path), reverse=True)
    return [
        When(Q(level=window.level) & _in_subtree(window), then=value(window))
        for window in nearest_first
    ]


def _window_state(window: FilingWindow, today: datetime.date) -> str:
    """The state of a unit under ``window`` that has filed nothing (see filing_state)."""
    return filing_state(window, None, today)


def _in_subtree(window: FilingWindow) -> Q:
    """The listings under the window's jurisdiction: an equality on the listing's own province
    or city (integers, no join), a county's and its zones' ids, the path prefix above those."""
    return subtree_q(window.jurisdiction)


def overview_queryset(
    *, user, year: int, today: datetime.date
) -> tuple[QuerySet[Listing], list[FilingWindow]]:
    """The listed units in ``user``'s scope that owe a table of ``year``, each annotated with
    its governing window (``window_id``, ``window_deadline``, ``window_opens_on``), its table
    (``table_id``, ``table_status``, ``table_late``, ``table_filed_at``) and its ``state``:

    filed (on time), filed_late, overdue (deadline passed, nothing filed), open (within the
    window), not_open, no_window. A unit listed after its window's deadline does not owe that
    year's table. Removed units are left out. Also returns the year's windows (one query).
    """
    windows = list(window_list(user=user).filter(year=year))
    listings = Listing.objects.none()
    if user.is_authenticated and (user.is_official or user.is_sysadmin):
        # The scope twice, the same rows: the listing's own city or province (its counts, off
        # listing_owing_cover) and the path prefix, which the page's order by region walks, so
        # only the scope's regions are read.
        listings = Listing.objects.filter(
            listing_scope_q(user), jurisdiction_q(user, field="jurisdiction")
        )
    listings = listings.exclude(status=Listing.Status.REMOVED).select_related(
        "jurisdiction__parent"
    )
    if windows:
        listings = listings.annotate(
            window_id=Case(
                *_governing(windows, lambda w: Value(w.pk)), output_field=IntegerField()
            ),
            window_deadline=Case(
                *_governing(windows, lambda w: Value(w.deadline)), output_field=DateField()
            ),
            window_opens_on=Case(
                *_governing(windows, lambda w: Value(w.opens_on)), output_field=DateField()
            ),
            # The state while nothing is filed, decided here per window (it is the window's
            # alone), so the database evaluates one CASE per row and never joins the tables.
            pending_state=Case(
                *_governing(windows, lambda w: Value(_window_state(w, today))),
                default=Value(NO_WINDOW),
                output_field=CharField(),
            ),
            # A unit listed after its window's deadline does not owe that year's table.
            owes=Case(
                *_governing(
                    windows,
                    lambda w: ExpressionWrapper(
                        Q(listed_on__lte=w.deadline), output_field=BooleanField()
                    ),
                ),
                default=Value(True),
                output_field=BooleanField(),
            ),
        )
    else:
        listings = listings.annotate(
            window_id=Value(None, output_field=IntegerField()),
            window_deadline=Value(None, output_field=DateField()),
            window_opens_on=Value(None, output_field=DateField()),
            pending_state=Value(NO_WINDOW, output_field=CharField()),
            owes=Value(True, output_field=BooleanField()),
        )
    listings = listings.filter(owes=True)
    # The year's table: its columns as subqueries, which PostgreSQL evaluates for the rows of the
    # page only (after the sort and the limit); and, for the counts alone, the year's filed table
    # as one LEFT JOIN (served by annual_table_filed), left out of every query that does not read
    # it.
    tables = AnnualTable.objects.filter(listing=OuterRef("pk"), year=year).order_by()
    listings = listings.annotate(
        filed_table=FilteredRelation(
            "annual_tables",
            condition=Q(annual_tables__year=year, annual_tables__status=AnnualTable.Status.FILED),
        ),
        table_id=Subquery(tables.values("pk")[:1], output_field=IntegerField()),
        table_status=Subquery(tables.values("status")[:1], output_field=CharField()),
        table_late=Subquery(tables.values("late")[:1], output_field=BooleanField()),
        table_filed_at=Subquery(tables.values("filed_at")[:1], output_field=DateTimeField()),
        # For the 同比恶化预警: this year's and last year's filed values (see with_worsenings).
        table_indicators=Subquery(
            tables.filter(status=AnnualTable.Status.FILED).values("indicators")[:1],
            output_field=JSONField(),
        ),
        previous_indicators=Subquery(
            _filed_values(year - 1).values("indicators")[:1], output_field=JSONField()
        ),
    )
    listings = listings.annotate(
        state=Case(
            When(table_status=AnnualTable.Status.FILED, table_late=True, then=Value(FILED_LATE)),
            When(table_status=AnnualTable.Status.FILED, then=Value(FILED)),
            default=F("pending_state"),
            output_field=CharField(),
        )
    )
    return listings, windows


def _filed_values(year) -> QuerySet[AnnualTable]:
    """The listing's filed table of ``year`` (for a Subquery on listings)."""
    return AnnualTable.objects.filter(
        listing=OuterRef("pk"), year=year, status=AnnualTable.Status.FILED
    ).order_by()


def row_worsenings(row: Listing) -> list[Worsening]:
    """An overview row's 同比恶化预警 (a row of :func:`overview_queryset`)."""
    return worsenings(
        row.unit_type,
        getattr(row, "previous_indicators", None),
        getattr(row, "table_indicators", None),
    )


def with_worsenings(rows) -> list:
    """The overview rows of a page, each with ``worsenings`` (no query: the values come with
    the rows). A worsening against last year beyond the tolerance is a warning to the
    officials, never a ground for removal (dynamic_mgmt.indicators.worsenings)."""
    rows = list(rows)
    for row in rows:
        row.worsenings = row_worsenings(row)
    return rows


def table_worsenings(*, listing: Listing, table: AnnualTable | None) -> list[Worsening]:
    """The 同比恶化预警 of a filed table against the unit's filed table of the year before (one
    query); none for a draft or a missing table."""
    if table is None or table.status != AnnualTable.Status.FILED:
        return []
    previous = (
        AnnualTable.objects.filter(
            listing_id=table.listing_id, year=table.year - 1, status=AnnualTable.Status.FILED
        )
        .values_list("indicators", flat=True)
        .first()
    )
    return worsenings(listing.unit_type, previous, table.indicators)


def with_previous_indicators(queryset: QuerySet[AnnualTable]) -> QuerySet[AnnualTable]:
    """Tables annotated with ``previous_indicators``: the listing's filed values of the year
    before (None without one), so a page of tables reads its warnings in the same query."""
    previous = AnnualTable.objects.filter(
        listing_id=OuterRef("listing_id"),
        year=OuterRef("year") - 1,
        status=AnnualTable.Status.FILED,
    ).order_by()
    return queryset.annotate(
        previous_indicators=Subquery(previous.values("indicators")[:1], output_field=JSONField())
    )


def table_worsenings_of(table: AnnualTable) -> list[Worsening]:
    """:func:`table_worsenings` of a table from :func:`with_previous_indicators` (no query)."""
    if table.status != AnnualTable.Status.FILED:
        return []
    return worsenings(
        table.listing.unit_type, getattr(table, "previous_indicators", None), table.indicators
    )


def overview_summary(queryset: QuerySet[Listing]) -> dict[str, int]:
    """How many units of :func:`overview_queryset` are in each state (one query), every state
    present.

    The rows are grouped by their window's state (``pending_state``) and counted with their
    filed table of the year, on time or late: one join of two index-only scans
    (listing_owing_cover, annual_table_filed), hashed for a large scope, probed for a small one;
    the rows' subqueries are not selected, so not run.
    """
    counts = dict.fromkeys(FILING_STATES, 0)
    rows = (
        queryset.order_by()
        .values("pending_state")
        .annotate(
            total=Count("pk"),
            filed=Count("filed_table__listing"),
            late=Count("filed_table__listing", filter=Q(filed_table__late=True)),
        )
    )
    for row in rows:
        counts[row["pending_state"]] += row["total"] - row["filed"]
        counts[FILED] += row["filed"] - row["late"]
        counts[FILED_LATE] += row["late"]
    counts["total"] = sum(counts[state] for state in FILING_STATES)
    return counts


# --- a unit over the years ---------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 300, 120
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 56, 16, 14, 26


def _coordinate(value: float) -> str:
    """A coordinate as text, so no locale's number format reaches the SVG."""
    return f"{value:.1f}"


def _chart(item: Indicator, cells: list[dict], listing_pk: int) -> dict | None:
    """The geometry of a small line chart of a numeric indicator (drawn by the template)."""
    points = [cell for cell in cells if cell["value"] is not None]
    if not points:
        return None
    values = [float(cell["value"]) for cell in points]
    low, high = min(values), max(values)
    span = high - low
    inner_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    inner_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = inner_w / (len(cells) - 1) if len(cells) > 1 else 0
    positions = {cell["year"]: CHART_LEFT + index * step for index, cell in enumerate(cells)}
    if len(cells) == 1:
        positions[cells[0]["year"]] = CHART_LEFT + inner_w / 2
    drawn = []
    for cell, value in zip(points, values, strict=True):
        ratio = 0.5 if span == 0 else (value - low) / span
        drawn.append(
            {
                "x": _coordinate(positions[cell["year"]]),
                "y": _coordinate(CHART_TOP + inner_h * (1 - ratio)),
                "year": cell["year"],
                "label": cell["display"],
            }
        )
    return {
        "id": f"chart-{listing_pk}-{item.key}",
        "width": str(CHART_WIDTH),
        "height": str(CHART_HEIGHT),
        "left": str(CHART_LEFT),
        "label_x": str(CHART_LEFT - 4),
        "right": str(CHART_WIDTH - CHART_RIGHT),
        "top": str(CHART_TOP),
        "high_y": str(CHART_TOP + 4),
        "bottom": str(CHART_HEIGHT - CHART_BOTTOM),
        "label_y": str(CHART_HEIGHT - 8),
        "points": drawn,
        "polyline": " ".join(f"{point['x']},{point['y']}" for point in drawn),
        "years": [
            {"x": _coordinate(positions[cell["year"]]), "year": str(cell["year"])} for cell in cells
        ],
        "high": format_number(high),
        "low": format_number(low),
        "summary": "；".join(f"{cell['year']}年 {cell['display']}" for cell in points),
    }


def unit_history(*, listing: Listing) -> dict:
    """The unit's filed tables, oldest first, and per indicator each year's value, its change
    from the year before (percent, arrow, words) and a chart (one query)."""
    tables = list(
        listing.annual_tables.filter(status=AnnualTable.Status.FILED)
        .select_related("filed_by")
        .order_by("year")
    )
    by_year = {table.year: table for table in tables}
    rows = []
    for item in indicators_for(listing.unit_type):
        cells = []
        for table in tables:
            value = table.indicators.get(item.key)
            previous = by_year.get(table.year - 1)
            cells.append(
                {
                    "year": table.year,
                    "value": value,
                    "display": item.display(value),
                    "change": change(
                        item, previous.indicators.get(item.key) if previous else None, value
                    )
                    if previous
                    else None,
                }
            )
        rows.append(
            {
                "indicator": item,
                "cells": cells,
                "chart": _chart(item, cells, listing.pk) if item.is_numeric else None,
            }
        )
    return {"tables": tables, "years": [table.year for table in tables], "rows": rows}
