"""现场核查: the batch authority records a visit, and a failed latest visit blocks passing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from reviews.models import OnsiteCheck
from reviews.selectors.sheet import decision_preview
from reviews.services.sheet import decide_pass_refusals, onsite_check_record
from tests.applications.helpers import pdf_upload
from tests.reviews.test_sheets import (
    boundary_application,
    boundary_template,  # noqa: F401 (a fixture, used by name)
    reviewing_application,
    submit_scores,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def record(application, actor, *, passed=True, days_ago=1, **kwargs):
    return onsite_check_record(
        application=application,
        actor=actor,
        visited_on=TODAY - datetime.timedelta(days=days_ago),
        team=kwargs.pop("team", "张工、李工"),
        findings=kwargs.pop("findings", "能源计量器具配备齐全" if passed else "未见余热利用设施"),
        passed=passed,
        **kwargs,
    )


def test_authority_records_a_visit_with_its_file(demo):
    application, _assignments = reviewing_application(demo, status="onsite_check")

    check = record(application, demo["luoyang-city"], uploaded_file=pdf_upload("核查记录.pdf"))

    assert check.extension == "pdf" and len(check.sha256) == 64
    assert check.file.name == f"onsite/{application.pk}/{check.sha256}.pdf"
    assert check.original_name == "核查记录.pdf"
    entry = AuditEntry.objects.get(object_id=str(application.pk), action="onsite_check")
    assert "通过" in entry.comment and entry.data["sha256"] == check.sha256


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "jinan-city", "luoyang-expert", "luoyang-enterprise"],
    ids=["county", "other-city", "expert", "applicant"],
)
def test_only_the_batch_authority_records_visits(demo, username):
    application, _assignments = reviewing_application(demo, status="onsite_check")

    with pytest.raises(NotPermitted, match="批次组织单位"):
        record(application, demo[username])

    assert not OnsiteCheck.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"days_ago": -1}, "visited_on"),
        ({"team": " "}, "team"),
        ({"findings": ""}, "findings"),
        (
            {"uploaded_file": SimpleUploadedFile("x.pdf", b"not a pdf at all")},
            "file",
        ),
    ],
    ids=["future-date", "no-team", "no-findings", "not-a-pdf"],
)
def test_visit_needs_its_facts(demo, kwargs, field):
    application, _assignments = reviewing_application(demo, status="onsite_check")

    with pytest.raises(ValidationError) as refusal:
        record(application, demo["luoyang-city"], **kwargs)

    assert field in refusal.value.message_dict


def test_no_visit_is_recorded_once_decided(demo):
    application, _assignments = reviewing_application(demo, status="passed")

    with pytest.raises(DomainError, match="不能录入现场核查结果"):
        record(application, demo["luoyang-city"])


@pytest.mark.usefixtures("boundary_template")
def test_a_failed_latest_visit_blocks_passing_until_a_later_one_passes(demo):
    application, assignments = boundary_application(demo, status="onsite_check")
    submit_scores(assignments, ["90", "90", "90"])
    city = demo["luoyang-city"]
    date = (TODAY - datetime.timedelta(days=2)).strftime("%Y-%m-%d")

    assert decide_pass_refusals(application=application, actor=city, comment="") == [
        "已安排现场核查，尚未录入核查结果"
    ]
    record(application, city, passed=False, days_ago=2)
    assert decide_pass_refusals(application=application, actor=city, comment="") == [
        f"现场核查（{date}）未通过：未见余热利用设施"
    ]

    record(application, city, passed=True, days_ago=0)
    preview = decision_preview(application=application)
    assert preview.passed is True
    assert preview.reasons[-1] == f"现场核查（{TODAY:%Y-%m-%d}）通过"


@pytest.mark.usefixtures("boundary_template")
def test_a_failed_visit_adds_to_a_low_score(demo):
    application, assignments = boundary_application(demo)
    submit_scores(assignments, ["70", "70", "70"])
    record(application, demo["luoyang-city"], passed=False)

    refusals = decide_pass_refusals(application=application, actor=demo["luoyang-city"], comment="")

    assert refusals[0] == "平均得分 70.00 分，未达到 80 分（含）"
    assert "未通过：未见余热利用设施" in refusals[1]


# --- The page form and the API ---


def test_authority_records_a_visit_from_the_application_page(client, demo):
    application, _assignments = reviewing_application(demo, status="onsite_check")
    client.force_login(demo["luoyang-city"])

    response = client.post(
        reverse("reviews:onsite-create", args=[application.pk]),
        {
            "visited_on": TODAY.isoformat(),
            "team": "张工",
            "findings": "现场情况与申报一致",
            "passed": "yes",
            "file": pdf_upload("记录.pdf"),
        },
    )

    assert response.status_code == 302 and response.url.endswith("?tab=onsite#onsite")
    check = OnsiteCheck.objects.get(application=application)
    assert check.passed is True and check.sha256
    download = client.get(reverse("reviews:onsite-attachment", args=[check.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    client.force_login(demo["luoyang-county"])
    assert client.get(reverse("reviews:onsite-attachment", args=[check.pk])).status_code == 404


def test_county_posting_a_visit_is_refused(client, demo):
    application, _assignments = reviewing_application(demo, status="onsite_check")
    client.force_login(demo["luoyang-county"])

    response = client.post(
        reverse("reviews:onsite-create", args=[application.pk]),
        {"visited_on": TODAY.isoformat(), "team": "张工", "findings": "略", "passed": "no"},
        follow=True,
    )

    assert "批次组织单位" in response.content.decode()
    assert not OnsiteCheck.objects.exists()
    client.force_login(demo["luoyang-county2"])
    refused = client.post(
        reverse("reviews:onsite-create", args=[application.pk]),
        {"visited_on": TODAY.isoformat(), "team": "张工", "findings": "略", "passed": "no"},
    )
    assert refused.status_code == 404


@pytest.mark.parametrize(
    ("username", "status_code"),
    [
        ("luoyang-city", 201),
        ("luoyang-county", 403),
        ("jinan-city", 404),
        ("luoyang-expert", 403),
        ("luoyang-enterprise", 403),
    ],
    ids=["authority", "county", "other-city", "expert", "applicant"],
)
def test_onsite_check_api_create(client, demo, username, status_code):
    application, _assignments = reviewing_application(demo, status="onsite_check")
    client.force_login(demo[username])

    response = client.post(
        "/api/onsite-checks/",
        {
            "application": application.pk,
            "visited_on": TODAY.isoformat(),
            "team": "张工",
            "findings": "现场与申报一致",
            "passed": "true",
            "file": pdf_upload("记录.pdf"),
        },
    )

    assert response.status_code == status_code, response.content
    assert OnsiteCheck.objects.exists() is (status_code == 201)


def test_onsite_check_api_lists_for_the_authority_only(client, demo):
    application, _assignments = reviewing_application(demo, status="onsite_check")
    check = record(application, demo["luoyang-city"])

    client.force_login(demo["luoyang-city"])
    listed = client.get("/api/onsite-checks/", {"application": application.pk}).json()
    assert [row["id"] for row in listed["results"]] == [check.pk]
    client.force_login(demo["luoyang-county"])
    assert client.get("/api/onsite-checks/").json()["results"] == []
    assert client.get(f"/api/onsite-checks/{check.pk}/").status_code == 404
