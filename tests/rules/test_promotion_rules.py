"""推荐前置条件: each policy's own rule on the lists a unit must be on before a higher level."""

import pytest

from greenmfg.rules import promotion_verdict
from greenmfg.rules.registry import UnknownPolicy


def test_luoyang_province_factory_needs_the_city_list():
    """洛阳 第二十二条: 洛阳市绿色工厂是省级绿色工厂推荐的前置条件."""
    refused = promotion_verdict("luoyang-2024", "factory", "province", set())
    allowed = promotion_verdict("luoyang-2024", "factory", "province", {"city"})

    [finding] = refused.findings
    assert (refused.eligible, finding.article, finding.code) == (
        False,
        "第二十二条",
        "promotion.province.requires_city",
    )
    assert not finding.in_principle
    assert "未列入市级绿色工厂名单" in finding.message
    assert allowed.eligible and allowed.findings[0].passed


@pytest.mark.parametrize("unit_type", ["park", "supply_chain", "design_product"])
def test_luoyang_names_only_factories(unit_type):
    verdict = promotion_verdict("luoyang-2024", unit_type, "province", set())

    assert (verdict.eligible, verdict.findings) == (True, [])


def test_luoyang_sets_no_condition_for_the_national_list():
    assert promotion_verdict("luoyang-2024", "factory", "national", set()).findings == []


@pytest.mark.parametrize(
    ("target", "listed", "eligible"),
    [
        ("province", set(), False),
        ("province", {"city"}, True),
        ("national", {"city"}, False),
        ("national", {"province"}, True),
        ("national", {"city", "province"}, True),
    ],
)
@pytest.mark.parametrize("unit_type", ["factory", "park", "supply_chain"])
def test_jinan_needs_the_level_below_in_principle(target, listed, eligible, unit_type):
    """济南 第十二条: 省级原则上应为市级, 国家级原则上应为省级."""
    verdict = promotion_verdict("jinan-2024", unit_type, target, listed)

    [finding] = verdict.findings
    assert (verdict.eligible, finding.article, finding.in_principle) == (
        eligible,
        "第十二条",
        True,
    )


def test_dalian_sets_no_listing_condition():
    assert promotion_verdict("dalian-2022-national", "factory", "national", set()).eligible


def test_unknown_policy_and_level_are_refused():
    with pytest.raises(UnknownPolicy):
        promotion_verdict("beijing-2030", "factory", "province", set())
    with pytest.raises(ValueError, match="未知的名单层级"):
        promotion_verdict("luoyang-2024", "factory", "planet", set())
