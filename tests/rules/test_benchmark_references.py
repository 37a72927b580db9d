"""对标: 大连 一(一) and 济南 第六条6 against the portal's medians, their source and sample size."""

from __future__ import annotations

import pytest

from greenmfg.rules import evaluate
from greenmfg.rules.fact_keys import (
    BENCHMARK_MIN_SAMPLE,
    BENCHMARK_SOURCE,
    sample_shortfall_key,
    sample_size_key,
)

from .facts import clean_facts, finding

DL, JN = "dalian-2022-national", "jinan-2024"
SOURCE_DL = "本平台大连市同行业绿色工厂2026年度填报数据"
SOURCE_JN = "本平台济南市同行业绿色工厂2026年度填报数据"
BETTER = "factory.better_than_regional_green_factories"


def dalian(**changes):
    return evaluate(DL, "factory", clean_facts(DL, "factory", **changes))


def jinan(**changes):
    return evaluate(JN, "factory", clean_facts(JN, "factory", **changes))


def platform(key: str, value, size: int, source: str) -> dict:
    return {key: value, sample_size_key(key): size, BENCHMARK_SOURCE: source}


# --- 大连 一(一) ---


def test_dalian_compares_each_indicator_with_the_regions_median_and_names_the_sample():
    facts = {
        **platform("regional_green_factory_energy_per_unit", 0.8, 12, SOURCE_DL),
        sample_size_key("regional_green_factory_carbon_per_unit"): 9,
        "regional_green_factory_carbon_per_unit": 0.9,
        "energy_per_unit": 0.6,
        "carbon_per_unit": 0.7,
        "water_per_unit": 5,  # no regional figure: not compared
    }

    result = finding(dalian(**facts), BETTER)

    assert result.passed is True
    assert result.article == "一(一)"
    assert result.message == (
        f"单位产品综合能耗 0.6 优于本地区同行业已有绿色工厂 0.8（参考值为{SOURCE_DL}中位数，"
        f"样本12家）；单位产品碳排放量 0.7 优于本地区同行业已有绿色工厂 0.9（参考值为{SOURCE_DL}"
        "中位数，样本9家）"
    )
    assert "济南" not in result.message and "第六条" not in result.message


@pytest.mark.parametrize("own", [0.8, 0.9], ids=["equal-is-not-better", "worse"])
def test_dalian_fails_when_an_indicator_is_not_below_the_median(own):
    facts = {
        **platform("regional_green_factory_water_per_unit", 0.8, 6, SOURCE_DL),
        "water_per_unit": own,
        "better_than_regional_green_factories": True,  # the figures win over the declaration
    }

    result = finding(dalian(**facts), BETTER)

    assert result.passed is False
    assert result.message.startswith(f"单位产品取水量 {own} 未优于本地区同行业已有绿色工厂 0.8")
    assert "样本6家" in result.message


def test_dalian_a_figure_entered_by_hand_is_compared_without_a_sample():
    result = finding(dalian(regional_green_factory_energy_per_unit=1, energy_per_unit=0.5), BETTER)

    assert result.passed is True
    assert result.message == "单位产品综合能耗 0.5 优于本地区同行业已有绿色工厂 1"


def test_dalian_too_small_a_sample_falls_back_to_the_declaration_and_says_so():
    facts = {
        sample_shortfall_key("regional_green_factory_energy_per_unit"): 3,
        BENCHMARK_MIN_SAMPLE: 5,
        BENCHMARK_SOURCE: SOURCE_DL,
    }

    result = finding(dalian(**facts), BETTER)

    assert result.passed is True
    assert result.message == (
        "能效水平等主要指标优于本地区同行业已有绿色工厂：是"
        f"（{SOURCE_DL}仅3家，少于最低样本5家，未作为参考值）"
    )


def test_dalian_neither_figures_nor_declaration_is_a_missing_fact_naming_both():
    facts = {
        "better_than_regional_green_factories": None,
        sample_shortfall_key("regional_green_factory_energy_per_unit"): 2,
        BENCHMARK_MIN_SAMPLE: 5,
    }

    result = finding(dalian(**facts), BETTER)

    assert result.passed is False
    assert result.missing_facts == ("better_than_regional_green_factories",)
    assert "本地区同行业已有绿色工厂的同一指标" in result.message
    assert "仅2家，少于最低样本5家" in result.message


# --- 济南 第六条6 ---


def test_jinan_industry_average_from_the_platform_names_source_and_sample():
    facts = {
        **platform("industry_avg_carbon_per_unit", 1.2, 7, SOURCE_JN),
        "carbon_per_unit": 1.0,
    }

    result = finding(jinan(**facts), "factory.carbon_per_unit")

    assert result.passed is True
    assert result.citation == "第六条第6项"
    assert result.message == (
        f"单位产品碳排放量 1 不高于行业平均水平 1.2（参考值为{SOURCE_JN}中位数，样本7家）"
    )
    assert "大连" not in result.message and "一(一)" not in result.message


def test_jinan_energy_average_from_the_platform_when_no_quota():
    facts = {
        **platform("industry_avg_energy_per_unit", 2, 5, SOURCE_JN),
        "energy_quota_per_unit": None,
        "energy_per_unit": 2.5,
    }

    result = finding(jinan(**facts), "factory.energy_per_unit")

    assert result.passed is False
    assert result.message == (
        "单位产品综合能耗 2.5 高于行业平均水平 2（未指定限额标准，按行业平均水平）"
        f"（参考值为{SOURCE_JN}中位数，样本5家）"
    )


def test_jinan_too_small_a_sample_with_no_published_average_is_missing_and_says_why():
    facts = {
        "industry_avg_carbon_per_unit": None,
        sample_shortfall_key("industry_avg_carbon_per_unit"): 4,
        BENCHMARK_MIN_SAMPLE: 5,
        BENCHMARK_SOURCE: SOURCE_JN,
    }

    result = finding(jinan(**facts), "factory.carbon_per_unit")

    assert result.passed is False
    assert result.missing_facts == ("industry_avg_carbon_per_unit",)
    assert result.message.endswith(f"（{SOURCE_JN}仅4家，少于最低样本5家，未作为参考值）")


def test_jinan_too_small_a_sample_beside_a_published_average_uses_the_published_one():
    facts = {
        "industry_avg_carbon_per_unit": 3,
        sample_shortfall_key("industry_avg_carbon_per_unit"): 4,
        BENCHMARK_MIN_SAMPLE: 5,
    }

    result = finding(jinan(**facts), "factory.carbon_per_unit")

    assert result.passed is True
    assert result.message.startswith("单位产品碳排放量")
    assert "不高于行业平均水平 3（本平台同行业绿色工厂填报数据仅4家" in result.message


@pytest.mark.parametrize("size", [-1, True, "12", 1.5], ids=["negative", "bool", "text", "float"])
def test_an_unusable_sample_size_is_left_out_of_the_message(size):
    facts = {
        "industry_avg_carbon_per_unit": 3,
        sample_size_key("industry_avg_carbon_per_unit"): size,
    }

    result = finding(jinan(**facts), "factory.carbon_per_unit")

    assert "样本" not in result.message
