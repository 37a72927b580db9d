"""The agency portal: its own engagements only, the report upload (PDF, versions, blacklist),
the cap usage under 洛阳 第二十条 and 大连 二, and the officials' list of their subtree."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Document, DocumentVersion
from applications.services.applications import application_save_draft
from applications.services.documents import document_upload
from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Organisation
from tests.applications.helpers import pdf_bytes, pdf_upload
from tests.factories import EngagementFactory, UserFactory
from tests.thirdparty.helpers import (
    batch_of,
    draft,
    engage_many,
    name_agency,
    national_batch,
    qualified_agency,
    relate,
)
from thirdparty.models import BlacklistEntry, Engagement
from thirdparty.selectors.agencies import batch_usage, year_usage
from thirdparty.selectors.portal import agency_usage

pytestmark = pytest.mark.django_db

LIST = reverse("thirdparty:engagement-list")
USAGE = reverse("thirdparty:engagement-usage")


def engagement_of(application) -> Engagement:
    return Engagement.objects.get(application=application, status=Engagement.Status.ACTIVE)


def detail_url(engagement) -> str:
    return reverse("thirdparty:portal-engagement", args=[engagement.pk])


@pytest.fixture
def batch(demo):
    return batch_of("luoyang")


@pytest.fixture
def engaged(demo, batch):
    """A 洛阳 draft naming the demo 洛阳 agency."""
    application, applicant = draft(batch)
    assert name_agency(application, applicant, demo["luoyang-agency"].organisation) == []
    return application, applicant


# --- scoping ----------------------------------------------------------------------------------


def test_agency_sees_its_engagements_and_never_another_agencys(client, demo, batch, engaged):
    mine, _applicant = engaged
    theirs, applicant = draft(batch)
    assert name_agency(theirs, applicant, demo["jinan-agency"].organisation) == []
    client.force_login(demo["luoyang-agency"])

    body = client.get(LIST).content.decode()
    assert mine.organisation.name in body and theirs.organisation.name not in body
    assert client.get(detail_url(engagement_of(mine))).status_code == 200
    assert client.get(detail_url(engagement_of(theirs))).status_code == 404

    client.force_login(demo["jinan-agency"])
    body = client.get(LIST).content.decode()
    assert theirs.organisation.name in body and mine.organisation.name not in body


def test_another_agencys_report_cannot_be_downloaded(client, demo, batch, engaged):
    application, _applicant = engaged
    version = document_upload(
        application=application,
        actor=demo["luoyang-agency"],
        kind="third_party_report",
        uploaded_file=pdf_upload("第三方评价报告.pdf"),
    )
    url = reverse("thirdparty:portal-report-download", args=[version.pk])
    client.force_login(demo["jinan-agency"])
    assert client.get(url).status_code == 404
    client.force_login(demo["luoyang-agency"])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("username", ["luoyang-enterprise", "luoyang-expert", "luoyang-env"])
def test_applicants_experts_and_departments_are_refused(client, demo, engaged, username):
    application, _applicant = engaged
    client.force_login(demo[username])
    assert client.get(LIST).status_code == 403
    assert client.get(USAGE).status_code == 403
    assert client.get(detail_url(engagement_of(application))).status_code == 403


def test_an_expert_working_for_the_agency_sees_none_of_its_engagements(client, demo, engaged):
    application, _applicant = engaged
    expert = UserFactory(role=Role.EXPERT, organisation=demo["luoyang-agency"].organisation)
    client.force_login(expert)
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(engagement_of(application))).status_code == 403


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_portal_shows_only_what_the_agency_needs(client, demo, engaged):
    application, applicant = engaged
    document_upload(
        application=application,
        actor=applicant,
        kind="self_evaluation",
        uploaded_file=pdf_upload("企业自评价报告-机密.pdf"),
    )
    application_save_draft(application=application, actor=applicant, industry="水泥制造")
    client.force_login(demo["luoyang-agency"])
    body = client.get(detail_url(engagement_of(application))).content.decode()
    assert application.organisation.name in body and application.batch.title in body
    assert "企业自评价报告-机密.pdf" not in body and "水泥制造" not in body
    assert reverse("applications:application-detail", args=[application.pk]) not in body


def test_the_agency_is_told_of_a_new_engagement_with_a_link_to_the_portal(demo, engaged):
    notification = demo["luoyang-agency"].notifications.order_by("-id").first()
    assert notification is not None and notification.link == LIST


def test_dashboard_and_menu_lead_agency_staff_to_the_portal(client, demo, engaged):
    client.force_login(demo["luoyang-agency"])
    body = client.get(reverse("dashboard")).content.decode()
    assert LIST in body and USAGE in body
    application, _applicant = engaged
    assert reverse("applications:application-detail", args=[application.pk]) not in body


# --- the report upload ------------------------------------------------------------------------


def test_a_pdf_uploaded_from_the_portal_is_kept_with_every_version(client, demo, engaged):
    application, _applicant = engaged
    url = detail_url(engagement_of(application))
    client.force_login(demo["luoyang-agency"])
    first, second = pdf_bytes(pages=1), pdf_bytes(pages=2)

    response = client.post(url, {"file": SimpleUploadedFile("报告.pdf", first)})
    assert response.status_code == 302
    response = client.post(url, {"file": SimpleUploadedFile("报告-修订.pdf", second)})
    assert response.status_code == 302

    versions = DocumentVersion.objects.filter(
        document__application=application, document__kind="third_party_report"
    ).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert all(v.uploaded_by == demo["luoyang-agency"] for v in versions)
    body = client.get(url).content.decode()
    assert versions[0].sha256 in body and versions[1].sha256 in body
    listing = client.get(LIST).content.decode()
    assert "第 2 版" in listing and versions[1].sha256[:10] in listing


def test_a_file_that_is_not_a_pdf_is_refused(client, demo, engaged):
    application, _applicant = engaged
    client.force_login(demo["luoyang-agency"])
    response = client.post(
        detail_url(engagement_of(application)),
        {"file": SimpleUploadedFile("报告.pdf", b"plain text, not a PDF")},
    )
    assert response.status_code == 400
    assert "不是PDF 文件" in response.content.decode()
    assert not Document.objects.filter(application=application).exists()


def test_a_blacklisted_agencys_report_is_refused(client, demo, engaged):
    application, _applicant = engaged
    city = demo["luoyang-city"]
    today = timezone.localdate()
    BlacklistEntry.objects.create(
        agency=demo["luoyang-agency"].organisation,
        authority=city.organisation,
        jurisdiction=city.organisation.jurisdiction,
        reason="查实其评价报告弄虚作假，三年内不予采信。",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today.replace(year=today.year + 3),
        file="blacklist/evidence.pdf",
        original_name="evidence.pdf",
        size=1024,
        extension="pdf",
        content_type="application/pdf",
        sha256="0" * 64,
        created_by=city,
    )
    client.force_login(demo["luoyang-agency"])
    response = client.post(detail_url(engagement_of(application)), {"file": pdf_upload("报告.pdf")})
    assert response.status_code == 400
    assert "列入黑名单" in response.content.decode()
    assert not DocumentVersion.objects.filter(document__application=application).exists()


def test_a_withdrawn_engagement_takes_no_more_reports(client, demo, batch, engaged):
    application, applicant = engaged
    old = engagement_of(application)
    assert name_agency(application, applicant, demo["jinan-agency"].organisation) == []
    client.force_login(demo["luoyang-agency"])
    page = client.get(detail_url(old)).content.decode()
    assert "已撤销" in page and 'type="file"' not in page
    response = client.post(detail_url(old), {"file": pdf_upload("报告.pdf")})
    assert response.status_code == 400
    assert not DocumentVersion.objects.filter(document__application=application).exists()


# --- the list: filters, export, queries -------------------------------------------------------


def test_filters_by_report_batch_and_status(client, demo, batch, engaged):
    with_report, _applicant = engaged
    document_upload(
        application=with_report,
        actor=demo["luoyang-agency"],
        kind="third_party_report",
        uploaded_file=pdf_upload(),
    )
    other_batch = batch_of("luoyang")
    without, applicant = draft(other_batch)
    assert name_agency(without, applicant, demo["luoyang-agency"].organisation) == []
    client.force_login(demo["luoyang-agency"])

    def names(**query):
        response = client.get(LIST, query)
        return {e.application.organisation.name for e in response.context["engagements"]}

    assert names(report="uploaded") == {with_report.organisation.name}
    assert names(report="missing") == {without.organisation.name}
    assert names(batch=other_batch.pk) == {without.organisation.name}
    assert names(application_status="draft") == {
        with_report.organisation.name,
        without.organisation.name,
    }
    assert names(application_status="submitted") == set()
    assert names(ordering="applicant")


def test_the_portal_list_exports_to_excel(client, demo, engaged):
    application, _applicant = engaged
    client.force_login(demo["luoyang-agency"])
    response = client.get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申报单位" and rows[1][0] == application.organisation.name
    assert "未上传" in rows[1]


def _bulk_engagements(agency, batch, count: int) -> None:
    """``count`` engagements straight in the table (the cap is not what is measured here),
    every other one with a report uploaded."""
    for index in range(count):
        application, applicant = draft(batch, county="jinan")
        application.evaluation_mode = "third_party"
        application.agency = agency
        application.save()
        EngagementFactory(
            agency=agency,
            application=application,
            batch=batch,
            year=batch.year,
            counted=True,
            created_by=applicant,
        )
        if index % 2 == 0:
            document_upload(
                application=application,
                actor=applicant,
                kind="third_party_report",
                uploaded_file=pdf_upload(),
            )


def test_the_portal_pages_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    agency = demo["jinan-agency"].organisation
    batch = batch_of("jinan")
    _bulk_engagements(agency, batch, 5)
    client.force_login(demo["jinan-agency"])
    pages = [LIST, USAGE, f"{LIST}?report=uploaded&ordering=-created_at"]
    counts = []
    for url in pages:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    _bulk_engagements(agency, batch_of("jinan"), 45)
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_officials_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    agency = demo["jinan-agency"].organisation
    batch = batch_of("jinan")
    _bulk_engagements(agency, batch, 5)
    client.force_login(demo["jinan-city"])
    url = f"{LIST}?agency={agency.pk}"
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    _bulk_engagements(agency, batch_of("jinan"), 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["paginator"].count == 50


# --- cap usage --------------------------------------------------------------------------------


def test_luoyang_year_count_spans_the_agencies_of_one_legal_representative(client, demo):
    batch = national_batch()  # 洛阳 第二十条 counts national projects only
    first = qualified_agency(representative="410302198001011234")
    second = qualified_agency(representative="410302198001011234")
    stranger = qualified_agency()
    engage_many(batch, first, 2)
    engage_many(batch, second, 3)
    engage_many(batch, stranger, 4)

    usage = agency_usage(agency=first, year=batch.year)
    assert usage.year_used == 5 == year_usage(agency_id=first.pk, year=batch.year)
    assert usage.year_left == 10
    assert sorted(usage.representative_agencies) == sorted([first.name, second.name])
    (row,) = usage.batches
    assert row.cap.article == "第二十条" and row.used == 5 and row.own == 2

    client.force_login(first.users.get())
    body = client.get(USAGE, {"year": batch.year}).content.decode()
    assert "5 / 15" in body and "第二十条" in body and second.name in body


def test_dalian_batch_count_spans_the_legal_entity_and_its_related_entities(client, demo):
    batch, other_batch = batch_of("dalian"), batch_of("dalian")
    agency = qualified_agency(city_key="210200")
    related = qualified_agency(city_key="210200")
    unrelated = qualified_agency(city_key="210200")
    relate(agency, related)
    engage_many(batch, agency, 2, county="dalian")
    engage_many(batch, related, 4, county="dalian")
    engage_many(batch, unrelated, 3, county="dalian")
    engage_many(other_batch, agency, 1, county="dalian")

    usage = agency_usage(agency=agency, year=batch.year)
    rows = {row.batch.pk: row for row in usage.batches}
    assert rows[batch.pk].batch_used == 6 == batch_usage(agency_id=agency.pk, batch=batch)
    assert (
        rows[other_batch.pk].batch_used == 1 == batch_usage(agency_id=agency.pk, batch=other_batch)
    )
    assert rows[batch.pk].cap.article == "二" and rows[batch.pk].used == 6
    assert rows[batch.pk].own == 2 and rows[batch.pk].left == 9

    # Seen from the related agency, the same group (it is listed by the other).
    assert batch_usage(agency_id=related.pk, batch=batch) == 6
    client.force_login(agency.users.get())
    body = client.get(USAGE).content.decode()
    assert "6 / 15" in body and "大连 二" in body and related.name in body


def test_jinan_sets_no_cap_and_the_page_says_so(client, demo):
    batch = batch_of("jinan")
    agency = qualified_agency(city_key="370100")
    engage_many(batch, agency, 2, county="jinan")
    (row,) = agency_usage(agency=agency, year=batch.year).batches
    assert row.cap is None and row.used is None and row.batch_used == 2
    client.force_login(agency.users.get())
    assert "未设评价项目数量上限" in client.get(USAGE).content.decode()


# --- the officials' list ----------------------------------------------------------------------


def test_officials_see_the_engagements_of_their_subtree(client, demo, batch, engaged):
    mine, _applicant = engaged
    jinan_batch = batch_of("jinan")
    elsewhere, applicant = draft(jinan_batch, county="jinan")
    assert name_agency(elsewhere, applicant, demo["jinan-agency"].organisation) == []

    client.force_login(demo["luoyang-county"])
    response = client.get(LIST)
    names = {e.application.organisation.name for e in response.context["engagements"]}
    assert names == {mine.organisation.name}
    client.force_login(demo["jinan-city"])
    response = client.get(LIST)
    names = {e.application.organisation.name for e in response.context["engagements"]}
    assert names == {elsewhere.organisation.name}


def test_officials_filter_by_agency_see_its_usage_and_export(client, demo, batch, engaged):
    application, _applicant = engaged
    agency = demo["luoyang-agency"].organisation
    client.force_login(demo["luoyang-city"])
    response = client.get(LIST, {"agency": agency.pk})
    assert response.context["usage"].agency == agency
    assert response.context["usage"].year_used == 0  # a city project: not counted (第二十条)
    body = response.content.decode()
    assert "1 / 15" in body and "计入" in body
    usage_page = client.get(USAGE, {"agency": agency.pk}).content.decode()
    assert "1 / 15" in usage_page

    export = client.get(LIST, {"export": "xlsx", "agency": agency.pk})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("评价机构", "区划")
    assert rows[1][0] == agency.name and rows[1][2] == application.organisation.name


def test_officials_cannot_look_at_an_agency_outside_their_view(client, demo):
    outsider = qualified_agency(city_key="370100")
    client.force_login(demo["luoyang-county"])
    assert client.get(USAGE, {"agency": outsider.pk}).status_code == 404
    assert Organisation.objects.filter(pk=outsider.pk).exists()


def test_agency_names_link_to_their_profile_only_where_the_official_may_open_it(
    client, demo, batch, engaged
):
    foreign, applicant = draft(batch)
    assert name_agency(foreign, applicant, demo["jinan-agency"].organisation) == []
    client.force_login(demo["luoyang-city"])
    body = client.get(LIST).content.decode()
    local_agency = demo["luoyang-agency"].organisation
    assert reverse("thirdparty:agency-detail", args=[local_agency.pk]) in body
    foreign_agency = demo["jinan-agency"].organisation
    assert reverse("thirdparty:agency-detail", args=[foreign_agency.pk]) not in body
    assert foreign_agency.name in body


def test_the_cap_usage_exports_to_excel(client, demo):
    import io

    from openpyxl import load_workbook

    from tests.thirdparty.helpers import engage_many, qualified_agency

    agency = qualified_agency()
    engage_many(national_batch(), agency, 3)
    client.force_login(agency.users.get())

    response = client.get("/engagements/usage/?export=xlsx")

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("批次", "年度", "适用政策", "本机构项目")
    # A national batch: 洛阳 第二十条 counts it (beside the batch's own 大连 二).
    assert rows[1][3] == 3 and rows[1][5] == 3 and "15（" in rows[1][6]
    assert rows[1][7] == "国家级" and "洛阳 第二十条 3/15" in rows[1][8]
