"""The public contract of greenmfg.rules (/work/shared/rules-contract.md)."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from greenmfg.rules import (
    Finding,
    UnknownPolicy,
    UnsupportedUnitType,
    Verdict,
    evaluate,
    meets_threshold,
    policies,
    unit_types,
)

from .facts import ALL_UNIT_IDS, ALL_UNITS, clean_facts

ARTICLE = re.compile(r"^(第[一二三四五六七八九十]+条|一(\([一二三四]\))?)$")
CODE = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")


def test_policies_lists_the_three_documents_sorted():
    assert policies() == ["dalian-2022-national", "jinan-2024", "luoyang-2024"]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("luoyang-2024", ["factory", "park", "supply_chain", "design_product"]),
        ("jinan-2024", ["factory", "park", "supply_chain"]),
        ("dalian-2022-national", ["factory", "park", "supply_chain", "design_product"]),
    ],
    ids=["luoyang", "jinan-no-design-products", "dalian"],
)
def test_unit_types_lists_what_each_document_covers(policy, expected):
    assert unit_types(policy) == expected


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_evaluate_clean_facts_is_eligible(policy, unit_type):
    verdict = evaluate(policy, unit_type, clean_facts(policy, unit_type))

    assert verdict.failed == [], [finding.message for finding in verdict.failed]
    assert verdict.eligible is True
    assert (verdict.policy, verdict.unit_type) == (policy, unit_type)


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
@pytest.mark.parametrize("fact_set", ["clean", "empty"])
def test_evaluate_every_finding_cites_an_article(policy, unit_type, fact_set):
    facts = clean_facts(policy, unit_type) if fact_set == "clean" else {}

    verdict = evaluate(policy, unit_type, facts)

    assert verdict.findings
    for finding in verdict.findings:
        assert isinstance(finding, Finding)
        assert ARTICLE.match(finding.article), finding
        assert CODE.match(finding.code), finding
        assert finding.message.strip(), finding
        assert finding.policy == policy
        assert finding.citation.startswith(finding.article)


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_evaluate_codes_are_unique_within_a_verdict(policy, unit_type):
    codes = [finding.code for finding in evaluate(policy, unit_type, {}).findings]

    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_evaluate_empty_facts_fails_each_condition_naming_the_missing_fact(policy, unit_type):
    verdict = evaluate(policy, unit_type, {})

    assert verdict.eligible is False
    for finding in verdict.findings:
        # Advisory 优先 findings never fail, even on missing facts.
        assert finding.passed is finding.advisory
        assert finding.message.startswith("缺少事实："), finding.message
        assert finding.missing_facts
        for key in finding.missing_facts:
            assert f"（{key}）" in finding.message


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_evaluate_null_counts_as_missing(policy, unit_type):
    facts = clean_facts(policy, unit_type)
    key = next(iter(facts))
    facts[key] = None

    verdict = evaluate(policy, unit_type, facts)

    failed = verdict.failed
    assert verdict.eligible is False
    assert [finding.missing_facts for finding in failed] == [(key,)]


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_evaluate_eligible_exactly_when_no_finding_failed(policy, unit_type):
    for facts in (
        {},
        clean_facts(policy, unit_type),
        clean_facts(policy, unit_type, deregistered=True),
    ):
        verdict = evaluate(policy, unit_type, facts)
        assert verdict.eligible == (not any(not finding.passed for finding in verdict.findings))


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_evaluate_ignores_unknown_fact_keys(policy, unit_type):
    facts = clean_facts(policy, unit_type, favourite_colour="green", 工厂别名="某厂")

    assert evaluate(policy, unit_type, facts) == evaluate(
        policy, unit_type, clean_facts(policy, unit_type)
    )


def test_evaluate_does_not_change_the_facts():
    facts = clean_facts("jinan-2024", "factory")
    before = dict(facts)

    evaluate("jinan-2024", "factory", facts)

    assert facts == before


LY, JN, DL = "luoyang-2024", "jinan-2024", "dalian-2022-national"
SHARE, ENTITY = "industrial_value_added_share", "independent_legal_entity"

# (id, policy, unit type, fact key, unusable value, the one finding that fails)
UNUSABLE_FACTS = [
    ("percent-string", LY, "park", SHARE, "62%", "park.value_added_share"),
    ("bool-as-number", LY, "park", SHARE, True, "park.value_added_share"),
    ("nan", LY, "park", SHARE, float("nan"), "park.value_added_share"),
    ("percent-above-100", LY, "park", SHARE, 100.5, "park.value_added_share"),
    ("negative-percent", JN, "park", SHARE, -1, "park.value_added_share"),
    ("negative-quantity", JN, "factory", "carbon_per_unit", -0.1, "factory.carbon_per_unit"),
    ("string-as-bool", LY, "factory", ENTITY, "yes", "entity.independent_legal_entity"),
    ("int-as-bool", LY, "factory", ENTITY, 1, "entity.independent_legal_entity"),
    (
        "unknown-energy-level",
        LY,
        "factory",
        "energy_efficiency_level",
        "gold",
        "factory.energy_efficiency",
    ),
    ("unknown-park-level", DL, "park", "park_level", "municipal", "park.level"),
    ("blank-industry", DL, "supply_chain", "industry", "  ", "supply_chain.evaluation_basis"),
    (
        "negative-months",
        JN,
        "factory",
        "months_halted_consecutive",
        -1,
        "negative.months_halted_consecutive",
    ),
]


@pytest.mark.parametrize(
    ("policy", "unit_type", "key", "value", "code"),
    [row[1:] for row in UNUSABLE_FACTS],
    ids=[row[0] for row in UNUSABLE_FACTS],
)
def test_evaluate_unusable_fact_fails_its_finding_without_raising(
    policy, unit_type, key, value, code
):
    verdict = evaluate(policy, unit_type, clean_facts(policy, unit_type, **{key: value}))

    assert [finding.code for finding in verdict.failed] == [code]
    assert "事实值无效" in verdict.failed[0].message
    assert key in verdict.failed[0].message


def test_evaluate_unknown_policy_raises_a_value_error_in_both_languages():
    with pytest.raises(UnknownPolicy) as raised:
        evaluate("shanghai-2030", "factory", {})

    assert isinstance(raised.value, ValueError)
    assert "未知的政策" in str(raised.value)
    assert "Unknown policy 'shanghai-2030'" in str(raised.value)
    assert "luoyang-2024" in str(raised.value)


@pytest.mark.parametrize(
    "call",
    [lambda: unit_types("nope"), lambda: meets_threshold("nope", 90, True)],
    ids=["unit_types", "meets_threshold"],
)
def test_other_entry_points_raise_unknown_policy(call):
    with pytest.raises(UnknownPolicy):
        call()


def test_evaluate_jinan_design_product_is_unsupported():
    with pytest.raises(UnsupportedUnitType) as raised:
        evaluate("jinan-2024", "design_product", {})

    assert isinstance(raised.value, ValueError)
    assert "不涵盖绿色设计产品" in str(raised.value)
    assert "does not cover unit type 'design_product'" in str(raised.value)
    assert "factory, park, supply_chain" in str(raised.value)


@pytest.mark.parametrize("policy", policies())
def test_evaluate_unknown_unit_type_is_unsupported(policy):
    with pytest.raises(UnsupportedUnitType, match="未知的单位类型"):
        evaluate(policy, "warehouse", {})


def test_evaluate_rejects_facts_that_are_not_a_mapping():
    with pytest.raises(TypeError):
        evaluate("luoyang-2024", "factory", [("deregistered", False)])


def test_evaluate_none_facts_is_the_same_as_empty():
    assert evaluate("luoyang-2024", "park", None) == evaluate("luoyang-2024", "park", {})


def test_finding_and_verdict_are_frozen():
    verdict = evaluate("luoyang-2024", "park", {})

    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.eligible = True
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.findings[0].passed = True


def test_verdict_rejects_an_eligible_flag_that_contradicts_its_findings():
    failed = Finding(code="park.value_added_share", article="第八条", passed=False, message="x")

    with pytest.raises(ValueError):
        Verdict(eligible=True, findings=[failed])


def test_verdict_as_dict_is_json_ready():
    verdict = evaluate("jinan-2024", "park", clean_facts("jinan-2024", "park"))

    payload = json.loads(json.dumps(verdict.as_dict(), ensure_ascii=False))

    assert payload["eligible"] is True
    assert {"code", "article", "passed", "message", "in_principle"} <= set(payload["findings"][0])
