import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_schema_is_served_and_lists_the_endpoints(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/organisations/", "/api/v1/jurisdictions/", "/api/v1/me/"} <= paths.keys()


def test_docs_ui_is_served_without_a_cdn(client):
    body = client.get("/api/docs/").content.decode()
    assert "swagger" in body.lower()
    assert "cdn.jsdelivr" not in body and "unpkg" not in body


def test_me_shows_role_and_organisation(client, demo):
    client.force_login(demo["jinan-county"])
    me = client.get("/api/me/").json()
    assert me["role"] == "county_official"
    assert me["organisation"]["jurisdiction"] == "370102"


def test_schema_builds_without_warnings(tmp_path):

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )


def test_the_served_schema_validates_as_an_integrators_tool_reads_it(client):
    """openapi-spec-validator checks what drf-spectacular's own validation does not, e.g. that a
    default conforms to its format (``format: email`` with ``default: ""`` did not)."""
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    validate(response.json())  # raises with the first offending path
