"""The 近三年 negative list: 洛阳 第十五条, 济南 第六条5／第七条3／第八条5, 大连 一."""

from __future__ import annotations

import pytest

from greenmfg.rules import evaluate

from .facts import ALL_UNITS, clean_facts, finding

# Every unit the shared list applies to: 济南 parks have their own list in 第七条3.
SHARED_LIST_UNITS = [unit for unit in ALL_UNITS if unit != ("jinan-2024", "park")]

LUOYANG_CLAUSES = {
    "deregistered": "(一)",
    "on_abnormal_operations_list": "(一)",
    "on_serious_illegal_dishonest_list": "(一)",
    "accident_safety": "(二)",
    "accident_cyber_or_data_security": "(二)",
    "accident_quality": "(二)",
    "accident_environment": "(二)",
    "tax_violation": "(二)",
    "removed_from_list": "(三)",
    "inspection_serious_problem": "(四)",
    "energy_supervision_unrectified": "(五)",
    "dishonest_judgment_debtor": "(六)",
}
BARRED_FACTS = list(LUOYANG_CLAUSES)


def expected_citation(policy: str, unit_type: str, key: str) -> str:
    if policy == "luoyang-2024":
        return f"第十五条{LUOYANG_CLAUSES.get(key, '(一)')}"
    if policy == "jinan-2024":
        return {"factory": "第六条第5项", "supply_chain": "第八条第5项"}[unit_type]
    return "一"


@pytest.mark.parametrize(
    ("policy", "unit_type"), SHARED_LIST_UNITS, ids=[f"{p}/{t}" for p, t in SHARED_LIST_UNITS]
)
@pytest.mark.parametrize("key", BARRED_FACTS)
def test_negative_list_fact_bars_the_unit(policy, unit_type, key):
    changes = {key: True}
    if key == "inspection_serious_problem":
        changes["inspection_problem_rectified"] = False  # 济南 factories forgive a rectified one
    verdict = evaluate(policy, unit_type, clean_facts(policy, unit_type, **changes))

    assert verdict.eligible is False
    failed = finding(verdict, f"negative.{key}")
    assert failed.passed is False
    assert failed.citation == expected_citation(policy, unit_type, key)
    assert "：是" in failed.message
    assert [item.code for item in verdict.failed] == [f"negative.{key}"]


@pytest.mark.parametrize(
    ("policy", "unit_type"), SHARED_LIST_UNITS, ids=[f"{p}/{t}" for p, t in SHARED_LIST_UNITS]
)
@pytest.mark.parametrize(
    ("months", "passed"),
    [(0, True), (11, True), (11.9, True), (12, False), (12.5, False), (30, False)],
    ids=["none", "11", "11.9", "12-fails", "12.5", "30"],
)
def test_negative_list_months_halted_twelve_or_more_bars(policy, unit_type, months, passed):
    verdict = evaluate(
        policy, unit_type, clean_facts(policy, unit_type, months_halted_consecutive=months)
    )

    halted = finding(verdict, "negative.months_halted_consecutive")
    assert halted.passed is passed
    assert verdict.eligible is passed
    assert str(months) in halted.message
    assert "12 个月" in halted.message
    assert halted.citation == expected_citation(policy, unit_type, "months_halted_consecutive")


# 洛阳 第十五条(四) and 大连 bar a serious inspection problem outright. 济南 第六条5 (factories)
# bars it only "且未按要求完成整改"; 第八条5 (supply chains) and 第七条3 (parks) say no such thing.
@pytest.mark.parametrize(
    ("policy", "unit_type", "rectified", "eligible"),
    [
        ("luoyang-2024", "factory", True, False),
        ("luoyang-2024", "park", True, False),
        ("luoyang-2024", "supply_chain", True, False),
        ("luoyang-2024", "design_product", True, False),
        ("jinan-2024", "factory", True, True),
        ("jinan-2024", "factory", False, False),
        ("jinan-2024", "supply_chain", True, False),
        ("jinan-2024", "park", True, False),
        ("dalian-2022-national", "factory", True, False),
        ("dalian-2022-national", "park", True, False),
    ],
    ids=[
        "luoyang-factory-rectified-still-barred",
        "luoyang-park-rectified-still-barred",
        "luoyang-supply-chain-rectified-still-barred",
        "luoyang-design-product-rectified-still-barred",
        "jinan-factory-rectified-forgiven",
        "jinan-factory-unrectified-barred",
        "jinan-supply-chain-rectified-still-barred",
        "jinan-park-rectified-still-barred",
        "dalian-factory-rectified-still-barred",
        "dalian-park-rectified-still-barred",
    ],
)
def test_negative_list_inspection_problem_and_rectification(policy, unit_type, rectified, eligible):
    facts = clean_facts(
        policy,
        unit_type,
        inspection_serious_problem=True,
        inspection_problem_rectified=rectified,
    )

    verdict = evaluate(policy, unit_type, facts)

    inspection = finding(verdict, "negative.inspection_serious_problem")
    assert verdict.eligible is eligible
    assert inspection.passed is eligible
    assert "整改" in inspection.message


def test_negative_list_jinan_factory_needs_the_rectification_fact_once_a_problem_is_found():
    facts = clean_facts("jinan-2024", "factory", inspection_serious_problem=True)

    inspection = finding(
        evaluate("jinan-2024", "factory", facts), "negative.inspection_serious_problem"
    )

    assert inspection.passed is False
    assert inspection.missing_facts == ("inspection_problem_rectified",)
    assert inspection.message == (
        "近三年在督查中被发现存在严重问题：是；"
        "缺少事实：督查发现的严重问题已按要求完成整改（inspection_problem_rectified）"
    )


def test_negative_list_luoyang_does_not_need_the_rectification_fact():
    facts = clean_facts("luoyang-2024", "factory", inspection_serious_problem=True)

    inspection = finding(
        evaluate("luoyang-2024", "factory", facts), "negative.inspection_serious_problem"
    )

    assert inspection.passed is False
    assert inspection.missing_facts == ()


@pytest.mark.parametrize(
    "key",
    [
        "deregistered",
        "on_abnormal_operations_list",
        "on_serious_illegal_dishonest_list",
        "tax_violation",
        "energy_supervision_unrectified",
        "dishonest_judgment_debtor",
    ],
)
def test_negative_list_jinan_park_has_its_own_list(key):
    # 第七条3 lists what a park must not have had; these entity-level items are not among them.
    facts = clean_facts("jinan-2024", "park", **{key: True})

    verdict = evaluate("jinan-2024", "park", facts)

    assert verdict.eligible is True
    assert f"negative.{key}" not in {item.code for item in verdict.findings}


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("inspection_serious_problem", True, "negative.inspection_serious_problem"),
        ("removed_from_list", True, "negative.removed_from_list"),
        ("major_pollution_or_safety_accident", True, "park.major_pollution_or_safety_accident"),
        ("major_ecological_damage", True, "park.major_ecological_damage"),
    ],
    ids=["inspection", "removed", "major-accident", "ecological-damage"],
)
def test_negative_list_jinan_park_items_cite_article_seven_item_three(key, value, code):
    verdict = evaluate("jinan-2024", "park", clean_facts("jinan-2024", "park", **{key: value}))

    failed = finding(verdict, code)
    assert failed.passed is False
    assert failed.citation == "第七条第3项"
    assert verdict.eligible is False
