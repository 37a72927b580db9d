"""对标: the quartiles of energy, water and carbon per unit of product among each region's green
factories of each industry, from their filed annual tables (applications.IndustryBenchmark).

No other system has these figures: they are the listed units' own filings. The pre-check reads
them (applications.precheck) as 大连 一(一)'s 本地区同行业已有绿色工厂 and as 济南 第六条's
同行业平均 where a bureau published none.

The sample of a (region, industry, year, indicator): the green factories on a list (not
removed) whose table of that year is filed and reports the indicator; a region is the city and
the province the factory lies in. The industry is the one the unit declared on its application,
else an ``industry`` its table carries (as for 企业绿码, dynamic_mgmt.services.grade); a factory
with neither is in no benchmark. The quartiles interpolate linearly between the sorted values
(PostgreSQL's ``percentile_cont``; ``statistics.quantiles(method="inclusive")``), computed here in
Python so that SQLite and PostgreSQL agree; one year's factory tables are read once, in chunks.
Each row keeps its sample (``[organisation_id, value]`` per unit), from which the pre-check
recomputes the quartiles, by the same :func:`quartiles`, without an applicant that is one of them.

:func:`compute_benchmarks` replaces a year's rows (or one city's) in one transaction, so running
it twice leaves the same rows. The nightly sweep (dynamic_mgmt.schedule) recomputes the recent
years; filing a table recomputes its city's rows after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from applications.models import IndustryBenchmark, UnitType
from applications.selectors.benchmarks import quartiles
from dynamic_mgmt.models import AnnualTable
from greenmfg.core import clock
from registry.models import Listing

# The intensities benchmarked: the factory table's per-unit figures the rules compare.
INDICATORS = ("energy_per_unit", "water_per_unit", "carbon_per_unit")
INDUSTRY_MAX = IndustryBenchmark._meta.get_field("industry").max_length
CHUNK = 2000
# The nightly run recomputes this many years back from today's (late filings change them).
YEARS_BACK = 2


@dataclass
class BenchmarkRun:
    year: int
    tables: int = 0
    groups: int = 0
    rows: int = 0
    regions: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"year": self.year, "tables": self.tables, "groups": self.groups, "rows": self.rows}


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _industry(declared: str | None, indicators: dict) -> str:
    industry = (declared or "").strip() or str(indicators.get("industry") or "").strip()
    return industry[:INDUSTRY_MAX]


def _filed_factory_tables(year: int, city_id: int | None):
    tables = AnnualTable.objects.filter(
        year=year, status=AnnualTable.Status.FILED, listing__unit_type=UnitType.FACTORY
    ).exclude(listing__status=Listing.Status.REMOVED)
    if city_id is not None:
        tables = tables.filter(listing__city_id=city_id)
    return tables


@transaction.atomic
def compute_benchmarks(*, year: int, city_id: int | None = None) -> BenchmarkRun:
    """Recompute ``year``'s benchmarks: every region's, or only the city ``city_id``'s."""
    run = BenchmarkRun(year=year)
    # (region, industry, indicator) -> [(organisation, value)]
    samples: dict[tuple[int, str, str], list[tuple[int, float]]] = defaultdict(list)
    rows = _filed_factory_tables(year, city_id).values_list(
        "listing__organisation_id",
        "listing__city_id",
        "listing__province_id",
        "listing__application__industry",
        "indicators",
    )
    # A unit on two levels' lists (a city's and the province's) files two tables; count it once.
    seen: set[tuple[int, str, str]] = set()
    for organisation, city, province, declared, indicators in rows.iterator(chunk_size=CHUNK):
        run.tables += 1
        values = indicators if isinstance(indicators, dict) else {}
        industry = _industry(declared, values)
        if not industry:
            continue
        regions = [city] if city_id is not None else [city, province]
        for key in INDICATORS:
            value = _number(values.get(key))
            if value is None:
                continue
            unit = (organisation, industry, key)
            if unit in seen:
                continue
            seen.add(unit)
            for region in regions:
                if region is not None:
                    samples[(region, industry, key)].append((organisation, value))
    now = clock.now()
    benchmarks = []
    for (region, industry, key), sample in sorted(samples.items()):
        q1, median, q3 = quartiles(value for _unit, value in sample)
        benchmarks.append(
            IndustryBenchmark(
                region_id=region,
                industry=industry,
                year=year,
                indicator=key,
                sample_size=len(sample),
                q1=q1,
                median=median,
                q3=q3,
                sample=[[unit, value] for unit, value in sorted(sample)],
                computed_at=now,
            )
        )
    run.groups = len({(region, industry) for region, industry, _key in samples})
    stale = IndustryBenchmark.objects.filter(year=year)
    if city_id is not None:
        stale = stale.filter(region_id=city_id)
    stale.delete()
    IndustryBenchmark.objects.bulk_create(benchmarks, batch_size=1000)
    run.rows = len(benchmarks)
    return run


def recompute_recent(*, today=None) -> list[BenchmarkRun]:
    """The nightly run: this year's and the ``YEARS_BACK`` years before."""
    today = today or clock.today()
    return [
        compute_benchmarks(year=year) for year in range(today.year - YEARS_BACK, today.year + 1)
    ]
