"""The experts together: combining their totals, and the decision against a policy's line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from greenmfg.rules import UnknownPolicy, policies
from reviews.scoring import MEAN, TRIMMED_MEAN, ScoringError, aggregate, decide, decide_for_policy


def decimals(*values: str) -> list[Decimal]:
    return [Decimal(value) for value in values]


def test_aggregate_statistics():
    result = aggregate(decimals("80", "85", "90", "70"))

    assert result.score == Decimal("81.25")
    assert result.count == 4
    assert result.mean == Decimal("81.25")
    assert result.median == Decimal("82.50")
    assert result.minimum == Decimal("70.00")
    assert result.maximum == Decimal("90.00")
    assert result.spread == Decimal("20.00")
    # Population: √(218.75 / 4) = √54.6875 = 7.3951…
    assert result.stdev == Decimal("7.40")
    assert result.method_used == MEAN
    assert result.trimmed == 0


def test_aggregate_population_stdev():
    result = aggregate(decimals("2", "4", "4", "4", "5", "5", "7", "9"))

    assert result.mean == Decimal("5.00")
    assert result.stdev == Decimal("2.00")


@pytest.mark.parametrize(
    ("totals", "mean"),
    [
        (("80.00", "80.01"), "80.01"),
        (("79.99", "80.00", "80.01"), "80.00"),
        (("0.1", "0.2", "0.3"), "0.20"),
        (("33.33", "33.33", "33.34"), "33.33"),
    ],
    ids=["half-cent-rounds-up", "exact-80", "tenths", "thirds"],
)
def test_aggregate_mean_is_decimal_exact(totals, mean):
    # 80.005 as a float is 80.00499…, which would round down; in Decimal it is a true half.
    assert aggregate(decimals(*totals)).mean == Decimal(mean)


@pytest.mark.parametrize(
    ("totals", "median"),
    [(("70",), "70.00"), (("90", "70", "80"), "80.00"), (("90", "70", "80", "85"), "82.50")],
    ids=["one", "odd", "even"],
)
def test_aggregate_median(totals, median):
    assert aggregate(decimals(*totals)).median == Decimal(median)


def test_single_total():
    result = aggregate([Decimal("88.5")])

    assert (result.score, result.spread, result.stdev) == (Decimal("88.50"), 0, 0)


@pytest.mark.parametrize(
    ("totals", "trim", "score", "method_used", "trimmed"),
    [
        (("70", "80", "85", "90", "100"), 1, "85.00", TRIMMED_MEAN, 1),
        (("70", "80", "85", "90"), 1, "82.50", TRIMMED_MEAN, 1),
        (("70", "80", "90"), 1, "80.00", TRIMMED_MEAN, 1),
        (("70", "90"), 1, "80.00", MEAN, 0),
        (("60", "70", "80", "90", "100"), 2, "80.00", TRIMMED_MEAN, 2),
        (("60", "70", "80", "100"), 2, "77.50", MEAN, 0),
        (("60", "70", "80", "100"), 0, "77.50", MEAN, 0),
        (("80.00", "80.01", "95", "40"), 1, "80.01", TRIMMED_MEAN, 1),
    ],
    ids=[
        "five-drop-one-each",
        "four-drop-one-each",
        "three-keeps-the-median",
        "two-falls-back",
        "five-drop-two-each",
        "four-too-few-for-two",
        "trim-zero-is-the-mean",
        "half-cent-rounds-up",
    ],
)
def test_trimmed_mean(totals, trim, score, method_used, trimmed):
    result = aggregate(decimals(*totals), method=TRIMMED_MEAN, trim=trim)

    assert result.score == Decimal(score)
    assert result.method_used == method_used
    assert result.trimmed == trimmed


def test_trimmed_mean_keeps_the_statistics_of_all_totals():
    result = aggregate(decimals("40", "80", "90", "100"), method=TRIMMED_MEAN)

    assert result.score == Decimal("85.00")
    assert result.mean == Decimal("77.50")
    assert result.spread == Decimal("60.00")


def test_aggregate_of_nothing_is_an_error():
    with pytest.raises(ScoringError, match="没有可汇总的专家评分"):
        aggregate([])


def test_aggregate_refuses_a_total_that_is_not_a_number():
    with pytest.raises(ScoringError, match="专家总分无效"):
        aggregate([Decimal(80), "八十"])


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"method": "median"}, "汇总方式应为"),
        ({"trim": -1}, "非负整数"),
        ({"trim": 1.5}, "非负整数"),
    ],
    ids=["unknown-method", "negative-trim", "fractional-trim"],
)
def test_aggregate_refuses_options(options, fragment):
    with pytest.raises(ValueError, match=fragment):
        aggregate(decimals("80"), **options)


@pytest.mark.parametrize("policy", policies())
@pytest.mark.parametrize(
    ("score", "basic_met_all", "passed", "reason"),
    [
        ("79.99", True, False, "平均得分 79.99 分，未达到 80 分（含）"),
        ("80.00", True, True, "平均得分 80.00 分，达到 80 分（含）"),
        ("80", True, True, "平均得分 80.00 分，达到 80 分（含）"),
        ("95", False, False, "基本要求「依法设立」未满足，一票否决"),
        ("79.99", False, False, "平均得分 79.99 分，未达到 80 分（含）"),
    ],
    ids=["79.99-fails", "80.00-passes", "80-passes", "basic-unmet-at-95", "both-fail"],
)
def test_decide_for_policy_at_the_80_point_line(policy, score, basic_met_all, passed, reason):
    unmet = () if basic_met_all else ("依法设立",)

    decision = decide_for_policy(
        policy, aggregate([Decimal(score)]), basic_met_all, unmet_requirements=unmet
    )

    assert decision.passed is passed
    assert reason in decision.reasons


def test_veto_at_95_gives_only_the_veto_as_reason():
    decision = decide_for_policy(
        "luoyang-2024",
        aggregate(decimals("95")),
        False,
        unmet_requirements=("依法设立", "近三年无较大及以上安全、环保、质量等事故"),
    )

    assert decision.reasons == [
        "基本要求「依法设立」未满足，一票否决",
        "基本要求「近三年无较大及以上安全、环保、质量等事故」未满足，一票否决",
    ]


def test_veto_without_names():
    decision = decide_for_policy("jinan-2024", aggregate(decimals("95")), False)

    assert decision.reasons == ["基本要求未全部满足，一票否决"]


def test_pass_says_what_held():
    decision = decide_for_policy("dalian-2022-national", aggregate(decimals("85", "90")), True)

    assert decision.reasons == ["基本要求全部满足", "平均得分 87.50 分，达到 80 分（含）"]


def test_decision_names_a_trimmed_mean():
    result = aggregate(decimals("40", "80", "90", "100"), method=TRIMMED_MEAN)

    decision = decide_for_policy("luoyang-2024", result, True)

    assert "去掉最高分和最低分后的平均得分 85.00 分，达到 80 分（含）" in decision.reasons


def test_decide_for_unknown_policy():
    with pytest.raises(UnknownPolicy):
        decide_for_policy("nowhere-2099", aggregate(decimals("90")), True)


def test_decide_with_any_test_of_passing():
    def passes(score: float, basic_met_all: bool) -> bool:
        return basic_met_all and score >= 60

    assert decide(Decimal("60"), True, passes).reasons == [
        "基本要求全部满足",
        "平均得分 60.00 分，达到分数线",
    ]
    assert decide(Decimal("59.5"), True, passes, line=60).reasons == [
        "平均得分 59.50 分，未达到 60 分（含）"
    ]
    assert decide(Decimal("90"), False, passes).passed is False
