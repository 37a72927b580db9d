"""大连 dalian-2022-national: the 2022 national recommendation notice, sections 一(一)–(四)."""

from __future__ import annotations

import pytest

from greenmfg.rules import evaluate

from .facts import clean_facts, finding

POLICY = "dalian-2022-national"


def check(unit_type: str, **changes):
    return evaluate(POLICY, unit_type, clean_facts(POLICY, unit_type, **changes))


@pytest.mark.parametrize(
    ("unit_type", "article"),
    [
        ("factory", "一(一)"),
        ("design_product", "一(二)"),
        ("park", "一(三)"),
        ("supply_chain", "一(四)"),
    ],
    ids=["factory", "design-product", "park", "supply-chain"],
)
def test_dalian_findings_cite_section_one(unit_type, article):
    verdict = check(unit_type)

    for result in verdict.findings:
        expected = "一" if result.code.startswith("negative.") else article
        assert result.article == expected, result


# --- 一(三) 绿色工业园区 ---


@pytest.mark.parametrize(
    ("share", "passed", "message"),
    [
        (50, False, "工业增加值占比 50% 未超过 50%"),
        (45, False, "工业增加值占比 45% 未超过 50%"),
        (50.01, True, "工业增加值占比 50.01% 超过 50%"),
    ],
    ids=["50-fails", "45-fails", "50.01-passes"],
)
def test_park_value_added_share_must_exceed_50(share, passed, message):
    verdict = check("park", industrial_value_added_share=share)

    result = finding(verdict, "park.value_added_share")
    assert (result.passed, result.message) == (passed, message)
    assert verdict.eligible is passed


@pytest.mark.parametrize(
    ("level", "passed", "message"),
    [
        ("national", True, "园区级别为国家级，属于省级及以上工业园区"),
        ("provincial", True, "园区级别为省级，属于省级及以上工业园区"),
        ("city", False, "园区级别为市级，不属于省级及以上工业园区"),
        ("county", False, "园区级别为县级，不属于省级及以上工业园区"),
    ],
    ids=["national", "provincial", "city-fails", "county-fails"],
)
def test_park_provincial_level_or_above(level, passed, message):
    verdict = check("park", park_level=level)

    result = finding(verdict, "park.level")
    assert (result.passed, result.message) == (passed, message)
    assert verdict.eligible is passed


PARK_CONDITIONS_TABLE = [
    ("park_foundation_strong", "park.foundation"),
    ("main_function_manufacturing_and_energy", "park.main_function"),
    ("has_legal_boundary", "park.legal_boundary"),
    ("has_unified_management", "park.unified_management"),
]


@pytest.mark.parametrize(
    ("key", "code"), PARK_CONDITIONS_TABLE, ids=[row[0] for row in PARK_CONDITIONS_TABLE]
)
def test_park_conditions(key, code):
    verdict = check("park", **{key: False})

    assert [f.code for f in verdict.failed] == [code]


def test_park_chemical_recognition_is_not_a_dalian_condition():
    assert check("park", is_chemical_park=True, chemical_park_recognised=False).eligible is True


# --- 一(一) 绿色工厂 ---


@pytest.mark.parametrize(
    ("key_sector", "level", "passed"),
    [
        (True, "benchmark", True),
        (True, "quota_advanced", False),
        (True, "level_1", False),
        (False, "benchmark", True),
        (False, "quota_advanced", True),
        (False, "level_1", False),
        (False, "baseline", False),
    ],
    ids=[
        "key-benchmark",
        "key-quota-advanced-fails",
        "key-level-1-fails",
        "other-benchmark",
        "other-quota-advanced",
        "other-level-1-fails-unlike-luoyang",
        "other-baseline-fails",
    ],
)
def test_factory_energy_efficiency_in_principle(key_sector, level, passed):
    verdict = check("factory", key_energy_sector=key_sector, energy_efficiency_level=level)

    result = finding(verdict, "factory.energy_efficiency")
    assert result.passed is passed
    assert result.in_principle is True  # 原则上要达到或优于
    assert verdict.eligible is passed


def test_factory_must_beat_the_regions_existing_green_factories():
    verdict = check("factory", better_than_regional_green_factories=False)

    result = finding(verdict, "factory.better_than_regional_green_factories")
    assert result.passed is False
    assert result.in_principle is False  # 应优于, not 原则上
    assert result.message == "能效水平等主要指标优于本地区同行业已有绿色工厂：否，要求为是"


@pytest.mark.parametrize(
    "changes",
    [
        {"independent_legal_entity": False},
        {"is_manufacturer": False},
        {"registered_in_city": False},
    ],
    ids=["legal-entity", "manufacturer", "registered-in-city"],
)
def test_factory_entity_facts_are_not_dalian_conditions(changes):
    assert check("factory", **changes).eligible is True


# --- 一(二) 绿色设计产品 ---


@pytest.mark.parametrize(
    ("miit_list", "provincial", "passed"),
    [(True, None, True), (False, True, False), (False, False, False)],
    ids=["miit-list", "provincial-standard-does-not-count", "no-standard"],
)
def test_design_product_only_products_with_a_standard_on_the_miit_list(
    miit_list, provincial, passed
):
    verdict = check(
        "design_product",
        product_standard_in_miit_list=miit_list,
        product_standard_provincial=provincial,
    )

    assert finding(verdict, "design_product.product_standard").passed is passed
    assert verdict.eligible is passed


# --- 一(四) 绿色供应链管理企业 ---


@pytest.mark.parametrize(
    ("industry", "index_system", "text"),
    [
        ("electronics", True, "电子电器"),
        ("machinery", True, "机械"),
        ("automotive", True, "汽车"),
        ("纺织", False, "纺织"),
    ],
    ids=["electronics", "machinery", "automotive", "other-industry"],
)
def test_supply_chain_evaluation_basis_follows_the_industry(industry, index_system, text):
    verdict = check("supply_chain", industry=industry)

    result = finding(verdict, "supply_chain.evaluation_basis")
    assert result.passed is True
    assert result.values["index_system"] is index_system
    assert text in result.message
    assert ("评价指标体系" in result.message) is index_system
    assert verdict.eligible is True


def test_supply_chain_industry_missing_fails():
    result = finding(check("supply_chain", industry=None), "supply_chain.evaluation_basis")

    assert result.passed is False
    assert result.message == "缺少事实：所属行业（industry）"


def test_supply_chain_must_be_a_chain_leader():
    verdict = check("supply_chain", is_chain_leader=False)

    assert [f.code for f in verdict.failed] == ["supply_chain.chain_leader"]


@pytest.mark.parametrize(
    "changes",
    [{"is_green_factory": False}, {"supplier_cultivation_plan": False}],
    ids=["not-a-green-factory", "no-supplier-plan"],
)
def test_supply_chain_jinan_and_luoyang_conditions_do_not_apply(changes):
    assert check("supply_chain", **changes).eligible is True
