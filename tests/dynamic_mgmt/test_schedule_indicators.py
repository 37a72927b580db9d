"""关键指标比对: each newly filed table is held to the rules of the unit's policy (with the
reference values of its application) and to its own previous year; a regression raises a
动态调整意见 (大连 三), once per (unit, year)."""

import datetime

import pytest

from dynamic_mgmt.models import AnnualTable, ScheduleMark
from dynamic_mgmt.schedule import check_indicators, indicator_regressions
from registry.models import RemovalProposal
from tests.applications.helpers import city_batch
from tests.factories import ApplicationFactory

from .test_schedule_windows import FACTORY_VALUES, file_table, jinan_unit, unit, user_inbox

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 4, 16)


def with_application(listing, *, city: str, policy: str, reference=None, facts=None):
    """Give the listing the application it was listed from, with its reference values."""
    batch = city_batch(city, policy, year=2024)
    listing.batch = batch
    listing.application = ApplicationFactory(
        batch=batch,
        organisation=listing.organisation,
        reference_facts=reference or {},
        facts=facts or {},
    )
    listing.save()
    return listing


def values(**changes) -> dict:
    return {**FACTORY_VALUES, **changes}


def test_a_jinan_factory_above_the_industry_average_energy_raises_a_proposal(demo):
    listing = with_application(
        jinan_unit(level="city"),
        city="370100",
        policy="jinan-2024",
        reference={"industry_avg_energy_per_unit": 90, "industry_avg_carbon_per_unit": 2},
    )
    file_table(listing, indicators=values(energy_per_unit=100))

    result = check_indicators(TODAY)

    assert result.counts == {"tables_compared": 1, "proposals": 1}
    proposal = RemovalProposal.objects.get(listing=listing)
    assert proposal.source == RemovalProposal.Source.INDICATOR
    assert (proposal.ground, proposal.article) == ("indicator", "大连 三")
    assert "单位产品综合能耗 100 高于行业平均" in proposal.reason and "90" in proposal.reason
    assert "第六条第6项" in proposal.reason
    assert "单位产品碳排放量" not in proposal.reason  # 1.2 is under 2
    assert user_inbox(demo["jinan-city"]) == ["移出名单建议（1 家）"]


def test_where_the_policy_has_no_rule_the_reference_value_of_the_application_holds(demo):
    listing = with_application(
        unit(level="city"),
        city="410300",
        policy="luoyang-2024",
        reference={"energy_quota_per_unit": 95, "industry_avg_solid_waste_utilisation_rate": 80},
    )
    file_table(listing, indicators=values(energy_per_unit=100, solid_waste_utilisation_rate=85))

    check_indicators(TODAY)

    reason = RemovalProposal.objects.get(listing=listing).reason
    assert "单位产品综合能耗 100 高于申报时的参考值 95" in reason
    assert "工业固体废物综合利用率" not in reason


def test_a_worsening_beyond_the_tolerance_against_last_year_raises_a_proposal(demo):
    worse, steady = unit(), unit()
    for listing in (worse, steady):
        file_table(listing, year=2026, indicators=values(carbon_per_unit=1.0))
    file_table(worse, indicators=values(carbon_per_unit=1.2, solid_waste_utilisation_rate=75))
    file_table(steady, indicators=values(carbon_per_unit=1.05))

    result = check_indicators(TODAY)

    # Both 2026 tables are compared too (they have no year before them).
    assert result.counts == {"tables_compared": 4, "proposals": 1}
    proposal = RemovalProposal.objects.get()
    assert proposal.listing == worse
    assert "单位产品碳排放量 1.2 吨二氧化碳当量/单位产品，较上年 1 吨" in proposal.reason
    assert "上升 20%（变差）" in proposal.reason
    assert "工业固体废物综合利用率 75%，较上年 90% 下降 16.7%（变差）" in proposal.reason
    assert "超过 10% 的容差" in proposal.reason


def test_comparing_twice_raises_one_proposal_and_drafts_wait(demo):
    listing = unit()
    file_table(listing, year=2026, indicators=values(energy_per_unit=80))
    draft = AnnualTable.objects.create(listing=listing, year=2027, indicators=values())

    check_indicators(TODAY)
    assert not RemovalProposal.objects.exists()
    assert ScheduleMark.objects.filter(kind="indicator", listing=listing).count() == 1

    draft.status = AnnualTable.Status.FILED
    draft.save()
    first = check_indicators(TODAY)
    again = check_indicators(TODAY + datetime.timedelta(days=1))

    assert first.counts == {"tables_compared": 1, "proposals": 1}
    assert again.counts == {}
    assert RemovalProposal.objects.filter(listing=listing).count() == 1
    assert set(
        ScheduleMark.objects.filter(kind="indicator", listing=listing).values_list("key", flat=True)
    ) == {"2026", "2027"}


def test_a_removed_units_table_is_not_compared(demo):
    listing = unit(status="removed")
    file_table(listing, indicators=values(energy_per_unit=1000))

    assert check_indicators(TODAY).counts == {}


def test_the_regressions_read_the_indicator_definitions():
    found = indicator_regressions(
        policy="dalian-2022-national",
        unit_type="factory",
        values=values(energy_per_unit=111),
        previous=values(energy_per_unit=100),
        application_facts={},
    )
    assert found == [
        "单位产品综合能耗 111 千克标准煤/单位产品，"
        "较上年 100 千克标准煤/单位产品 上升 11%（变差），超过 10% 的容差"
    ]
    # Exactly at the tolerance is not beyond it; an improvement never is.
    assert not indicator_regressions(
        policy="dalian-2022-national",
        unit_type="factory",
        values=values(energy_per_unit=110),
        previous=values(energy_per_unit=100),
        application_facts={},
    )
    assert not indicator_regressions(
        policy="dalian-2022-national",
        unit_type="factory",
        values=values(energy_per_unit=50),
        previous=values(energy_per_unit=100),
        application_facts={},
    )
