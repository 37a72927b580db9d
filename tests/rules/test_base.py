"""The building blocks: number formatting, fact reading and the comparison rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from greenmfg.rules.base import (
    Outcome,
    Rule,
    any_true,
    format_number,
    greater_than,
    missing_message,
    must_be_false,
    must_be_true,
    not_higher_than,
    not_lower_than,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (50, "50"),
        (50.0, "50"),
        (50.01, "50.01"),
        (44.9, "44.9"),
        (Decimal("45.50"), "45.5"),
        (0, "0"),
    ],
    ids=["int", "whole-float", "float", "float-below", "decimal", "zero"],
)
def test_format_number_drops_noise(value, text):
    assert format_number(value) == text


def test_missing_message_names_each_fact_and_its_key():
    message = missing_message(["industrial_value_added_share", "park_level"])

    assert (
        message
        == "缺少事实：工业增加值占比（industrial_value_added_share）、园区级别（park_level）"
    )


@pytest.mark.parametrize(
    ("value", "passed", "message"),
    [
        (True, True, "具有法定边界和范围：是"),
        (False, False, "具有法定边界和范围：否，要求为是"),
    ],
    ids=["true-passes", "false-fails"],
)
def test_must_be_true_states_the_value(value, passed, message):
    rule = must_be_true(
        "park.legal_boundary", "has_legal_boundary", article="第八条", clause="(一)"
    )

    finding = rule({"has_legal_boundary": value})

    assert (finding.passed, finding.message) == (passed, message)
    assert finding.citation == "第八条(一)"


@pytest.mark.parametrize(
    ("value", "passed", "message"),
    [
        (False, True, "近三年工商注销：否"),
        (True, False, "近三年工商注销：是，要求为否"),
    ],
    ids=["false-passes", "true-fails"],
)
def test_must_be_false_states_the_value(value, passed, message):
    rule = must_be_false("negative.deregistered", "deregistered", article="第十五条")

    finding = rule({"deregistered": value})

    assert (finding.passed, finding.message) == (passed, message)


@pytest.mark.parametrize(
    ("make_rule", "value", "passed", "message"),
    [
        (greater_than, 50, False, "工业增加值占比 50% 未超过 50%"),
        (greater_than, 50.01, True, "工业增加值占比 50.01% 超过 50%"),
        (not_lower_than, 50, True, "工业增加值占比 50% 不低于 50%"),
        (not_lower_than, 49.99, False, "工业增加值占比 49.99% 低于 50%"),
        (not_higher_than, 50, True, "工业增加值占比 50% 不高于 50%"),
        (not_higher_than, 50.01, False, "工业增加值占比 50.01% 高于 50%"),
    ],
    ids=["gt-equal", "gt-above", "gte-equal", "gte-below", "lte-equal", "lte-above"],
)
def test_comparison_against_a_constant(make_rule, value, passed, message):
    rule = make_rule(
        "park.value_added_share",
        "industrial_value_added_share",
        article="第八条",
        limit=50,
        unit="%",
    )

    finding = rule({"industrial_value_added_share": value})

    assert (finding.passed, finding.message) == (passed, message)
    assert finding.values == {"industrial_value_added_share": value, "limit": 50}


def test_comparison_against_another_fact_names_both_values():
    rule = not_higher_than(
        "factory.carbon_per_unit",
        "carbon_per_unit",
        article="第六条",
        limit_key="industry_avg_carbon_per_unit",
        limit_label="行业平均水平",
    )

    finding = rule({"carbon_per_unit": 1.2, "industry_avg_carbon_per_unit": 1})

    assert finding.passed is False
    assert finding.message == "单位产品碳排放量 1.2 高于行业平均水平 1"


def test_comparison_lists_every_missing_fact_at_once():
    rule = not_lower_than(
        "factory.plot_ratio", "plot_ratio", article="第六条", limit_key="plot_ratio_required"
    )

    finding = rule({})

    assert finding.passed is False
    assert finding.missing_facts == ("plot_ratio", "plot_ratio_required")


def test_comparison_needs_exactly_one_limit():
    with pytest.raises(ValueError):
        greater_than("x.y", "plot_ratio", article="第六条")
    with pytest.raises(ValueError):
        greater_than(
            "x.y", "plot_ratio", article="第六条", limit=1, limit_key="plot_ratio_required"
        )


@pytest.mark.parametrize(
    ("facts", "passed", "missing"),
    [
        ({"is_green_factory": True}, True, ()),
        ({"is_green_factory": False, "creating_green_factory": True}, True, ()),
        ({"is_green_factory": False, "creating_green_factory": False}, False, ()),
        ({"is_green_factory": False}, False, ("creating_green_factory",)),
        ({}, False, ("is_green_factory", "creating_green_factory")),
    ],
    ids=["first-true", "second-true", "both-false", "second-missing", "both-missing"],
)
def test_any_true_needs_only_one(facts, passed, missing):
    rule = any_true(
        "supply_chain.green_factory_creation",
        ("is_green_factory", "creating_green_factory"),
        article="第九条",
    )

    finding = rule(facts)

    assert (finding.passed, finding.missing_facts) == (passed, missing)


@pytest.mark.parametrize(
    "check",
    [lambda facts: Outcome(False, "未达到优先条件"), lambda facts: Outcome(True, "达到优先条件")],
    ids=["not-preferred", "preferred"],
)
def test_advisory_rule_never_fails(check):
    rule = Rule("priority.x", "第十一条", check, advisory=True)

    finding = rule({})

    assert finding.passed is True
    assert finding.advisory is True
    assert "不影响资格" in finding.message
