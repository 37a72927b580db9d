"""济南 jinan-2024: 第六条–第八条 and 第十一条 (the shared negative list: test_negative_list)."""

from __future__ import annotations

import pytest

from greenmfg.rules import UnsupportedUnitType, evaluate
from greenmfg.rules.base import format_number

from .facts import clean_facts, finding

POLICY = "jinan-2024"


def check(unit_type: str, **changes):
    return evaluate(POLICY, unit_type, clean_facts(POLICY, unit_type, **changes))


def test_jinan_has_no_design_products():
    with pytest.raises(UnsupportedUnitType):
        evaluate(POLICY, "design_product", {"product_standard_in_miit_list": True})


# --- 第七条 绿色工业园区 ---


@pytest.mark.parametrize(
    ("share", "passed", "message"),
    [
        (45, True, "工业增加值占比 45% 不低于 45%"),
        (45.01, True, "工业增加值占比 45.01% 不低于 45%"),
        (50, True, "工业增加值占比 50% 不低于 45%"),
        (44.9, False, "工业增加值占比 44.9% 低于 45%"),
        (30, False, "工业增加值占比 30% 低于 45%"),
    ],
    ids=["45-passes", "45.01-passes", "50-passes-unlike-luoyang", "44.9-fails", "30-fails"],
)
def test_park_value_added_share_at_least_45_in_principle(share, passed, message):
    verdict = check("park", industrial_value_added_share=share)

    result = finding(verdict, "park.value_added_share")
    assert (result.passed, result.message) == (passed, message)
    assert result.in_principle is True  # 原则上工业增加值占比不低于45%
    assert result.citation == "第七条第1项"
    assert verdict.eligible is passed


@pytest.mark.parametrize(
    ("is_chemical", "recognised", "passed", "message"),
    [
        (False, None, True, "非化工园区，无需化工园区认定"),
        (False, False, True, "非化工园区，无需化工园区认定"),
        (True, True, True, "化工园区，已通过省级人民政府或其授权机构认定"),
        (True, False, False, "化工园区，未通过省级人民政府或其授权机构认定"),
    ],
    ids=["not-chemical", "not-chemical-ignores-recognition", "recognised", "unrecognised-fails"],
)
def test_park_chemical_park_must_be_provincially_recognised(
    is_chemical, recognised, passed, message
):
    verdict = check("park", is_chemical_park=is_chemical, chemical_park_recognised=recognised)

    result = finding(verdict, "park.chemical_park_recognised")
    assert (result.passed, result.message) == (passed, message)
    assert verdict.eligible is passed


def test_park_chemical_park_recognition_missing():
    result = finding(check("park", is_chemical_park=True), "park.chemical_park_recognised")

    assert result.passed is False
    assert result.missing_facts == ("chemical_park_recognised",)


@pytest.mark.parametrize(
    ("staff", "passed", "message"),
    [
        (2, True, "履行绿色发展工作职责的机构工作人员 2 名 不少于 2 名"),
        (5, True, "履行绿色发展工作职责的机构工作人员 5 名 不少于 2 名"),
        (1, False, "履行绿色发展工作职责的机构工作人员 1 名 少于 2 名"),
        (0, False, "履行绿色发展工作职责的机构工作人员 0 名 少于 2 名"),
    ],
    ids=["2-passes", "5-passes", "1-fails", "0-fails"],
)
def test_park_green_office_two_or_more_staff(staff, passed, message):
    result = finding(check("park", green_office_staff=staff), "park.green_office")

    assert (result.passed, result.message) == (passed, message)
    assert result.citation == "第七条第5项"


@pytest.mark.parametrize(
    ("rate", "passed"), [(100, True), (99.9, False), (80, False)], ids=["100", "99.9", "80"]
)
def test_park_mandatory_clean_production_audits_all_done(rate, passed):
    result = finding(
        check("park", mandatory_clean_production_audit_rate=rate), "park.clean_production_audit"
    )

    assert result.passed is passed
    assert f"{rate}%" in result.message
    assert "100%" in result.message
    assert result.citation == "第七条第3项"


PARK_CONDITIONS_TABLE = [
    ("has_legal_boundary", False, "park.legal_boundary", "第七条第1项"),
    ("has_unified_management", False, "park.unified_management", "第七条第1项"),
    ("main_function_manufacturing_and_energy", False, "park.main_function", "第七条第1项"),
    ("complies_with_laws_and_standards", False, "entity.legal_compliance", "第七条第1项"),
    ("published_cultivation_plan", False, "park.cultivation_plan", "第七条第2项"),
    ("energy_targets_met", False, "park.energy_targets", "第七条第3项"),
    ("environmental_quality_standard_met", False, "park.environmental_quality", "第七条第3项"),
    ("enterprise_emissions_compliant", False, "park.enterprise_emissions", "第七条第3项"),
    ("pollutant_totals_within_caps", False, "park.pollutant_totals", "第七条第3项"),
    ("obsolete_equipment_in_use", True, "park.obsolete_equipment", "第七条第4项"),
    ("obsolete_products_made", True, "park.obsolete_products", "第七条第4项"),
    ("meets_evaluation_standard", False, "standard.evaluation_standard", "第七条第7项"),
]


@pytest.mark.parametrize(
    ("key", "bad_value", "code", "citation"),
    PARK_CONDITIONS_TABLE,
    ids=[row[0] for row in PARK_CONDITIONS_TABLE],
)
def test_park_conditions(key, bad_value, code, citation):
    verdict = check("park", **{key: bad_value})

    assert [f.code for f in verdict.failed] == [code]
    assert verdict.failed[0].citation == citation


def test_park_level_is_not_a_jinan_condition():
    assert check("park", park_level="county").eligible is True


# --- 第六条 绿色工厂 ---

# Each indicator at its average (the boundary) and just past it; averages from
# facts.JINAN_FACTORY_INDICATORS.
FACTORY_INDICATORS = [
    # 用地集约化
    ("factory.plot_ratio", "plot_ratio", 1.0, True, "不低于"),
    ("factory.plot_ratio", "plot_ratio", 0.99, False, "低于"),
    ("factory.building_density", "building_density", 30, True, "不低于"),
    ("factory.building_density", "building_density", 29.9, False, "低于"),
    ("factory.output_per_land_area", "output_per_land_area", 100, True, "不低于"),
    ("factory.output_per_land_area", "output_per_land_area", 99.9, False, "低于"),
    # 原料无害化
    ("factory.green_material_rate", "green_material_rate", 20, True, "不低于"),
    ("factory.green_material_rate", "green_material_rate", 19.9, False, "低于"),
    # 生产洁净化
    ("factory.pollutant_per_unit", "pollutant_per_unit", 1.0, True, "不高于"),
    ("factory.pollutant_per_unit", "pollutant_per_unit", 1.01, False, "高于"),
    ("factory.waste_gas_per_unit", "waste_gas_per_unit", 1.0, True, "不高于"),
    ("factory.waste_gas_per_unit", "waste_gas_per_unit", 1.01, False, "高于"),
    ("factory.wastewater_per_unit", "wastewater_per_unit", 1.0, True, "不高于"),
    ("factory.wastewater_per_unit", "wastewater_per_unit", 1.01, False, "高于"),
    # 废物资源化
    ("factory.raw_material_per_unit", "raw_material_per_unit", 1.0, True, "不高于"),
    ("factory.raw_material_per_unit", "raw_material_per_unit", 1.01, False, "高于"),
    ("factory.solid_waste_utilisation_rate", "solid_waste_utilisation_rate", 90, True, "不低于"),
    ("factory.solid_waste_utilisation_rate", "solid_waste_utilisation_rate", 89.9, False, "低于"),
    # 废水处理回用率高于行业平均值: equal is not enough.
    ("factory.wastewater_reuse_rate", "wastewater_reuse_rate", 80, False, "未高于"),
    ("factory.wastewater_reuse_rate", "wastewater_reuse_rate", 80.1, True, "高于"),
    # 能源低碳化
    ("factory.energy_per_unit", "energy_per_unit", 100, True, "不高于"),
    ("factory.energy_per_unit", "energy_per_unit", 100.1, False, "高于"),
    ("factory.carbon_per_unit", "carbon_per_unit", 1.0, True, "不高于"),
    ("factory.carbon_per_unit", "carbon_per_unit", 1.01, False, "高于"),
]


@pytest.mark.parametrize(
    ("code", "key", "value", "passed", "verb"),
    FACTORY_INDICATORS,
    ids=[
        f"{key}-{value}-{'passes' if ok else 'fails'}"
        for _, key, value, ok, _ in FACTORY_INDICATORS
    ],
)
def test_factory_indicator_boundary(code, key, value, passed, verb):
    verdict = check("factory", **{key: value})

    result = finding(verdict, code)
    assert result.passed is passed
    assert result.citation == "第六条第6项"
    assert format_number(value) in result.message
    assert f" {verb}" in result.message
    assert verdict.eligible is passed


def test_factory_wastewater_reuse_message_names_both_values():
    result = finding(check("factory", wastewater_reuse_rate=80), "factory.wastewater_reuse_rate")

    assert result.message == "废水处理回用率 80% 未高于行业平均值 80%"


@pytest.mark.parametrize(
    ("average", "energy", "passed"),
    [(100, 100, True), (100, 100.5, False)],
    ids=["at-average-passes", "above-average-fails"],
)
def test_factory_energy_without_a_quota_standard_meets_the_industry_average(
    average, energy, passed
):
    # 未指定相关标准的，应达到行业平均水平
    verdict = check(
        "factory",
        energy_quota_per_unit=None,
        industry_avg_energy_per_unit=average,
        energy_per_unit=energy,
    )

    result = finding(verdict, "factory.energy_per_unit")
    assert result.passed is passed
    assert "行业平均水平" in result.message
    assert str(energy) in result.message


def test_factory_energy_quota_takes_precedence_over_the_average():
    verdict = check(
        "factory", energy_per_unit=95, energy_quota_per_unit=100, industry_avg_energy_per_unit=90
    )

    result = finding(verdict, "factory.energy_per_unit")
    assert result.passed is True
    assert result.message == "单位产品综合能耗 95 不高于限额 100"


def test_factory_energy_needs_a_quota_or_an_average():
    verdict = check("factory", energy_quota_per_unit=None)

    result = finding(verdict, "factory.energy_per_unit")
    assert result.passed is False
    assert "energy_quota_per_unit" in result.message
    assert "industry_avg_energy_per_unit" in result.message


def test_factory_indicator_missing_average_is_named():
    result = finding(
        check("factory", industry_avg_wastewater_reuse_rate=None), "factory.wastewater_reuse_rate"
    )

    assert result.passed is False
    assert (
        result.message == "缺少事实：行业平均废水处理回用率（industry_avg_wastewater_reuse_rate）"
    )


FACTORY_CONDITIONS_TABLE = [
    ("registered_in_city", "entity.registered_in_city", "第六条第1项"),
    ("independent_legal_entity", "entity.independent_legal_entity", "第六条第1项"),
    ("is_manufacturer", "entity.is_manufacturer", "第六条第1项"),
    ("complies_with_laws_and_standards", "entity.legal_compliance", "第六条第1项"),
    ("stakeholder_commitments_met", "factory.stakeholder_commitments", "第六条第2项"),
    (
        "performance_better_than_industry_avg",
        "factory.performance_above_industry_avg",
        "第六条第2项",
    ),
    ("management_systems_sound", "entity.management_systems", "第六条第3项"),
    ("conservation_diagnostics_conducted", "factory.conservation_diagnostics", "第六条第4项"),
    ("meets_evaluation_standard", "standard.evaluation_standard", "第六条第8项"),
]


@pytest.mark.parametrize(
    ("key", "code", "citation"),
    FACTORY_CONDITIONS_TABLE,
    ids=[row[0] for row in FACTORY_CONDITIONS_TABLE],
)
def test_factory_conditions(key, code, citation):
    verdict = check("factory", **{key: False})

    assert [f.code for f in verdict.failed] == [code]
    assert verdict.failed[0].citation == citation


# --- 第十一条 优先推荐: advisory, never fails ---


@pytest.mark.parametrize(
    ("key_sector", "level", "preferred"),
    [
        (True, "benchmark", True),
        (True, "baseline", False),
        (False, "level_1", True),
        (False, "below_baseline", False),
    ],
    ids=["key-benchmark", "key-baseline", "other-level-1", "other-below-baseline"],
)
def test_factory_energy_benchmark_is_only_a_preference(key_sector, level, preferred):
    verdict = check("factory", key_energy_sector=key_sector, energy_efficiency_level=level)

    result = finding(verdict, "priority.energy_efficiency")
    assert result.article == "第十一条"
    assert result.advisory is True
    assert result.passed is True
    assert result.values["preferred"] is preferred
    assert "不影响资格" in result.message
    assert verdict.eligible is True


@pytest.mark.parametrize("unit_type", ["factory", "park", "supply_chain"])
def test_priority_findings_do_not_need_their_facts(unit_type):
    verdict = check(
        unit_type,
        efficiency_leader_or_saving_honour=None,
        key_energy_sector=None,
        energy_efficiency_level=None,
    )

    assert verdict.eligible is True
    assert finding(verdict, "priority.efficiency_leader_or_honour").passed is True


# --- 第八条 绿色供应链管理企业 ---


def test_supply_chain_should_itself_be_a_green_factory_in_principle():
    verdict = check("supply_chain", is_green_factory=False)

    result = finding(verdict, "supply_chain.is_green_factory")
    assert result.passed is False
    assert result.in_principle is True  # 原则上本身应为绿色工厂
    assert result.citation == "第八条第2项"
    assert verdict.eligible is False


SUPPLY_CHAIN_CONDITIONS_TABLE = [
    ("registered_in_city", "entity.registered_in_city", "第八条第1项"),
    ("independent_legal_entity", "entity.independent_legal_entity", "第八条第1项"),
    ("is_chain_leader", "supply_chain.chain_leader", "第八条第1项"),
    ("management_systems_sound", "entity.management_systems", "第八条第1项"),
    ("complies_with_laws_and_standards", "entity.legal_compliance", "第八条第1项"),
    ("supplier_cultivation_plan", "supply_chain.supplier_cultivation_plan", "第八条第2项"),
    ("supplier_base_influential", "supply_chain.supplier_base", "第八条第3项"),
    ("supplier_management_system", "supply_chain.supplier_management_system", "第八条第3项"),
    ("sound_financial_management", "supply_chain.financial_management", "第八条第4项"),
    ("profitability_industry_leading", "supply_chain.profitability", "第八条第4项"),
    ("green_supply_chain_goals_set", "supply_chain.green_goals", "第八条第4项"),
    ("meets_evaluation_standard", "standard.evaluation_standard", "第八条第7项"),
]


@pytest.mark.parametrize(
    ("key", "code", "citation"),
    SUPPLY_CHAIN_CONDITIONS_TABLE,
    ids=[row[0] for row in SUPPLY_CHAIN_CONDITIONS_TABLE],
)
def test_supply_chain_conditions(key, code, citation):
    verdict = check("supply_chain", **{key: False})

    assert [f.code for f in verdict.failed] == [code]
    assert verdict.failed[0].citation == citation
    assert verdict.failed[0].in_principle is False


def test_supply_chain_manufacturing_is_not_a_jinan_condition():
    assert check("supply_chain", is_manufacturer=False).eligible is True
