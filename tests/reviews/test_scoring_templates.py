"""The shipped templates: each is valid, adds up to exactly 100, and matches its standard."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest

from reviews.scoring import score_sheet
from reviews.scoring_templates import TEMPLATES, templates_for
from tests.reviews.sheets import all_met, perfect_entries, zero_entries

KEYS = sorted(TEMPLATES)


def test_shipped_templates():
    assert KEYS == [
        "green-factory@2018",
        "green-factory@2025",
        "green-park@2016",
        "green-supply-chain@2016",
    ]


@pytest.mark.parametrize("key", KEYS, ids=KEYS)
def test_template_is_keyed_and_weighted(key):
    template = TEMPLATES[key]

    assert template.key == key
    assert sum(group.weight for group in template.groups) == Decimal(100)
    assert template.basic_requirements


@pytest.mark.parametrize("key", KEYS, ids=KEYS)
@pytest.mark.parametrize("optional", [True, False], ids=["with-optional", "required-only"])
def test_perfect_sheet_scores_exactly_100(key, optional):
    template = TEMPLATES[key]

    result = score_sheet(template, all_met(template), perfect_entries(template, optional=optional))

    assert result.total == Decimal("100.00")
    assert result.group_scores == {group.code: group.weight for group in template.groups}


@pytest.mark.parametrize("key", KEYS, ids=KEYS)
def test_all_zero_sheet_scores_0(key):
    template = TEMPLATES[key]

    result = score_sheet(template, all_met(template), zero_entries(template))

    assert result.total == Decimal("0.00")
    assert result.basic_met is True


@pytest.mark.parametrize(
    ("module", "standard"),
    [
        ("green_factory_2018", "GB/T 36132-2018"),
        ("green_factory_2025", "GB/T 36132-2025"),
        ("green_park_2016", "《绿色园区评价要求》"),
        ("green_supply_chain_2016", "《绿色供应链管理企业评价要求》"),
    ],
    ids=["factory-2018", "factory-2025", "park", "supply-chain"],
)
def test_docstring_names_the_standard(module, standard):
    loaded = importlib.import_module(f"reviews.scoring_templates.{module}")

    assert standard in loaded.__doc__
    assert standard in loaded.TEMPLATE.standard


def weights(key: str) -> dict[str, Decimal]:
    return {group.name: group.weight for group in TEMPLATES[key].groups}


def test_factory_2018_groups():
    assert weights("green-factory@2018") == {
        "基础设施": 20,
        "管理体系": 15,
        "能源与资源投入": 15,
        "产品": 10,
        "环境排放": 10,
        "绩效": 30,
    }


@pytest.mark.parametrize(
    "name", ["碳足迹核算", "可再生能源使用", "社会责任报告"], ids=["carbon", "renewable", "csr"]
)
def test_factory_2018_extra_point_items_are_optional(name):
    indicator = next(i for i in TEMPLATES["green-factory@2018"].indicators if i.name == name)

    assert indicator.required is False


def test_factory_2025_groups_are_the_new_five():
    assert list(weights("green-factory@2025")) == [
        "能源低碳化",
        "资源高效化",
        "生产洁净化",
        "产品绿色化",
        "用地集约化",
    ]


def test_factory_2025_quantitative_indicators_carry_60_percent():
    template = TEMPLATES["green-factory@2025"]

    share = sum(
        indicator.max_points * group.weight / group.required_max
        for group in template.groups
        for indicator in group.indicators
        if indicator.is_interpolated
    )

    assert share == Decimal(60)


@pytest.mark.parametrize(
    ("code", "higher_is_better"),
    [
        ("energy.consumption_per_unit", False),
        ("energy.carbon_per_unit", False),
        ("energy.renewable_share", True),
        ("resources.water_per_unit", False),
        ("resources.solid_waste_utilisation", True),
        ("clean_production.pollutant_per_unit", False),
        ("land.plot_ratio", True),
        ("land.output_per_area", True),
    ],
)
def test_factory_2025_directions(code, higher_is_better):
    indicator = TEMPLATES["green-factory@2025"].item(code)

    assert indicator.is_interpolated
    assert indicator.required
    assert indicator.higher_is_better is higher_is_better


def test_park_groups():
    assert weights("green-park@2016") == {
        "能源利用绿色化": 20,
        "资源利用绿色化": 20,
        "基础设施绿色化": 15,
        "产业绿色化": 15,
        "生态环境绿色化": 20,
        "运行管理绿色化": 10,
    }


def test_supply_chain_weights_exactly_as_listed():
    template = TEMPLATES["green-supply-chain@2016"]

    listed = [("战略", 20), ("供应商管理", 20), ("绿色生产", 20), ("绿色回收", 20)]
    listed += [("信息平台", 10), ("信息披露", 10)]
    assert len(template.groups) == len(listed)
    for group, (name, weight) in zip(template.groups, listed, strict=True):
        assert name in group.name
        assert group.weight == Decimal(weight)


@pytest.mark.parametrize(
    ("unit_type", "keys"),
    [
        ("factory", ["green-factory@2018", "green-factory@2025"]),
        ("park", ["green-park@2016"]),
        ("supply_chain", ["green-supply-chain@2016"]),
        ("design_product", []),
    ],
    ids=["factory", "park", "supply-chain", "design-product-none-yet"],
)
def test_templates_for(unit_type, keys):
    assert [template.key for template in templates_for(unit_type)] == keys


def test_templates_for_unknown_unit_type():
    with pytest.raises(ValueError, match="未知的单位类型"):
        templates_for("shop")
