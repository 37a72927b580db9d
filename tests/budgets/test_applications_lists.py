"""Query budgets of the 申报 lists: batches, the 培育库, credit data, industry references,
applications and their documents, as pages and as API endpoints.

A credit import's refused rows (credit/imports/<pk>/) are budgeted in
tests/applications/test_credit_pages.py (5 and 50 rows, at most 15 queries, all 50 shown).
"""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.models import (
    Batch,
    CreditEvent,
    CreditImport,
    CultivationCandidate,
    Document,
    DocumentVersion,
    IndustryReference,
)
from reviews.models import ExpertAssignment, OpinionRequest
from tests.applications.helpers import city_batch

from .budget import Shown, assert_flat_queries
from .rows import applications, bureau, place, units

_serial = itertools.count(1)


def batches(count):
    authority = bureau("410300")
    Batch.objects.bulk_create(
        Batch(
            authority=authority,
            jurisdiction=authority.jurisdiction,
            year=2026,
            title=f"2026年度绿色制造名单申报（预算第{next(_serial)}批）",
            policy="luoyang-2024",
            unit_types=["factory", "park"],
            status=Batch.Status.OPEN,
            submission_deadline=timezone.now() + timedelta(days=30),
        )
        for _ in range(count)
    )


def candidates(demo):
    keeper = demo["luoyang-county"]

    def make(count):
        CultivationCandidate.objects.bulk_create(
            CultivationCandidate(
                county=organisation.jurisdiction,
                organisation=organisation,
                target_unit_type="factory",
                target_year=2027,
                plan="完成节能诊断和清洁生产审核",
                created_by=keeper,
            )
            for organisation in units(count)
        )

    return make


def credit_imports(demo):
    county = demo["luoyang-county"]

    def make(count):
        CreditImport.objects.bulk_create(
            CreditImport(
                file_name=f"信用数据{next(_serial)}.csv",
                source="信用中国",
                imported_by=county,
                jurisdiction=place("410311"),
                rows_total=3,
                rows_imported=2,
                errors=[{"line": 3, "message": "统一社会信用代码无效"}],
            )
            for _ in range(count)
        )

    return make


def credit_events(demo):
    record = CreditImport.objects.create(
        file_name="信用数据.csv",
        source="信用中国",
        imported_by=demo["luoyang-county"],
        jurisdiction=place("410311"),
    )

    def make(count):
        CreditEvent.objects.bulk_create(
            CreditEvent(
                credit_code=organisation.credit_code,
                unit_name=organisation.name,
                kind=CreditEvent.Kind.TAX_VIOLATION,
                occurred_on=date(2025, 1, 1),
                source="信用中国",
                credit_import=record if index % 2 else None,
            )
            for index, organisation in enumerate(units(count))
        )

    return make


def industry_references(demo):
    city = demo["luoyang-city"]

    def make(count):
        IndustryReference.objects.bulk_create(
            IndustryReference(
                jurisdiction=place("410300"),
                year=2025,
                industry=f"预算测试行业{next(_serial)}",
                values={"energy_per_unit_output": 0.5},
                source="统计年鉴",
                updated_by=city,
            )
            for _ in range(count)
        )

    return make


@pytest.mark.parametrize("url", ["/batches/", "/api/batches/"])
@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city", "luoyang-enterprise"])
def test_batch_lists(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, batches)


@pytest.mark.parametrize("url", ["/pool/", "/api/pool/"])
@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city"])
def test_pool_lists(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, candidates(demo))


@pytest.mark.parametrize("url", ["/credit/imports/", "/api/credit-imports/"])
def test_credit_import_lists(client, demo, url):
    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, url, credit_imports(demo))


@pytest.mark.parametrize("url", ["/credit/events/", "/api/credit-events/"])
def test_credit_event_lists(client, demo, url):
    client.force_login(demo["luoyang-county"])
    assert_flat_queries(client, url, credit_events(demo))


@pytest.mark.parametrize("url", ["/industry-references/", "/api/industry-references/"])
def test_industry_reference_lists(client, demo, url):
    client.force_login(demo["luoyang-county"])
    assert_flat_queries(client, url, industry_references(demo))


@pytest.mark.parametrize("url", ["/applications/", "/api/applications/"])
@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city", "henan"])
def test_application_inboxes(client, demo, url, username):
    batch = city_batch()
    client.force_login(demo[username])
    assert_flat_queries(client, url, lambda count: applications(count, batch=batch))


@pytest.mark.parametrize("url", ["/applications/", "/api/applications/"])
def test_the_applicants_own_applications(client, demo, url):
    batch = city_batch()
    user = demo["luoyang-enterprise"]
    client.force_login(user)
    assert_flat_queries(
        client,
        url,
        lambda count: applications(
            count, batch=batch, organisation=user.organisation, status="draft"
        ),
    )


@pytest.mark.parametrize("url", ["/applications/", "/api/applications/"])
def test_the_agencys_engagements_as_applications(client, demo, url):
    batch = city_batch()
    agency = demo["luoyang-agency"]
    client.force_login(agency)
    assert_flat_queries(
        client,
        url,
        lambda count: applications(
            count, batch=batch, agency=agency.organisation, evaluation_mode="third_party"
        ),
    )


def supporting_documents(application):
    """Supporting materials of ``application``, each with two versions (the second current)."""

    def make(count):
        made = Document.objects.bulk_create(
            Document(
                application=application,
                kind=Document.Kind.SUPPORTING,
                title=f"证明材料{next(_serial)}",
            )
            for _ in range(count)
        )
        versions = DocumentVersion.objects.bulk_create(
            DocumentVersion(
                document=document,
                number=number,
                file=f"applications/{application.pk}/{document.pk}/{number:064d}.pdf",
                original_name=f"{document.title}.pdf",
                extension="pdf",
                content_type="application/pdf",
                size=2048,
                sha256=f"{number:064d}",
                pages=1,
                uploaded_by=application.created_by,
            )
            for document in made
            for number in (1, 2)
        )
        for document, version in zip(made, versions[1::2], strict=True):
            document.current = version
        Document.objects.bulk_update(made, ["current"])

    return make


def test_an_applications_documents_api(client, demo):
    user = demo["luoyang-enterprise"]
    [application] = applications(1, organisation=user.organisation, status="draft")
    client.force_login(user)

    def shown(response):
        rows = response.json()
        assert all(len(row["versions"]) == 2 for row in rows)
        return Shown(len(rows), len(rows), len(rows) or 1)

    assert_flat_queries(
        client,
        f"/api/applications/{application.pk}/documents/",
        supporting_documents(application),
        count=shown,
    )


@pytest.mark.parametrize("username", ["luoyang-enterprise", "luoyang-county"])
def test_an_applications_page_with_its_documents(client, demo, username):
    owner = demo["luoyang-enterprise"]
    [application] = applications(1, organisation=owner.organisation)

    def shown(response):
        rows = list(response.context["documents"])
        return Shown(len(rows), len(rows), len(rows) or 1)

    client.force_login(demo[username])
    assert_flat_queries(
        client,
        f"/applications/{application.pk}/?tab=documents",
        supporting_documents(application),
        count=shown,
    )


@pytest.mark.parametrize("url", ["/applications/", "/api/applications/"])
def test_the_experts_assigned_applications(client, demo, url):
    batch = city_batch()
    expert, city = demo["luoyang-expert"], demo["luoyang-city"]

    def make(count):
        ExpertAssignment.objects.bulk_create(
            ExpertAssignment(application=application, expert=expert, assigned_by=city)
            for application in applications(count, batch=batch, status="expert_review")
        )

    client.force_login(expert)
    assert_flat_queries(client, url, make)


@pytest.mark.parametrize("url", ["/applications/", "/api/applications/"])
def test_the_consulted_departments_applications(client, demo, url):
    batch = city_batch()
    department, county = demo["luoyang-env"], demo["luoyang-county"]

    def make(count):
        OpinionRequest.objects.bulk_create(
            OpinionRequest(
                application=application, department=department.organisation, requested_by=county
            )
            for application in applications(count, batch=batch, status="county_review")
        )

    client.force_login(department)
    assert_flat_queries(client, url, make)
