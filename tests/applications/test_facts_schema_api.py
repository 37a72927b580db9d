"""事实清单 API (issue 19.3): the JSON Schema of the facts a policy reads for a unit type, and an
application's facts pointing at it."""

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from greenmfg.rules import fact_schema, policies, unit_types
from tests.applications.test_submission import ready_application

PAIRS = [(policy, unit_type) for policy in policies() for unit_type in unit_types(policy)]
CITIES = {
    "luoyang-2024": ("luoyang", "410300"),
    "jinan-2024": ("jinan", "370100"),
    "dalian-2022-national": ("dalian", "210200"),
}

pytestmark = pytest.mark.django_db


def facts_schema(client, policy: str, unit_type: str) -> dict:
    response = client.get(reverse("facts-schema-list"), {"policy": policy, "unit_type": unit_type})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(("policy", "unit_type"), PAIRS, ids=[f"{p}-{t}" for p, t in PAIRS])
def test_each_policy_and_unit_type_gives_a_valid_schema_naming_every_fact(
    client, policy, unit_type
):
    schema = facts_schema(client, policy, unit_type)  # anonymous: the policies are public

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    specs = fact_schema(policy, unit_type)
    assert list(schema["properties"]) == [spec.key for spec in specs]
    for spec in specs:
        described = schema["properties"][spec.key]
        assert described["x-articles"] == list(spec.articles) and described["x-articles"]
        assert described["description"].startswith(spec.label)
        assert described["x-section"] == spec.group


def test_the_schema_states_types_ranges_and_units(client):
    properties = facts_schema(client, "jinan-2024", "factory")["properties"]
    validator = Draft202012Validator({"type": "object", "properties": properties})

    assert properties["building_density"]["maximum"] == 100
    assert properties["building_density"]["x-unit"] == "%"
    assert properties["energy_efficiency_level"]["enum"][:2] == ["benchmark", "quota_advanced"]
    assert validator.is_valid({"building_density": 45.5, "tax_violation": False})
    assert validator.is_valid({"building_density": None})  # null: not known, as the rules read it
    assert not validator.is_valid({"building_density": 120})
    assert not validator.is_valid({"plot_ratio": -1})
    assert not validator.is_valid({"tax_violation": "否"})
    assert not validator.is_valid({"energy_efficiency_level": "excellent"})


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"policy": "beijing-2030", "unit_type": "factory"}, "未知的政策“beijing-2030”"),
        ({"unit_type": "factory"}, "未知的政策"),
        ({"policy": "jinan-2024", "unit_type": "design_product"}, "不涵盖单位类型"),
        ({"policy": "jinan-2024", "unit_type": "spaceship"}, "不涵盖单位类型“spaceship”"),
    ],
    ids=["unknown-policy", "no-policy", "uncovered-unit-type", "unknown-unit-type"],
)
def test_an_unknown_policy_or_unit_type_is_refused_in_chinese(client, query, message):
    response = client.get(reverse("facts-schema-list"), query)

    assert response.status_code == 400
    assert message in str(response.json())


@pytest.mark.parametrize(("policy", "unit_type"), PAIRS, ids=[f"{p}-{t}" for p, t in PAIRS])
def test_a_complete_applications_facts_validate_against_the_schema_it_names(
    client, demo, policy, unit_type
):
    """The demo seeds no facts; a draft filled as an applicant and a county fill one (every fact
    the form asks for) stands in for it."""
    city, city_key = CITIES[policy]
    application, applicant = ready_application(
        demo, city=city, policy=policy, city_key=city_key, unit_type=unit_type
    )
    client.force_login(applicant)

    body = client.get(reverse("application-detail", args=[application.pk])).json()
    schema = client.get(body["facts_schema"]).json()

    assert schema["x-policy"] == policy and schema["x-unit-type"] == unit_type
    assert body["facts"] and list(Draft202012Validator(schema).iter_errors(body["facts"])) == []
    assert list(Draft202012Validator(schema).iter_errors(body["reference_facts"])) == []
