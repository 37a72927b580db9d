"""举报 filing (洛阳 第二十一条, 济南 第二十一条): anyone files a real-name complaint with evidence
and contact details about a listed unit or an agency; anonymous ones are refused with the
reason; it reaches the county of the unit (or the city, where the complainant chose it), or the
bureau of the agency's jurisdiction; the filer follows it by tracking code."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.notifications.models import Notification
from registry.models import Complaint, ComplaintEvidence, Listing
from registry.services import complaint as services
from tests.applications.helpers import pdf_bytes, pdf_upload
from tests.factories import ListingFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MATTER = "该单位申报材料中的单位产品综合能耗数据与实际生产记录不符，存在虚报情况。"
NEW_URL = "/gongshi/complaints/new/"


# --- arrangements (imported by the other complaint test modules) -------------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The form's rate limit and the API throttle count in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


def listed_unit(
    *, county_key: str = "410311", city_key: str = "410300", status=Listing.Status.ACTIVE
) -> Listing:
    """A unit on the city's list, in ``county_key``, with an applicant user of its own."""
    county = Jurisdiction.objects.get(key=county_key)
    organisation = OrganisationFactory(kind=Organisation.Kind.ENTERPRISE, jurisdiction=county)
    UserFactory(role=Role.APPLICANT, organisation=organisation)
    authority = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key=city_key)
    return ListingFactory(
        organisation=organisation,
        unit_type="factory",
        level="city",
        authority=authority,
        document_number="洛工信〔2025〕12号",
        listed_on=datetime.date(2025, 6, 30),
        status=status,
        created_by=User.objects.get(username="admin"),
    )


def demo_agency(demo, city: str = "luoyang") -> Organisation:
    return demo[f"{city}-agency"].organisation


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def form_data(listing: Listing | None = None, **overrides) -> dict:
    data = {
        "subject": "listing",
        "listing": listing.pk if listing else "",
        "channel": "county",
        "agency": "",
        "name": "王举报",
        "id_or_organisation": "洛阳市某某机械厂",
        "phone": "0379-61234567",
        "email": "wang@example.cn",
        "content": MATTER,
    }
    data.update(overrides)
    return data


def file_complaint(listing=None, *, agency=None, channel="county", evidence=None, **overrides):
    """A valid complaint filed through the service (about ``listing``, else ``agency``)."""
    values = {
        "subject": "listing" if listing else "agency",
        "listing": listing,
        "agency": agency,
        "channel": channel,
        "name": "王举报",
        "id_or_organisation": "410302198001011234",
        "phone": "13800001234",
        "email": "wang@example.cn",
        "content": MATTER,
        "evidence": [pdf_upload("检测报告.pdf")] if evidence is None else evidence,
    }
    values.update(overrides)
    return services.complaint_file(**values)


# --- the form ----------------------------------------------------------------------------------


def test_the_form_is_public_and_finds_listed_units_by_name_or_credit_code(client, demo):
    listing = listed_unit()
    removed = listed_unit(status=Listing.Status.REMOVED)

    page = client.get(NEW_URL, {"q": listing.unit_name[2:8]})
    by_code = client.get(NEW_URL, {"q": listing.credit_code})
    html = page.content.decode()

    assert page.status_code == 200
    assert listing.unit_name in html and "实名举报" in html and "第二十一条" in html
    assert listing.unit_name in by_code.content.decode()
    removed_page = client.get(NEW_URL, {"q": removed.unit_name}).content.decode()
    assert f'value="{removed.pk}"' not in removed_page
    assert "未找到" in removed_page


def test_a_units_page_preselects_the_unit(client, demo):
    listing = listed_unit()

    html = client.get(NEW_URL, {"listing": listing.pk}).content.decode()

    assert f'name="listing" value="{listing.pk}" id="id_listing_0" checked' in html
    assert listing.unit_name in html


def test_searching_keeps_what_was_typed_and_files_nothing(client, demo):
    listing = listed_unit()

    response = client.post(NEW_URL, {**form_data(), "q": listing.unit_name, "search": "1"})
    html = response.content.decode()

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert MATTER in html and "王举报" in html and listing.unit_name in html


def test_a_complaint_filed_on_the_form_gets_a_tracking_code_and_its_status_page(client, demo):
    listing = listed_unit()

    response = client.post(
        NEW_URL, {**form_data(listing), "evidence": [pdf_upload("检测报告.pdf"), png()]}
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gongshi/complaints/{complaint.tracking_code}/"
    assert len(complaint.tracking_code) == 10
    assert complaint.status == Complaint.Status.RECEIVED
    assert (complaint.name, complaint.phone) == ("王举报", "0379-61234567")
    evidence = list(complaint.evidence.order_by("extension"))
    assert [e.extension for e in evidence] == ["pdf", "png"]
    assert all(len(e.sha256) == 64 for e in evidence)
    page = client.get(response["Location"]).content.decode()
    assert complaint.tracking_code in page and "已受理" in page and listing.unit_name in page


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "请填写举报人姓名"),
        ("id_or_organisation", "请填写身份证号或工作单位"),
        ("phone", "请填写联系电话"),
    ],
)
def test_an_anonymous_complaint_is_refused_citing_the_article(client, demo, field, message):
    listing = listed_unit()

    response = client.post(NEW_URL, {**form_data(listing, **{field: ""}), "evidence": [png()]})
    html = response.content.decode()

    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    assert message in html and "实名举报" in html and "第二十一条" in html
    # What was typed is kept; the files must be chosen again, and the page says so.
    assert MATTER in html
    assert f'name="listing" value="{listing.pk}" id="id_listing_0" checked' in html
    assert "请重新选择佐证材料" in html


@pytest.mark.parametrize("field", ["name", "id_or_organisation", "phone"])
def test_the_service_refuses_anonymous_complaints_too(demo, field):
    listing = listed_unit()

    with pytest.raises(ValidationError) as refused:
        file_complaint(listing, **{field: "   "})

    assert "实名举报" in " ".join(refused.value.message_dict[field])
    assert "第二十一条" in " ".join(refused.value.message_dict[field])
    assert Complaint.objects.count() == 0


def test_a_short_matter_is_refused(client, demo):
    listing = listed_unit()

    response = client.post(NEW_URL, form_data(listing, content="数据造假。"))

    assert response.status_code == 400
    assert "至少 20 个字" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_an_invalid_phone_is_refused(demo):
    with pytest.raises(ValidationError) as refused:
        file_complaint(listed_unit(), phone="abc")

    assert "phone" in refused.value.message_dict


def test_evidence_is_checked_by_content(client, demo):
    listing = listed_unit()
    fake = SimpleUploadedFile("检测报告.pdf", b"not really a pdf", content_type="application/pdf")

    response = client.post(NEW_URL, {**form_data(listing), "evidence": [fake]})

    assert response.status_code == 400
    assert "内容不是PDF、JPG 或 PNG 文件" in response.content.decode()
    assert Complaint.objects.count() == 0 and ComplaintEvidence.objects.count() == 0


def test_at_most_five_evidence_files(client, demo):
    listing = listed_unit()
    files = [png(f"照片{n}.png") for n in range(6)]

    response = client.post(NEW_URL, {**form_data(listing), "evidence": files})

    assert response.status_code == 400
    assert "最多 5 个文件" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_each_evidence_file_is_at_most_ten_megabytes(demo):
    big = SimpleUploadedFile(
        "扫描件.pdf", pdf_bytes() + b"\0" * (10 * 1024 * 1024), content_type="application/pdf"
    )

    with pytest.raises(ValidationError) as refused:
        file_complaint(listed_unit(), evidence=[big])

    assert "超过 10 MB" in " ".join(refused.value.message_dict["evidence"])
    assert Complaint.objects.count() == 0


def test_a_removed_unit_cannot_be_complained_about(demo):
    removed = listed_unit(status=Listing.Status.REMOVED)

    with pytest.raises(ValidationError) as refused:
        file_complaint(removed)

    assert "listing" in refused.value.message_dict


def test_the_subject_must_be_chosen(client, demo):
    response = client.post(NEW_URL, form_data(None))

    assert response.status_code == 400
    assert "请选择被举报的绿色制造名单单位" in response.content.decode()


def test_the_public_form_is_rate_limited(client, demo):
    listing = listed_unit()
    statuses = [client.post(NEW_URL, form_data(listing)).status_code for _ in range(6)]

    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert Complaint.objects.count() == 5


# --- routing -----------------------------------------------------------------------------------


def notified(username: str) -> int:
    return Notification.objects.filter(recipient__username=username).count()


def test_a_complaint_about_a_unit_goes_to_its_county(demo):
    listing = listed_unit(county_key="410311")

    complaint = file_complaint(listing)

    assert complaint.handling_jurisdiction.key == "410311"
    assert notified("luoyang-county") == 1
    assert notified("luoyang-county2") == 0 and notified("luoyang-city") == 0


def test_the_complainant_may_file_with_the_city_instead(client, demo):
    listing = listed_unit(county_key="410311")

    client.post(NEW_URL, form_data(listing, channel="city"))

    complaint = Complaint.objects.get()
    assert complaint.handling_jurisdiction.key == "410300"
    assert notified("luoyang-city") == 1 and notified("luoyang-county") == 0


def test_a_complaint_about_an_agency_goes_to_the_bureau_of_its_jurisdiction(client, demo):
    agency = demo_agency(demo, "jinan")

    response = client.post(NEW_URL, form_data(None, subject="agency", agency=agency.pk, channel=""))

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert (complaint.subject, complaint.agency, complaint.listing) == ("agency", agency, None)
    assert complaint.handling_jurisdiction == agency.jurisdiction
    assert complaint.handling_jurisdiction.key == "370100"
    assert notified("jinan-city") == 1 and notified("luoyang-city") == 0


def test_only_registered_active_agencies_can_be_chosen(demo):
    enterprise = demo["luoyang-enterprise"].organisation

    with pytest.raises(ValidationError) as refused:
        file_complaint(agency=enterprise)

    assert "agency" in refused.value.message_dict


# --- the filer's status page ------------------------------------------------------------------


def test_the_status_page_shows_no_identity_and_unknown_codes_are_not_found(client, demo):
    complaint = file_complaint(listed_unit())

    html = client.get(f"/gongshi/complaints/{complaint.tracking_code}/").content.decode()
    lookup = client.get("/gongshi/complaints/", {"code": complaint.tracking_code.lower()})
    missing = client.get("/gongshi/complaints/ZZZZZZZZZZ/")

    assert "已受理" in html and complaint.handling_jurisdiction.name in html
    for secret in ("王举报", "410302198001011234", "13800001234", "wang@example.cn", "检测报告"):
        assert secret not in html
    assert MATTER not in html
    assert lookup.status_code == 200 and complaint.tracking_code in lookup.content.decode()
    assert missing.status_code == 404


def test_the_status_page_shows_the_outcome_but_not_internal_comments(client, demo):
    complaint = file_complaint(listed_unit())
    county = demo["luoyang-county"]
    services.complaint_verify(complaint=complaint, actor=county, comment="内部：约谈企业负责人")
    services.complaint_close(
        complaint=complaint,
        actor=county,
        outcome="rectification",
        note="经核实，能耗台账记录不完整，责令限期整改。",
        rectification_deadline=datetime.date.today() + datetime.timedelta(days=60),
    )

    html = client.get(f"/gongshi/complaints/{complaint.tracking_code}/").content.decode()

    assert "已办结" in html and "责令限期整改" in html
    assert "经核实，能耗台账记录不完整" in html
    assert "开始核实" in html
    assert "内部：约谈企业负责人" not in html
    assert county.display_name not in html


def test_everyone_finds_the_complaint_form_in_the_menu(client, demo):
    assert f'href="{NEW_URL}"' in client.get("/gongshi/").content.decode()
    client.force_login(demo["luoyang-county"])
    html = client.get("/dashboard/").content.decode()
    assert f'href="{NEW_URL}"' in html and 'href="/complaints/"' in html
    client.force_login(demo["luoyang-enterprise"])
    html = client.get("/dashboard/").content.decode()
    assert f'href="{NEW_URL}"' in html and 'href="/complaints/"' not in html


def test_filing_is_open_to_signed_in_users_too(client, demo):
    client.force_login(demo["luoyang-enterprise"])

    response = client.post(NEW_URL, form_data(listed_unit()))

    assert response.status_code == 302
    assert Complaint.objects.count() == 1
    assert reverse("registry:public-complaint-new") == NEW_URL
