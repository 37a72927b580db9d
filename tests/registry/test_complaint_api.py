"""举报 API: the public files (multipart) and reads the status by code without an account,
rate-limited; officials list, read, verify and close the complaints of their subtree; the
complainant's identity and the evidence only for the officials who handle the complaint."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from greenmfg.audit.selectors import audit_entries_for
from registry.api.complaint import ComplaintViewSet, PublicComplaintViewSet
from registry.models import Complaint, ComplaintEvidence, RemovalProposal
from registry.services import complaint as services
from tests.applications.helpers import pdf_upload
from tests.problems import field_errors
from thirdparty.models import BlacklistEntry

from .test_complaint_filing import (  # noqa: F401 - the autouse fixture clears the rate limits
    MATTER,
    _fresh_rate_limits,
    demo_agency,
    file_complaint,
    listed_unit,
    png,
)
from .test_complaint_handling import NOTE, blacklist_proposed, close, make_complaints, verifying

pytestmark = pytest.mark.django_db
PUBLIC = "/api/public/complaints/"
IDENTITY_KEYS = {"name", "id_or_organisation", "phone", "email", "complainant"}


@pytest.fixture
def api():
    return APIClient()


def payload(listing=None, **overrides) -> dict:
    data = {
        "subject": "listing",
        "listing": listing.pk if listing else "",
        "channel": "county",
        "name": "王举报",
        "id_or_organisation": "洛阳市某某机械厂",
        "phone": "13800001234",
        "content": MATTER,
    }
    data.update(overrides)
    return data


# --- the public ----------------------------------------------------------------------------------


def test_the_public_files_a_complaint_with_evidence(api, demo):
    listing = listed_unit()

    response = api.post(
        PUBLIC,
        {**payload(listing, channel="city"), "evidence": [pdf_upload(), png()]},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["tracking_code"] == complaint.tracking_code
    assert body["status"] == "received" and body["subject_name"] == listing.unit_name
    assert complaint.handling_jurisdiction.key == "410300"
    assert ComplaintEvidence.objects.filter(complaint=complaint).count() == 2
    assert not IDENTITY_KEYS & set(body)


def test_an_agency_complaint_through_the_api(api, demo):
    agency = demo_agency(demo)

    response = api.post(PUBLIC, payload(subject="agency", agency=agency.pk), format="multipart")

    assert response.status_code == 201
    assert Complaint.objects.get().handling_jurisdiction == agency.jurisdiction


@pytest.mark.parametrize("field", ["name", "id_or_organisation", "phone"])
def test_an_anonymous_complaint_is_refused_with_the_reason(api, demo, field):
    response = api.post(PUBLIC, payload(listed_unit(), **{field: ""}), format="multipart")

    assert response.status_code == 400
    assert "实名举报" in " ".join(field_errors(response)[field])
    assert "第二十一条" in " ".join(field_errors(response)[field])
    assert Complaint.objects.count() == 0


def test_bad_evidence_and_short_matters_are_refused(api, demo):
    listing = listed_unit()
    bad = api.post(
        PUBLIC,
        {**payload(listing), "evidence": [png(), *[png(f"{n}.png") for n in range(5)]]},
        format="multipart",
    )
    short = api.post(PUBLIC, payload(listing, content="太短"), format="multipart")
    unknown = api.post(PUBLIC, {**payload(listing), "listing": 999999}, format="multipart")

    assert bad.status_code == 400 and "最多 5 个文件" in " ".join(field_errors(bad)["evidence"])
    assert short.status_code == 400 and "content" in field_errors(short)
    assert unknown.status_code == 400 and "listing" in field_errors(unknown)
    assert Complaint.objects.count() == 0


def test_the_status_by_code_shows_the_outcome_and_no_identity(api, demo):
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())
    internal = "内部：约谈企业负责人"
    services.complaint_verify(complaint=complaint, actor=county, comment=internal)
    close(complaint, county)

    response = api.get(f"{PUBLIC}{complaint.tracking_code.lower()}/")
    missing = api.get(f"{PUBLIC}ZZZZZZZZZZ/")

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["outcome"], body["outcome_note"]) == ("closed", "unfounded", NOTE)
    assert [step["label"] for step in body["steps"]][:2] == ["受理举报", "开始核实"]
    assert internal not in str(body) and "王举报" not in str(body)
    assert not IDENTITY_KEYS & set(body)
    assert missing.status_code == 404


def test_the_public_endpoints_need_no_account_and_are_throttled(api, demo):
    assert PublicComplaintViewSet.authentication_classes == []
    assert PublicComplaintViewSet.throttle_classes == [AnonRateThrottle]
    api.force_authenticate(user=None)
    assert api.get(f"{PUBLIC}ZZZZZZZZZZ/").status_code == 404


# --- the officials -----------------------------------------------------------------------------


def test_officials_list_their_subtrees_complaints_without_identity(api, demo):
    mine = file_complaint(listed_unit())
    theirs = file_complaint(listed_unit(county_key="410307"))
    api.force_authenticate(demo["luoyang-county"])

    rows = api.get("/api/complaints/").json()["results"]

    assert [row["tracking_code"] for row in rows] == [mine.tracking_code]
    assert not IDENTITY_KEYS & set(rows[0])
    api.force_authenticate(demo["luoyang-city"])
    codes = {row["tracking_code"] for row in api.get("/api/complaints/").json()["results"]}
    assert codes == {mine.tracking_code, theirs.tracking_code}


def test_the_complainant_only_for_the_handling_officials(api, demo):
    complaint = file_complaint(listed_unit())
    url = f"/api/complaints/{complaint.pk}/"

    api.force_authenticate(demo["luoyang-county"])
    handler = api.get(url).json()
    api.force_authenticate(demo["admin"])
    admin = api.get(url).json()
    api.force_authenticate(demo["luoyang-county2"])
    stranger = api.get(url)
    api.force_authenticate(demo["luoyang-enterprise"])
    applicant = api.get(url)

    assert handler["complainant"]["name"] == "王举报" and len(handler["evidence"]) == 1
    assert handler["may_handle"] is True
    assert admin["complainant"] is None and admin["evidence"] == []
    assert admin["may_handle"] is False
    assert stranger.status_code == 404
    assert applicant.status_code == 403


def test_evidence_download_only_for_the_handling_officials(api, demo):
    complaint = file_complaint(listed_unit())
    evidence = ComplaintEvidence.objects.get()
    url = f"/api/complaints/{complaint.pk}/evidence/{evidence.pk}/"

    api.force_authenticate(demo["luoyang-city"])
    download = api.get(url)
    api.force_authenticate(demo["admin"])
    refused = api.get(url)

    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert refused.status_code == 403


def test_verify_and_close_through_the_api(api, demo):
    listing = listed_unit()
    complaint = file_complaint(listing)
    api.force_authenticate(demo["luoyang-county"])

    verified = api.post(
        f"/api/complaints/{complaint.pk}/verify/", {"comment": "转交执法科"}, format="json"
    )
    missing = api.post(
        f"/api/complaints/{complaint.pk}/close/",
        {"outcome": "rectification", "note": NOTE},
        format="json",
    )
    closed = api.post(
        f"/api/complaints/{complaint.pk}/close/",
        {"outcome": "removal_proposed", "note": NOTE},
        format="json",
    )
    again = api.post(
        f"/api/complaints/{complaint.pk}/close/",
        {"outcome": "unfounded", "note": NOTE},
        format="json",
    )

    assert verified.status_code == 200 and verified.json()["status"] == "verifying"
    assert missing.status_code == 400 and "rectification_deadline" in field_errors(missing)
    assert closed.status_code == 200, closed.json()
    assert closed.json()["outcome"] == "removal_proposed"
    assert len(closed.json()["removal_proposals"]) == 1
    assert again.status_code == 400 and again.json()["code"] == "invalid_transition"
    assert RemovalProposal.objects.filter(complaint=complaint).count() == 1


def test_other_officials_cannot_act_through_the_api(api, demo):
    complaint = file_complaint(listed_unit(), channel="city")

    api.force_authenticate(demo["luoyang-county"])
    assert api.post(f"/api/complaints/{complaint.pk}/verify/", format="json").status_code == 404
    api.force_authenticate(demo["admin"])
    refused = api.post(f"/api/complaints/{complaint.pk}/verify/", format="json")

    assert refused.status_code == 403
    assert Complaint.objects.get().status == Complaint.Status.RECEIVED


def test_a_rectification_deadline_in_the_future(api, demo):
    county = demo["luoyang-county"]
    complaint = verifying(file_complaint(listed_unit()), county)
    api.force_authenticate(county)
    deadline = timezone.localdate() + datetime.timedelta(days=30)

    past = api.post(
        f"/api/complaints/{complaint.pk}/close/",
        {"outcome": "rectification", "note": NOTE, "rectification_deadline": "2000-01-01"},
        format="json",
    )
    ok = api.post(
        f"/api/complaints/{complaint.pk}/close/",
        {"outcome": "rectification", "note": NOTE, "rectification_deadline": deadline},
        format="json",
    )

    assert past.status_code == 400
    assert ok.status_code == 200 and ok.json()["rectification_deadline"] == deadline.isoformat()


def test_linking_a_blacklist_decision_through_the_api(api, demo):
    city = demo["luoyang-city"]
    complaint = blacklist_proposed(demo)
    entry = BlacklistEntry.objects.create(
        agency=complaint.agency,
        authority=city.organisation,
        jurisdiction=city.organisation.jurisdiction,
        reason="经核实举报反映的问题属实，决定列入黑名单。",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=3 * 365),
        size=0,
        created_by=city,
    )
    api.force_authenticate(city)

    response = api.post(
        f"/api/complaints/{complaint.pk}/blacklist-entry/", {"entry": entry.pk}, format="json"
    )
    twice = api.post(
        f"/api/complaints/{complaint.pk}/blacklist-entry/", {"entry": entry.pk}, format="json"
    )

    assert response.status_code == 200 and response.json()["blacklist_entries"] == [entry.pk]
    assert twice.status_code == 200
    assert audit_entries_for(subject=complaint).filter(action="blacklist_linked").count() == 1


def test_the_api_list_queries_do_not_grow_with_the_rows(api, demo, django_assert_max_num_queries):
    make_complaints(listed_unit(), 5)
    api.force_authenticate(demo["luoyang-city"])
    with django_assert_max_num_queries(20) as few:
        assert api.get("/api/complaints/").status_code == 200

    make_complaints(listed_unit(), 45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/complaints/")
    assert response.json()["count"] == 50


def test_the_officials_endpoint_is_for_officials(api, demo):
    assert ComplaintViewSet.permission_classes[0].__name__ == "IsOfficial"
    assert api.get("/api/complaints/").status_code in (401, 403)
