"""``fact_schema``: the facts the portal's form asks for, derived from what the rules read."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from greenmfg.rules import (
    FactSpec,
    UnknownPolicy,
    UnsupportedUnitType,
    evaluate,
    fact_schema,
    policies,
)
from greenmfg.rules.base import Rule, must_be_true
from greenmfg.rules.fact_keys import BENCHMARK_BASIS_KEYS, FACT_KINDS, FACTS, label
from greenmfg.rules.registry import get_policy

from .facts import ALL_UNIT_IDS, ALL_UNITS, clean_facts

LY, JN, DL = "luoyang-2024", "jinan-2024", "dalian-2022-national"

# 第八条(一), 第六条第5项, 第十一条, 一, 一(三)
CITATION = re.compile(
    r"^(第[一二三四五六七八九十]+条(\([一二三四五六]\)|第\d+项)?|一(\([一二三四]\))?)$"
)
CJK = re.compile(r"[\u4e00-\u9fff]")

CREDIT_DATA_KEYS = {
    "deregistered",
    "on_abnormal_operations_list",
    "on_serious_illegal_dishonest_list",
    "accident_safety",
    "accident_cyber_or_data_security",
    "accident_quality",
    "accident_environment",
    "tax_violation",
    "removed_from_list",
    "inspection_serious_problem",
    "energy_supervision_unrectified",
    "dishonest_judgment_debtor",
}

# The non-forgiving inspection rule looks at the rectification only to add "本条不因已整改而免除"
# to its message; the outcome does not depend on it, so the form need not ask for it.
# The basis of a reference value (对标: the portal's sample size and source) only words messages.
MESSAGE_ONLY_KEYS = {"inspection_problem_rectified", *BENCHMARK_BASIS_KEYS}


def is_industry_average(key: str) -> bool:
    return key.startswith(("industry_avg_", "regional_green_factory_")) or key in {
        "city_avg_output_per_land_area",
        "plot_ratio_required",
        "energy_quota_per_unit",
    }


def schema_keys(policy: str, unit_type: str) -> list[str]:
    return [spec.key for spec in fact_schema(policy, unit_type)]


def spec_for(policy: str, unit_type: str, key: str) -> FactSpec:
    matches = [spec for spec in fact_schema(policy, unit_type) if spec.key == key]
    assert len(matches) == 1, f"{key} not in the schema of {policy}/{unit_type}"
    return matches[0]


def placeholder(spec: FactSpec) -> Any:
    """A valid value of the spec's kind, for the facts the clean fixtures leave out."""
    match spec.kind:
        case "bool":
            return True
        case "number":
            return 1
        case "percentage":
            return 50
        case "choice" | "text":
            return spec.choices[0][0]
    raise AssertionError(f"unknown kind {spec.kind}")


def schema_facts(policy: str, unit_type: str) -> dict[str, Any]:
    """Facts for exactly the schema's keys: the clean fixture's value where it has one."""
    clean = clean_facts(policy, unit_type)
    return {
        spec.key: clean.get(spec.key, placeholder(spec)) for spec in fact_schema(policy, unit_type)
    }


def needing(specs: list[FactSpec], spec: FactSpec) -> dict[str, Any]:
    """The changes that make ``spec`` needed: its chain of conditions met, its alternatives gone."""
    by_key = {item.key: item for item in specs}
    changes: dict[str, Any] = dict.fromkeys(spec.alternatives)
    current = spec
    while current.required_when is not None:
        key, value = current.required_when
        changes[key] = value
        current = by_key[key]
    return changes


def changed(facts: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``facts`` with ``changes`` applied; ``None`` removes the key."""
    result = {**facts, **changes}
    return {key: value for key, value in result.items() if value is not None}


def scenarios(policy: str, unit_type: str) -> Iterator[dict[str, Any]]:
    """Fact sets that drive the rules down their different paths, all built from schema keys."""
    specs = fact_schema(policy, unit_type)
    base = schema_facts(policy, unit_type)
    yield base
    for spec in specs:
        if spec.required_when is not None or spec.alternatives:
            yield changed(base, needing(specs, spec))


def missing(verdict) -> list[tuple[str, tuple[str, ...]]]:
    return [(item.code, item.missing_facts) for item in verdict.findings if item.missing_facts]


class RecordingFacts(Mapping[str, Any]):
    """Facts that note every key a rule looks up (``[]``, ``get`` and ``in`` all go through
    ``__getitem__``), so a test can see what the rules actually read."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def keys_read(policy: str, unit_type: str, facts: Mapping[str, Any]) -> set[str]:
    recording = RecordingFacts(facts)
    evaluate(policy, unit_type, recording)
    return recording.read


# --- Completeness: the schema covers everything the rules read ---


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_facts_alone_leave_no_fact_missing(policy, unit_type):
    verdict = evaluate(policy, unit_type, schema_facts(policy, unit_type))

    assert missing(verdict) == []
    assert verdict.eligible is True, [item.message for item in verdict.failed]


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_facts_leave_no_fact_missing_when_conditional_facts_are_needed(
    policy, unit_type
):
    for facts in scenarios(policy, unit_type):
        assert missing(evaluate(policy, unit_type, facts)) == [], facts


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_has_every_clean_fixture_fact_the_rules_read(policy, unit_type):
    clean = clean_facts(policy, unit_type)

    read = keys_read(policy, unit_type, clean) & set(clean)

    assert read <= set(schema_keys(policy, unit_type))
    # And nothing else in the fixture matters: keeping only the schema's keys changes nothing.
    kept = {key: value for key, value in clean.items() if key in schema_keys(policy, unit_type)}
    assert evaluate(policy, unit_type, kept) == evaluate(policy, unit_type, clean)


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_rules_read_no_fact_outside_the_schema(policy, unit_type):
    keys = set(schema_keys(policy, unit_type))
    base = schema_facts(policy, unit_type)
    # Every yes/no answer turned round sends the rules down their other branches.
    flipped = {key: not value if isinstance(value, bool) else value for key, value in base.items()}

    for facts in [{}, flipped, *scenarios(policy, unit_type)]:
        assert keys_read(policy, unit_type, facts) - keys - MESSAGE_ONLY_KEYS == set(), facts


@pytest.mark.parametrize("policy", policies())
def test_every_rule_declares_the_known_facts_it_reads(policy):
    for unit_type, rules in get_policy(policy).rules.items():
        for rule in rules:
            assert rule.reads, f"{policy}/{unit_type} {rule.code} declares no reads"
            assert set(rule.reads) <= set(FACTS), rule.code


# --- Shape and order ---


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_specs_are_well_formed(policy, unit_type):
    specs = fact_schema(policy, unit_type)

    assert specs
    for spec in specs:
        assert isinstance(spec, FactSpec)
        assert spec.kind in FACT_KINDS, spec
        assert spec.label == label(spec.key) and CJK.search(spec.label), spec
        assert spec.group and CJK.search(spec.group), spec
        assert spec.articles and all(CITATION.match(item) for item in spec.articles), spec
        assert bool(spec.choices) == (spec.kind in {"choice", "text"}), spec
        assert spec.unit == ("%" if spec.kind == "percentage" else spec.unit), spec


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_is_stable_unique_and_grouped(policy, unit_type):
    specs = fact_schema(policy, unit_type)
    keys = [spec.key for spec in specs]
    groups = [spec.group for spec in specs]

    assert fact_schema(policy, unit_type) == specs
    assert len(keys) == len(set(keys))
    # Each section is one run: once the form leaves a section it does not come back to it.
    runs = [group for index, group in enumerate(groups) if index == 0 or groups[index - 1] != group]
    assert len(runs) == len(set(runs)), runs


@pytest.mark.parametrize(
    ("policy", "unit_type", "sections"),
    [
        (LY, "factory", ["主体资格", "能效", "评价标准", "负面清单（近三年）"]),
        (DL, "park", ["负面清单（近三年）", "园区"]),
        (DL, "design_product", ["负面清单（近三年）", "产品"]),
    ],
    ids=["luoyang-factory", "dalian-park", "dalian-design-product"],
)
def test_fact_schema_sections_follow_the_document(policy, unit_type, sections):
    groups = [spec.group for spec in fact_schema(policy, unit_type)]

    assert list(dict.fromkeys(groups)) == sections


def test_fact_schema_jinan_factory_indicators_in_document_order():
    land_use = [spec.key for spec in fact_schema(JN, "factory") if spec.group == "用地集约化"]

    assert land_use == [
        "plot_ratio",
        "plot_ratio_required",
        "building_density",
        "output_per_land_area",
        "city_avg_output_per_land_area",
    ]


def test_fact_spec_is_frozen():
    spec = fact_schema(LY, "park")[0]

    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.kind = "text"


# --- Kinds, units and choices ---


@pytest.mark.parametrize(
    ("policy", "unit_type", "key", "kind", "unit"),
    [
        (LY, "factory", "independent_legal_entity", "bool", ""),
        (LY, "factory", "months_halted_consecutive", "number", "月"),
        (LY, "park", "industrial_value_added_share", "percentage", "%"),
        (JN, "park", "green_office_staff", "number", "人"),
        (JN, "park", "mandatory_clean_production_audit_rate", "percentage", "%"),
        (JN, "factory", "building_density", "percentage", "%"),
        (JN, "factory", "plot_ratio", "number", ""),
        (JN, "factory", "energy_efficiency_level", "choice", ""),
        (DL, "park", "park_level", "choice", ""),
        (DL, "supply_chain", "industry", "text", ""),
    ],
)
def test_fact_schema_kind_and_unit(policy, unit_type, key, kind, unit):
    spec = spec_for(policy, unit_type, key)

    assert (spec.kind, spec.unit) == (kind, unit)


def test_fact_schema_energy_efficiency_levels():
    spec = spec_for(LY, "factory", "energy_efficiency_level")

    assert spec.choices == (
        ("benchmark", "标杆水平"),
        ("quota_advanced", "能源消耗限额标准先进值"),
        ("level_1", "1级水平"),
        ("baseline", "基准水平"),
        ("below_baseline", "低于基准水平"),
    )


def test_fact_schema_park_levels():
    spec = spec_for(DL, "park", "park_level")

    assert spec.choices == (
        ("national", "国家级"),
        ("provincial", "省级"),
        ("city", "市级"),
        ("county", "县级"),
    )


def test_fact_schema_industry_is_free_text_with_suggestions():
    spec = spec_for(DL, "supply_chain", "industry")
    facts = clean_facts(DL, "supply_chain", industry="纺织")

    assert spec.kind == "text"
    assert [code for code, _ in spec.choices] == ["electronics", "machinery", "automotive"]
    assert evaluate(DL, "supply_chain", facts).eligible is True  # a name off the list is fine


INVALID_VALUE = {"bool": "yes", "number": "12", "percentage": 150, "choice": "gold", "text": "  "}


def rejects(policy: str, unit_type: str, facts: Mapping[str, Any], key: str) -> bool:
    return any(
        "事实值无效" in item.message and f"（{key}）" in item.message
        for item in evaluate(policy, unit_type, facts).findings
    )


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_kind_is_what_the_rules_accept(policy, unit_type):
    specs = fact_schema(policy, unit_type)
    base = schema_facts(policy, unit_type)

    for spec in specs:
        needed = changed(base, needing(specs, spec))
        assert rejects(policy, unit_type, {**needed, spec.key: INVALID_VALUE[spec.kind]}, spec.key)
        if spec.kind == "number":  # a number, not a percentage: above 100 is fine
            assert not rejects(policy, unit_type, {**needed, spec.key: 150}, spec.key), spec.key
        for value, _ in spec.choices:  # every offered choice (or suggestion) is accepted
            assert not rejects(policy, unit_type, {**needed, spec.key: value}, spec.key), value


# --- Conditional facts ---


@pytest.mark.parametrize(
    ("policy", "unit_type", "key", "condition"),
    [
        (JN, "factory", "inspection_problem_rectified", ("inspection_serious_problem", True)),
        (JN, "park", "chemical_park_recognised", ("is_chemical_park", True)),
        (LY, "supply_chain", "creating_green_factory", ("is_green_factory", False)),
        (
            LY,
            "design_product",
            "product_standard_provincial",
            ("product_standard_in_miit_list", False),
        ),
    ],
)
def test_fact_schema_conditional_fact(policy, unit_type, key, condition):
    assert spec_for(policy, unit_type, key).required_when == condition


@pytest.mark.parametrize(
    ("policy", "unit_type"),
    [unit for unit in ALL_UNITS if unit != (JN, "factory")],
    ids=[f"{p}/{t}" for p, t in ALL_UNITS if (p, t) != (JN, "factory")],
)
def test_fact_schema_asks_for_rectification_only_where_it_is_forgiven(policy, unit_type):
    # 洛阳 第十五条(四), 大连 一, 济南 第七条3 and 第八条5 bar a serious problem even if rectified.
    assert "inspection_problem_rectified" not in schema_keys(policy, unit_type)


def test_fact_schema_unconditional_facts_have_no_condition():
    for key in ("inspection_serious_problem", "is_chemical_park", "industrial_value_added_share"):
        assert spec_for(JN, "park", key).required_when is None


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_conditions_match_the_rules(policy, unit_type):
    specs = fact_schema(policy, unit_type)
    base = schema_facts(policy, unit_type)

    for spec in (item for item in specs if item.required_when is not None):
        key, value = spec.required_when
        needed = changed(base, {**needing(specs, spec), spec.key: None})
        not_needed = changed(base, {key: not value, spec.key: None})
        assert any(spec.key in item for _, item in missing(evaluate(policy, unit_type, needed)))
        assert missing(evaluate(policy, unit_type, not_needed)) == [], spec.key


def test_fact_schema_jinan_energy_reference_values_are_alternatives():
    quota = spec_for(JN, "factory", "energy_quota_per_unit")
    average = spec_for(JN, "factory", "industry_avg_energy_per_unit")
    facts = schema_facts(JN, "factory")

    assert quota.alternatives == ("industry_avg_energy_per_unit",)
    assert average.alternatives == ("energy_quota_per_unit",)
    assert quota.required_when is None and average.required_when is None
    for key in ("energy_quota_per_unit", "industry_avg_energy_per_unit"):
        assert missing(evaluate(JN, "factory", changed(facts, {key: None}))) == []
    both_gone = {"energy_quota_per_unit": None, "industry_avg_energy_per_unit": None}
    assert missing(evaluate(JN, "factory", changed(facts, both_gone)))


def test_rule_rejects_a_condition_on_a_fact_it_does_not_read():
    with pytest.raises(ValueError, match="keys not in reads"):
        Rule(
            "park.x",
            "第七条",
            must_be_true("park.x", "is_chemical_park", article="第七条").check,
            reads=("is_chemical_park",),
            required_when={"chemical_park_recognised": ("is_chemical_park", True)},
        )


# --- Who supplies a fact ---


@pytest.mark.parametrize(("policy", "unit_type"), ALL_UNITS, ids=ALL_UNIT_IDS)
def test_fact_schema_flags_industry_averages_and_credit_data(policy, unit_type):
    for spec in fact_schema(policy, unit_type):
        assert spec.industry_average is is_industry_average(spec.key), spec.key
        assert spec.credit_data is (spec.key in CREDIT_DATA_KEYS), spec.key


def test_fact_table_flags_match_the_portal_roles():
    assert {key for key, item in FACTS.items() if item.credit_data} == CREDIT_DATA_KEYS
    assert {key for key, item in FACTS.items() if item.industry_average} == {
        key for key in FACTS if is_industry_average(key)
    }


def test_fact_schema_jinan_factory_has_every_credit_fact_and_reference_value():
    specs = fact_schema(JN, "factory")

    assert {spec.key for spec in specs if spec.credit_data} == CREDIT_DATA_KEYS
    assert {spec.key for spec in specs if spec.industry_average} == {
        "plot_ratio_required",
        "city_avg_output_per_land_area",
        "industry_avg_green_material_rate",
        "industry_avg_pollutant_per_unit",
        "industry_avg_waste_gas_per_unit",
        "industry_avg_wastewater_per_unit",
        "industry_avg_raw_material_per_unit",
        "industry_avg_solid_waste_utilisation_rate",
        "industry_avg_wastewater_reuse_rate",
        "energy_quota_per_unit",
        "industry_avg_energy_per_unit",
        "industry_avg_carbon_per_unit",
    }


# --- Citations ---


@pytest.mark.parametrize(
    ("policy", "unit_type", "key", "articles"),
    [
        (LY, "park", "industrial_value_added_share", ("第八条(一)",)),
        (LY, "factory", "tax_violation", ("第十五条(二)",)),
        (JN, "factory", "removed_from_list", ("第六条第5项",)),
        (JN, "factory", "key_energy_sector", ("第十一条",)),
        (JN, "park", "efficiency_leader_or_saving_honour", ("第十一条",)),
        (DL, "factory", "deregistered", ("一",)),
        (DL, "park", "park_level", ("一(三)",)),
    ],
)
def test_fact_schema_articles(policy, unit_type, key, articles):
    assert spec_for(policy, unit_type, key).articles == articles


# --- Errors, as evaluate raises them ---


def test_fact_schema_unknown_policy():
    with pytest.raises(UnknownPolicy, match="未知的政策"):
        fact_schema("shanghai-2030", "factory")


def test_fact_schema_jinan_has_no_design_products():
    with pytest.raises(UnsupportedUnitType, match="不涵盖绿色设计产品"):
        fact_schema(JN, "design_product")


@pytest.mark.parametrize("policy", policies())
def test_fact_schema_unknown_unit_type(policy):
    with pytest.raises(UnsupportedUnitType, match="未知的单位类型"):
        fact_schema(policy, "warehouse")
