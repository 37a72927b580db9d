"""Removal on key indicators, per policy (issue 14).

大连 三: 对于绿色制造水平关键指标不符合绿色制造评价要求的，提出动态调整意见 — only an indicator that
no longer meets its requirement (its limit, or the reference value the unit was listed on).
洛阳: the table reports the key indicators (第十六条); a unit that no longer meets them is removed
under 第十八条(一) (第十五条). 济南 第十九条 names no indicator ground: no proposal. A worsening of
more than 10% against last year within the limit is a warning to the officials (同比恶化预警),
on the table page, the 填报情况 list and the API, never a proposal. No ground, finding or
message of one policy cites another city's document."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dynamic_mgmt.removal_grounds import GROUNDS, INDICATOR_GROUNDS, ground, indicator_ground
from dynamic_mgmt.schedule import check_indicators, indicator_reason
from registry.models import RemovalProposal

from .test_schedule_indicators import values, with_application
from .test_schedule_windows import dalian_unit, file_table, jinan_unit, unit, window

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 4, 16)
BEIJING = ZoneInfo("Asia/Shanghai")
POLICIES = ("luoyang-2024", "jinan-2024", "dalian-2022-national")
# What would betray another city's document in a policy's ground or message.
OTHER_CITIES = {
    "luoyang-2024": ("大连", "济南", "第十九条第", "大工信", "济工信"),
    "jinan-2024": ("大连", "洛阳", "第十八条(", "洛工信", "大工信", "通知"),
    "dalian-2022-national": ("洛阳", "济南", "第十八条", "第十五条", "第十九条", "洛工信"),
}


@pytest.fixture
def on_the_sweep_day(time_machine):
    time_machine.move_to(datetime.datetime(2027, 4, 16, 10, tzinfo=BEIJING))
    return TODAY


def luoyang_factory(*, quota=95):
    return with_application(
        unit(level="city"),
        city="410300",
        policy="luoyang-2024",
        reference={"energy_quota_per_unit": quota},
    )


def proposal_of(listing) -> RemovalProposal:
    return RemovalProposal.objects.get(listing=listing)


# --- 洛阳 ---------------------------------------------------------------------------------------


def test_luoyang_energy_per_unit_above_its_quota_is_removal_under_article_18_1(
    demo, on_the_sweep_day
):
    """洛阳 第十八条(一)（第十五条）: the energy per unit above its limit raises a proposal."""
    listing = luoyang_factory(quota=95)
    file_table(listing, indicators=values(energy_per_unit=100))

    result = check_indicators(on_the_sweep_day)

    assert result.counts == {"tables_compared": 1, "proposals": 1}
    proposal = proposal_of(listing)
    assert (proposal.source, proposal.ground) == (RemovalProposal.Source.INDICATOR, "indicator")
    assert proposal.article == "第十八条(一)"
    assert "单位产品综合能耗 100 高于申报时的参考值 95" in proposal.reason
    assert "《洛阳市绿色制造体系梯度培育及管理暂行办法》第十八条(一)" in proposal.reason
    assert "第十五条" in proposal.reason
    assert "大连" not in proposal.reason and "三" not in proposal.article


def test_luoyang_energy_within_its_quota_raises_nothing(demo, on_the_sweep_day):
    listing = luoyang_factory(quota=95)
    file_table(listing, indicators=values(energy_per_unit=95))  # at the limit meets it

    assert check_indicators(on_the_sweep_day).counts == {"tables_compared": 1, "proposals": 0}
    assert not RemovalProposal.objects.filter(listing=listing).exists()


def test_a_unit_fifteen_percent_worse_than_last_year_within_its_limit_gets_no_proposal(
    demo, on_the_sweep_day
):
    """A worsening is not 不符合评价要求: no proposal, under any of the three policies."""
    units = [
        luoyang_factory(quota=95),
        with_application(
            dalian_unit(),
            city="210200",
            policy="dalian-2022-national",
            reference={"energy_quota_per_unit": 95},
        ),
    ]
    for listing in units:
        file_table(listing, year=2026, indicators=values(energy_per_unit=80))
        file_table(listing, indicators=values(energy_per_unit=92))  # +15%, within 95

    result = check_indicators(on_the_sweep_day)

    assert result.counts == {"tables_compared": 4, "proposals": 0}
    assert not RemovalProposal.objects.exists()


# --- the warning: table page, list, API --------------------------------------------------------


@pytest.fixture
def worse_than_last_year(demo, on_the_sweep_day):
    """A 洛阳 national unit whose 2027 energy per unit is 15% above 2026's, within its quota,
    and a steady one, under 洛阳's 2027 window."""
    window(city="410300", level="national", year=2027)
    worse = unit(name="同比恶化企业有限公司")
    steady = unit(name="指标平稳企业有限公司")
    for listing in (worse, steady):
        file_table(listing, year=2026, indicators=values(energy_per_unit=80))
    file_table(worse, indicators=values(energy_per_unit=92))
    file_table(steady, indicators=values(energy_per_unit=84))  # +5%
    return worse, steady


def test_the_table_page_warns_the_officials_of_a_worsening(client, demo, worse_than_last_year):
    worse, steady = worse_than_last_year
    client.force_login(demo["luoyang-city"])

    page = client.get(reverse("dynamic_mgmt:table-detail", args=[worse.pk, 2027]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "同比恶化预警" in text
    assert (
        "单位产品综合能耗 92 千克标准煤/单位产品，较上年 80 千克标准煤/单位产品 上升 15%（变差）"
        in text
    )
    assert "不是移出名单的依据" in text
    calm = client.get(reverse("dynamic_mgmt:table-detail", args=[steady.pk, 2027]))
    assert "同比恶化预警" not in calm.content.decode()
    assert not RemovalProposal.objects.exists()


def test_the_unit_itself_is_not_shown_the_officials_warning(client, demo, worse_than_last_year):
    worse, _steady = worse_than_last_year
    client.force_login(worse.organisation.users.get())

    page = client.get(reverse("dynamic_mgmt:table-detail", args=[worse.pk, 2027]))

    assert page.status_code == 200 and page.context["worsenings"] == []


def test_the_filing_list_marks_the_worsened_unit(client, demo, worse_than_last_year):
    worse, steady = worse_than_last_year
    client.force_login(demo["luoyang-city"])

    page = client.get("/dynamic/tables/", {"year": 2027})

    assert page.status_code == 200
    rows = {row.unit_name: row for row in page.context["rows"]}
    assert [w.indicator.key for w in rows[worse.unit_name].worsenings] == ["energy_per_unit"]
    assert rows[steady.unit_name].worsenings == []
    assert page.content.decode().count("同比恶化预警") == 1


def test_the_api_gives_the_officials_the_warning_field(client, demo, worse_than_last_year):
    worse, steady = worse_than_last_year
    client.force_login(demo["luoyang-city"])

    found = {
        row["unit_name"]: row["year_on_year_warnings"]
        for row in client.get("/api/annual-tables/", {"year": 2027}).json()["results"]
        if row["year"] == 2027
    }

    assert found[steady.unit_name] == []
    (warning,) = found[worse.unit_name]
    assert (warning["indicator"], warning["previous"], warning["current"]) == (
        "energy_per_unit",
        80,
        92,
    )
    assert warning["percent"] == 15.0 and "同比" not in warning["words"]
    client.force_login(worse.organisation.users.get())
    own = client.get("/api/annual-tables/").json()["results"]
    assert {row["year_on_year_warnings"] for row in own} == {None}


# --- 大连 --------------------------------------------------------------------------------------


def test_a_dalian_unit_out_of_its_limit_gets_a_dynamic_adjustment_under_three(
    demo, on_the_sweep_day
):
    """大连 三: 关键指标不符合绿色制造评价要求的，提出动态调整意见."""
    listing = with_application(
        dalian_unit(),
        city="210200",
        policy="dalian-2022-national",
        reference={"energy_quota_per_unit": 90},
    )
    file_table(listing, indicators=values(energy_per_unit=100))

    check_indicators(on_the_sweep_day)

    proposal = proposal_of(listing)
    assert (proposal.ground, proposal.article) == ("indicator", "三")
    assert "三：绿色制造水平关键指标不符合绿色制造评价要求，提出动态调整意见" in proposal.reason
    assert "洛阳" not in proposal.reason and "济南" not in proposal.reason


# --- 济南 --------------------------------------------------------------------------------------


def test_jinan_article_19_names_no_indicator_ground_so_no_proposal(demo, on_the_sweep_day):
    """济南 第十九条 1–8 (未正常经营, 被动态调整出名单, 事故违法, 督查, 节能监察整改, 失信,
    拒不填报, 造假) names no key indicator out of its requirement: nothing is raised."""
    listing = with_application(
        jinan_unit(level="city"),
        city="370100",
        policy="jinan-2024",
        reference={"energy_quota_per_unit": 90},
    )
    file_table(listing, indicators=values(energy_per_unit=150))

    assert check_indicators(on_the_sweep_day).counts == {"tables_compared": 1, "proposals": 0}
    assert indicator_ground("jinan-2024") is None and ground("jinan-2024", "indicator") is None
    assert not RemovalProposal.objects.exists()


# --- no city cites another's document ---------------------------------------------------------


@pytest.mark.parametrize("policy", POLICIES)
def test_no_ground_of_a_policy_names_another_citys_document(policy):
    for code, item in GROUNDS[policy].items():
        text = f"{item.article} {item.wording}"
        for foreign in OTHER_CITIES[policy]:
            assert foreign not in text, (policy, code, foreign)


@pytest.mark.parametrize("policy", sorted(INDICATOR_GROUNDS))
def test_no_indicator_message_names_another_citys_document(policy):
    reason = indicator_reason(policy=policy, year=2027, shortfalls=["单位产品综合能耗 100 高于 95"])
    for foreign in OTHER_CITIES[policy]:
        assert foreign not in reason, (policy, foreign)


def test_no_jinan_or_luoyang_proposal_mentions_dalian(demo, on_the_sweep_day):
    listings = [
        luoyang_factory(quota=90),
        with_application(
            jinan_unit(level="city"),
            city="370100",
            policy="jinan-2024",
            reference={"industry_avg_energy_per_unit": 90},
        ),
    ]
    for listing in listings:
        file_table(listing, indicators=values(energy_per_unit=100))

    check_indicators(on_the_sweep_day)

    for proposal in RemovalProposal.objects.filter(listing__in=listings):
        assert "大连" not in f"{proposal.article} {proposal.reason}"
        assert proposal.article != "三"
    assert RemovalProposal.objects.filter(listing__in=listings).count() == 1
