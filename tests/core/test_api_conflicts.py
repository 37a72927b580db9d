"""A create that would make a second of what may exist once answers 409 with the id of the one
already there (issue 19.2), and the schema says so on that operation."""

import pytest

from greenmfg.directory.models import Organisation
from tests.applications.test_batch_pages import JINAN_IN_FORCE, api_payload

pytestmark = pytest.mark.django_db


def test_a_batch_title_used_again_in_the_same_year_answers_409(client, demo, time_machine):
    time_machine.move_to(JINAN_IN_FORCE)
    client.force_login(demo["jinan-city"])
    first = client.post("/api/v1/batches/", api_payload(), content_type="application/json")
    assert first.status_code == 201, first.json()

    again = client.post("/api/v1/batches/", api_payload(), content_type="application/json")

    body = again.json()
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert (body["code"], body["existing_id"]) == ("duplicate", first.json()["id"])
    assert [error["field"] for error in body["errors"]] == ["title"]


def test_a_conflict_declared_again_answers_409(client, demo):
    client.force_login(demo["luoyang-expert"])
    enterprise = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE).first()
    payload = {"organisation": enterprise.pk, "reason": "曾在该企业兼职"}
    first = client.post("/api/v1/conflicts/", payload, content_type="application/json")
    assert first.status_code == 201, first.json()

    again = client.post("/api/v1/conflicts/", payload, content_type="application/json")

    assert again.status_code == 409
    assert again.json()["existing_id"] == first.json()["id"]


def test_the_schema_documents_409_where_a_create_can_conflict(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path in ("/api/v1/batches/", "/api/v1/conflicts/", "/api/v1/expert-pool/"):
        assert "409" in schema["paths"][path]["post"]["responses"], path
