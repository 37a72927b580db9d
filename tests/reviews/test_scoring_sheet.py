"""One expert's sheet: what it refuses, and how it adds up."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from reviews.scoring import (
    BasicAnswer,
    Indicator,
    IndicatorGroup,
    ScoringError,
    SheetEntry,
    SheetProblem,
    score_sheet,
    validate_sheet,
)
from tests.reviews.sheets import (
    abstain,
    all_met,
    mark,
    perfect_entries,
    small_template,
    with_entries,
    zero_entries,
)


def test_perfect_sheet_scores_100():
    template = small_template()

    result = score_sheet(template, all_met(template), perfect_entries(template))

    assert result.total == Decimal("100.00")
    assert result.basic_met is True
    assert result.vetoed_by == []
    assert result.group_scores == {"management": Decimal(40), "performance": Decimal(60)}
    assert result.item_points["performance.energy"] == Decimal(10)
    assert result.abstained == []


def test_zero_sheet_scores_0():
    template = small_template()

    result = score_sheet(template, all_met(template), zero_entries(template))

    assert result.total == Decimal("0.00")
    assert result.item_points["management.report"] == Decimal(0)  # optional, left blank


def test_group_score_is_its_weight_times_the_share_earned():
    template = small_template()
    entries = with_entries(
        perfect_entries(template, optional=False),
        mark("management.energy", Decimal("7.5")),
        SheetEntry("performance.energy", value=Decimal(100)),  # midpoint: 5 of 10
    )

    result = score_sheet(template, all_met(template), entries)

    # 管理体系 40 × 17.5/20 = 35; 绩效 60 × 15/20 = 45.
    assert result.group_scores == {"management": Decimal("35.00"), "performance": Decimal("45.00")}
    assert result.total == Decimal("80.00")


@pytest.mark.parametrize(
    ("points", "total"),
    [("0.01", "0.13"), ("1", "12.50"), ("2.67", "33.38"), ("8", "100.00")],
    ids=["half-cent-rounds-up", "eighth", "odd", "full"],
)
def test_group_score_rounds_half_up_to_cents(points, total):
    template = replace(
        small_template(),
        basic_requirements=(),
        groups=(IndicatorGroup("whole", "整体", 100, (Indicator("whole.x", "指标", 8),)),),
    )

    result = score_sheet(template, [], [mark("whole.x", Decimal(points))])

    # 100 × 0.01/8 = 0.125: half up gives 0.13 where banker's rounding would give 0.12.
    assert result.total == Decimal(total)


@pytest.mark.parametrize(
    ("report_points", "management"),
    [("0", "30.00"), ("3", "36.00"), ("5", "40.00")],
    ids=["no-extra", "extra-makes-up", "extra-capped-at-weight"],
)
def test_optional_items_add_extra_points_up_to_the_weight(report_points, management):
    template = small_template()
    entries = with_entries(
        perfect_entries(template),
        mark("management.energy", 5),
        mark("management.report", Decimal(report_points)),
    )

    result = score_sheet(template, all_met(template), entries)

    # 15 of 20 required, plus the optional report: 15/20, 18/20, min(1, 20/20).
    assert result.group_scores["management"] == Decimal(management)


def test_optional_items_never_lift_the_total_above_100():
    template = small_template()

    result = score_sheet(template, all_met(template), perfect_entries(template, optional=True))

    assert result.item_points["management.report"] == Decimal(5)
    assert result.group_scores["management"] == Decimal(40)
    assert result.total == Decimal("100.00")


def test_abstaining_excludes_the_item_from_the_group():
    template = small_template()
    entries = with_entries(
        perfect_entries(template, optional=False),
        abstain("management.energy"),
        mark("management.environment", 5),
    )

    result = score_sheet(template, all_met(template), entries)

    # Judged on 环境管理体系 alone: 40 × 5/10.
    assert result.group_scores["management"] == Decimal("20.00")
    assert result.abstained == ["management.energy"]
    assert "management.energy" not in result.item_points
    assert result.total == Decimal("80.00")


def test_abstaining_on_an_interpolated_item():
    template = small_template()
    entries = with_entries(perfect_entries(template), abstain("performance.reuse"))

    result = score_sheet(template, all_met(template), entries)

    assert result.group_scores["performance"] == Decimal(60)
    assert result.total == Decimal("100.00")


def test_abstaining_on_every_required_item_of_a_group_cannot_be_scored():
    template = small_template()
    entries = with_entries(
        perfect_entries(template),
        abstain("management.energy"),
        abstain("management.environment"),
    )

    with pytest.raises(ScoringError) as raised:
        score_sheet(template, all_met(template), entries)

    assert raised.value.problems == [
        SheetProblem("management", "「管理体系」的必选指标全部弃权，该组无法评分")
    ]


@pytest.mark.parametrize(
    "unmet",
    [("basic.legal",), ("basic.no_accident",), ("basic.legal", "basic.no_accident")],
    ids=["first", "second", "both"],
)
def test_any_unmet_basic_requirement_vetoes(unmet):
    template = small_template()

    result = score_sheet(template, all_met(template, unmet=unmet), perfect_entries(template))

    assert result.basic_met is False
    assert result.vetoed_by == list(unmet)
    assert result.total == Decimal("100.00")  # the points stay on record beside the veto


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (mark("management.energy", 12), "「能源管理体系」得分 12 超过满分 10"),
        (mark("management.energy", Decimal("10.01")), "「能源管理体系」得分 10.01 超过满分 10"),
        (mark("management.energy", -1), "「能源管理体系」得分 -1 不能为负"),
        (mark("management.energy", Decimal("-0.5")), "「能源管理体系」得分 -0.5 不能为负"),
        (
            mark("management.energy", Decimal("7.125")),
            "「能源管理体系」得分 7.125 最多保留两位小数",
        ),
        (mark("management.energy", "很好"), "「能源管理体系」得分无效：'很好'"),
        (mark("management.energy", True), "「能源管理体系」得分无效：True"),
        (abstain("management.energy", ""), "「能源管理体系」弃权须填写理由"),
        (abstain("management.energy", "   "), "「能源管理体系」弃权须填写理由"),
        (SheetEntry("management.energy"), "缺少指标「能源管理体系」的评分"),
        (
            SheetEntry("management.energy", points=Decimal(5), abstain_reason="回避"),
            "指标「能源管理体系」只能填写得分、数值或弃权中的一项",
        ),
        (
            SheetEntry("management.energy", value=Decimal(5)),
            "「能源管理体系」为人工评分，应填写得分而非数值",
        ),
        (
            mark("performance.energy", 10),
            "「单位产品综合能耗」按数值计分，应填写数值（kgce/t）而非得分",
        ),
        (
            SheetEntry("performance.energy", value=Decimal(-3)),
            "「单位产品综合能耗」数值 -3 不能为负",
        ),
        (
            SheetEntry("performance.energy", value=float("inf")),
            "「单位产品综合能耗」数值无效：inf",
        ),
    ],
    ids=[
        "over-max",
        "over-max-by-a-cent",
        "negative",
        "negative-fraction",
        "three-decimals",
        "not-a-number",
        "bool",
        "abstain-empty-reason",
        "abstain-blank-reason",
        "nothing-given",
        "points-and-abstain",
        "value-on-manual",
        "points-on-interpolated",
        "negative-value",
        "infinite-value",
    ],
)
def test_validate_sheet_refuses_an_entry(entry, problem):
    template = small_template()
    entries = with_entries(perfect_entries(template), entry)

    problems = validate_sheet(template, all_met(template), entries)

    assert problems == [SheetProblem(entry.code, problem)]


@pytest.mark.parametrize(
    "points",
    [Decimal(0), Decimal(10), Decimal("7.50"), Decimal("7.000"), 7, 7.5, "7.5"],
    ids=["zero", "full-marks", "two-decimals", "trailing-zeros", "int", "float", "text"],
)
def test_validate_sheet_accepts_points_from_0_to_max(points):
    template = small_template()
    entries = with_entries(perfect_entries(template), mark("management.energy", points))

    assert validate_sheet(template, all_met(template), entries) == []


def test_score_sheet_raises_with_every_problem():
    template = small_template()
    entries = with_entries(
        perfect_entries(template),
        mark("management.energy", 12),
        abstain("management.environment", ""),
    )

    with pytest.raises(ScoringError) as raised:
        score_sheet(template, all_met(template), entries)

    assert [problem.code for problem in raised.value.problems] == [
        "management.energy",
        "management.environment",
    ]
    assert "「能源管理体系」得分 12 超过满分 10" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_missing_basic_answer():
    template = small_template()
    answers = [answer for answer in all_met(template) if answer.code != "basic.legal"]

    problems = validate_sheet(template, answers, perfect_entries(template))

    assert problems == [SheetProblem("basic.legal", "缺少基本要求「依法设立」的判断")]


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            BasicAnswer("basic.legal", True),
            SheetProblem("basic.legal", "基本要求「依法设立」重复判断"),
        ),
        (
            BasicAnswer("basic.unknown", True),
            SheetProblem("basic.unknown", "未知的基本要求代码 basic.unknown"),
        ),
    ],
    ids=["duplicate", "unknown"],
)
def test_extra_basic_answer(extra, problem):
    template = small_template()

    problems = validate_sheet(template, [*all_met(template), extra], perfect_entries(template))

    assert problems == [problem]


def test_basic_answer_must_be_yes_or_no():
    template = small_template()
    answers = [BasicAnswer("basic.legal", None), BasicAnswer("basic.no_accident", True)]

    problems = validate_sheet(template, answers, perfect_entries(template))

    assert problems == [SheetProblem("basic.legal", "基本要求「依法设立」须判断为满足或不满足")]


def test_missing_required_indicator():
    template = small_template()
    entries = [entry for entry in perfect_entries(template) if entry.code != "performance.reuse"]

    problems = validate_sheet(template, all_met(template), entries)

    assert problems == [SheetProblem("performance.reuse", "缺少指标「废水处理回用率」的评分")]


def test_unknown_and_duplicate_indicators():
    template = small_template()
    entries = [
        *perfect_entries(template),
        mark("management.energy", 3),
        mark("management.unknown", 3),
    ]

    problems = validate_sheet(template, all_met(template), entries)

    assert problems == [
        SheetProblem("management.energy", "指标「能源管理体系」重复评分"),
        SheetProblem("management.unknown", "未知的指标代码 management.unknown"),
    ]
