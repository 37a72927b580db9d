"""The API under /api/v1/, and the unversioned /api/… paths as deprecated aliases until the
sunset (greenmfg.core.api.versioning; issue 19.4)."""

import calendar
import datetime

import pytest
from django.test import Client
from django.urls import reverse

from greenmfg.core.api import versioning

pytestmark = pytest.mark.django_db

SUNSET = "Wed, 30 Jun 2027 23:59:59 GMT"


def test_the_transition_dates_are_the_stated_ones():
    """The schema's description and docs/api-changelog.md state the same dates."""
    assert datetime.date(2027, 6, 30) == versioning.SUNSET_ON
    assert versioning.SUNSET_HEADER == SUNSET
    expected = calendar.timegm(datetime.date(2026, 12, 7).timetuple())
    assert f"@{expected}" == versioning.DEPRECATION_HEADER


@pytest.mark.parametrize(
    "path", ["/api/v1/me/", "/api/v1/batches/", "/api/v1/jurisdictions/", "/api/v1/statistics/"]
)
def test_v1_answers_without_deprecation(client, demo, path):
    client.force_login(demo["jinan-city"])

    response = client.get(path)

    assert response.status_code == 200
    assert "Deprecation" not in response and "Sunset" not in response


@pytest.mark.parametrize("path", ["/me/", "/batches/", "/jurisdictions/", "/statistics/"])
def test_the_alias_answers_the_same_and_says_it_is_deprecated(client, demo, path):
    client.force_login(demo["jinan-city"])

    current = client.get("/api/v1" + path)
    alias = client.get("/api" + path)

    assert alias.status_code == 200
    assert alias.json() == current.json()
    assert alias["Deprecation"] == versioning.DEPRECATION_HEADER
    assert alias["Sunset"] == SUNSET
    assert alias["Link"] == f'</api/v1{path}>; rel="successor-version"'


def test_the_alias_marks_refusals_too(client):
    response = client.get("/api/applications/", HTTP_AUTHORIZATION="Token wrong")

    assert response.status_code in (401, 403)
    assert response["Sunset"] == SUNSET


def test_the_alias_keeps_the_query_out_of_the_successor_link(client, demo):
    client.force_login(demo["jinan-city"])

    response = client.get("/api/jurisdictions/", {"page": 1})

    assert response["Link"] == '</api/v1/jurisdictions/>; rel="successor-version"'


def test_a_token_obtained_through_the_alias_works_on_v1(demo, settings):
    """A client of before keeps working unchanged: POST through the alias (no CSRF check on
    the token endpoint), then use the token on /api/v1/."""
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/auth/token/",
        {"username": "jinan-enterprise", "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response["Sunset"] == SUNSET
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "jinan-enterprise"


def test_route_names_resolve_to_v1():
    """``reverse()`` of an API route gives its /api/v1/ path; the aliases have a namespace of
    their own and take no name away."""
    assert reverse("api-token") == "/api/v1/auth/token/"
    assert reverse("api-me") == "/api/v1/me/"
    assert reverse("api-schema") == "/api/v1/schema/"
    assert reverse("application-list") == "/api/v1/applications/"
    assert reverse("document-version-download", args=[7]) == "/api/v1/document-versions/7/download/"
    assert reverse("api-statistics") == "/api/v1/statistics/"
    assert reverse(f"{versioning.ALIAS_NAMESPACE}:api-token") == "/api/auth/token/"


def test_the_schema_documents_v1_only_each_operation_once(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    paths = list(schema["paths"])
    assert paths and all(path.startswith("/api/v1/") for path in paths)
    operation_ids = [
        operation["operationId"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operation_ids) == len(set(operation_ids))
    assert schema["info"]["version"].startswith("1.")


def test_the_schema_states_the_transition(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    description = schema["info"]["description"]
    assert "/api/v1/" in description
    assert versioning.SUNSET_ON.isoformat() in description


def test_the_alias_serves_the_same_schema(client):
    current = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    alias = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert alias["paths"].keys() == current["paths"].keys()


def test_the_changelog_states_the_version_and_the_sunset(settings):
    text = (settings.BASE_DIR / "docs" / "api-changelog.md").read_text(encoding="utf-8")

    assert "/api/v1/" in text
    assert versioning.SUNSET_ON.isoformat() in text
    assert versioning.DEPRECATED_ON.isoformat() in text
