"""对标 without the applicant: a unit already on its city's list of green factories is compared
with the others (大连 一(一) 优于本地区已创建的绿色工厂), not with a median it is part of; the
source says so, the sample shrinks by one and may fall below the minimum. The benchmarks page and
API never read the sample (individual units' figures)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import IndustryBenchmark
from applications.precheck import run_precheck
from applications.selectors.benchmarks import quartiles, region_benchmarks
from dynamic_mgmt.models import AnnualTable
from dynamic_mgmt.services.benchmark import compute_benchmarks
from greenmfg.directory.models import Jurisdiction
from tests.applications.helpers import city_batch
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
INDUSTRY = "水泥制造（对标自排除）"
DALIAN = "dalian-2022-national"
BETTER = "factory.better_than_regional_green_factories"
PAGE = reverse("applications:benchmark-list")
API = "/api/industry-benchmarks/"


def green_factories(energies, *, city="dalian", policy=DALIAN, year=2021):
    """One listed green factory of ``city`` per energy figure, its ``year`` table filed."""
    made = []
    for energy in energies:
        listing = listing_of(city=city)
        listing.application = ApplicationFactory(
            batch=city_batch(CITY_KEYS[city], policy),
            organisation=listing.organisation,
            industry=INDUSTRY,
        )
        listing.save()
        AnnualTableFactory(
            listing=listing,
            year=year,
            indicators={"energy_per_unit": energy},
            status=AnnualTable.Status.FILED,
            filed_at=timezone.now(),
            filed_by=unit_user(listing),
        )
        made.append(listing)
    return made


def applying(organisation, *, energy, city="dalian", policy=DALIAN, year=2022):
    return ApplicationFactory(
        batch=city_batch(CITY_KEYS[city], policy, year=year),
        organisation=organisation,
        jurisdiction=Jurisdiction.objects.get(key=COUNTY_KEYS[city]),
        industry=INDUSTRY,
        facts={"energy_per_unit": energy},
    )


def finding(application, code=BETTER):
    (found,) = [f for f in run_precheck(application=application).findings if f["code"] == code]
    return found


def city_row(city="dalian", year=2021):
    return IndustryBenchmark.objects.get(
        region__key=CITY_KEYS[city], industry=INDUSTRY, year=year, indicator="energy_per_unit"
    )


def test_the_rows_keep_their_sample_of_units_and_figures(demo):
    listings = green_factories([1.4, 1.0, 1.2])

    compute_benchmarks(year=2021)

    row = city_row()
    assert row.sample == sorted(
        [listing.organisation_id, value]
        for listing, value in zip(listings, [1.4, 1.0, 1.2], strict=True)
    )
    assert row.sample_size == len(row.sample) == 3


@override_settings(BENCHMARK_MIN_SAMPLE=5)
def test_a_listed_factory_is_compared_with_the_median_of_the_others(demo):
    energies = [1.0, 1.1, 1.2, 1.3, 1.5, 1.6]
    listings = green_factories(energies)
    compute_benchmarks(year=2021)
    assert city_row().median == pytest.approx(1.25)  # all six, the applicant among them
    application = applying(listings[0].organisation, energy=1.25)

    found = finding(application)

    # Without itself (1.0) the others' median is 1.3: 1.25 is better; against 1.25 it is not.
    others = quartiles(energies[1:])
    assert others[1] == pytest.approx(1.3)
    assert found["passed"] is True
    assert "单位产品综合能耗 1.25 优于本地区同行业已有绿色工厂 1.3" in found["message"]
    assert (
        "参考值为本平台大连市同行业绿色工厂（不含申报单位本身）2021年度填报数据中位数，样本5家"
        in found["message"]
    )
    assert found["sources"] == [
        "本平台大连市同行业5家绿色工厂（不含申报单位本身）2021年度填报数据中位数"
    ]
    benchmark = region_benchmarks(
        jurisdiction=application.jurisdiction,
        industry=INDUSTRY,
        year=2022,
        exclude_organisation=application.organisation_id,
    )["energy_per_unit"]
    assert (benchmark.q1, benchmark.median, benchmark.q3) == pytest.approx(others)
    assert benchmark.sample_size == 5 and benchmark.excludes_applicant


@override_settings(BENCHMARK_MIN_SAMPLE=5)
def test_a_sample_that_falls_below_the_minimum_without_the_applicant_is_too_small(demo):
    listings = green_factories([1.0, 1.1, 1.2, 1.3, 1.4])
    compute_benchmarks(year=2021)
    bureau_reference(
        demo,
        "dalian",
        industry=INDUSTRY,
        year=2022,
        values={"regional_green_factory_energy_per_unit": 2},
    )
    application = applying(listings[2].organisation, energy=1.5)

    found = finding(application)

    # Five with the applicant, four without: the bureau's figure stands in.
    assert "单位产品综合能耗 1.5 优于本地区同行业已有绿色工厂 2" in found["message"]
    assert (
        "（不含申报单位本身）2021年度填报数据仅4家，少于最低样本5家，未作为参考值"
        in (found["message"])
    )
    assert found["sources"] == [f"行业参考值：{INDUSTRY}（大连市 2022年）"]


@override_settings(BENCHMARK_MIN_SAMPLE=5)
def test_an_applicant_not_in_the_sample_sees_the_unchanged_median(demo):
    green_factories([1.0, 1.1, 1.2, 1.3, 1.5, 1.6])
    compute_benchmarks(year=2021)
    application = applying(new_unit("dalian"), energy=1.24)

    found = finding(application)

    assert found["passed"] is True
    assert "优于本地区同行业已有绿色工厂 1.25" in found["message"]
    assert "本平台大连市同行业绿色工厂2021年度填报数据中位数，样本6家" in found["message"]
    assert "不含申报单位" not in found["message"]
    assert found["sources"] == ["本平台大连市同行业6家绿色工厂2021年度填报数据中位数"]


@override_settings(BENCHMARK_MIN_SAMPLE=5)
def test_a_row_computed_before_samples_were_kept_is_used_as_it_stands(demo):
    listings = green_factories([1.0, 1.1, 1.2, 1.3, 1.5, 1.6])
    compute_benchmarks(year=2021)
    IndustryBenchmark.objects.filter(industry=INDUSTRY).update(sample=[])
    application = applying(listings[0].organisation, energy=1.24)

    found = finding(application)

    assert "优于本地区同行业已有绿色工厂 1.25" in found["message"]
    assert "样本6家" in found["message"] and "不含申报单位" not in found["message"]


def test_without_an_applicant_to_leave_out_the_sample_is_not_read(demo):
    green_factories([1.0, 1.1])
    compute_benchmarks(year=2021)
    county = Jurisdiction.objects.get(key=COUNTY_KEYS["dalian"])

    with CaptureQueriesContext(connection) as queries:
        found = region_benchmarks(
            jurisdiction=county,
            industry=INDUSTRY,
            year=2022,
        )

    assert found["energy_per_unit"].median == pytest.approx(1.05)
    assert len(queries) == 1 and '"sample"' not in queries[0]["sql"]


def _rows(region_key: str, count: int) -> None:
    IndustryBenchmark.objects.bulk_create(
        IndustryBenchmark(
            region=Jurisdiction.objects.get(key=region_key),
            industry=f"{INDUSTRY}{n}",
            year=2025,
            indicator="energy_per_unit",
            sample_size=8,
            q1=1,
            median=2,
            q3=3,
            sample=[[n, 2.0]] * 8,
            computed_at=timezone.now(),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_export_and_api_neither_read_nor_show_the_sample(
    client, demo, count, django_assert_max_num_queries
):
    _rows("370100", count)
    client.force_login(demo["jinan-city"])

    with CaptureQueriesContext(connection) as queries:
        with django_assert_max_num_queries(12):
            page = client.get(PAGE)
        with django_assert_max_num_queries(14):
            export = client.get(PAGE, {"export": "xlsx"})
        with django_assert_max_num_queries(12):
            api = client.get(API)

    assert page.status_code == export.status_code == api.status_code == 200
    assert not [q["sql"] for q in queries if '"sample"' in q["sql"]]
    results = api.json()["results"]
    assert results and all("sample" not in row for row in results)
