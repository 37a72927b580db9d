"""meets_threshold: 80 points inclusive, and only once the basic requirements are met."""

from __future__ import annotations

from decimal import Decimal

import pytest

from greenmfg.rules import meets_threshold, policies, threshold_finding


@pytest.mark.parametrize("policy", policies())
@pytest.mark.parametrize(
    ("score", "basic_requirements_met", "expected"),
    [
        (80, True, True),
        (80.0, True, True),
        (Decimal("80.00"), True, True),
        (100, True, True),
        (79.99, True, False),
        (Decimal("79.9"), True, False),
        (0, True, False),
        (95, False, False),
        (80, False, False),
        (None, True, False),
        (float("nan"), True, False),
    ],
    ids=[
        "80-inclusive",
        "80.0",
        "decimal-80",
        "100",
        "79.99-below",
        "decimal-79.9",
        "zero",
        "high-score-basic-unmet",
        "80-basic-unmet",
        "no-score",
        "nan",
    ],
)
def test_meets_threshold(policy, score, basic_requirements_met, expected):
    assert meets_threshold(policy, score, basic_requirements_met) is expected


@pytest.mark.parametrize(
    ("policy", "article", "wording"),
    [
        ("luoyang-2024", "第十四条", "80分（含）以上"),
        ("jinan-2024", "第十一条", "80分以上"),
        ("dalian-2022-national", "一", "采用国家绿色制造评价的80分"),
    ],
    ids=["luoyang", "jinan", "dalian-national-line"],
)
def test_threshold_finding_cites_the_line(policy, article, wording):
    result = threshold_finding(policy, 85, True)

    assert result.passed is True
    assert result.article == article
    assert wording in result.message
    assert "85 分" in result.message
    assert "达到 80 分" in result.message


@pytest.mark.parametrize(
    ("score", "basic", "fragment"),
    [(79.5, True, "79.5 分，未达到 80 分"), (90, False, "基本要求未全部满足")],
    ids=["below-line", "basic-unmet"],
)
def test_threshold_finding_fails_and_says_why(score, basic, fragment):
    result = threshold_finding("jinan-2024", score, basic)

    assert result.passed is False
    assert fragment in result.message
