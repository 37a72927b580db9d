"""Templates: interpolation between 基准值 and 引领值, and what a template refuses to be."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from decimal import Decimal

import pytest

from reviews.scoring import (
    INTERPOLATED,
    BasicRequirement,
    Indicator,
    IndicatorGroup,
)
from tests.reviews.sheets import small_template


def interpolated(baseline, leading, max_points=10, **options) -> Indicator:
    return Indicator(
        "performance.x",
        "指标",
        max_points,
        method=INTERPOLATED,
        baseline=baseline,
        leading=leading,
        **options,
    )


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("30", "0.00"),
        ("80", "10.00"),
        ("55", "5.00"),
        ("40", "2.00"),
        ("20", "0.00"),
        ("95", "10.00"),
        ("0", "0.00"),
    ],
    ids=["at-baseline", "at-leading", "midpoint", "fifth", "below-clamped", "above-clamped", "0"],
)
def test_points_for_higher_is_better(value, points):
    indicator = interpolated(30, 80)

    assert indicator.higher_is_better is True
    assert indicator.points_for(Decimal(value)) == Decimal(points)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("120", "0.00"),
        ("80", "10.00"),
        ("100", "5.00"),
        ("90", "7.50"),
        ("130", "0.00"),
        ("60", "10.00"),
    ],
    ids=["at-baseline", "at-leading", "midpoint", "three-quarters", "worse-clamped", "better"],
)
def test_points_for_lower_is_better(value, points):
    indicator = interpolated(120, 80)

    assert indicator.higher_is_better is False
    assert indicator.points_for(Decimal(value)) == Decimal(points)


@pytest.mark.parametrize(
    ("baseline", "leading", "max_points", "value", "points"),
    [
        (0, 3, 10, 1, "3.33"),
        (0, 3, 10, 2, "6.67"),
        (0, 8, 1, 1, "0.13"),
        (8, 0, 1, 7, "0.13"),
    ],
    ids=["third", "two-thirds", "half-cent-rounds-up", "half-cent-lower-is-better"],
)
def test_points_for_rounds_half_up_to_cents(baseline, leading, max_points, value, points):
    assert interpolated(baseline, leading, max_points).points_for(value) == Decimal(points)


def test_points_for_reads_floats_by_their_text():
    # 0.35 as a binary float is 0.34999…; read as written it is the midpoint exactly.
    assert interpolated("0.5", "0.2", 10).points_for(0.35) == Decimal("5.00")


def test_manual_indicator_has_no_interpolation():
    with pytest.raises(ValueError, match="人工评分"):
        Indicator("management.energy", "能源管理体系", 10).points_for(Decimal(5))


def test_explicit_direction_must_agree_with_the_values():
    assert interpolated(120, 80, higher_is_better=False).higher_is_better is False

    with pytest.raises(ValueError, match="引领值 80 应高于基准值 120"):
        interpolated(120, 80, higher_is_better=True)


def test_numbers_are_kept_as_decimals():
    indicator = interpolated("0.50", 0.3, 8)

    assert indicator.max_points == Decimal(8)
    assert indicator.baseline == Decimal("0.50")
    assert indicator.leading == Decimal("0.3")


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: interpolated(80, 80), "基准值与引领值相同（80）"),
        (lambda: interpolated(None, 80), "须设置基准值和引领值"),
        (lambda: interpolated(30, 80, max_points=0), "满分应大于 0"),
        (lambda: interpolated(30, 80, max_points=-5), "满分应大于 0，实际为 -5"),
        (lambda: interpolated("abc", 80), "基准值应为数值"),
        (lambda: Indicator("m.x", "指标", 10, baseline=1, leading=2), "不应设置基准值或引领值"),
        (lambda: Indicator("m.x", "指标", 10, method="formula"), "计分方式应为 manual 或"),
        (lambda: Indicator("", "指标", 10), "指标代码不能为空"),
        (lambda: Indicator("m.x", "指标", float("nan")), "满分应为数值"),
    ],
    ids=[
        "baseline-equals-leading",
        "no-baseline",
        "zero-max",
        "negative-max",
        "baseline-not-a-number",
        "manual-with-baseline",
        "unknown-method",
        "empty-code",
        "nan-max",
    ],
)
def test_indicator_refuses(build, fragment):
    with pytest.raises(ValueError, match=fragment):
        build()


def test_group_needs_a_required_indicator():
    with pytest.raises(ValueError, match="「产品」（product）至少应有一项必选指标"):
        IndicatorGroup(
            "product", "产品", 10, (Indicator("product.carbon", "碳足迹核算", 2, required=False),)
        )


def test_group_weight_must_be_positive():
    with pytest.raises(ValueError, match="权重应大于 0"):
        IndicatorGroup("product", "产品", 0, (Indicator("product.x", "生态设计", 2),))


def test_small_template_is_valid():
    template = small_template()

    assert template.key == "test@1"
    assert template.total == Decimal(100)
    assert [group.required_max for group in template.groups] == [Decimal(20), Decimal(20)]
    assert template.label("basic.legal") == "依法设立"
    assert template.label("management.energy") == "能源管理体系"
    assert template.label("not.a.code") == "not.a.code"


def test_item_finds_each_row_by_its_code():
    """A code on a sheet names exactly one row: a requirement, a group or an indicator."""
    template = small_template()

    assert template.item("basic.legal") is template.basic_requirements[0]
    assert template.item("performance") is template.groups[1]
    assert template.item("performance.reuse") is template.groups[1].indicators[1]
    with pytest.raises(KeyError):
        template.item("performance.water")


@pytest.mark.parametrize(
    ("weights", "fragment"),
    [
        ((40, 55), "各组权重之和为 95，应为 100"),
        ((40, 65), "各组权重之和为 105，应为 100"),
        (("40.5", "59.4"), "各组权重之和为 99.9，应为 100"),
    ],
    ids=["95", "105", "99.9"],
)
def test_weights_must_sum_to_the_total(weights, fragment):
    template = small_template()
    groups = tuple(
        replace(group, weight=weight)
        for group, weight in zip(template.groups, weights, strict=True)
    )

    with pytest.raises(ValueError, match=fragment):
        replace(template, groups=groups)


def test_weights_sum_to_a_total_other_than_100():
    template = small_template()
    groups = tuple(
        replace(group, weight=weight) for group, weight in zip(template.groups, (4, 6), strict=True)
    )

    assert replace(template, groups=groups, total=10).total == Decimal(10)


@pytest.mark.parametrize(
    ("change", "duplicated"),
    [
        (
            lambda t: replace(
                t, basic_requirements=(*t.basic_requirements, BasicRequirement("basic.legal", "x"))
            ),
            "basic.legal",
        ),
        (
            lambda t: replace(
                t,
                groups=(
                    replace(
                        t.groups[0],
                        indicators=(
                            *t.groups[0].indicators,
                            Indicator("performance.energy", "x", 1),
                        ),
                    ),
                    t.groups[1],
                ),
            ),
            "performance.energy",
        ),
        (
            lambda t: replace(
                t, basic_requirements=(BasicRequirement("management", "与组代码相同"),)
            ),
            "management",
        ),
    ],
    ids=["basic-requirement", "indicator-across-groups", "requirement-named-like-a-group"],
)
def test_codes_must_be_unique(change, duplicated):
    with pytest.raises(ValueError, match=f"代码重复：{duplicated}"):
        change(small_template())


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"unit_type": "shop"}, "单位类型应为"),
        ({"groups": ()}, "至少应有一个指标组"),
        ({"standard": " "}, "依据标准不能为空"),
        ({"total": 0}, "总分应大于 0"),
    ],
    ids=["unknown-unit-type", "no-groups", "no-standard", "zero-total"],
)
def test_template_refuses(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        replace(small_template(), **changes)


def test_template_accepts_no_basic_requirements():
    template = replace(small_template(), basic_requirements=())

    assert template.basic_requirements == ()


def test_template_is_hashable_and_comparable():
    """Templates compare by content: two written alike are one (a set keeps one, they hash
    alike, numbers written as text equal numbers), one changed field makes another template,
    and a template cannot be changed in place."""
    template = small_template()
    as_text = replace(template, total="100")

    assert template == small_template() == as_text
    assert hash(template) == hash(small_template()) == hash(as_text)
    assert len({template, small_template(), as_text}) == 1
    assert replace(template, version="2") != template
    assert len({template, replace(template, version="2")}) == 2
    with pytest.raises(FrozenInstanceError):
        template.version = "2"
