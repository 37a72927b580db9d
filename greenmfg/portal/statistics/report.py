"""The statistics' tables: each one a title, its headers and rows, and its chart.

The tables are built from the grouped rows the selectors return (a few dozen rows at most, never
the records themselves); the page shows each as a chart and as a table, and exports the table.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from applications.models import Application, UnitType
from dynamic_mgmt.indicators import INDICATORS
from dynamic_mgmt.models import GreenGrade
from dynamic_mgmt.selectors.table import FILING_STATES
from greenmfg.directory.models import Jurisdiction, Level
from greenmfg.portal.statistics.charts import Point, bar_chart, line_chart
from greenmfg.portal.statistics.selectors import (
    BAND_ORDER,
    REVIEW_FAILED,
    REVIEW_PASSED,
    TREND_INDICATORS,
    Filing,
)

LEVEL_LABELS = dict(Level.choices)
TYPE_LABELS = dict(UnitType.choices)
STATE_LABELS = dict(Application.Status.choices)
GRADE_ORDER = [grade for grade, _label in GreenGrade.Grade.choices]


@dataclass
class Cell:
    """A table cell: its value (exported as is) and, for a region, its drill-down link."""

    value: object
    link: str = ""

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class StatTable:
    key: str
    title: str
    headers: Sequence[str]
    rows: list[list[Cell]]
    chart: SafeString | None = None
    note: str = ""
    export_url: str = field(default="")

    @property
    def empty(self) -> bool:
        return not self.rows


def _cells(*values) -> list[Cell]:
    return [value if isinstance(value, Cell) else Cell(value) for value in values]


def _percent(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


def _marginal(rows: list[dict], key: str, order: Sequence) -> list[tuple[object, int]]:
    totals: dict = defaultdict(int)
    for row in rows:
        totals[row[key]] += row["n"]
    ordered = [value for value in order if value in totals]
    ordered += sorted(value for value in totals if value not in ordered)
    return [(value, totals[value]) for value in ordered]


def listing_tables(rows: list[dict], *, prefix: str) -> list[StatTable]:
    """By level, by type and by year, from the (year, level, type) counts."""
    by_level = _marginal(rows, "level", list(LEVEL_LABELS))
    by_type = _marginal(rows, "unit_type", list(TYPE_LABELS))
    by_year = _marginal(rows, "year", [])
    tables = []
    for key, title, header, pairs, labels in (
        ("level", _("按名单层级"), _("名单层级"), by_level, LEVEL_LABELS),
        ("type", _("按类型"), _("类型"), by_type, TYPE_LABELS),
    ):
        points = [Point(str(labels.get(value, value)), n) for value, n in pairs]
        tables.append(
            StatTable(
                key=key,
                title=title,
                headers=[header, _("名单单位数")],
                rows=[_cells(point.label, int(point.value)) for point in points],
                chart=bar_chart(chart_id=f"{prefix}-{key}", title=title, points=points),
            )
        )
    points = [Point(str(year), n) for year, n in by_year]
    title = _("按年度")
    tables.append(
        StatTable(
            key="year",
            title=title,
            headers=[_("年度"), _("名单单位数")],
            rows=[_cells(int(year), n) for year, n in by_year],
            chart=line_chart(chart_id=f"{prefix}-year", title=title, points=points),
        )
    )
    return tables


def region_table(
    counts: dict[int, int],
    children: list[Jurisdiction],
    *,
    prefix: str,
    page: str,
    year: int | None,
) -> StatTable:
    """Listed units per child jurisdiction, each a link to the same page for that child."""
    rows = []
    points = []
    for child in children:
        query = {"region": child.key, **({"year": year} if year else {})}
        link = f"{reverse(page)}?{urlencode(query)}"
        rows.append(_cells(Cell(child.name, link), counts.get(child.pk, 0)))
        points.append(Point(child.name, counts.get(child.pk, 0)))
    title = _("按下级区划")
    return StatTable(
        key="region",
        title=title,
        headers=[_("下级区划"), _("名单单位数")],
        rows=rows,
        chart=bar_chart(chart_id=f"{prefix}-region", title=title, points=points),
        note=_("点击区划名称查看该区划（含下级）的统计。"),
    )


def _batches(rows: list[dict]) -> list[tuple[int, str, int]]:
    seen = {}
    for row in rows:
        seen.setdefault(row["batch_id"], (row["batch_id"], row["batch__title"], row["batch__year"]))
    return list(seen.values())


def application_tables(state_rows: list[dict], band_rows: list[dict]) -> list[StatTable]:
    """Applications by state per batch; review outcomes and score bands per batch."""
    counts = {(row["batch_id"], row["status"]): row["n"] for row in state_rows}
    states = [state for state in STATE_LABELS if any(s == state for _b, s in counts)]
    batches = _batches(state_rows)
    state_table = StatTable(
        key="states",
        title=_("各批次申报状态"),
        headers=[_("批次"), _("年度"), *(str(STATE_LABELS[s]) for s in states), _("合计")],
        rows=[
            _cells(
                title,
                year,
                *(counts.get((pk, s), 0) for s in states),
                sum(counts.get((pk, s), 0) for s in states),
            )
            for pk, title, year in batches
        ],
        chart=bar_chart(
            chart_id="stat-states",
            title=_("申报数（按状态，所选批次合计）"),
            points=[
                Point(str(STATE_LABELS[s]), sum(n for (_b, t), n in counts.items() if t == s))
                for s in states
            ],
        ),
    )
    review_rows = []
    review_points = []
    for pk, title, year in batches:
        passed = sum(counts.get((pk, s), 0) for s in REVIEW_PASSED)
        failed = sum(counts.get((pk, s), 0) for s in REVIEW_FAILED)
        if not passed + failed:
            continue
        rate = _percent(passed, passed + failed)
        review_rows.append(_cells(title, year, passed, failed, passed + failed, rate))
        review_points.append(Point(title, rate or 0))
    review_table = StatTable(
        key="review",
        title=_("各批次评审通过率"),
        headers=[
            _("批次"),
            _("年度"),
            _("评审通过"),
            _("评审未通过"),
            _("完成评审"),
            _("通过率（%）"),
        ],
        rows=review_rows,
        chart=bar_chart(
            chart_id="stat-review", title=_("评审通过率"), points=review_points, unit="%"
        ),
        note=_("评审通过含其后公示、列入名单或推荐至上级的申报。"),
    )
    bands = {(row["batch_id"], row["band"]): row["n"] for row in band_rows}
    band_table = StatTable(
        key="scores",
        title=_("各批次专家评分分布"),
        headers=[_("批次"), _("年度"), *(f"{band}{_('分')}" for band in BAND_ORDER), _("合计")],
        rows=[
            _cells(
                title,
                year,
                *(bands.get((pk, band), 0) for band in BAND_ORDER),
                sum(bands.get((pk, band), 0) for band in BAND_ORDER),
            )
            for pk, title, year in _batches(band_rows)
        ],
        chart=bar_chart(
            chart_id="stat-scores",
            title=_("专家评分分布（所选批次合计）"),
            points=[
                Point(f"{band}{_('分')}", sum(n for (_b, x), n in bands.items() if x == band))
                for band in BAND_ORDER
            ],
        ),
        note=_("每份申报取已提交评分表总分的平均值。"),
    )
    return [state_table, review_table, band_table]


def filing_table(filing: Filing) -> StatTable:
    points = [Point(str(label), filing.counts[state]) for state, label in FILING_STATES.items()]
    rate = "—" if filing.rate is None else f"{filing.rate:.1f}%"
    return (
        StatTable(
            key="filing",
            title=_("%(year)d年度动态管理表填报情况") % {"year": filing.year},
            headers=[_("填报状态"), _("单位数")],
            rows=[_cells(point.label, int(point.value)) for point in points]
            + [_cells(_("应填报"), filing.owed), _cells(_("已填报"), filing.filed)]
            + [_cells(_("填报率"), rate)],
            chart=bar_chart(chart_id="stat-filing", title=_("动态管理表填报状态"), points=points),
            note=_("应填报：填报期已开始的单位（已填报、逾期填报、逾期未填报和待填报）。"),
        )
        if filing.counts["total"]
        else StatTable(
            key="filing",
            title=_("%(year)d年度动态管理表填报情况") % {"year": filing.year},
            headers=[_("填报状态"), _("单位数")],
            rows=[],
        )
    )


def grade_table(rows: list[dict]) -> StatTable:
    counts = {(row["year"], row["grade"]): row["n"] for row in rows}
    years = sorted({row["year"] for row in rows})
    return StatTable(
        key="grades",
        title=_("企业绿码等级分布"),
        headers=[_("年度"), *GRADE_ORDER, _("合计")],
        rows=[
            _cells(
                year,
                *(counts.get((year, g), 0) for g in GRADE_ORDER),
                sum(counts.get((year, g), 0) for g in GRADE_ORDER),
            )
            for year in years
        ],
        chart=bar_chart(
            chart_id="stat-grades",
            title=_("企业绿码等级（所选年度合计）"),
            points=[
                Point(g, sum(n for (_y, x), n in counts.items() if x == g)) for g in GRADE_ORDER
            ],
        ),
    )


def trend_tables(rows: list[dict]) -> list[StatTable]:
    """One line per indicator: the green factories' median intensity by year, with the
    quartiles beside it in the table."""
    factory = {item.key: item for item in INDICATORS["factory"]}
    tables = []
    for key in TREND_INDICATORS:
        item = factory[key]
        filled = [row for row in rows if row[key] is not None]
        title = _("%(label)s（中位数）") % {"label": item.label}
        points = [Point(str(row["year"]), round(row[key], 3)) for row in filled]
        tables.append(
            StatTable(
                key=f"trend-{key}",
                title=title,
                headers=[
                    _("年度"),
                    _("已填报表数"),
                    _("中位数（%(unit)s）") % {"unit": item.unit},
                    _("下四分位数"),
                    _("上四分位数"),
                ],
                rows=[
                    _cells(
                        row["year"],
                        row["n"],
                        round(row[key], 3),
                        round(row[f"{key}_q1"], 3),
                        round(row[f"{key}_q3"], 3),
                    )
                    for row in filled
                ],
                chart=line_chart(chart_id=f"stat-trend-{key}", title=title, points=points),
                note=_(
                    "已填报动态管理表的绿色工厂的中位数及上下四分位数（少数单位填报的极端值不影响中位数）；"
                    "各行业产品不同，仅供看趋势，同行业对标见“同行业绿色工厂对标值”。"
                ),
            )
        )
    return tables
