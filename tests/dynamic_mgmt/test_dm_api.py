"""动态管理 API: change reports, incidents, removal proposals and their decision, and the grades,
through the pages' services and with the pages' permissions and scopes."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dynamic_mgmt.models import AnnualTable, ChangeReport, Incident
from dynamic_mgmt.services import grade as grade_services
from registry.models import Listing, RemovalProposal
from tests.dynamic_mgmt.dm_helpers import demo_listing, listing_of, pinned_today, unit_user
from tests.factories import AnnualTableFactory, RemovalProposalFactory

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_a_change_is_reported_reviewed_and_confirmed(api, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    created = as_user(api, demo["luoyang-enterprise"]).post(
        "/api/change-reports/",
        {
            "listing": listing.pk,
            "kind": "name",
            "new_value": "洛阳新绿制造有限公司",
            "formalities_on": "2026-10-01",
            "description": "更名",
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    # 洛阳 第十九条: one month ends on Sunday 1 November, so on Monday 2 November
    # (民法典 第二百零三条).
    assert body["late"] is True and body["due_on"] == "2026-11-02" and body["status"] == "submitted"
    assert body["terms"]["article"] == "第十九条"
    assert body["terms"]["period_note"] == "11月1日为休息日，依民法典第二百零三条顺延至11月2日"
    url = f"/api/change-reports/{body['id']}/transition/"

    early = as_user(api, demo["luoyang-city"]).post(url, {"action": "approve"}, format="json")
    assert early.status_code == 400 and early.json()["code"] == "county_review_pending"
    as_user(api, demo["luoyang-county"]).post(
        url, {"action": "county_review", "comment": "属实"}, format="json"
    )
    done = as_user(api, demo["luoyang-city"]).post(url, {"action": "approve"}, format="json")

    assert done.status_code == 200 and done.json()["status"] == "approved"
    listing.refresh_from_db()
    assert listing.unit_name == "洛阳新绿制造有限公司"


def test_change_reports_are_scoped(api, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    refused = as_user(api, demo["luoyang-enterprise2"]).post(
        "/api/change-reports/",
        {
            "listing": listing.pk,
            "kind": "name",
            "new_value": "别人的名字",
            "formalities_on": "2026-11-01",
            "description": "越权",
        },
        format="multipart",
    )
    assert refused.status_code == 404
    change = ChangeReport.objects.create(
        listing=listing,
        kind="name",
        new_value="新名称",
        formalities_on=D(2026, 11, 1),
        reported_on=D(2026, 11, 2),
        description="更名",
        reported_by=demo["luoyang-enterprise"],
    )
    assert as_user(api, demo["jinan-city"]).get("/api/change-reports/").json()["count"] == 0
    response = api.post(
        f"/api/change-reports/{change.pk}/transition/", {"action": "approve"}, format="json"
    )
    assert response.status_code == 404
    assert as_user(api, demo["luoyang-enterprise"]).get("/api/change-reports/").json()["count"] == 1


def test_an_incident_is_recorded_and_its_proposal_decided(api, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    created = as_user(api, demo["luoyang-county"]).post(
        "/api/incidents/",
        {
            "listing": listing.pk,
            "kind": "safety",
            "occurred_on": "2026-11-20",
            "reported_on": "2026-11-24",
            "description": "重大生产安全事故",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["late"] is True
    [proposal] = api.get("/api/removal-proposals/").json()["results"]
    assert proposal["ground"] == "incident" and proposal["article"] == "第十八条(四)"
    url = f"/api/removal-proposals/{proposal['id']}/decide/"

    county = api.post(
        url, {"decision": "remove", "document_number": "洛工信〔2026〕1号"}, format="json"
    )
    assert county.status_code == 403
    decided = as_user(api, demo["luoyang-city"]).post(
        url, {"decision": "remove", "document_number": "洛工信〔2026〕1号"}, format="json"
    )

    assert decided.status_code == 200
    assert decided.json()["status"] == "removed" and decided.json()["listing_status"] == "removed"
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED


def test_incidents_are_for_officials_of_the_unit(api, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    payload = {
        "listing": listing.pk,
        "kind": "safety",
        "occurred_on": "2026-11-20",
        "description": "事故",
    }
    enterprise = as_user(api, demo["luoyang-enterprise"]).post(
        "/api/incidents/", payload, format="json"
    )
    assert enterprise.status_code == 403
    other_city = as_user(api, demo["jinan-county"]).post("/api/incidents/", payload, format="json")
    assert other_city.status_code == 404
    assert not Incident.objects.exists()


def test_a_keep_decision_needs_a_reason(api, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    proposal = RemovalProposalFactory(
        listing=listing, source=RemovalProposal.Source.OTHER, reason="测试"
    )
    url = f"/api/removal-proposals/{proposal.pk}/decide/"
    refused = as_user(api, demo["luoyang-city"]).post(url, {"decision": "keep"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "comment_required"
    kept = api.post(url, {"decision": "keep", "comment": "不予移出"}, format="json")
    assert kept.status_code == 200 and kept.json()["status"] == "kept"
    assert (
        as_user(api, demo["jinan-city"]).get(f"/api/removal-proposals/{proposal.pk}/").status_code
        == 404
    )


def test_grades_are_listed_with_their_basis(api, demo):
    listings = [listing_of(city="luoyang") for _ in range(3)]
    for n, listing in enumerate(listings, start=1):
        AnnualTableFactory(
            listing=listing,
            year=2027,
            indicators={"energy_per_unit": n},
            status=AnnualTable.Status.FILED,
            filed_at=timezone.now(),
        )
    grade_services.grade_year(year=2027)

    body = as_user(api, demo["luoyang-city"]).get("/api/green-grades/?year=2027").json()
    assert body["count"] == 3
    best = body["results"][0]
    assert best["grade"] == "A+" and best["rank"] == 1 and best["level"] == "city"
    assert "energy_per_unit" in best["basis"]["indicators"]
    assert as_user(api, demo["jinan-city"]).get("/api/green-grades/").json()["count"] == 0
    own = as_user(api, unit_user(listings[1])).get("/api/green-grades/").json()
    assert [g["listing"] for g in own["results"]] == [listings[1].pk]


def _rows(count: int, reporter) -> None:
    for _ in range(count):
        listing = listing_of(city="luoyang")
        ChangeReport.objects.create(
            listing=listing,
            kind="name",
            new_value="新名称",
            formalities_on=D(2026, 11, 1),
            reported_on=D(2026, 11, 2),
            description="更名",
            reported_by=unit_user(listing),
        )
        Incident.objects.create(
            listing=listing,
            kind="quality",
            occurred_on=D(2026, 11, 1),
            reported_on=D(2026, 11, 2),
            description="质量事故",
            reported_by=reporter,
        )
        RemovalProposalFactory(listing=listing, source=RemovalProposal.Source.OTHER, reason="测试")
        AnnualTableFactory(
            listing=listing,
            year=2027,
            indicators={"energy_per_unit": 1},
            status=AnnualTable.Status.FILED,
        )
    grade_services.grade_year(year=2027)


@pytest.mark.parametrize(
    "endpoint",
    ["/api/change-reports/", "/api/incidents/", "/api/removal-proposals/", "/api/green-grades/"],
)
def test_list_endpoints_queries_do_not_grow(api, demo, endpoint, django_assert_max_num_queries):
    as_user(api, demo["luoyang-city"])
    _rows(5, demo["luoyang-county"])
    with django_assert_max_num_queries(10) as small:
        assert api.get(endpoint).status_code == 200
    _rows(45, demo["luoyang-county"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(endpoint).json()["count"] == 50
