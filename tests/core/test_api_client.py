"""An integrator's client, generated from the served schema by a tool nobody here wrote
(openapi-python-client), works unmodified (issue 19.1 and 19.5).

The client is generated once for the module from ``/api/schema/``. One test checks that every
operation of the schema became a module and that every module imports; another drives the
applicant → county → public flow through that client against a live server. The schema's own
rules that the generator relies on (no Chinese identifiers, one body type, filters on lists
alone, ``ordering`` an enum) are checked here too, on the schema itself.
"""

import importlib
import io
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from applications.models import Application
from reviews.checklists import checklist_for
from tests.applications.helpers import city_batch, pdf_bytes, split_facts
from tests.factories import ListingFactory

PACKAGE = "greenmfg_api_client"
# No formatter run after generating: the client is only imported here.
GENERATOR_CONFIG = "post_hooks: []\n"
CJK = range(0x2E80, 0xFFFF + 1)


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def generated(schema, tmp_path_factory):
    """Generates the client package from the served schema, importable as ``PACKAGE`` for the
    module's tests; gives the generator's output."""
    root = tmp_path_factory.mktemp("client")
    (root / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (root / "config.yml").write_text(GENERATOR_CONFIG, encoding="utf-8")
    run = subprocess.run(
        [
            Path(sys.executable).with_name("openapi-python-client"),
            "generate",
            "--path",
            root / "schema.json",
            "--output-path",
            root / PACKAGE,
            "--meta",
            "none",
            "--config",
            root / "config.yml",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    sys.path.insert(0, str(root))
    yield output
    sys.path.remove(str(root))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "patch", "post", "delete"}:
                yield path, method, operation


def api(module: str):
    return importlib.import_module(f"{PACKAGE}.api.{module}")


def model(name: str):
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


# --- the schema, as a generator reads it ---------------------------------------------------------


def test_no_name_a_generator_uses_is_chinese(schema):
    def has_cjk(text: str) -> bool:
        return any(ord(char) in CJK for char in text)

    names = [
        *schema["components"]["schemas"],
        *(op["operationId"] for *_, op in operations(schema)),
    ]
    assert [name for name in names if not name.isascii() or not name.isidentifier()] == []
    titles = []

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("title"), str):
                titles.append((where, node["title"]))
            for key, value in node.items():
                if key not in {"example", "examples", "default", "enum"}:
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(schema["paths"], "paths")
    walk(schema["components"], "components")
    assert [(where, title) for where, title in titles if has_cjk(title)] == []
    assert titles == []  # the labels live in the descriptions


def test_a_body_is_json_or_else_multipart_with_a_file(schema):
    def refers_to_a_file(node, seen) -> bool:
        if isinstance(node, dict):
            if node.get("format") == "binary":
                return True
            ref = node.get("$ref", "")
            if ref and ref not in seen:
                seen.add(ref)
                return refers_to_a_file(schema["components"]["schemas"][ref.split("/")[-1]], seen)
            return any(refers_to_a_file(value, seen) for value in node.values())
        if isinstance(node, list):
            return any(refers_to_a_file(item, seen) for item in node)
        return False

    wrong = []
    for path, method, operation in operations(schema):
        body = operation.get("requestBody")
        if not body:
            continue
        types = list(body["content"])
        uploads = refers_to_a_file(body, set())
        expected = ["multipart/form-data"] if uploads else ["application/json"]
        if types != expected:
            wrong.append((method, path, types))
    assert wrong == []


def test_filters_and_pages_are_offered_on_reads_of_a_list_alone(schema):
    for path, method, operation in operations(schema):
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if method != "get":
            assert query == set(), (method, path)
        if method == "get" and "{" in path:
            assert query <= {"page", "page_size"}, (method, path)


def test_ordering_is_an_enum_of_both_directions(schema):
    orderings = {
        path: parameter["schema"]
        for path, method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "ordering"
    }
    assert orderings
    for path, parameter_schema in orderings.items():
        values = (parameter_schema.get("items") or parameter_schema).get("enum")
        assert values, path
        assert {value.removeprefix("-") for value in values} == {
            value for value in values if not value.startswith("-")
        }, path
    batches = orderings[next(p for p in orderings if p.endswith("/batches/"))]
    assert "-submission_deadline" in batches["items"]["enum"]


# --- the generated client ------------------------------------------------------------------------


def test_every_operation_is_generated_and_every_module_imports(schema, generated):
    assert "will not be generated" not in generated, generated
    package = importlib.import_module(PACKAGE)
    modules, broken = {}, []
    for found in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
        try:
            modules[found.name] = importlib.import_module(found.name)
        except Exception as error:
            broken.append((found.name, repr(error)))
    assert broken == []
    endpoints = {
        name.rsplit(".", 1)[1]
        for name, module in modules.items()
        if name.startswith(f"{PACKAGE}.api.") and hasattr(module, "sync_detailed")
    }
    wanted = {snake(operation["operationId"]) for *_, operation in operations(schema)}
    assert wanted - endpoints == set()
    assert len(endpoints) == len(wanted)


def snake(operation_id: str) -> str:
    """The module name openapi-python-client gives an operation (ours are snake case already,
    the one camel case would be split too)."""
    out = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation_id)
    return out.lstrip("_").replace("-", "_")


# --- the flow through the generated client, against a live server --------------------------------


def authenticated(base_url: str, username: str, password: str):
    client_module = importlib.import_module(f"{PACKAGE}.client")
    anonymous = client_module.Client(base_url=base_url, raise_on_unexpected_status=True)
    token = api("auth.auth_token_create").sync(
        client=anonymous,
        body=model("AuthTokenRequest").from_dict({"username": username, "password": password}),
    )
    return client_module.AuthenticatedClient(
        base_url=base_url, token=token.token, prefix="Token", raise_on_unexpected_status=True
    )


@pytest.mark.django_db(transaction=True)
def test_applicant_county_and_public_through_the_generated_client(
    generated, live_server, demo, settings
):
    batch = city_batch()  # 洛阳, open until a month from now
    mine, reference = split_facts("luoyang-2024", "factory")
    listed = ListingFactory()
    base = live_server.url
    password = settings.DEMO_PASSWORD
    File = importlib.import_module(f"{PACKAGE}.types").File

    # The enterprise finds the open batch, applies, answers, uploads its report and submits.
    enterprise = authenticated(base, "luoyang-enterprise", password)
    batches = api("batches.batches_list").sync(client=enterprise)
    assert batch.pk in [row.id for row in batches.results]
    created = api("applications.applications_create").sync(
        client=enterprise,
        body=model("ApplicationCreateRequest").from_dict(
            {"batch": batch.pk, "unit_type": "factory"}
        ),
    )
    assert created.status.value == "draft"
    api("applications.applications_partial_update").sync(
        created.id,
        client=enterprise,
        body=model("PatchedApplicationDraftRequest").from_dict({"facts": mine}),
    )
    county = authenticated(base, "luoyang-county", password)
    if reference:
        api("applications.applications_reference_facts_create").sync(
            created.id,
            client=county,
            body=model("FactsRequest").from_dict({"facts": reference}),
        )
    upload = api("applications.applications_documents_create").sync(
        created.id,
        client=enterprise,
        body=model("UploadRequest")(
            kind=model("DocumentKindEnum")("self_evaluation"),
            file=File(
                payload=io.BytesIO(pdf_bytes()),
                file_name="自评价报告.pdf",
                mime_type="application/pdf",
            ),
        ),
    )
    assert (upload.number, upload.original_name) == (1, "自评价报告.pdf")
    precheck = api("applications.applications_precheck_create").sync(created.id, client=enterprise)
    assert precheck.eligible, precheck.to_dict()
    submitted = api("applications.applications_transition_create").sync(
        created.id,
        client=enterprise,
        body=model("ApplicationTransitionRequest").from_dict({"action": "submit"}),
    )
    assert submitted.status.value == "submitted"

    # The county receives it: in its list, readable, with the checklist of its review.
    inbox = api("applications.applications_list").sync(
        client=county, status=model("ApplicationsListStatus")("submitted")
    )
    assert created.id in [row.id for row in inbox.results]
    assert api("applications.applications_retrieve").sync(created.id, client=county).id == (
        created.id
    )
    review = api("county_reviews.county_reviews_retrieve").sync(created.id, client=county)
    assert review.application == created.id
    assert Application.objects.get(pk=created.id).status == Application.Status.SUBMITTED

    # The county opens its 初审 (a step of the same transition operation) and records its
    # checklist and ranking.
    started = api("applications.applications_transition_create").sync(
        created.id,
        client=county,
        body=model("ApplicationTransitionRequest").from_dict({"action": "start_review"}),
    )
    assert started.status.value == "county_review"
    checklist = {item.code: True for item in checklist_for("factory")}
    saved = api("county_reviews.county_reviews_update").sync(
        created.id,
        client=county,
        body=model("CountyReviewInputRequest").from_dict({"checklist": checklist, "rank": 1}),
    )
    assert (saved.rank, saved.checklist) == (1, checklist)
    assert Application.objects.get(pk=created.id).status == Application.Status.COUNTY_REVIEW

    # The public reads the published list, anonymously.
    public = importlib.import_module(f"{PACKAGE}.client").Client(
        base_url=base, raise_on_unexpected_status=True
    )
    listings = api("public.public_listings_list").sync(client=public)
    assert listed.credit_code in [row.credit_code for row in listings.results]
