"""洛阳 luoyang-2024: 洛工信〔2024〕95号 第七条–第十条.

The negative list of 第十五条 is tested in test_negative_list.
"""

from __future__ import annotations

import pytest

from greenmfg.rules import evaluate

from .facts import clean_facts, finding

POLICY = "luoyang-2024"


def check(unit_type: str, **changes):
    return evaluate(POLICY, unit_type, clean_facts(POLICY, unit_type, **changes))


# --- citations ---


@pytest.mark.parametrize(
    ("unit_type", "expected"),
    [
        (
            "factory",
            {
                "entity.independent_legal_entity": "第七条(一)",
                "entity.is_manufacturer": "第七条(一)",
                "factory.energy_efficiency": "第七条(二)",
                "standard.evaluation_standard": "第七条(三)",
            },
        ),
        (
            "park",
            {
                "park.legal_boundary": "第八条(一)",
                "park.unified_management": "第八条(一)",
                "park.main_function": "第八条(一)",
                "park.value_added_share": "第八条(一)",
                "park.cultivation_plan": "第八条(二)",
                "standard.evaluation_standard": "第八条(三)",
            },
        ),
        (
            "supply_chain",
            {
                "entity.independent_legal_entity": "第九条(一)",
                "supply_chain.chain_leader": "第九条(一)",
                "supply_chain.green_factory_creation": "第九条(一)",
                "supply_chain.supplier_cultivation_plan": "第九条(二)",
                "standard.evaluation_standard": "第九条(三)",
            },
        ),
        (
            "design_product",
            {
                "entity.independent_legal_entity": "第十条(一)",
                "entity.is_manufacturer": "第十条(一)",
                "design_product.lifecycle_principles": "第十条(二)",
                "design_product.product_standard": "第十条(三)",
                "standard.evaluation_standard": "第十条(四)",
            },
        ),
    ],
    ids=["factory-art7", "park-art8", "supply-chain-art9", "design-product-art10"],
)
def test_luoyang_conditions_cite_their_articles(unit_type, expected):
    verdict = check(unit_type)

    citations = {f.code: f.citation for f in verdict.findings if f.article != "第十五条"}
    assert citations == expected
    assert all(f.article == "第十五条" for f in verdict.findings if f.code.startswith("negative."))


# --- 第八条 绿色工业园区 ---


@pytest.mark.parametrize(
    ("share", "passed", "message"),
    [
        (50, False, "工业增加值占比 50% 未超过 50%"),
        (49.99, False, "工业增加值占比 49.99% 未超过 50%"),
        (45, False, "工业增加值占比 45% 未超过 50%"),
        (50.01, True, "工业增加值占比 50.01% 超过 50%"),
        (62, True, "工业增加值占比 62% 超过 50%"),
    ],
    ids=["50-fails", "49.99-fails", "45-fails-unlike-jinan", "50.01-passes", "62-passes"],
)
def test_park_value_added_share_must_exceed_50(share, passed, message):
    verdict = check("park", industrial_value_added_share=share)

    result = finding(verdict, "park.value_added_share")
    assert (result.passed, result.message) == (passed, message)
    assert result.in_principle is False
    assert verdict.eligible is passed


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("has_legal_boundary", "park.legal_boundary"),
        ("has_unified_management", "park.unified_management"),
        ("main_function_manufacturing_and_energy", "park.main_function"),
        ("published_cultivation_plan", "park.cultivation_plan"),
        ("meets_evaluation_standard", "standard.evaluation_standard"),
    ],
    ids=["legal-boundary", "unified-management", "main-function", "cultivation-plan", "standard"],
)
@pytest.mark.parametrize("value", [True, False], ids=["holds", "fails"])
def test_park_required_conditions(key, code, value):
    verdict = check("park", **{key: value})

    assert finding(verdict, code).passed is value
    assert verdict.eligible is value


@pytest.mark.parametrize(
    "changes",
    [{"park_level": "county"}, {"is_chemical_park": True, "chemical_park_recognised": False}],
    ids=["county-level-park", "unrecognised-chemical-park"],
)
def test_park_level_and_chemical_recognition_are_not_luoyang_conditions(changes):
    verdict = check("park", **changes)

    assert verdict.eligible is True
    assert not {"park.level", "park.chemical_park_recognised"} & {f.code for f in verdict.findings}


# --- 第七条 绿色工厂 ---


@pytest.mark.parametrize(
    ("key_sector", "level", "passed"),
    [
        (True, "benchmark", True),
        (True, "quota_advanced", False),
        (True, "level_1", False),
        (True, "baseline", False),
        (False, "benchmark", True),
        (False, "quota_advanced", True),
        (False, "level_1", True),
        (False, "baseline", False),
        (False, "below_baseline", False),
    ],
    ids=[
        "key-benchmark",
        "key-quota-advanced-fails",
        "key-level-1-fails",
        "key-baseline-fails",
        "other-benchmark",
        "other-quota-advanced",
        "other-level-1",
        "other-baseline-fails",
        "other-below-baseline-fails",
    ],
)
def test_factory_energy_efficiency(key_sector, level, passed):
    verdict = check("factory", key_energy_sector=key_sector, energy_efficiency_level=level)

    result = finding(verdict, "factory.energy_efficiency")
    assert result.passed is passed
    assert result.in_principle is False  # 第七条(二) says 应达到, not 原则上
    assert ("未达到" in result.message) is not passed
    assert verdict.eligible is passed


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("independent_legal_entity", "entity.independent_legal_entity"),
        ("is_manufacturer", "entity.is_manufacturer"),
        ("meets_evaluation_standard", "standard.evaluation_standard"),
    ],
    ids=["legal-entity", "manufacturer", "standard"],
)
def test_factory_required_conditions(key, code):
    verdict = check("factory", **{key: False})

    assert [f.code for f in verdict.failed] == [code]


def test_factory_registration_in_the_city_is_not_a_luoyang_condition():
    assert check("factory", registered_in_city=False).eligible is True


@pytest.mark.parametrize(
    ("missing_key"), ["key_energy_sector", "energy_efficiency_level"], ids=["sector", "level"]
)
def test_factory_energy_efficiency_missing_fact(missing_key):
    result = finding(check("factory", **{missing_key: None}), "factory.energy_efficiency")

    assert result.passed is False
    assert result.missing_facts == (missing_key,)


# --- 第九条 绿色供应链管理企业 ---


@pytest.mark.parametrize(
    ("is_green_factory", "creating", "passed"),
    [(True, None, True), (False, True, True), (None, True, True), (False, False, False)],
    ids=["is-green-factory", "creating-one", "creating-green-factory-unknown", "neither"],
)
def test_supply_chain_actively_creating_a_green_factory(is_green_factory, creating, passed):
    verdict = check(
        "supply_chain", is_green_factory=is_green_factory, creating_green_factory=creating
    )

    assert finding(verdict, "supply_chain.green_factory_creation").passed is passed
    assert verdict.eligible is passed


def test_supply_chain_green_factory_creation_missing_both_facts():
    verdict = check("supply_chain", is_green_factory=None)

    result = finding(verdict, "supply_chain.green_factory_creation")
    assert result.passed is False
    assert result.missing_facts == ("is_green_factory", "creating_green_factory")


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("independent_legal_entity", "entity.independent_legal_entity"),
        ("is_chain_leader", "supply_chain.chain_leader"),
        ("supplier_cultivation_plan", "supply_chain.supplier_cultivation_plan"),
        ("meets_evaluation_standard", "standard.evaluation_standard"),
    ],
    ids=["legal-entity", "chain-leader", "supplier-plan", "standard"],
)
def test_supply_chain_required_conditions(key, code):
    verdict = check("supply_chain", **{key: False})

    assert [f.code for f in verdict.failed] == [code]


# --- 第十条 绿色设计产品 ---


@pytest.mark.parametrize(
    ("miit_list", "provincial", "passed"),
    [(True, None, True), (False, True, True), (False, False, False)],
    ids=["miit-list", "henan-standard-counts", "no-standard"],
)
def test_design_product_needs_a_standard_from_the_miit_list_or_henan(miit_list, provincial, passed):
    verdict = check(
        "design_product",
        product_standard_in_miit_list=miit_list,
        product_standard_provincial=provincial,
    )

    assert finding(verdict, "design_product.product_standard").passed is passed
    assert verdict.eligible is passed


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("independent_legal_entity", "entity.independent_legal_entity"),
        ("is_manufacturer", "entity.is_manufacturer"),
        ("lifecycle_principles_followed", "design_product.lifecycle_principles"),
        ("meets_evaluation_standard", "standard.evaluation_standard"),
    ],
    ids=["legal-entity", "manufacturer", "lifecycle", "standard"],
)
def test_design_product_required_conditions(key, code):
    verdict = check("design_product", **{key: False})

    assert [f.code for f in verdict.failed] == [code]
    assert "否，要求为是" in verdict.failed[0].message
