"""Every 4xx of the API is one problem document, in Chinese, with its code (issue 19.2)."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from applications.models import Application
from tests.applications.helpers import city_batch
from tests.problems import field_errors, problem

pytestmark = pytest.mark.django_db

LATIN_WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")  # an English phrase


def chinese(message: str) -> bool:
    """A message a Chinese reader reads: Chinese, without an English sentence in it."""
    return bool(re.search(r"[\u4e00-\u9fff]", message)) and not LATIN_WORDS.search(message)


def test_a_missing_object_is_a_404_in_chinese(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.get("/api/applications/999999/")  # Django said "No Application matches…"

    body = problem(response)
    assert (response.status_code, body["code"]) == (404, "not_found")
    assert chinese(body["detail"]) and chinese(body["title"]), body
    assert body["errors"] == [] and body["type"] == "about:blank"


def test_an_address_no_api_route_matches_is_a_404_problem_too(client):
    response = client.get("/api/v1/no-such-thing/")

    body = problem(response)
    assert (response.status_code, body["code"]) == (404, "not_found") and chinese(body["detail"])
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_an_unknown_method_is_a_405_in_chinese(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.delete("/api/me/")

    body = problem(response)
    assert (response.status_code, body["code"]) == (405, "method_not_allowed")
    assert "DELETE" in body["detail"] and "不被允许" in body["detail"]


def test_a_body_of_an_unsupported_type_is_a_415_in_chinese(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.post("/api/applications/", "batch=1", content_type="text/plain")

    body = problem(response)
    assert (response.status_code, body["code"]) == (415, "unsupported_media_type")
    assert "不支持" in body["detail"]


def test_a_body_that_is_not_json_is_a_400_parse_error_in_chinese(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.post("/api/applications/", "{not json", content_type="application/json")

    body = problem(response)
    assert (response.status_code, body["code"]) == (400, "parse_error")
    assert chinese(body["detail"]), body  # DRF's "JSON parse error - …" has no translation


def test_no_credentials_is_a_401_with_the_token_challenge(client):
    response = client.get("/api/me/")

    body = problem(response)
    assert (response.status_code, body["code"]) == (401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"
    assert chinese(body["detail"])


def test_a_bad_token_is_a_401(client):
    response = client.get("/api/me/", HTTP_AUTHORIZATION="Token not-a-token")

    body = problem(response)
    assert (response.status_code, body["code"]) == (401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"
    assert chinese(body["detail"])


def test_a_good_token_still_works(client, demo):
    token = Token.objects.create(user=demo["luoyang-enterprise"])

    response = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200 and response.json()["username"] == "luoyang-enterprise"


def test_a_signed_in_user_without_the_permission_is_a_403(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.get("/api/pool/")  # officials only

    body = problem(response)
    assert (response.status_code, body["code"]) == (403, "permission_denied")
    assert "WWW-Authenticate" not in response
    assert chinese(body["detail"])


def test_a_session_write_without_the_csrf_token_is_still_refused(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["luoyang-enterprise"])

    response = client.post(
        "/api/applications/",
        {"batch": city_batch().pk, "unit_type": "factory"},
        content_type="application/json",
    )

    assert response.status_code == 403 and problem(response)["code"] == "permission_denied"
    assert not Application.objects.exists()


def test_the_token_endpoint_is_anonymous_and_ignores_a_stale_token(client, demo):
    user = demo["luoyang-enterprise"]
    user.set_password("Lvse-2026!")
    user.save()

    response = client.post(
        "/api/auth/token/",
        {"username": user.username, "password": "Lvse-2026!"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Token stale",
    )

    assert response.status_code == 200 and response.json()["token"]


def test_field_errors_name_their_field_and_code(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.post("/api/applications/", {}, content_type="application/json")

    body = problem(response)
    assert (response.status_code, body["code"]) == (400, "invalid")
    by_field = {error["field"]: error for error in body["errors"]}
    assert by_field["batch"]["code"] == "required" and chinese(by_field["batch"]["message"])
    assert "unit_type" in by_field
    assert "2 处错误" in body["detail"]


def test_a_business_rule_names_its_code_and_field(client, demo):
    batch = city_batch(city_key="370100", policy="jinan-2024")  # another city's batch
    client.force_login(demo["luoyang-enterprise"])

    response = client.post(
        "/api/applications/",
        {"batch": batch.pk, "unit_type": "factory"},
        content_type="application/json",
    )

    body = problem(response)
    assert response.status_code == 400 and body["code"] == "invalid"
    assert "不受理本地区的申报" in body["detail"]
    assert field_errors(response) == {"batch": [body["detail"]]}


def test_a_form_refusal_outside_a_serializer_has_the_same_shape(client):
    response = client.get("/api/statistics/public/", {"region": "nowhere"})

    assert response.status_code == 400 and "region" in field_errors(response)


def test_a_second_application_of_the_same_kind_is_a_409_naming_the_first(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-enterprise"])
    payload = {"batch": batch.pk, "unit_type": "factory"}
    first = client.post("/api/applications/", payload, content_type="application/json")

    again = client.post("/api/applications/", payload, content_type="application/json")

    body = problem(again)
    assert (again.status_code, body["code"]) == (409, "duplicate")
    assert body["existing_id"] == first.json()["id"]
    assert "已有同类型的申报" in body["detail"]
    assert Application.objects.count() == 1


def test_too_many_requests_is_a_429_with_retry_after_in_chinese(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()
    for _ in range(2):
        assert client.get("/api/public/listings/").status_code == 200

    response = client.get("/api/public/listings/")

    body = problem(response)
    assert (response.status_code, body["code"]) == (429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert chinese(body["detail"]), body
    cache.clear()


def test_the_browsable_api_still_shows_a_refusal_as_a_page(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.get("/api/applications/999999/", HTTP_ACCEPT="text/html")

    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# --- the schema -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    return response.json()


def path(schema, tail: str) -> dict:
    """The schema's path item of ``/api/<tail>`` (versioned or not)."""
    [item] = [
        item
        for name, item in schema["paths"].items()
        if re.fullmatch(r"/api(/v\d+)?" + re.escape(tail), name)
    ]
    return item


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_errors_with_the_problem_component(schema):
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    assert "Problem" in schema["components"]["schemas"]
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        errors = {code for code in responses if code.startswith("4")}
        assert errors, (method, path)
        for code in errors:
            content = responses[code]["content"]["application/problem+json"]
            assert content["schema"] == problem_ref, (method, path, code)
        writes = method != "get"
        if writes or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in responses, (method, path)
        if {} not in operation.get("security", [{}]) or writes:
            assert "403" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "401" in responses:
            assert "WWW-Authenticate" in responses["401"]["headers"]
        if "429" in responses:
            assert "Retry-After" in responses["429"]["headers"]


def test_authenticated_operations_document_a_401_and_throttled_ones_a_429(schema):
    assert "401" in path(schema, "/me/")["get"]["responses"]
    assert "429" in path(schema, "/public/listings/")["get"]["responses"]
    assert "409" in path(schema, "/applications/")["post"]["responses"]
    assert "409" in path(schema, "/pool/")["post"]["responses"]
    assert "409" not in path(schema, "/applications/")["get"]["responses"]


def test_the_token_endpoint_is_documented_as_anonymous(schema):
    operation = path(schema, "/auth/token/")["post"]
    assert operation["security"] == [{}]
    assert "401" not in operation["responses"]


def test_a_body_over_the_limit_is_a_413_problem_and_a_page_keeps_its_400(client, demo, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(demo["luoyang-enterprise"])
    body = json.dumps({"batch": 1, "unit_type": "factory", "notes": "长" * 2000})

    refused = client.post("/api/v1/applications/", body, content_type="application/json")

    assert (refused.status_code, refused["Content-Type"]) == (413, "application/problem+json")
    assert refused.json()["code"] == "too_large" and "1 KB" in refused.json()["detail"]
    page = client.post("/accounts/login/", {"username": "x", "password": "长" * 2000})
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
