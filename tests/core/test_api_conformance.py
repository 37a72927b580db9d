"""Every GET of the served schema, as every demo role and anonymously: each answer is what the
schema says it is.

``test_api_fuzz`` only asks that nothing answers with a server error. Here each successful answer
is checked against its documented response schema (Schemathesis' ``response_schema_conformance``:
types, nullable fields, enums, required fields, pagination), so that a client generated from
``/api/schema/`` can read it. The requests are not generated: lists are read as they are, and a
path parameter takes the id of a real object the role can see (the first of the corresponding
list's results, or any role's when the role sees none), so that detail operations answer with
an object rather than "not found".

The demo workflow data (``seed_demo`` plus an application in the county's review, as the fuzz
module loads it) is loaded once for the module and rolled back at its end.
"""

import io
from collections.abc import Iterable

import pytest
import schemathesis
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from applications.models import Application, DocumentVersion
from dynamic_mgmt.models import Incident
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.core.imports.models import ImportRun
from registry.models import ComplaintEvidence, RemovalProposal
from reviews.models import ExpertAssignment, OnsiteCheck, ScoreSheet, ScoringTemplateVersion
from reviews.scoring_templates import TEMPLATES
from reviews.services.review import opinion_request_send
from reviews.template_format import template_to_dict
from tests.budgets.rows import applications, listings
from tests.budgets.test_applications_lists import (
    credit_events,
    credit_imports,
    industry_references,
)
from tests.budgets.test_dynamic_mgmt_lists import cases, changes, grades, jinan_listings
from tests.budgets.test_registry_lists import complaints
from tests.budgets.test_reviews_lists import (
    TEMPLATE,
    assignments,
    items,
    new_experts,
    one_publicity,
    scoring_batch,
)
from tests.budgets.test_thirdparty_lists import blacklist_entries, reports, roster
from tests.conftest import DemoUsers
from tests.core.test_api_fuzz import DjangoClientApp
from tests.reviews.helpers import in_county_review, required_departments

ANONYMOUS = "anonymous"
# One demo user of every role, and an anonymous visitor.
USERS = {
    Role.APPLICANT: "luoyang-enterprise",
    Role.AGENCY_STAFF: "luoyang-agency",
    Role.COUNTY_OFFICIAL: "luoyang-county",
    Role.CITY_OFFICIAL: "luoyang-city",
    Role.PROVINCE_OFFICIAL: "henan",
    Role.NATIONAL_OFFICIAL: "nation",
    Role.EXPERT: "luoyang-expert",
    Role.DEPARTMENT_OFFICIAL: "luoyang-env",
    Role.SYSADMIN: "admin",
}
ROLES = (ANONYMOUS, *USERS.values())

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", DjangoClientApp(Client()))
GETS = [
    operation
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
    if operation.method.upper() == "GET"
]
LISTS = [operation for operation in GETS if not operation.path_parameters]
DETAILS = [operation for operation in GETS if operation.path_parameters]

# Where a path parameter's values come from when its own collection has no list: (list, field).
SOURCES = {
    ("/county-reviews/", "application"): ("/applications/", "id"),
    ("/application-scores/", "id"): ("/application-scores/", "application"),
    ("/scoring-templates/", "id"): ("/scoring-templates/", "key"),
    ("/public/complaints/", "tracking_code"): ("/complaints/", "tracking_code"),
    ("/public/objections/", "tracking_code"): ("/objections/", "tracking_code"),
}
# Required query parameters that are no enum: name -> (list, field) giving a real value.
QUERY_SOURCES = {"batch": ("/batches/", "id")}
# Values no list shows, read from the database: (collection, parameter) -> values.
STORED = {
    ("/document-versions/", "id"): lambda: DocumentVersion.objects.values_list("pk", flat=True),
    ("/complaints/", "evidence_id"): lambda: ComplaintEvidence.objects.values_list("pk", flat=True),
}


def collection(path: str, parameter: str = "") -> str:
    """The part of ``path`` after the API prefix up to ``parameter`` (or the whole path), so that
    the tables above hold whatever the version prefix (``/api/`` or ``/api/v1/``)."""
    head = path.split("{" + parameter + "}")[0] if parameter else path
    for prefix in ("/api/v1/", "/api/"):
        if head.startswith(prefix):
            return "/" + head.removeprefix(prefix)
    return head


def source(path: str, parameter: str) -> tuple[str, str]:
    """The list (without prefix) and the field whose values ``parameter`` of ``path`` takes."""
    first = path.split("{")[0]
    key = (collection(first), parameter)
    if key in SOURCES:
        return SOURCES[key]
    if parameter != path[len(first) + 1 :].split("}")[0]:
        # A second parameter (``evidence_id``): read from the database, keyed on its collection.
        return (collection(first), parameter)
    return (collection(path, parameter), "id" if parameter == "id" else parameter)


def results(response) -> Iterable[dict]:
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return []
    data = response.json()
    items = data["results"] if isinstance(data, dict) and "results" in data else data
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def check(operation, client: Client, role: str, failures: list[str], **request) -> int:
    """Send one GET as ``role``; a 2xx answer must match its schema, and no answer may be a
    server error (else the failure joins ``failures``). Returns the status code."""
    case = operation.Case(
        path_parameters=request.get("path_parameters") or {}, query=request.get("query") or {}
    )
    response = case.call(app=DjangoClientApp(client))
    try:
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    except (Exception, FailureGroup) as error:  # a FailureGroup is no Exception
        failures.append(f"as {role} {request or ''}: {error}")
    return response.status_code


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Demo workflow data, a logged-in client per role, and the values each role sees."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        application, county = in_county_review(DemoUsers())
        opinion_request_send(
            application=application, actor=county, departments=required_departments(application)
        )
        more_objects(DemoUsers())
        clients = {ANONYMOUS: Client()}
        for username in USERS.values():
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        prefix = LISTS[0].path.removesuffix(collection(LISTS[0].path))  # "/api" or "/api/v1"
        # (role, list, field) -> values, read from the lists each role is answered.
        seen: dict[tuple[str, str, str], list] = {}
        wanted = {source(op.path, p.name) for op in DETAILS for p in op.path_parameters}
        wanted |= set(QUERY_SOURCES.values())
        for list_path, field in sorted(wanted):
            for role, client in clients.items():
                if (list_path, field) in STORED:
                    found = list(STORED[(list_path, field)]()[:5])
                else:
                    found = [
                        item[field]
                        for item in results(client.get(prefix + list_path))
                        if item.get(field) not in (None, "")
                    ]
                seen[(role, list_path, field)] = found
        yield {"clients": clients, "seen": seen}
        transaction.set_rollback(True)


def more_objects(demo) -> None:
    """Objects of the kinds the demo does not seed, two or three of each (in their different
    states where the makers vary them), made as the query-budget tests make their rows."""
    city, expert, agency = demo["luoyang-city"], demo["luoyang-expert"], demo["luoyang-agency"]
    assignments(demo, expert=expert)(2)  # in expert review, with a draft sheet each
    scored = applications(1, batch=scoring_batch(), status=Application.Status.EXPERT_REVIEW)[0]
    ScoreSheet.objects.bulk_create(
        ScoreSheet(
            assignment=ExpertAssignment.objects.create(
                application=scored, expert=reviewer, assigned_by=city
            ),
            template_key=TEMPLATE,
            status=ScoreSheet.Status.SUBMITTED,
            total=82,
            basic_met=True,
            submitted_at=timezone.now(),
        )
        for reviewer in new_experts(3)
    )
    OnsiteCheck.objects.create(
        application=scored,
        visited_on=timezone.localdate(),
        team="张工、李工",
        findings="现场情况与申报材料一致",
        passed=True,
        recorded_by=city,
    )
    items(one_publicity(demo))(2)  # each with an objection
    definition = template_to_dict(TEMPLATES[TEMPLATE])
    ScoringTemplateVersion.objects.create(
        code="conformance-factory",
        version="1",
        unit_type="factory",
        title="接口一致性测试模板",
        definition={**definition, "code": "conformance-factory", "version": "1"},
        created_by=demo["admin"],
    )
    complaints(2)  # about a listing and about an agency
    changes()(2)
    grades()(2)
    cases(jinan_listings)(2)
    for listing in listings(2):
        Incident.objects.create(
            listing=listing,
            kind=Incident.Kind.SAFETY,
            occurred_on=timezone.localdate(),
            reported_on=timezone.localdate(),
            description="发生一起重大生产安全事故",
            reported_by=demo["luoyang-county"],
        )
        RemovalProposal.objects.create(
            listing=listing,
            source=RemovalProposal.Source.OTHER,
            reason="所提交材料存在造假。",
            created_by=city,
        )
    blacklist_entries(demo)(3)  # one of them lifted
    reports(lambda count: [agency.organisation] * count)(2)
    roster(agency.organisation)(2)
    credit_imports(demo)(2)
    credit_events(demo)(2)
    industry_references(demo)(2)
    for kind, uploader in (("experts", city), ("listings", city), ("staff", demo["admin"])):
        ImportRun.objects.create(
            kind=kind,
            state=ImportRun.State.PREVIEWED,
            rows=2,
            new=1,
            errors=1,
            results=[
                {"row": 2, "outcome": "new", "label": "张三", "column": "", "reason": ""},
                {"row": 3, "outcome": "error", "label": "李四", "column": "手机", "reason": "无效"},
            ],
            file=f"imports/{kind}/conformance.xlsx",
            original_name="导入.xlsx",
            extension="xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            size=1024,
            sha256="0" * 64,
            uploaded_by=uploader,
        )


def values_for(world, role: str, list_path: str, field: str) -> list:
    """What ``role`` sees of ``field`` in ``list_path``, or else what any role sees."""
    own = world["seen"].get((role, list_path, field), [])
    if own:
        return own
    return next(
        (v for (_, p, f), v in world["seen"].items() if (p, f) == (list_path, field) and v), []
    )


def required_query(world, operation, role: str) -> dict | None:
    """Values for the operation's required query parameters (None when some has none)."""
    query = {}
    for parameter in operation.query:
        if not parameter.is_required:
            continue
        enum = parameter.definition.get("schema", {}).get("enum")
        found = enum or values_for(world, role, *QUERY_SOURCES[parameter.name])
        if not found:
            return None
        query[parameter.name] = found[0]
    return query


@pytest.mark.parametrize("operation", LISTS, ids=lambda operation: operation.label)
@pytest.mark.django_db
def test_list_answers_as_documented(operation, world):
    failures: list[str] = []
    for role, client in world["clients"].items():
        query = required_query(world, operation, role)
        if query is not None:
            check(operation, client, role, failures, query=query)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("operation", DETAILS, ids=lambda operation: operation.label)
@pytest.mark.django_db
def test_detail_answers_as_documented(operation, world):
    answered, failures = [], []
    for role, client in world["clients"].items():
        parameters = {}
        for parameter in operation.path_parameters:
            found = values_for(world, role, *source(operation.path, parameter.name))
            if not found:
                break
            parameters[parameter.name] = found[0]
        else:
            status = check(operation, client, role, failures, path_parameters=parameters)
            answered.append((role, status))
    assert not failures, "\n\n".join(failures)
    exercised = any(200 <= status < 300 for _, status in answered)
    expected = collection(operation.path) not in NO_DEMO_OBJECT
    assert exercised == expected, (
        f"{operation.label}: no role was answered with an object ({answered})"
        if expected
        else f"{operation.label} is answered with an object now: take it off NO_DEMO_OBJECT"
    )


# Detail operations no role is answered with an object by (their path without the version
# prefix): the files, which the rows made here name but do not store. Each one the module's data
# comes to cover is taken off.
NO_DEMO_OBJECT = {
    "/agency-blacklist/{id}/evidence/",
    "/annual-reports/{id}/download/",
    "/complaints/{id}/evidence/{evidence_id}/",
}


@pytest.mark.django_db
def test_every_role_is_logged_in(world):
    """Guards the checks above against passing idly: each role reads the API as that user."""
    me = next(operation for operation in LISTS if collection(operation.path) == "/me/")
    for role, client in world["clients"].items():
        response = client.get(me.path)
        if role == ANONYMOUS:
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == 200 and response.json()["username"] == role
