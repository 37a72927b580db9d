"""Journey: the public site of issue 6, in 洛阳 — the published list, its open data, a real-name
complaint (举报) and its handling by the county, to the filer reading the outcome.

A unit published on the 洛阳 city list through the review flow is found by a visitor (not signed
in) on 名单查询 by a fragment of its name, by its credit code and by region and level; the CSV
and Excel downloads hold exactly the filtered row. On the unit's page the visitor follows 实名举报,
is refused without a name (the real-name rule given, everything else kept), files the complaint
with an evidence PDF and gets a tracking code. The county of the listing finds it under 举报,
reads the complainant and the evidence, verifies and closes it as 责令限期整改; the visitor reads
the outcome by the code, never anyone's identity; the announcements page and its RSS feed carry
the published list.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from greenmfg.directory.models import Level, Organisation
from registry.models import Complaint, ComplaintEvidence, Listing
from tests.applications.helpers import pdf_bytes
from tests.browser.journey import (
    SCREENSHOTS,
    assert_accessible,
    login,
    logout,
    new_public_page,
    open_menu,
)
from tests.reviews.test_promotion import city_listing
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("boundary_template"),
]

DOCUMENT_NUMBER = "市工信〔2026〕1号"  # what ``city_listing`` publishes the list under
# In the names of both demo enterprises, 洛阳绿源示范制造有限公司（演示） and 济南….
NAME_FRAGMENT = "绿源示范"
PROVINCE_DOCUMENT_NUMBER = "豫工信〔2025〕9号"

COMPLAINANT = {
    "name": "李四",
    "id_or_organisation": "洛阳市某环保设备有限公司",
    "phone": "0379-65432100",
    "email": "lisi@example.cn",
}
CONTENT = "该企业申报的单位产品综合能耗数据与实际生产台账不符，2025年第三季度曾超标排放。"
EVIDENCE_NAME = "能耗台账与监测报告.pdf"
VERIFY_COMMENT = "已联系企业调取生产台账（内部记录）。"
OUTCOME_NOTE = "经核实，企业能耗统计口径有误，已责令其更正数据并完善计量管理。"


@dataclass
class Journey:
    base: str
    password: str
    listing: Listing
    dashboards_checked: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def shot(self, page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"public-{step}.png", full_page=True)

    @property
    def unit_name(self) -> str:
        return self.listing.unit_name

    @property
    def credit_code(self) -> str:
        return self.listing.credit_code


@pytest.fixture
def public(browser: Browser):
    page = new_public_page(browser)
    yield page
    page.context.close()


def arrange(demo, *, base: str, password: str) -> Journey:
    """What the journey starts from, none of it the public site's own story:

    - the demo enterprise's factory, published on the 洛阳 city list through the review flow
      (``city_listing``: scored, decided, publicised, the list published under its document
      number — the full-cycle journey drives those pages);
    - two other listings, so that each filter has something to leave out (the directory-only
      demo has no listings, and other levels' lists are published by their own flows): the same
      unit on the 河南省 provincial list, and the 济南 demo enterprise, whose name shares the
      fragment searched for, on the 济南 city list.
    """
    listing = city_listing(demo)
    henan = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key="410000")
    Listing.objects.create(
        organisation=listing.organisation,
        unit_name=listing.unit_name,
        credit_code=listing.credit_code,
        jurisdiction=listing.jurisdiction,
        unit_type=listing.unit_type,
        level=Level.PROVINCE,
        year=2025,
        authority=henan,
        document_number=PROVINCE_DOCUMENT_NUMBER,
        listed_on=datetime.date(2025, 12, 1),
        created_by=demo["henan"],
    )
    jinan = demo["jinan-enterprise"].organisation
    Listing.objects.create(
        organisation=jinan,
        unit_name=jinan.name,
        credit_code=jinan.credit_code,
        jurisdiction=jinan.jurisdiction,
        unit_type="factory",
        level=Level.CITY,
        year=2025,
        authority=demo["jinan-city"].organisation,
        document_number="济工信〔2025〕5号",
        listed_on=datetime.date(2025, 11, 1),
        created_by=demo["jinan-city"],
    )
    assert NAME_FRAGMENT in listing.unit_name and NAME_FRAGMENT in jinan.name
    return Journey(base=base, password=password, listing=listing)


# --- 1. 名单查询 and the open data ---


def rows(page: Page):
    return page.locator("table.table tbody tr")


def visitor_finds_the_unit(public: Page, journey: Journey) -> None:
    public.goto(journey.url("/"))
    assert_accessible(public, "public-home")
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="名单查询").click()
    expect(public.get_by_role("heading", level=1)).to_have_text("绿色制造名单查询")

    search = public.get_by_label("单位名称或信用代码")
    search.fill(NAME_FRAGMENT)
    public.get_by_role("button", name="查询").click()
    expect(rows(public)).to_have_count(3)  # the unit on two lists, and the 济南 namesake
    expect(public.locator("tbody")).to_contain_text("济南绿源示范制造有限公司（演示）")

    search.fill(journey.credit_code)
    public.get_by_role("button", name="查询").click()
    expect(rows(public)).to_have_count(2)  # the unit's city and provincial listings
    expect(public.locator("tbody")).not_to_contain_text("济南")

    # The region is chosen level by level: the province, then its cities appear.
    # The picker's script sets it up once the page has loaded (data-ready): a choice made
    # before that would fetch no next level.
    expect(public.locator(".region-picker[data-ready]")).to_have_count(1)
    public.get_by_label("地区（含下级）").select_option(label="河南省")
    public.get_by_label("市级").select_option(label="洛阳市")
    public.get_by_label("名单层级").select_option(label="市级")
    public.get_by_role("button", name="查询").click()
    row = rows(public)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(journey.unit_name)
    expect(row).to_contain_text(journey.credit_code)
    expect(row).to_contain_text("市级")
    expect(row).to_contain_text(DOCUMENT_NUMBER)
    expect(row).to_contain_text("未设期限")
    expect(public).to_have_url(re.compile(r"region=410300.*level=city|level=city.*region=410300"))
    assert_accessible(public, "public-list-filtered")
    journey.shot(public, "1-list")


def visitor_downloads_the_filtered_list(public: Page, journey: Journey) -> None:
    with public.expect_download() as csv_download:
        public.get_by_role("link", name="下载 CSV").click()
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    header, *body = list(csv.reader(io.StringIO(csv_text)))
    assert csv_download.value.suggested_filename.endswith(".csv")
    assert header[0] == "单位名称" and "发文文号" in header
    assert len(body) == 1, body
    values = dict(zip(header, body[0], strict=True))
    assert values["单位名称"] == journey.unit_name
    assert values["统一社会信用代码"] == journey.credit_code
    assert values["名单层级"] == "市级"
    assert values["发文文号"] == DOCUMENT_NUMBER
    assert values["有效期至"] == "未设期限"

    with public.expect_download() as xlsx_download:
        public.get_by_role("link", name=re.compile("^导出 Excel")).click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    # The download's temporary file has no suffix, which openpyxl goes by: read its bytes.
    workbook = load_workbook(
        io.BytesIO(Path(xlsx_download.value.path()).read_bytes()), read_only=True
    )
    header, *body = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert len(body) == 1, body
    values = dict(zip(header, body[0], strict=False))
    assert values["单位名称"] == journey.unit_name
    assert values["统一社会信用代码"] == journey.credit_code
    assert values["发文文号"] == DOCUMENT_NUMBER


# --- 2. The unit's page and the complaint ---


def visitor_files_a_complaint(public: Page, journey: Journey) -> str:
    rows(public).get_by_role("link", name=journey.unit_name).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(journey.unit_name)
    listings = public.locator("section[aria-labelledby=listings-heading] tbody tr")
    expect(listings).to_have_count(2)  # both levels' lists, together
    city_row = public.locator(f"#listing-{journey.listing.pk}")
    expect(city_row).to_contain_text(DOCUMENT_NUMBER)
    expect(city_row).to_contain_text("未设期限")
    expect(city_row).to_contain_text("市级")
    expect(listings.filter(has_text=PROVINCE_DOCUMENT_NUMBER)).to_contain_text("省级")
    assert_accessible(public, "public-unit")
    journey.shot(public, "2-unit")

    city_row.get_by_role("link", name="实名举报").click()
    expect(public.get_by_role("heading", level=1)).to_have_text("我要举报")
    chosen = public.get_by_role("radio", name=re.compile(re.escape(journey.unit_name)))
    expect(chosen).to_have_count(1)
    expect(chosen).to_be_checked()
    expect(public.get_by_role("radio", name="名单单位")).to_be_checked()

    # No name: refused with the real-name rule, the rest kept as typed.
    public.get_by_label("身份证号或工作单位").fill(COMPLAINANT["id_or_organisation"])
    public.get_by_label("联系电话").fill(COMPLAINANT["phone"])
    public.get_by_label("电子邮箱").fill(COMPLAINANT["email"])
    public.get_by_label("举报事项").fill(CONTENT)
    public.get_by_role("button", name="提交举报").click()
    name_field = public.locator(".field.has-error", has=public.get_by_label("举报人姓名"))
    expect(name_field.locator(".error")).to_contain_text("请填写举报人姓名。")
    expect(name_field.locator(".error")).to_contain_text("匿名举报不予受理")
    expect(name_field.locator(".error")).to_contain_text("第二十一条")
    expect(public.locator(".field.has-error")).to_have_count(1)
    expect(public.get_by_label("身份证号或工作单位")).to_have_value(
        COMPLAINANT["id_or_organisation"]
    )
    expect(public.get_by_label("联系电话")).to_have_value(COMPLAINANT["phone"])
    expect(public.get_by_label("电子邮箱")).to_have_value(COMPLAINANT["email"])
    expect(public.get_by_label("举报事项")).to_have_value(CONTENT)
    expect(chosen).to_be_checked()
    expect(public.get_by_role("radio", name="向县区工信部门举报")).to_be_checked()
    assert_accessible(public, "public-complaint-refused")
    journey.shot(public, "3-refused")
    assert not Complaint.objects.exists()

    public.get_by_label("举报人姓名").fill(COMPLAINANT["name"])
    public.get_by_label("佐证材料").set_input_files(
        {"name": EVIDENCE_NAME, "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    public.get_by_role("button", name="提交举报").click()
    heading = public.get_by_role("heading", name=re.compile("^查询码 "))
    expect(heading).to_be_visible()
    code = heading.inner_text().removeprefix("查询码 ").strip()
    expect(public.locator(".messages")).to_contain_text(f"查询码为 {code}")
    facts = public.locator(".facts")
    expect(facts).to_contain_text(journey.unit_name)
    county = journey.listing.jurisdiction.name
    expect(facts).to_contain_text(f"{county}工业和信息化主管部门")
    expect(facts).to_contain_text("已受理")
    assert_accessible(public, "public-complaint-filed")
    journey.shot(public, "4-tracking")
    return code


# --- 3. The county handles it ---


def county_handles_the_complaint(page: Page, journey: Journey, code: str) -> None:
    login(page, journey, "luoyang-county")
    open_menu(page, "监督", "举报")
    expect(page.get_by_role("heading", level=1)).to_have_text("举报")
    assert_accessible(page, "public-county-complaints")
    row = page.locator("tbody tr", has_text=code)
    expect(row).to_contain_text(journey.unit_name)
    expect(row).to_contain_text(journey.listing.jurisdiction.name)
    row.get_by_role("link", name=code).click()

    identity = page.locator("section[aria-labelledby=complainant-heading]")
    for value in COMPLAINANT.values():
        expect(identity).to_contain_text(value)
    evidence = identity.get_by_role("link", name=EVIDENCE_NAME)
    with page.expect_download() as download:
        evidence.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    expect(page.locator("section[aria-labelledby=complaint-heading]")).to_contain_text(CONTENT)
    assert_accessible(page, "public-county-complaint")

    verify = page.locator("#verify")
    verify.get_by_label("说明").fill(VERIFY_COMMENT)
    verify.get_by_role("button", name="开始核实").click()
    expect(page.get_by_text("已开始核实该举报。")).to_be_visible()

    close = page.locator("#close")
    close.get_by_label("责令限期整改").check()
    close.get_by_label("处理意见").fill(OUTCOME_NOTE)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    close.get_by_label("整改期限").fill(deadline.isoformat())
    close.get_by_role("button", name="办结").click()
    expect(page.get_by_text("举报已办结：责令限期整改。")).to_be_visible()
    facts = page.locator("section[aria-labelledby=complaint-heading] .facts")
    expect(facts).to_contain_text(deadline.isoformat())
    expect(facts).to_contain_text(OUTCOME_NOTE)
    assert_accessible(page, "public-county-complaint-closed")
    journey.shot(page, "5-county")
    logout(page)

    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.handling_jurisdiction == journey.listing.jurisdiction
    assert (complaint.status, complaint.outcome) == ("closed", "rectification")
    assert complaint.rectification_deadline == deadline


# --- 4. The filer reads the outcome; the announcements ---


def visitor_reads_the_outcome(public: Page, journey: Journey, code: str) -> None:
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="我要举报").click()
    assert_accessible(public, "public-complaint-form")
    public.get_by_role("link", name="举报办理查询").click()
    assert_accessible(public, "public-complaint-lookup")
    public.get_by_label("查询码").fill(code)
    public.get_by_role("button", name="查询").click()
    facts = public.locator(".facts")
    expect(facts).to_contain_text("责令限期整改")
    expect(facts).to_contain_text(OUTCOME_NOTE)
    deadline = Complaint.objects.get(tracking_code=code).rectification_deadline
    expect(facts).to_contain_text(deadline.isoformat())
    assert_accessible(public, "public-complaint-outcome")
    journey.shot(public, "6-outcome")
    # Nobody's identity, no evidence, no internal comment, no official's name.
    for secret in (*COMPLAINANT.values(), EVIDENCE_NAME, VERIFY_COMMENT):
        assert secret not in public.content(), secret
    county_official = Complaint.objects.get(tracking_code=code).handled_by.display_name
    assert county_official not in public.content()
    # The evidence is served to the handling officials only, never to the public.
    evidence = ComplaintEvidence.objects.get(complaint__tracking_code=code)
    response = public.request.get(
        journey.url(f"/complaints/evidence/{evidence.pk}/"), max_redirects=0
    )
    assert response.status == 302 and "/accounts/login/" in response.headers["location"]

    # A code that is not the visitor's shows nothing of anyone.
    public.goto(journey.url("/gongshi/complaints/ZZZZZZZZZZ/"))
    expect(public.get_by_text("未找到该查询码对应的举报")).to_be_visible()


def visitor_reads_the_announcements(public: Page, journey: Journey) -> None:
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="公示公告").click()
    assert_accessible(public, "public-publicities")
    public.get_by_role("link", name=re.compile("^全部公告")).click()
    expect(public.get_by_role("heading", level=1)).to_have_text("公告")
    published = public.locator("tbody tr", has_text=DOCUMENT_NUMBER).filter(has_text="名单公布")
    expect(published.first).to_be_visible()
    expect(published.first).to_contain_text("洛阳市工业和信息化局")
    assert_accessible(public, "public-announcements")
    journey.shot(public, "7-announcements")

    rss_url = public.get_by_role("link", name="RSS", exact=True).get_attribute("href")
    feed = public.request.get(journey.url(rss_url))
    assert feed.ok
    assert "xml" in feed.headers["content-type"]
    body = feed.text()
    assert body.lstrip().startswith("<?xml") and "<rss" in body
    assert DOCUMENT_NUMBER in body


def test_a_listed_unit_is_found_downloaded_complained_about_and_the_outcome_read(
    page: Page, public: Page, live_server, demo, settings
):
    journey = arrange(demo, base=live_server.url, password=settings.DEMO_PASSWORD)
    # The complaint goes to the county of the listing: the demo enterprise's county.
    assert journey.listing.jurisdiction == demo["luoyang-county"].organisation.jurisdiction

    visitor_finds_the_unit(public, journey)
    visitor_downloads_the_filtered_list(public, journey)
    code = visitor_files_a_complaint(public, journey)
    county_handles_the_complaint(page, journey, code)
    visitor_reads_the_outcome(public, journey, code)
    visitor_reads_the_announcements(public, journey)
