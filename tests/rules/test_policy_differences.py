"""Same facts, different verdicts: where the documents disagree, each policy keeps its own rule."""

from __future__ import annotations

import pytest

from greenmfg.rules import evaluate

from .facts import clean_facts

LUOYANG, JINAN, DALIAN = "luoyang-2024", "jinan-2024", "dalian-2022-national"

DIFFERENCES = [
    # (what, unit type, changes, {policy: eligible})
    (
        "park-value-added-exactly-50",
        "park",
        {"industrial_value_added_share": 50},
        {LUOYANG: False, JINAN: True, DALIAN: False},
    ),
    (
        "park-value-added-46",
        "park",
        {"industrial_value_added_share": 46},
        {LUOYANG: False, JINAN: True, DALIAN: False},
    ),
    (
        "park-value-added-44.9",
        "park",
        {"industrial_value_added_share": 44.9},
        {LUOYANG: False, JINAN: False, DALIAN: False},
    ),
    (
        "park-city-level",
        "park",
        {"park_level": "city"},
        {LUOYANG: True, JINAN: True, DALIAN: False},
    ),
    (
        "park-unrecognised-chemical-park",
        "park",
        {"is_chemical_park": True, "chemical_park_recognised": False},
        {LUOYANG: True, JINAN: False, DALIAN: True},
    ),
    (
        "factory-other-sector-level-1",
        "factory",
        {"key_energy_sector": False, "energy_efficiency_level": "level_1"},
        {LUOYANG: True, JINAN: True, DALIAN: False},
    ),
    (
        "factory-key-sector-baseline",
        "factory",
        {"key_energy_sector": True, "energy_efficiency_level": "baseline"},
        {LUOYANG: False, JINAN: True, DALIAN: False},
    ),
    (
        "factory-inspection-problem-rectified",
        "factory",
        {"inspection_serious_problem": True, "inspection_problem_rectified": True},
        {LUOYANG: False, JINAN: True, DALIAN: False},
    ),
    (
        "factory-not-registered-in-city",
        "factory",
        {"registered_in_city": False},
        {LUOYANG: True, JINAN: False, DALIAN: True},
    ),
    (
        "supply-chain-not-a-green-factory",
        "supply_chain",
        {"is_green_factory": False, "creating_green_factory": True},
        {LUOYANG: True, JINAN: False, DALIAN: True},
    ),
]


@pytest.mark.parametrize(
    ("unit_type", "changes", "expected"),
    [row[1:] for row in DIFFERENCES],
    ids=[row[0] for row in DIFFERENCES],
)
def test_policies_differ_on(unit_type, changes, expected):
    actual = {
        policy: evaluate(policy, unit_type, clean_facts(policy, unit_type, **changes)).eligible
        for policy in expected
    }

    assert actual == expected


def test_policies_differ_on_design_product_standards():
    changes = {"product_standard_in_miit_list": False, "product_standard_provincial": True}

    luoyang = evaluate(LUOYANG, "design_product", clean_facts(LUOYANG, "design_product", **changes))
    dalian = evaluate(DALIAN, "design_product", clean_facts(DALIAN, "design_product", **changes))

    assert (luoyang.eligible, dalian.eligible) == (True, False)
