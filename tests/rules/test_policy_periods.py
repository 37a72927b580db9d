"""有效期: each policy governs the days its document states, and a batch must run within them.

洛阳 第二十六条 本办法自发布之日起实施，有效期五年 (发布 2024年9月23日); 济南 第二十六条
本办法自2024年7月  日起实施，有效期至2027年7月  日 (days blank: read by the month); the 大连
notice governs the 2022年度 national recommendation round only. Pure: no database, no clock.
"""

from datetime import date

import pytest

from greenmfg.rules import (
    PolicyPeriod,
    UnknownPolicy,
    batch_period_finding,
    dalian_2022_national,
    jinan_2024,
    luoyang_2024,
    policies,
    policy_in_force,
    policy_period,
)


@pytest.mark.parametrize(
    ("policy", "valid_from", "valid_until", "article"),
    [
        pytest.param(
            "luoyang-2024", date(2024, 9, 23), date(2029, 9, 22), "第二十六条", id="luoyang"
        ),
        pytest.param("jinan-2024", date(2024, 7, 1), date(2027, 7, 31), "第二十六条", id="jinan"),
        pytest.param(
            "dalian-2022-national", date(2022, 1, 1), date(2022, 12, 31), "一", id="dalian"
        ),
    ],
)
def test_policy_period_is_the_one_its_document_states(policy, valid_from, valid_until, article):
    period = policy_period(policy)

    assert (period.valid_from, period.valid_until, period.article) == (
        valid_from,
        valid_until,
        article,
    )


def test_every_policy_declares_its_period_in_its_module():
    modules = {m.CODE: m for m in (luoyang_2024, jinan_2024, dalian_2022_national)}
    assert set(modules) == set(policies())
    for code, module in modules.items():
        assert (
            policy_period(code).valid_from,
            policy_period(code).valid_until,
        ) == (module.VALID_FROM, module.VALID_UNTIL)


def test_policy_period_of_an_unknown_policy_raises_unknown_policy():
    with pytest.raises(UnknownPolicy):
        policy_period("shenzhen-2030")


@pytest.mark.parametrize(
    ("policy", "day", "in_force"),
    [
        pytest.param("luoyang-2024", date(2024, 9, 22), False, id="luoyang-day-before-issue"),
        pytest.param("luoyang-2024", date(2024, 9, 23), True, id="luoyang-day-of-issue"),
        pytest.param("luoyang-2024", date(2029, 9, 22), True, id="luoyang-last-day-of-five-years"),
        pytest.param("luoyang-2024", date(2029, 9, 23), False, id="luoyang-five-years-after"),
        pytest.param("jinan-2024", date(2024, 6, 30), False, id="jinan-before-july-2024"),
        pytest.param("jinan-2024", date(2024, 7, 1), True, id="jinan-july-2024"),
        pytest.param("jinan-2024", date(2027, 7, 31), True, id="jinan-end-of-july-2027"),
        pytest.param("jinan-2024", date(2027, 8, 1), False, id="jinan-august-2027"),
        pytest.param("dalian-2022-national", date(2022, 10, 15), True, id="dalian-2022-round"),
        pytest.param("dalian-2022-national", date(2023, 1, 1), False, id="dalian-2023"),
    ],
)
def test_policy_in_force_on_the_days_of_its_period_inclusive(policy, day, in_force):
    assert policy_in_force(policy, day) is in_force


def test_policy_period_refuses_an_end_before_its_start():
    with pytest.raises(ValueError):
        PolicyPeriod(date(2025, 1, 2), date(2025, 1, 1), article="第一条", wording="")


def test_jinan_batch_of_2028_is_outside_article_26_naming_policy_period_and_article():
    finding = batch_period_finding("jinan-2024", year=2028, deadline=date(2028, 5, 31))

    assert not finding.passed
    assert finding.article == "第二十六条"
    assert finding.policy == "jinan-2024"
    assert finding.message == (
        "《济南市绿色制造单位梯度培育及管理办法》自2024年7月起实施，有效期至2027年7月"
        "（原文未填具体日期，按2027年7月31日计）（第二十六条），不能据此创建2028年度批次。"
    )


def test_jinan_batch_whose_deadline_falls_after_july_2027_is_refused():
    finding = batch_period_finding("jinan-2024", year=2027, deadline=date(2027, 8, 1))

    assert not finding.passed
    assert "网上申报截止时间 2027-08-01 不在有效期（2024-07-01 至 2027-07-31）内" in finding.message
    assert "（第二十六条）" in finding.message


def test_jinan_batch_of_2027_due_in_july_2027_is_within_article_26():
    finding = batch_period_finding("jinan-2024", year=2027, deadline=date(2027, 7, 31))

    assert finding.passed
    assert finding.article == "第二十六条"


@pytest.mark.parametrize(
    ("year", "deadline", "passed"),
    [
        pytest.param(2024, date(2024, 11, 30), True, id="first-year"),
        pytest.param(2029, date(2029, 9, 22), True, id="last-day-of-five-years"),
        pytest.param(2029, date(2029, 9, 23), False, id="deadline-after-five-years"),
        pytest.param(2030, date(2029, 6, 30), False, id="year-after-five-years"),
        pytest.param(2023, date(2024, 10, 31), False, id="year-before-issue"),
    ],
)
def test_luoyang_batch_must_run_within_five_years_of_article_26(year, deadline, passed):
    finding = batch_period_finding("luoyang-2024", year=year, deadline=deadline)

    assert finding.passed is passed
    assert finding.article == "第二十六条"
    if not passed:
        assert finding.message.startswith("《洛阳市绿色制造体系梯度培育及管理暂行办法》")
        assert "有效期五年，至2029年9月22日（第二十六条）" in finding.message


@pytest.mark.parametrize(
    ("year", "deadline", "passed"),
    [
        pytest.param(2022, date(2022, 10, 15), True, id="the-2022-round"),
        pytest.param(2023, date(2023, 10, 15), False, id="a-2023-batch"),
        pytest.param(2022, date(2023, 1, 15), False, id="2022-batch-due-in-2023"),
    ],
)
def test_dalian_notice_governs_its_2022_round_only(year, deadline, passed):
    finding = batch_period_finding("dalian-2022-national", year=year, deadline=deadline)

    assert finding.passed is passed
    if not passed:
        assert "仅适用于2022年度国家绿色制造名单推荐工作" in finding.message
        assert "（通知一）" in finding.message
        # Under one policy a finding never cites another city's document.
        assert "第二十六条" not in finding.message


def test_batch_period_finding_words_an_edit_with_the_action_given():
    finding = batch_period_finding(
        "dalian-2022-national", year=2026, deadline=date(2026, 12, 31), action="组织"
    )

    assert finding.message.endswith("不能据此组织2026年度批次。")
