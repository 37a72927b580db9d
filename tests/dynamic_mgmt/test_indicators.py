"""The key indicators of the 动态管理表 per unit type: their definitions, the checks of the
values (Chinese messages), the rules facts they are, and the change from one year to the next."""

import pytest

from dynamic_mgmt.indicators import (
    INDICATORS,
    change,
    clean_indicators,
    facts_from,
    indicator,
    indicators_for,
    missing_indicators,
)
from greenmfg.rules.fact_keys import FACTS

FACTORY = {
    "energy_per_unit": "12.5",
    "water_per_unit": "3",
    "pollutant_per_unit": "0.08",
    "solid_waste_utilisation_rate": "95.5",
    "carbon_per_unit": "1.2",
    "renewable_energy_share": "20",
}


def keys(unit_type):
    return [item.key for item in indicators_for(unit_type)]


def test_each_unit_type_has_its_key_indicators():
    assert keys("factory") == [
        "energy_per_unit",
        "water_per_unit",
        "pollutant_per_unit",
        "solid_waste_utilisation_rate",
        "carbon_per_unit",
        "renewable_energy_share",
    ]
    assert keys("park") == [
        "energy_per_value_added",
        "water_per_value_added",
        "solid_waste_utilisation_rate",
        "renewable_energy_share",
        "industrial_value_added_share",
    ]
    assert keys("supply_chain") == [
        "green_supplier_share",
        "green_procurement_share",
        "product_recycling_rate",
        "energy_per_unit",
    ]
    assert keys("design_product") == ["efficiency_grade", "standard_compliance"]
    assert indicators_for("unknown") == ()


def test_definitions_name_unit_kind_direction_and_a_real_fact_key():
    energy = indicator("factory", "energy_per_unit")
    assert (str(energy.label), energy.kind, energy.lower_is_better) == (
        "单位产品综合能耗",
        "number",
        True,
    )
    assert "标准煤" in str(energy.unit)
    waste = indicator("factory", "solid_waste_utilisation_rate")
    assert (waste.kind, waste.unit, waste.lower_is_better) == ("percent", "%", False)
    assert indicator("park", "industrial_value_added_share").fact_key == (
        "industrial_value_added_share"
    )
    assert indicator("factory", "carbon_per_unit").fact_key == "carbon_per_unit"
    assert indicator("design_product", "efficiency_grade").kind == "choice"
    # Every fact key named is one the rules know, and a percentage stays a percentage.
    for items in INDICATORS.values():
        for item in items:
            if item.fact_key:
                assert item.fact_key in FACTS, item.fact_key
                if item.kind == "percent":
                    assert FACTS[item.fact_key].kind == "percentage"
            assert str(item.label)


def test_complete_values_are_cleaned_into_json_numbers():
    cleaned, errors = clean_indicators("factory", FACTORY, complete=True)

    assert errors == {}
    assert cleaned == {
        "energy_per_unit": 12.5,
        "water_per_unit": 3,
        "pollutant_per_unit": 0.08,
        "solid_waste_utilisation_rate": 95.5,
        "carbon_per_unit": 1.2,
        "renewable_energy_share": 20,
    }
    assert isinstance(cleaned["water_per_unit"], int)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("energy_per_unit", "-1", "「单位产品综合能耗」不能为负数。"),
        ("energy_per_unit", "abc", "「单位产品综合能耗」须填写数字。"),
        ("energy_per_unit", "NaN", "「单位产品综合能耗」须填写数字。"),
        ("energy_per_unit", True, "「单位产品综合能耗」须填写数字。"),
        ("solid_waste_utilisation_rate", "100.5", "须在 0 到 100 之间"),
        ("renewable_energy_share", -0.1, "「可再生能源使用比例」不能为负数。"),
        ("water_per_unit", "1e13", "数值过大"),
        ("water_per_unit", "0.1234567", "最多保留 6 位小数"),
    ],
)
def test_bad_values_are_refused_with_a_chinese_message_per_field(key, value, message):
    cleaned, errors = clean_indicators("factory", {**FACTORY, key: value}, complete=True)

    assert message in errors[key]
    assert key not in cleaned
    assert set(errors) == {key}


def test_percent_bounds_are_inclusive():
    cleaned, errors = clean_indicators(
        "park",
        {"solid_waste_utilisation_rate": "0", "renewable_energy_share": "100"},
        complete=False,
    )
    assert errors == {}
    assert cleaned == {"solid_waste_utilisation_rate": 0, "renewable_energy_share": 100}


def test_a_draft_may_leave_values_empty_but_filing_may_not():
    partial = {"energy_per_unit": "10", "water_per_unit": "  ", "carbon_per_unit": None}

    cleaned, errors = clean_indicators("factory", partial, complete=False)
    assert (cleaned, errors) == ({"energy_per_unit": 10}, {})

    _cleaned, errors = clean_indicators("factory", partial, complete=True)
    assert errors["water_per_unit"] == "请填写「单位产品取水量」。"
    assert set(errors) == {
        "water_per_unit",
        "pollutant_per_unit",
        "solid_waste_utilisation_rate",
        "carbon_per_unit",
        "renewable_energy_share",
    }
    assert missing_indicators("factory", partial)[0].key == "water_per_unit"


def test_choices_and_unknown_keys():
    cleaned, errors = clean_indicators(
        "design_product",
        {"efficiency_grade": "grade_2", "standard_compliance": "maybe"},
        complete=True,
    )
    assert cleaned == {"efficiency_grade": "grade_2"}
    assert "选项无效" in errors["standard_compliance"] and "符合" in errors["standard_compliance"]

    _cleaned, errors = clean_indicators("design_product", {}, complete=True)
    assert errors["efficiency_grade"] == "请选择「产品能效/水效等级」。"

    _cleaned, errors = clean_indicators("park", {"energy_per_unit": "1"}, complete=False)
    assert "energy_per_unit" in errors["indicators"]


def test_filed_values_become_rules_facts():
    cleaned, _errors = clean_indicators("factory", FACTORY, complete=True)
    assert facts_from("factory", cleaned) == {
        "energy_per_unit": 12.5,
        "pollutant_per_unit": 0.08,
        "solid_waste_utilisation_rate": 95.5,
        "carbon_per_unit": 1.2,
    }
    assert facts_from("design_product", {"standard_compliance": "fails"}) == {
        "meets_evaluation_standard": False
    }
    assert facts_from("park", {"industrial_value_added_share": 72}) == {
        "industrial_value_added_share": 72
    }


# --- year on year -------------------------------------------------------------------------------


def test_a_lower_energy_use_is_an_improvement_with_percent_arrow_and_words():
    energy = indicator("factory", "energy_per_unit")

    moved = change(energy, 10, 8)

    assert (moved.direction, moved.improved, moved.percent, moved.arrow) == (
        "down",
        True,
        -20.0,
        "↓",
    )
    assert str(moved.words) == "下降 20%（改善）"


def test_a_lower_utilisation_rate_is_worse():
    waste = indicator("factory", "solid_waste_utilisation_rate")

    moved = change(waste, 90, 81)

    assert (moved.direction, moved.improved, moved.percent) == ("down", False, -10.0)
    assert str(moved.words) == "下降 10%（变差）"
    up = change(waste, 80, 90)
    assert (up.arrow, str(up.words)) == ("↑", "上升 12.5%（改善）")


def test_unchanged_missing_and_from_zero():
    energy = indicator("factory", "energy_per_unit")
    assert str(change(energy, 5, 5).words) == "持平" and change(energy, 5, 5).arrow == "→"
    assert change(energy, None, 5).direction is None
    assert str(change(energy, None, 5).words) == "无可比数据"
    from_zero = change(energy, 0, 2)
    assert from_zero.percent is None and str(from_zero.words) == "由 0 上升（变差）"


def test_choice_changes_compare_grades():
    grade = indicator("design_product", "efficiency_grade")
    better = change(grade, "grade_3", "grade_1")
    assert (better.direction, better.improved, str(better.words)) == ("up", True, "提升（改善）")
    worse = change(grade, "grade_1", "grade_2")
    assert (worse.improved, str(worse.words)) == (False, "下降（变差）")
    assert change(grade, "grade_1", "grade_1").improved is None
