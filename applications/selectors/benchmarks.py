"""对标: reading the portal's benchmarks of green factories (IndustryBenchmark)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
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


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    """Q1, median and Q3 by linear interpolation (as ``percentile_cont``); one value is all
    three. dynamic_mgmt computes the stored rows with it, the pre-check a sample without the
    applicant: both must interpolate alike."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("quartiles of no values")
    if len(ordered) == 1:
        return ordered[0], ordered[0], ordered[0]
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return q1, median, q3


def benchmark_source(*, region_name: str, year: int, excludes_applicant: bool = False) -> str:
    """``本平台济南市同行业绿色工厂2026年度填报数据``: the wording every finding and page uses;
    ``…绿色工厂（不含申报单位本身）2026年度…`` when the applicant was left out of the sample."""
    if excludes_applicant:
        return _("本平台%(region)s同行业绿色工厂（不含申报单位本身）%(year)d年度填报数据") % {
            "region": region_name,
            "year": year,
        }
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
    # None only when leaving the applicant out left no one (then the sample is insufficient).
    q1: float | None
    median: float | None
    q3: float | None
    minimum: int
    # The applicant is one of the region's green factories and was left out of the sample.
    excludes_applicant: bool = False

    @property
    def sufficient(self) -> bool:
        return self.sample_size >= max(self.minimum, 1)

    @property
    def source(self) -> str:
        return benchmark_source(
            region_name=self.region_name,
            year=self.year,
            excludes_applicant=self.excludes_applicant,
        )

    @property
    def described(self) -> str:
        """``本平台济南市同行业12家绿色工厂2026年度填报数据中位数``: a fact's source."""
        if self.excludes_applicant:
            text = _(
                "本平台%(region)s同行业%(n)d家绿色工厂（不含申报单位本身）%(year)d年度填报数据中位数"
            )
        else:
            text = _("本平台%(region)s同行业%(n)d家绿色工厂%(year)d年度填报数据中位数")
        return text % {"region": self.region_name, "n": self.sample_size, "year": self.year}


def _benchmark(row: IndustryBenchmark, *, minimum: int, exclude: int | None) -> Benchmark:
    """``row`` as a :class:`Benchmark`; without the organisation ``exclude`` when its sample
    holds it (quartiles recomputed from the others). A row without a sample (computed before
    samples were kept) is taken as it stands."""
    q1, median, q3, size, excluded = row.q1, row.median, row.q3, row.sample_size, False
    if exclude is not None and row.sample:
        others = [value for unit, value in row.sample if unit != exclude]
        if len(others) < len(row.sample):
            excluded, size = True, len(others)
            q1, median, q3 = quartiles(others) if others else (None, None, None)
    return Benchmark(
        indicator=row.indicator,
        region_name=row.region.name,
        year=row.year,
        sample_size=size,
        q1=q1,
        median=median,
        q3=q3,
        minimum=minimum,
        excludes_applicant=excluded,
    )


def region_benchmarks(
    *,
    jurisdiction: Jurisdiction,
    industry: str,
    year: int,
    exclude_organisation: int | None = None,
) -> dict[str, Benchmark]:
    """Per indicator, the newest benchmark up to ``year`` of the city ``jurisdiction`` lies in
    (本地区), for ``industry``. One query; empty without an industry or a city.

    ``exclude_organisation`` (the applicant's) is left out of each sample that holds it: a
    factory already on the city's list is compared with the other green factories, not with a
    median it is part of. Its quartiles are recomputed from the others and their number checked
    against the minimum again. Without it the samples are not read."""
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
    if exclude_organisation is None:
        rows = rows.defer("sample")
    minimum = min_sample()
    found: dict[str, Benchmark] = {}
    for row in rows:
        if row.indicator not in found:
            found[row.indicator] = _benchmark(row, minimum=minimum, exclude=exclude_organisation)
    return found


def industry_benchmark_list(*, user) -> QuerySet[IndustryBenchmark]:
    """The benchmarks of the regions an official oversees: their own subtree's cities, and the
    city or province they sit in (a county sees its city's, which its applicants are held to).
    The samples (individual units' figures) are not read."""
    queryset = IndustryBenchmark.objects.select_related("region").defer("sample")
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
