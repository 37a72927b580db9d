"""关键指标比对: each newly filed table is held to the rules of the unit's policy (with the
reference values of its application); a key indicator that no longer meets its requirement
raises a proposal under the policy's own article (洛阳 第十八条(一), 大连 三; 济南 none), once per
(unit, year). A worsening against last year within the requirement is a warning only
(tests/dynamic_mgmt/test_indicator_removal_grounds.py)."""

import datetime

import pytest

from dynamic_mgmt.indicators import worsenings
from dynamic_mgmt.models import AnnualTable, ScheduleMark
from dynamic_mgmt.schedule import check_indicators, indicator_shortfalls
from registry.models import RemovalProposal
from tests.applications.helpers import city_batch
from tests.factories import AnnualTableFactory, ApplicationFactory

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


def test_a_jinan_factory_above_the_industry_average_energy_raises_no_proposal(demo):
    """济南 第十九条 names no key indicator among its grounds: the table is compared once, and
    nothing is raised (the city judges the indicators at the re-review, 第十五条)."""
    listing = with_application(
        jinan_unit(level="city"),
        city="370100",
        policy="jinan-2024",
        reference={"industry_avg_energy_per_unit": 90, "industry_avg_carbon_per_unit": 2},
    )
    file_table(listing, indicators=values(energy_per_unit=100))

    result = check_indicators(TODAY)

    assert result.counts == {"tables_compared": 1, "proposals": 0}
    assert not RemovalProposal.objects.filter(listing=listing).exists()
    assert ScheduleMark.objects.filter(kind="indicator", listing=listing, key="2027").exists()
    assert user_inbox(demo["jinan-city"]) == []


def test_the_jinan_rules_still_find_the_shortfall_under_their_own_article():
    found = indicator_shortfalls(
        policy="jinan-2024",
        unit_type="factory",
        values=values(energy_per_unit=100),
        application_facts={"industry_avg_energy_per_unit": 90, "industry_avg_carbon_per_unit": 2},
    )
    assert len(found) == 1
    assert "单位产品综合能耗 100 高于行业平均" in found[0] and "第六条第6项" in found[0]


def test_where_the_policy_has_no_rule_the_reference_value_of_the_application_holds(demo):
    listing = with_application(
        unit(level="city"),
        city="410300",
        policy="luoyang-2024",
        reference={"energy_quota_per_unit": 95, "industry_avg_solid_waste_utilisation_rate": 80},
    )
    file_table(listing, indicators=values(energy_per_unit=100, solid_waste_utilisation_rate=85))

    check_indicators(TODAY)

    proposal = RemovalProposal.objects.get(listing=listing)
    assert proposal.source == RemovalProposal.Source.INDICATOR
    assert (proposal.ground, proposal.article) == ("indicator", "第十八条(一)")
    assert "单位产品综合能耗 100 高于申报时的参考值 95" in proposal.reason
    assert "工业固体废物综合利用率" not in proposal.reason


def test_a_worsening_beyond_the_tolerance_against_last_year_raises_no_proposal(demo):
    worse = unit()
    file_table(worse, year=2026, indicators=values(carbon_per_unit=1.0))
    file_table(worse, indicators=values(carbon_per_unit=1.2, solid_waste_utilisation_rate=75))

    result = check_indicators(TODAY)

    assert result.counts == {"tables_compared": 2, "proposals": 0}
    assert not RemovalProposal.objects.exists()


def test_comparing_twice_raises_one_proposal_and_drafts_wait(demo):
    listing = with_application(
        unit(), city="410300", policy="luoyang-2024", reference={"energy_quota_per_unit": 90}
    )
    file_table(listing, year=2026, indicators=values(energy_per_unit=80))
    draft = AnnualTableFactory(listing=listing, year=2027, indicators=values())

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


def test_the_worsenings_read_the_indicator_definitions():
    found = worsenings("factory", values(energy_per_unit=100), values(energy_per_unit=111))
    assert [item.words for item in found] == [
        "单位产品综合能耗 111 千克标准煤/单位产品，"
        "较上年 100 千克标准煤/单位产品 上升 11%（变差），超过 10% 的预警线"
    ]
    # Exactly at the tolerance is not beyond it; an improvement never is.
    assert not worsenings("factory", values(energy_per_unit=100), values(energy_per_unit=110))
    assert not worsenings("factory", values(energy_per_unit=100), values(energy_per_unit=50))
