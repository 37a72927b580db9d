"""对标: reading the portal's benchmarks of green factories (IndustryBenchmark)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from applications.models import IndustryBenchmark
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.directory.models import Jurisdiction, Level

# Fewer green factories than this in a region and industry, and their median is not a reference.
DEFAULT_MIN_SAMPLE = 5


def min_sample() -> int:
    return int(getattr(settings, "BENCHMARK_MIN_SAMPLE", DEFAULT_MIN_SAMPLE))


def benchmark_source(*, region_name: str, year: int) -> str:
    """``本平台济南市同行业绿色工厂2026年度填报数据``: the wording every finding and page uses."""
    return _("本平台%(region)s同行业绿色工厂%(year)d年度填报数据") % {
        "region": region_name,
        "year": year,
    }


@dataclass(frozen=True)
class Benchmark:
    """One intensity's quartiles among a region's green factories of one industry and year."""

    indicator: str
    region_name: str
    year: int
    sample_size: int
    q1: float
    median: float
    q3: float
    minimum: int

    @property
    def sufficient(self) -> bool:
        return self.sample_size >= self.minimum

    @property
    def source(self) -> str:
        return benchmark_source(region_name=self.region_name, year=self.year)

    @property
    def described(self) -> str:
        """``本平台济南市同行业12家绿色工厂2026年度填报数据中位数``: a fact's source."""
        return _("本平台%(region)s同行业%(n)d家绿色工厂%(year)d年度填报数据中位数") % {
            "region": self.region_name,
            "n": self.sample_size,
            "year": self.year,
        }


def region_benchmarks(
    *, jurisdiction: Jurisdiction, industry: str, year: int
) -> dict[str, Benchmark]:
    """Per indicator, the newest benchmark up to ``year`` of the city ``jurisdiction`` lies in
    (本地区), for ``industry``. One query; empty without an industry or a city."""
    industry = (industry or "").strip()
    if not industry:
        return {}
    keys = [*jurisdiction.ancestor_keys, jurisdiction.key]
    rows = (
        IndustryBenchmark.objects.filter(
            region__key__in=keys,
            region__level=Level.CITY,
            industry=industry,
            year__lte=year,
        )
        .select_related("region")
        .order_by("-year")
    )
    minimum = min_sample()
    found: dict[str, Benchmark] = {}
    for row in rows:
        found.setdefault(
            row.indicator,
            Benchmark(
                indicator=row.indicator,
                region_name=row.region.name,
                year=row.year,
                sample_size=row.sample_size,
                q1=row.q1,
                median=row.median,
                q3=row.q3,
                minimum=minimum,
            ),
        )
    return found


def industry_benchmark_list(*, user) -> QuerySet[IndustryBenchmark]:
    """The benchmarks of the regions an official oversees: their own subtree's cities, and the
    city or province they sit in (a county sees its city's, which its applicants are held to)."""
    queryset = IndustryBenchmark.objects.select_related("region")
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    own = user.organisation.jurisdiction
    return queryset.filter(
        jurisdiction_q(user, field="region") | Q(region__key__in=own.ancestor_keys)
    )


def benchmark_regions(*, user) -> QuerySet[Jurisdiction]:
    """The regions whose benchmarks :func:`industry_benchmark_list` shows the user: their own
    subtree and the nodes above it (the whole tree for an administrator), for the region
    filter."""
    nodes = Jurisdiction.objects.order_by("path")
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return nodes.none()
    if user.is_sysadmin:
        return nodes
    own = user.organisation.jurisdiction
    return nodes.filter(Q(path__startswith=own.path) | Q(key__in=own.ancestor_keys))
