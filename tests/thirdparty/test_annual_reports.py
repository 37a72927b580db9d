"""评价机构年度工作情况报告 (大连 附件10): the agency submits one PDF a year, each resubmission a
new kept version; after a batch's report deadline the officials see the engaged agencies that
have not reported."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import NotPermitted
from tests.applications.helpers import pdf_bytes, pdf_upload
from tests.factories import ApplicationFactory, EngagementFactory, OrganisationFactory
from thirdparty.models import AnnualReport, Engagement
from thirdparty.selectors.annual import missing_reports
from thirdparty.services.annual import annual_report_submit

from .helpers import batch_of, qualified_agency
from .test_blacklist_pages import engaged

pytestmark = pytest.mark.django_db
SUMMARY = "本年度共承担绿色工厂评价 12 项，新增高级职称评价人员 2 名。"
MINE = reverse("thirdparty:annual-mine")
MISSING = reverse("thirdparty:annual-missing")
LIST = reverse("thirdparty:annual-list")


def today() -> datetime.date:
    return timezone.localdate()


def staff(agency):
    return agency.users.get()


def submit(agency, *, year=None, projects=12, summary=SUMMARY, upload=None):
    return annual_report_submit(
        actor=staff(agency),
        year=year or today().year,
        projects=projects,
        summary=summary,
        uploaded=upload or pdf_upload("2026年度工作情况报告.pdf"),
    )


def post_report(client, agency, **data):
    client.force_login(staff(agency))
    payload = {
        "year": today().year,
        "projects": 12,
        "summary": SUMMARY,
        "file": pdf_upload("年度报告.pdf"),
        **data,
    }
    return client.post(MINE, {k: v for k, v in payload.items() if v is not None})


def deadline_batch(days: int, city: str = "luoyang"):
    """A batch whose report deadline is ``days`` from today (negative: already passed)."""
    return batch_of(city, agency_report_deadline=today() + datetime.timedelta(days=days))


# --- submitting -----------------------------------------------------------------------------


def test_the_agency_submits_and_resubmits_keeping_every_version(client, demo):
    agency = qualified_agency()

    first = post_report(client, agency)
    assert first.status_code == 302
    second = post_report(client, agency, projects=13, file=pdf_upload("修订版.pdf", pages=2))
    assert second.status_code == 302

    reports = list(AnnualReport.objects.filter(agency=agency).order_by("number"))
    assert [(r.year, r.number, r.projects) for r in reports] == [
        (today().year, 1, 12),
        (today().year, 2, 13),
    ]
    assert reports[1].sha256 == hashlib.sha256(pdf_bytes(2)).hexdigest()
    assert reports[1].original_name == "修订版.pdf" and reports[1].size == len(pdf_bytes(2))
    assert reports[0].file.name != reports[1].file.name
    assert reports[0].file.storage.exists(reports[0].file.name)  # the first one is kept
    trail = AuditEntry.objects.filter(
        object_id__in=[str(r.pk) for r in reports], action__in=["submit", "resubmit"]
    )
    assert dict(trail.values_list("object_id", "action")) == {
        str(reports[0].pk): "submit",
        str(reports[1].pk): "resubmit",
    }
    html = client.get(MINE).content.decode()
    assert "第 1 版" in html and "第 2 版" in html and "修订版.pdf" in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"file": SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)}, "file"),
        ({"file": SimpleUploadedFile("假.pdf", b"not a pdf")}, "file"),
        ({"file": None}, "file"),
        ({"summary": ""}, "summary"),
        ({"projects": -1}, "projects"),
        ({"year": 2099}, "year"),
    ],
    ids=["png", "fake-pdf", "no-file", "no-summary", "negative", "future-year"],
)
def test_the_form_shows_errors_by_field_and_keeps_what_was_typed(client, demo, data, field):
    agency = qualified_agency()

    response = post_report(client, agency, **data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    if field != "summary":
        assert SUMMARY in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_the_size_limit_applies(demo, monkeypatch):
    monkeypatch.setattr("thirdparty.services.annual.REPORT_MAX_BYTES", 100)
    with pytest.raises(ValidationError) as error:
        submit(qualified_agency())
    assert "file" in error.value.message_dict and "上限" in error.value.message_dict["file"][0]


@pytest.mark.parametrize("who", ["luoyang-city", "luoyang-enterprise", "luoyang-expert"])
def test_only_agency_staff_submit(client, demo, who):
    with pytest.raises(NotPermitted):
        annual_report_submit(
            actor=demo[who], year=today().year, projects=1, summary=SUMMARY, uploaded=pdf_upload()
        )
    client.force_login(demo[who])
    assert client.get(MINE).status_code == 403


# --- downloading ------------------------------------------------------------------------------


def test_the_report_is_downloaded_by_its_agency_and_the_officials_overseeing_it(client, demo):
    agency = qualified_agency()  # registered in 洛阳
    report = submit(agency)
    url = reverse("thirdparty:annual-download", args=[report.pk])

    def status(user):
        client.force_login(user)
        return client.get(url).status_code

    assert status(staff(agency)) == 200
    assert status(demo["luoyang-city"]) == 200
    assert status(demo["henan"]) == 200
    for outsider in ("jinan-city", "jinan-agency", "luoyang-county", "luoyang-enterprise"):
        assert status(demo[outsider]) == 404, outsider
    engaged(agency)  # now it evaluates in 洛龙区
    assert status(demo["luoyang-county"]) == 200
    client.force_login(staff(agency))
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()
    client.logout()
    assert client.get(url).status_code == 302


def test_officials_list_the_reports_in_scope(client, demo):
    ours = qualified_agency()
    theirs = qualified_agency(city_key="370100")
    submit(ours)
    latest = submit(ours, projects=15)
    submit(theirs)
    client.force_login(demo["luoyang-city"])

    response = client.get(LIST)
    assert {r.agency_id for r in response.context["reports"]} == {ours.pk}
    assert len(response.context["reports"]) == 2
    only_latest = client.get(LIST, {"latest": "on"}).context["reports"]
    assert [r.pk for r in only_latest] == [latest.pk]
    export = client.get(LIST, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][0] == "评价机构" and len(rows) == 3
    client.force_login(staff(ours))
    assert client.get(LIST).status_code == 302  # the agency's own page instead
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(LIST).status_code == 403


# --- what is due, and who is missing ----------------------------------------------------------


def test_the_agency_sees_the_years_due_with_their_deadlines(client, demo):
    agency = qualified_agency()
    batch = deadline_batch(-1)
    engaged(agency, batch=batch)
    client.force_login(staff(agency))

    response = client.get(MINE)
    [row] = response.context["due"]
    assert row["year"] == batch.year and row["deadline"] == batch.agency_report_deadline
    assert row["overdue"] and row["report"] is None
    html = response.content.decode()
    assert batch.agency_report_deadline.strftime("%Y-%m-%d") in html and "已逾期" in html

    submit(agency, year=batch.year)
    [row] = client.get(MINE).context["due"]
    assert not row["overdue"] and row["report"].number == 1


def test_the_missing_list_before_and_after_the_deadline(client, demo):
    agency = qualified_agency()
    batch = deadline_batch(0)  # the deadline is today: still time
    engaged(agency, batch=batch)
    client.force_login(demo["luoyang-city"])

    assert list(client.get(MISSING).context["rows"]) == []
    assert batch in client.get(MISSING).context["upcoming"]

    batch.agency_report_deadline = today() - datetime.timedelta(days=1)
    batch.save(update_fields=["agency_report_deadline"])
    [row] = client.get(MISSING).context["rows"]
    assert (row["agency_id"], row["batch_id"], row["engagements"]) == (agency.pk, batch.pk, 1)
    assert agency.name in client.get(MISSING).content.decode()

    submit(agency, year=batch.year - 1)  # another year's report does not count
    assert len(client.get(MISSING).context["rows"]) == 1
    submit(agency, year=batch.year)
    assert list(client.get(MISSING).context["rows"]) == []


def test_a_withdrawn_engagement_owes_no_report(demo):
    agency = qualified_agency()
    batch = deadline_batch(-5)
    application, _applicant = engaged(agency, batch=batch)
    Engagement.objects.filter(application=application).update(status="withdrawn")

    assert list(missing_reports(user=demo["luoyang-city"])) == []


def test_the_missing_list_is_scoped_by_batch(client, demo):
    agency = qualified_agency()
    luoyang = deadline_batch(-1)
    engaged(agency, batch=luoyang)
    jinan = deadline_batch(-1, city="jinan")
    engaged(agency, county="jinan", batch=jinan)

    def batches(who, **params):
        client.force_login(demo[who])
        response = client.get(MISSING, params)
        assert response.status_code == 200
        return {row["batch_id"] for row in response.context["rows"]}

    assert batches("luoyang-city") == {luoyang.pk}
    assert batches("henan") == {luoyang.pk}
    assert batches("jinan-city") == {jinan.pk}
    assert batches("nation") == {luoyang.pk, jinan.pk}
    assert batches("luoyang-county") == set()  # the county organises no batch
    assert batches("nation", batch=jinan.pk) == {jinan.pk}
    client.force_login(demo["luoyang-agency"])
    assert client.get(MISSING).status_code == 403


def test_the_missing_list_exports(client, demo):
    agency = qualified_agency()
    batch = deadline_batch(-1)
    engaged(agency, batch=batch)
    engaged(agency, batch=batch)
    client.force_login(demo["luoyang-city"])

    response = client.get(MISSING, {"export": "xlsx"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("评价机构", "统一社会信用代码", "批次")
    assert rows[1][0] == agency.name and rows[1][2] == batch.title and rows[1][5] == 2


# --- queries ----------------------------------------------------------------------------------


def engage_directly(agency, batch, count):
    """Active engagements without the cap's bookkeeping: the list only reads them."""
    for _ in range(count):
        organisation = OrganisationFactory()
        application = ApplicationFactory(batch=batch, organisation=organisation, agency=agency)
        EngagementFactory(
            agency=agency,
            application=application,
            batch=batch,
            year=batch.year,
            counted=True,
            created_by=application.created_by,
        )


def test_the_list_pages_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    batch = deadline_batch(-1)
    city = demo["luoyang-city"]

    def arrange(count):
        for _ in range(count):
            agency = qualified_agency()
            engage_directly(agency, batch, 1)
            submit(agency, year=batch.year - 1)  # a report, but not for the batch's year

    arrange(5)
    client.force_login(city)
    with django_assert_max_num_queries(20) as missing_page:
        assert len(client.get(MISSING).context["rows"]) == 5
    with django_assert_max_num_queries(20) as list_page:
        assert len(client.get(LIST).context["reports"]) == 5
    arrange(45)
    with django_assert_max_num_queries(len(missing_page.captured_queries)):
        assert len(client.get(MISSING).context["rows"]) == 25
    with django_assert_max_num_queries(len(list_page.captured_queries)):
        assert len(client.get(LIST).context["reports"]) == 25


def test_the_agency_page_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    agency = qualified_agency()
    client.force_login(staff(agency))
    for year in range(2021, 2026):
        submit(agency, year=year)
    with django_assert_max_num_queries(20) as small:
        assert client.get(MINE).status_code == 200
    for year in range(2000, 2021):
        submit(agency, year=year)
        submit(agency, year=year)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(MINE).status_code == 200
