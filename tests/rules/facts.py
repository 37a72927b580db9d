"""Clean, fully eligible facts per policy and unit type; tests change one condition at a time."""

from __future__ import annotations

from typing import Any

NEGATIVE_LIST_CLEAN: dict[str, Any] = {
    "deregistered": False,
    "months_halted_consecutive": 0,
    "on_abnormal_operations_list": False,
    "on_serious_illegal_dishonest_list": False,
    "accident_safety": False,
    "accident_cyber_or_data_security": False,
    "accident_quality": False,
    "accident_environment": False,
    "tax_violation": False,
    "removed_from_list": False,
    # inspection_problem_rectified is left out on purpose: only needed once a problem was found.
    "inspection_serious_problem": False,
    "energy_supervision_unrectified": False,
    "dishonest_judgment_debtor": False,
}

ENTITY_CLEAN: dict[str, Any] = {
    "independent_legal_entity": True,
    "is_manufacturer": True,
    "registered_in_city": True,
}

# 济南 第六条6: every indicator on the good side of its average; the boundaries are tested against
# these averages.
JINAN_FACTORY_INDICATORS: dict[str, Any] = {
    "plot_ratio": 1.5,
    "plot_ratio_required": 1.0,
    "building_density": 40,
    "output_per_land_area": 120,
    "city_avg_output_per_land_area": 100,
    "green_material_rate": 30,
    "industry_avg_green_material_rate": 20,
    "pollutant_per_unit": 0.8,
    "industry_avg_pollutant_per_unit": 1.0,
    "waste_gas_per_unit": 0.8,
    "industry_avg_waste_gas_per_unit": 1.0,
    "wastewater_per_unit": 0.8,
    "industry_avg_wastewater_per_unit": 1.0,
    "raw_material_per_unit": 0.9,
    "industry_avg_raw_material_per_unit": 1.0,
    "solid_waste_utilisation_rate": 95,
    "industry_avg_solid_waste_utilisation_rate": 90,
    "wastewater_reuse_rate": 85,
    "industry_avg_wastewater_reuse_rate": 80,
    "energy_per_unit": 90,
    "energy_quota_per_unit": 100,
    "carbon_per_unit": 0.7,
    "industry_avg_carbon_per_unit": 1.0,
}

_CLEAN: dict[tuple[str, str], dict[str, Any]] = {
    ("luoyang-2024", "factory"): {
        **ENTITY_CLEAN,
        **NEGATIVE_LIST_CLEAN,
        "key_energy_sector": True,
        "energy_efficiency_level": "benchmark",
        "meets_evaluation_standard": True,
    },
    ("luoyang-2024", "park"): {
        **NEGATIVE_LIST_CLEAN,
        "has_legal_boundary": True,
        "has_unified_management": True,
        "main_function_manufacturing_and_energy": True,
        "industrial_value_added_share": 62,
        "published_cultivation_plan": True,
        "meets_evaluation_standard": True,
    },
    ("luoyang-2024", "supply_chain"): {
        **NEGATIVE_LIST_CLEAN,
        "independent_legal_entity": True,
        "is_chain_leader": True,
        "is_green_factory": True,
        "supplier_cultivation_plan": True,
        "meets_evaluation_standard": True,
    },
    ("luoyang-2024", "design_product"): {
        **ENTITY_CLEAN,
        **NEGATIVE_LIST_CLEAN,
        "lifecycle_principles_followed": True,
        "product_standard_in_miit_list": True,
        "meets_evaluation_standard": True,
    },
    ("jinan-2024", "factory"): {
        **ENTITY_CLEAN,
        **NEGATIVE_LIST_CLEAN,
        **JINAN_FACTORY_INDICATORS,
        "complies_with_laws_and_standards": True,
        "stakeholder_commitments_met": True,
        "performance_better_than_industry_avg": True,
        "management_systems_sound": True,
        "conservation_diagnostics_conducted": True,
        "meets_evaluation_standard": True,
        "key_energy_sector": True,
        "energy_efficiency_level": "benchmark",
        "efficiency_leader_or_saving_honour": True,
    },
    ("jinan-2024", "park"): {
        "has_legal_boundary": True,
        "has_unified_management": True,
        "main_function_manufacturing_and_energy": True,
        "industrial_value_added_share": 60,
        "complies_with_laws_and_standards": True,
        "is_chemical_park": False,
        "published_cultivation_plan": True,
        "major_pollution_or_safety_accident": False,
        "major_ecological_damage": False,
        "inspection_serious_problem": False,
        "removed_from_list": False,
        "energy_targets_met": True,
        "environmental_quality_standard_met": True,
        "enterprise_emissions_compliant": True,
        "pollutant_totals_within_caps": True,
        "mandatory_clean_production_audit_rate": 100,
        "obsolete_equipment_in_use": False,
        "obsolete_products_made": False,
        "green_office_staff": 3,
        "meets_evaluation_standard": True,
        "efficiency_leader_or_saving_honour": False,
    },
    ("jinan-2024", "supply_chain"): {
        **NEGATIVE_LIST_CLEAN,
        "registered_in_city": True,
        "independent_legal_entity": True,
        "is_chain_leader": True,
        "management_systems_sound": True,
        "complies_with_laws_and_standards": True,
        "supplier_cultivation_plan": True,
        "is_green_factory": True,
        "supplier_base_influential": True,
        "supplier_management_system": True,
        "sound_financial_management": True,
        "profitability_industry_leading": True,
        "green_supply_chain_goals_set": True,
        "meets_evaluation_standard": True,
        "efficiency_leader_or_saving_honour": False,
    },
    ("dalian-2022-national", "factory"): {
        **NEGATIVE_LIST_CLEAN,
        "key_energy_sector": True,
        "energy_efficiency_level": "benchmark",
        "better_than_regional_green_factories": True,
        # Below any reference figure a test may add (the portal's median is 1 in the schema tests).
        "energy_per_unit": 0.5,
        "water_per_unit": 0.5,
        "carbon_per_unit": 0.5,
    },
    ("dalian-2022-national", "park"): {
        **NEGATIVE_LIST_CLEAN,
        "park_foundation_strong": True,
        "main_function_manufacturing_and_energy": True,
        "industrial_value_added_share": 62,
        "has_legal_boundary": True,
        "has_unified_management": True,
        "park_level": "provincial",
    },
    ("dalian-2022-national", "supply_chain"): {
        **NEGATIVE_LIST_CLEAN,
        "is_chain_leader": True,
        "industry": "automotive",
    },
    ("dalian-2022-national", "design_product"): {
        **NEGATIVE_LIST_CLEAN,
        "product_standard_in_miit_list": True,
    },
}

ALL_UNITS: list[tuple[str, str]] = list(_CLEAN)
ALL_UNIT_IDS: list[str] = [f"{policy}/{unit_type}" for policy, unit_type in ALL_UNITS]


def clean_facts(policy: str, unit_type: str, **changes: Any) -> dict[str, Any]:
    """A fresh copy of the clean facts with ``changes`` applied; ``None`` removes the key."""
    facts = dict(_CLEAN[(policy, unit_type)])
    for key, value in changes.items():
        if value is None:
            facts.pop(key, None)
        else:
            facts[key] = value
    return facts


def finding(verdict, code: str):
    """The one finding with ``code`` in ``verdict``; fails the test if there is not exactly one."""
    matches = [item for item in verdict.findings if item.code == code]
    assert len(matches) == 1, (
        f"expected one finding {code}, got {[f.code for f in verdict.findings]}"
    )
    return matches[0]
