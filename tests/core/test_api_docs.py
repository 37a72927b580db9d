"""What the served schema tells an integrator (greenmfg.core.api.docs; issue 19.4): a summary,
a description of its own and an example for each operation, tags with descriptions, and the
documentation pages with every asset served here."""

import re
from collections import defaultdict
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from openapi_schema_validator import OAS30Validator

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def has_example(media: dict) -> bool:
    return "example" in media or bool(media.get("examples"))


def test_every_operation_has_a_summary(schema):
    missing = [label for label, operation in operations(schema) if not operation.get("summary")]

    assert not missing, missing


def test_summaries_say_what_each_operation_does(schema):
    summaries = {label: operation["summary"] for label, operation in operations(schema)}

    assert summaries["GET /api/v1/applications/"] == "列出申报"
    assert summaries["GET /api/v1/applications/{id}/"] == "查看申报"
    assert summaries["POST /api/v1/applications/"] == "新建申报"
    assert summaries["POST /api/v1/applications/{id}/submit/"] == "提交申报"
    assert summaries["PATCH /api/v1/applications/{id}/"] == "保存申报草稿"
    assert summaries["DELETE /api/v1/agency-staff/{id}/"] == "删除评价人员"
    # One action, two methods: each its own.
    assert summaries["GET /api/v1/batches/{id}/quotas/"] == "查看批次名额"
    assert summaries["PUT /api/v1/batches/{id}/quotas/"] == "设置批次名额"
    assert summaries["POST /api/v1/auth/token/"] == "获取 API 令牌"


def test_operations_of_a_resource_do_not_repeat_one_description(schema):
    """The viewset's docstring belongs to the tag; it is not every operation's description."""
    by_tag = defaultdict(list)
    for _label, operation in operations(schema):
        by_tag[operation["tags"][0]].append(operation.get("description", ""))
    repeated = {
        tag: descriptions[0]
        for tag, descriptions in by_tag.items()
        if len(descriptions) > 2 and len(set(descriptions)) == 1
    }

    assert not repeated, repeated


def test_every_body_and_success_has_an_example(schema):
    missing = []
    for label, operation in operations(schema):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if "json" in media_type and not has_example(media):
                missing.append(f"{label} request {media_type}")
        for code, response in operation["responses"].items():
            if not str(code).startswith("2"):
                continue
            for media_type, media in response.get("content", {}).items():
                if "json" in media_type and not has_example(media):
                    missing.append(f"{label} {code} {media_type}")

    assert not missing, missing


def test_every_example_is_valid_for_its_schema(schema):
    """An example a client copies is a request the API accepts, an answer it can give."""
    wrong = []
    for label, operation in operations(schema):
        media = [
            ("request", m) for m in operation.get("requestBody", {}).get("content", {}).items()
        ]
        media += [
            (code, m)
            for code, response in operation["responses"].items()
            if str(code).startswith("2")
            for m in response.get("content", {}).items()
        ]
        for where, (media_type, content) in media:
            if "json" not in media_type:
                continue
            values = [content["example"]] if "example" in content else []
            values += [example["value"] for example in content.get("examples", {}).values()]
            validator = OAS30Validator({**content["schema"], "components": schema["components"]})
            for value in values:
                for error in validator.iter_errors(value):
                    wrong.append(f"{label} {where}: {error.message[:120]} at {list(error.path)}")

    assert not wrong, wrong


def test_the_key_operations_have_examples_written_by_hand(schema):
    paths = schema["paths"]
    token = paths["/api/v1/auth/token/"]["post"]
    token_request = token["requestBody"]["content"]["application/json"]["examples"]
    assert any(e["value"].get("username") for e in token_request.values())
    batches = paths["/api/v1/batches/"]["get"]["responses"]["200"]["content"]["application/json"]
    listed = next(iter(batches["examples"].values()))["value"]
    assert listed["results"][0]["status"] == "open"
    create = paths["/api/v1/applications/"]["post"]["requestBody"]["content"]["application/json"]
    assert "batch" in next(iter(create["examples"].values()))["value"]
    submit = paths["/api/v1/applications/{id}/submit/"]["post"]["responses"]["200"]
    submitted = next(iter(submit["content"]["application/json"]["examples"].values()))["value"]
    assert submitted["status"] == "submitted"


def test_every_tag_is_described(schema):
    described = {tag["name"]: tag.get("description", "") for tag in schema["tags"]}
    used = {tag for _label, operation in operations(schema) for tag in operation["tags"]}

    assert used <= described.keys(), used - described.keys()
    for name, description in described.items():
        assert re.fullmatch(r"[a-z][a-z-]*", name), name  # an identifier for generators
        assert re.search(r"[\u4e00-\u9fff]", description), name  # said in Chinese


def test_every_tag_in_the_settings_is_used(schema):
    used = {tag for _label, operation in operations(schema) for tag in operation["tags"]}
    named = {tag["name"] for tag in django_settings.SPECTACULAR_SETTINGS["TAGS"]}

    assert named <= used, named - used


def external_references(html: str) -> list[str]:
    """Every address the page loads or links to that is not on this host."""
    found = re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""", html)
    found += re.findall(r"""url\(\s*["']?([^"')]+)""", html)
    found += re.findall(r"""@import\s+["']([^"']+)""", html)
    return [address for address in found if urlparse(address).netloc]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/", "/api/docs/"])
def test_the_documentation_pages_load_nothing_from_elsewhere(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert external_references(html) == []
    assert "/api/v1/schema/" in html
    assert "googleapis" not in html and "cdn." not in html and "unpkg" not in html


def test_swagger_ui_has_no_validator_badge(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert re.search(r'"validatorUrl":\s*null', html)
