"""对标: the quartiles of the green factories' filed intensities per region and industry, and
the pre-check that compares an applicant with them (source and sample size in the finding)."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from applications.models import IndustryBenchmark
from applications.precheck import run_precheck
from dynamic_mgmt import schedule
from dynamic_mgmt.models import AnnualTable
from dynamic_mgmt.services.benchmark import compute_benchmarks, quartiles
from greenmfg.directory.models import Jurisdiction
from tests.applications.helpers import city_batch
from tests.conftest import suite_today
from tests.dynamic_mgmt.dm_helpers import (
    CITY_KEYS,
    COUNTY_KEYS,
    bureau_reference,
    listing_of,
    new_unit,
    unit_user,
)
from tests.factories import AnnualTableFactory, ApplicationFactory

pytestmark = pytest.mark.django_db
YEAR = 2025
INDUSTRY = "水泥制造"


def filed(listing, year=YEAR, **values):
    return AnnualTableFactory(
        listing=listing,
        year=year,
        indicators=values,
        status=AnnualTable.Status.FILED,
        filed_at=timezone.now(),
        filed_by=unit_user(listing),
    )


def factories(city: str, energies, *, industry=INDUSTRY, year=YEAR, **other):
    """One green factory of ``city`` per energy figure, each with a filed table of ``year``."""
    made = []
    for energy in energies:
        listing = listing_of(city=city)
        listing.application = ApplicationFactory(
            batch=city_batch(CITY_KEYS[city], _policy(city)),
            organisation=listing.organisation,
            industry=industry,
        )
        listing.save()
        filed(listing, year=year, energy_per_unit=energy, **other)
        made.append(listing)
    return made


def _policy(city: str) -> str:
    return {"dalian": "dalian-2022-national", "jinan": "jinan-2024"}.get(city, "luoyang-2024")


def row(city: str, indicator: str = "energy_per_unit", year: int = YEAR) -> IndustryBenchmark:
    return IndustryBenchmark.objects.get(
        region__key=CITY_KEYS[city], industry=INDUSTRY, year=year, indicator=indicator
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4], (4, 4, 4)),
        ([1, 2], (1.25, 1.5, 1.75)),
        ([5, 1, 3, 2, 4], (2, 3, 4)),
        ([1, 2, 3, 4], (1.75, 2.5, 3.25)),
    ],
    ids=["one", "two", "odd", "even"],
)
def test_quartiles_interpolate_as_percentile_cont(values, expected):
    assert quartiles(values) == pytest.approx(expected)


def test_a_year_is_computed_per_city_province_and_industry_from_filed_tables_only(demo):
    factories("luoyang", [5, 1, 3, 2, 4], water_per_unit=2)
    factories("luoyang", [100], industry="钢铁")
    draft = listing_of(city="luoyang")
    AnnualTableFactory(listing=draft, year=YEAR, indicators={"energy_per_unit": 0})
    removed = factories("luoyang", [0])[0]
    removed.status = removed.Status.REMOVED
    removed.save()

    run = compute_benchmarks(year=YEAR)

    energy = row("luoyang")
    assert (energy.sample_size, energy.q1, energy.median, energy.q3) == (5, 2, 3, 4)
    assert row("luoyang", "water_per_unit").sample_size == 5
    assert not IndustryBenchmark.objects.filter(indicator="carbon_per_unit").exists()
    province = IndustryBenchmark.objects.get(
        region=Jurisdiction.objects.get(key=CITY_KEYS["luoyang"]).parent,
        industry=INDUSTRY,
        indicator="energy_per_unit",
    )
    assert province.sample_size == 5
    assert IndustryBenchmark.objects.get(industry="钢铁", region__key="410300").median == 100
    assert run.rows == IndustryBenchmark.objects.count()

    # Idempotent: a second run replaces the rows with the same figures.
    compute_benchmarks(year=YEAR)
    assert IndustryBenchmark.objects.count() == run.rows


def test_a_city_recompute_touches_only_that_city(demo):
    factories("luoyang", [1, 2, 3])
    factories("jinan", [7, 8, 9])
    compute_benchmarks(year=YEAR)
    factories("jinan", [10])
    jinan = Jurisdiction.objects.get(key=CITY_KEYS["jinan"])

    compute_benchmarks(year=YEAR, city_id=jinan.pk)

    assert row("jinan").sample_size == 4
    assert row("luoyang").sample_size == 3


def test_the_nightly_sweep_and_the_command_recompute_the_recent_years(demo):
    factories("luoyang", [1, 2, 3], year=suite_today().year - 1)
    out = io.StringIO()

    call_command("run_schedule", "--only", "benchmarks", stdout=out)

    assert row("luoyang", year=suite_today().year - 1).median == 2
    assert "同行业对标值" in out.getvalue()
    result = schedule.benchmarks(suite_today())
    assert result.counts["benchmarks"] == IndustryBenchmark.objects.count()


# --- the pre-check ------------------------------------------------------------------------------


def applicant(city: str, policy: str, *, year: int, facts: dict):
    batch = city_batch(CITY_KEYS[city], policy, year=year)
    return ApplicationFactory(
        batch=batch,
        organisation=new_unit(city),
        jurisdiction=Jurisdiction.objects.get(key=COUNTY_KEYS[city]),
        industry=INDUSTRY,
        facts=facts,
    )


def finding_of(precheck, code):
    (found,) = [item for item in precheck.findings if item["code"] == code]
    return found


def test_dalian_precheck_compares_with_the_citys_median_and_shows_source_and_sample(demo):
    factories("dalian", [1.0, 1.1, 1.2, 1.3, 1.4], year=2021)
    compute_benchmarks(year=2021)
    application = applicant(
        "dalian", "dalian-2022-national", year=2022, facts={"energy_per_unit": 1.1}
    )

    found = finding_of(
        run_precheck(application=application), "factory.better_than_regional_green_factories"
    )

    assert found["passed"] is True
    assert found["citation"] == "一(一)"
    assert "单位产品综合能耗 1.1 优于本地区同行业已有绿色工厂 1.2" in found["message"]
    assert "本平台大连市同行业绿色工厂2021年度填报数据中位数，样本5家" in found["message"]
    assert found["sources"] == ["本平台大连市同行业5家绿色工厂2021年度填报数据中位数"]
    assert "济南" not in found["message"] and "第六条" not in found["message"]


@override_settings(BENCHMARK_MIN_SAMPLE=5)
def test_dalian_below_the_minimum_sample_says_so_and_uses_the_figure_entered_by_hand(demo):
    factories("dalian", [1.0, 1.1, 1.2], year=2021)
    compute_benchmarks(year=2021)
    bureau_reference(
        demo,
        "dalian",
        industry=INDUSTRY,
        year=2022,
        values={"regional_green_factory_energy_per_unit": 2},
    )
    application = applicant(
        "dalian", "dalian-2022-national", year=2022, facts={"energy_per_unit": 1.5}
    )

    found = finding_of(
        run_precheck(application=application), "factory.better_than_regional_green_factories"
    )

    assert found["passed"] is True
    assert "单位产品综合能耗 1.5 优于本地区同行业已有绿色工厂 2" in found["message"]
    assert "仅3家，少于最低样本5家，未作为参考值" in found["message"]
    assert found["sources"] == ["行业参考值：水泥制造（大连市 2022年）"]


def test_jinan_uses_the_median_only_where_no_average_was_published(demo):
    factories("jinan", [2, 3, 4, 5, 6], carbon_per_unit=1, year=2025)
    compute_benchmarks(year=2025)
    bureau_reference(
        demo, "jinan", industry=INDUSTRY, year=2026, values={"industry_avg_carbon_per_unit": 0.5}
    )
    application = applicant(
        "jinan", "jinan-2024", year=2026, facts={"energy_per_unit": 3, "carbon_per_unit": 0.8}
    )

    precheck = run_precheck(application=application)

    energy = finding_of(precheck, "factory.energy_per_unit")
    assert energy["passed"] is True
    assert "不高于行业平均水平 4" in energy["message"]
    assert "本平台济南市同行业绿色工厂2025年度填报数据中位数，样本5家" in energy["message"]
    assert energy["citation"] == "第六条第6项"
    assert "大连" not in energy["message"] and "一(一)" not in energy["message"]
    carbon = finding_of(precheck, "factory.carbon_per_unit")
    assert carbon["passed"] is False  # the published 0.5, not the median 1
    assert "样本" not in carbon["message"]
