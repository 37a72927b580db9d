"""年度工作情况报告 API: agency staff list and submit their own (multipart PDF), officials list
those in scope and ``GET /api/annual-reports/missing/?batch=`` after the deadline."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from tests.applications.helpers import pdf_upload
from tests.problems import field_errors

from .helpers import batch_of, qualified_agency
from .test_annual_reports import SUMMARY, engage_directly, staff, submit
from .test_blacklist_pages import engaged

pytestmark = pytest.mark.django_db
URL = "/api/annual-reports/"
MISSING = "/api/annual-reports/missing/"


def today() -> datetime.date:
    return timezone.localdate()


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def payload(**changes):
    return {
        "year": today().year,
        "projects": 8,
        "summary": SUMMARY,
        "file": pdf_upload("年度报告.pdf"),
        **changes,
    }


def test_agency_staff_submit_and_list_their_own_versions(demo):
    agency = qualified_agency()
    other = qualified_agency()
    submit(other)
    api = as_user(staff(agency))

    first = api.post(URL, payload(), format="multipart")
    second = api.post(URL, payload(projects=9), format="multipart")

    assert first.status_code == 201 and second.status_code == 201, second.json()
    assert (first.json()["number"], second.json()["number"]) == (1, 2)
    assert len(second.json()["sha256"]) == 64
    rows = api.get(URL).json()["results"]
    assert [row["number"] for row in rows] == [2, 1]
    assert {row["agency"] for row in rows} == {agency.pk}
    download = api.get(f"{URL}{rows[0]['id']}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    theirs = other.annual_reports.get()
    assert api.get(f"{URL}{theirs.pk}/download/").status_code == 404


def test_submission_errors_name_their_fields(demo):
    api = as_user(staff(qualified_agency()))

    image = api.post(
        URL,
        payload(file=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16)),
        format="multipart",
    )
    assert image.status_code == 400 and "file" in field_errors(image)
    future = api.post(URL, payload(year=today().year + 1), format="multipart")
    assert future.status_code == 400 and "year" in field_errors(future)
    no_file = payload()
    del no_file["file"]
    assert "file" in field_errors(api.post(URL, no_file, format="multipart"))


@pytest.mark.parametrize("who", ["luoyang-city", "luoyang-enterprise"])
def test_only_agency_staff_submit(demo, who):
    response = as_user(demo[who]).post(URL, payload(), format="multipart")

    assert response.status_code == 403


def test_officials_list_the_reports_of_agencies_in_scope(demo):
    ours = qualified_agency()
    theirs = qualified_agency(city_key="370100")
    submit(ours)
    submit(theirs)

    ids = {row["agency"] for row in as_user(demo["luoyang-city"]).get(URL).json()["results"]}
    assert ids == {ours.pk}
    assert as_user(demo["luoyang-expert"]).get(URL).status_code == 403
    assert APIClient().get(URL).status_code in (401, 403)


def test_missing_reports_after_the_deadline(demo):
    agency = qualified_agency()
    batch = batch_of("luoyang", agency_report_deadline=today())
    engaged(agency, batch=batch)
    api = as_user(demo["luoyang-city"])

    assert api.get(MISSING, {"batch": batch.pk}).json()["count"] == 0  # the deadline is today

    batch.agency_report_deadline = today() - datetime.timedelta(days=1)
    batch.save(update_fields=["agency_report_deadline"])
    [row] = api.get(MISSING, {"batch": batch.pk}).json()["results"]
    assert row == {
        "batch": batch.pk,
        "batch_title": batch.title,
        "deadline": batch.agency_report_deadline.isoformat(),
        "year": batch.year,
        "agency": agency.pk,
        "agency_name": agency.name,
        "agency_credit_code": agency.credit_code,
        "engagements": 1,
    }
    assert api.get(MISSING).json()["count"] == 1

    submit(agency, year=batch.year)
    assert api.get(MISSING, {"batch": batch.pk}).json()["count"] == 0


def test_missing_reports_are_for_officials_in_scope(demo):
    batch = batch_of("luoyang", agency_report_deadline=today() - datetime.timedelta(days=1))
    engaged(qualified_agency(), batch=batch)

    assert as_user(demo["jinan-city"]).get(MISSING, {"batch": batch.pk}).status_code == 404
    assert as_user(demo["jinan-city"]).get(MISSING).json()["count"] == 0
    assert as_user(demo["henan"]).get(MISSING).json()["count"] == 1
    assert as_user(demo["luoyang-agency"]).get(MISSING).status_code == 403
    assert as_user(demo["luoyang-city"]).get(MISSING, {"batch": "x"}).status_code == 400


def test_the_api_lists_queries_do_not_grow(demo, django_assert_max_num_queries):
    batch = batch_of("luoyang", agency_report_deadline=today() - datetime.timedelta(days=1))
    api = as_user(demo["luoyang-city"])

    def arrange(count):
        for _ in range(count):
            agency = qualified_agency()
            engage_directly(agency, batch, 1)
            submit(agency, year=batch.year - 1)

    arrange(5)
    with django_assert_max_num_queries(20) as missing:
        assert api.get(MISSING).json()["count"] == 5
    with django_assert_max_num_queries(20) as listed:
        assert api.get(URL).json()["count"] == 5
    arrange(45)
    with django_assert_max_num_queries(len(missing.captured_queries)):
        assert len(api.get(MISSING).json()["results"]) == 50
    with django_assert_max_num_queries(len(listed.captured_queries)):
        assert len(api.get(URL).json()["results"]) == 50
