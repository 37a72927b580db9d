"""Journey: a listed unit files its annual 动态管理表 (济南 第十七条), and the city reads it.

The city bureau sets this year's filing window on its page; the night's sweep tells the unit;
the unit's contact signs in, sees the table due on the dashboard, is refused a wrong entry
with what they typed kept, saves a draft with an attachment, comes back to it, files it and
downloads its PDF (a second tab left open on the draft is then told why it can no longer
file); the city official then finds it filed in the year's overview by filter and
reads it. Tables are filed, not reviewed: the overview and the table's page are what the
official has (a late one may also get a refused on-site check recorded, not the case here).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dynamic_mgmt.models import AnnualTable, FilingWindow
from dynamic_mgmt.schedule import open_windows
from greenmfg.notifications.models import Notification
from registry.models import Listing
from tests.applications.helpers import pdf_bytes
from tests.browser.journey import SCREENSHOTS, assert_accessible, login, logout, open_menu
from tests.dynamic_mgmt.dm_helpers import listing_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITATION = "济南 第十七条"
ATTACHMENT = "2025年能源利用状况报告.pdf"
NOTES = "单位产品综合能耗较上年下降，主要因空压站节能改造投运。"
# What the unit types first: a negative energy figure, a word for the water figure, and the
# pollutant right; the other three indicators left empty.
FIRST_TRY = {"energy_per_unit": "-12.5", "water_per_unit": "约三立方", "pollutant_per_unit": "0.08"}
# The two corrected before the draft is saved, and the three filled in when it is filed.
CORRECTED = {"energy_per_unit": "12.5", "water_per_unit": "3"}
REST = {
    "solid_waste_utilisation_rate": "95.5",
    "carbon_per_unit": "1.2",
    "renewable_energy_share": "20",
}
LABELS = {
    "energy_per_unit": "单位产品综合能耗",
    "water_per_unit": "单位产品取水量",
    "pollutant_per_unit": "主要污染物排放量（单位产品）",
    "solid_waste_utilisation_rate": "工业固体废物综合利用率",
    "carbon_per_unit": "单位产品碳排放量",
    "renewable_energy_share": "可再生能源使用比例",
}


@dataclass
class Journey:
    base: str
    password: str
    listing: Listing
    year: int
    opens_on: datetime.date
    deadline: datetime.date
    dashboards_checked: set[str] = dataclasses.field(default_factory=set)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def shot(self, page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"annual-{step}.png", full_page=True)

    @property
    def unit_name(self) -> str:
        return self.listing.unit_name

    @property
    def detail_path(self) -> str:
        return f"/dynamic/tables/{self.listing.pk}/{self.year}/"

    def table(self) -> AnnualTable | None:
        return AnnualTable.objects.filter(listing=self.listing, year=self.year).first()


def arrange(demo, *, base: str, password: str) -> Journey:
    """What the journey starts from, none of it the table's own story:

    - the demo's listed unit (``jinan-listed``) on the 济南 city list, listed some months ago,
      and the demo enterprise beside it, which owes a table too but files none (so the
      official's filters have something to leave out). ``seed_demo --directory-only`` seeds
      the unit and its contact but no list; publishing one is the full-cycle journey.
    The window itself is set by the city on its page (:func:`city_sets_window`); the night's
    sweep that tells the units is run by :func:`night_passes`.
    """
    today = timezone.localdate()
    listed_on = today - datetime.timedelta(days=200)
    listing = listing_of(demo["jinan-listed"].organisation, city="jinan", listed_on=listed_on)
    listing_of(demo["jinan-enterprise"].organisation, city="jinan", listed_on=listed_on)
    return Journey(
        base=base,
        password=password,
        listing=listing,
        year=today.year,
        opens_on=today,
        deadline=today + datetime.timedelta(days=30),
    )


# --- 1. The city sets the window ---


def city_sets_window(page: Page, journey: Journey) -> None:
    login(page, journey, "jinan-city")
    open_menu(page, "动态管理", "填报期")
    assert_accessible(page, "annual-city-windows")
    page.get_by_role("link", name="设置填报期").click()
    assert_accessible(page, "annual-city-window-form")
    page.get_by_label("名单层级").select_option(label="市级")
    expect(page.get_by_label("填报年度")).to_have_value(str(journey.year))
    page.get_by_label("开始填报日期").fill(journey.opens_on.isoformat())
    page.get_by_label("填报截止日期").fill(journey.deadline.isoformat())
    page.get_by_label("截止前提醒（天）").fill("7,1")
    page.get_by_label("依据").fill(CITATION)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(
        f"已设置济南市市级名单{journey.year}年度的填报期，截止日期 {journey.deadline.isoformat()}。"
    )
    row = page.locator("tbody tr", has_text=CITATION)
    expect(row).to_contain_text(journey.deadline.isoformat())
    expect(row).to_contain_text("7、1")
    assert_accessible(page, "annual-city-window-set")
    journey.shot(page, "1-window")
    logout(page)
    window = FilingWindow.objects.get(year=journey.year, level="city")
    assert (window.opens_on, window.deadline) == (journey.opens_on, journey.deadline)


def night_passes(journey: Journey) -> None:
    """The nightly sweep (Celery beat, no page) runs on the window's first day: every unit the
    window covers is told, once."""
    result = open_windows(journey.opens_on)
    assert result.as_dict()["counts"]["units_notified"] == 2, result.as_dict()


# --- 2. The unit sees it is due ---


def unit_sees_table_due(page: Page, journey: Journey) -> None:
    login(page, journey, "jinan-listed")
    subject = f"{journey.year}年度动态管理表开始填报"
    inbox = page.locator("section[aria-labelledby=inbox-heading]")
    expect(inbox).to_contain_text(subject)
    expect(inbox).to_contain_text(f"请于 {journey.deadline.isoformat()} 前在平台填报")
    panel = page.locator("section[aria-labelledby=annual-tables-heading]")
    row = panel.locator("tbody tr", has_text=journey.unit_name)
    expect(row).to_contain_text("待填报")
    expect(row).to_contain_text(journey.deadline.isoformat())
    journey.shot(page, "2-dashboard")

    # The notice leads to the unit's tables; reading it marks it read.
    inbox.get_by_role("button", name=subject).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("动态管理表")
    assert Notification.objects.get(subject=subject, recipient__username="jinan-listed").read_at
    row = page.locator("tbody tr", has_text=journey.unit_name)
    expect(row).to_contain_text(CITATION)
    expect(row).to_contain_text("待填报")
    assert_accessible(page, "annual-unit-tables")
    row.get_by_role("link", name="填报", exact=True).click()
    expect(page).to_have_url(journey.url(journey.detail_path))


# --- 3. A wrong entry, then a draft ---


def field(page: Page, key: str):
    return page.get_by_label(LABELS[key], exact=True)


def field_error(page: Page, key: str):
    return page.locator(".field.has-error", has=field(page, key)).locator(".error")


def unit_is_refused_then_saves_draft(page: Page, journey: Journey) -> None:
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"{journey.unit_name} · {journey.year}年度动态管理表")
    expect(page.locator(".facts")).to_contain_text(CITATION)
    expect(page.get_by_text(f"请于 {journey.deadline.isoformat()}（含当天）前提交")).to_be_visible()

    for key, value in FIRST_TRY.items():
        field(page, key).fill(value)
    page.get_by_role("button", name="提交填报").click()
    expect(field_error(page, "energy_per_unit")).to_have_text("「单位产品综合能耗」不能为负数。")
    expect(field_error(page, "water_per_unit")).to_have_text("「单位产品取水量」须填写数字。")
    expect(page.locator(".field.has-error")).to_have_count(2)
    for key, value in FIRST_TRY.items():
        expect(field(page, key)).to_have_value(value)
    assert_accessible(page, "annual-unit-refused")
    journey.shot(page, "3-refused")
    assert journey.table() is None  # refused as a whole: nothing half kept

    # Filing still refused, now for what is missing; what is right is kept as a draft.
    for key, value in CORRECTED.items():
        field(page, key).fill(value)
    page.get_by_role("button", name="提交填报").click()
    for key in REST:
        expect(field_error(page, key)).to_have_text(f"请填写「{LABELS[key]}」。")
    expect(page.locator(".field.has-error")).to_have_count(len(REST))
    expect(field(page, "energy_per_unit")).to_have_value("12.5")

    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存，可继续填写后提交。")
    expect(page.locator(".facts .status")).to_have_text("填报中（草稿）")
    expect(page.locator(".field.has-error")).to_have_count(0)

    attachments = page.locator("#attachments")
    attachments.get_by_label("附件").set_input_files(
        {"name": ATTACHMENT, "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    attachments.get_by_role("button", name="上传附件").click()
    expect(page.locator(".messages")).to_contain_text(f"附件「{ATTACHMENT}」已上传。")
    expect(page.locator("#attachments").get_by_role("link", name=ATTACHMENT)).to_be_visible()
    assert_accessible(page, "annual-unit-draft")
    journey.shot(page, "4-draft")
    logout(page)

    table = journey.table()
    assert table.status == AnnualTable.Status.DRAFT
    assert table.indicators == {
        "energy_per_unit": 12.5,
        "water_per_unit": 3,
        "pollutant_per_unit": 0.08,
    }


# --- 4. Back to the draft, filed ---


def fetch_pdf(page: Page, journey: Journey):
    """The table's PDF behind the page's 下载 PDF link. The portal serves its PDFs inline (the
    browser shows them); headless Chromium has no viewer, so the link's address is fetched
    with the page's own session instead of clicked."""
    href = page.get_by_role("link", name="下载 PDF").get_attribute("href")
    response = page.request.get(journey.url(href))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    return response


def unit_comes_back_and_files(page: Page, journey: Journey) -> None:
    login(page, journey, "jinan-listed")
    panel = page.locator("section[aria-labelledby=annual-tables-heading]")
    row = panel.locator("tbody tr", has_text=journey.unit_name)
    expect(row).to_contain_text("填报中（草稿）")
    row.get_by_role("link", name=journey.unit_name).click()

    for key, value in {**CORRECTED, "pollutant_per_unit": "0.08"}.items():
        expect(field(page, key)).to_have_value(value)
    for key in REST:
        expect(field(page, key)).to_have_value("")
    expect(page.locator("#attachments").get_by_role("link", name=ATTACHMENT)).to_be_visible()
    # The same draft left open in a second tab, to come back to after filing.
    stale = page.context.new_page()
    stale.goto(page.url)

    for key, value in REST.items():
        field(page, key).fill(value)
    page.get_by_label("说明").fill(NOTES)
    page.get_by_role("button", name="提交填报").click()
    expect(page.locator(".messages")).to_contain_text("动态管理表已按时提交。")
    facts = page.locator(".facts")
    expect(facts.locator(".status")).to_have_text("已按时填报")
    expect(facts).to_contain_text("否，按时填报")
    expect(facts).to_contain_text(timezone.localdate().isoformat())
    expect(page.get_by_role("button", name="提交填报")).to_have_count(0)
    values = page.locator("section[aria-labelledby=indicators-heading] table")
    expect(values.locator("tr", has_text=LABELS["energy_per_unit"])).to_contain_text(
        "12.5 千克标准煤/单位产品"
    )
    expect(values.locator("tr", has_text=LABELS["solid_waste_utilisation_rate"])).to_contain_text(
        "95.5%"
    )
    expect(page.get_by_text(NOTES)).to_be_visible()
    assert_accessible(page, "annual-unit-filed")
    journey.shot(page, "5-filed")

    pdf = fetch_pdf(page, journey)
    disposition = pdf.headers["content-disposition"]
    assert f"filename*=utf-8''{quote(f'动态管理表-{journey.unit_name}-{journey.year}.pdf')}" in (
        disposition.replace("UTF-8", "utf-8")
    )

    # The forgotten tab files again: refused, and told why (the page has no form any more).
    field(stale, "energy_per_unit").fill("11")
    stale.get_by_role("button", name="提交填报").click()
    expect(stale.locator(".messages")).to_contain_text(
        f"{journey.year}年度动态管理表已于 {timezone.localdate().isoformat()} 填报，不能再修改。"
    )
    expect(stale.locator(".facts .status")).to_have_text("已按时填报")
    journey.shot(stale, "5b-stale-tab")
    stale.close()

    open_menu(page, "动态管理", "动态管理表")
    row = page.locator("tbody tr", has_text=journey.unit_name)
    expect(row.locator(".status")).to_have_text("已按时填报")
    expect(row.get_by_role("link", name="查看")).to_be_visible()
    logout(page)

    table = journey.table()
    assert (table.status, table.late, table.filed_by.username) == ("filed", False, "jinan-listed")
    assert table.indicators["renewable_energy_share"] == 20


# --- 5. The city finds it ---


def city_finds_the_filed_table(page: Page, journey: Journey) -> None:
    login(page, journey, "jinan-city")
    open_menu(page, "动态管理", "动态管理表")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{journey.year}年度动态管理表填报情况"
    )
    expect(page.locator("#summary-heading")).to_have_text("应填报单位 2 家")
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(2)

    page.get_by_label("填报情况", exact=True).select_option(label="已按时填报")
    page.get_by_label("单位名称或信用代码").fill(journey.listing.credit_code)
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_contain_text(journey.unit_name)
    expect(row.locator(".status")).to_have_text("已按时填报")
    expect(row).to_contain_text(journey.deadline.isoformat())
    assert_accessible(page, "annual-city-overview")
    journey.shot(page, "6-overview")

    page.get_by_label("填报情况", exact=True).select_option(label="待填报")
    page.get_by_label("单位名称或信用代码").fill("")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.first).not_to_contain_text(journey.unit_name)

    page.get_by_label("填报情况", exact=True).select_option(label="已按时填报")
    page.get_by_role("button", name="筛选").click()
    rows.first.get_by_role("link", name=journey.unit_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(journey.unit_name)
    expect(page.locator(".facts .status")).to_have_text("已按时填报")
    expect(page.get_by_role("button", name="提交填报")).to_have_count(0)
    values = page.locator("section[aria-labelledby=indicators-heading] table")
    expect(values.locator("tr", has_text=LABELS["carbon_per_unit"])).to_contain_text("1.2")
    expect(page.locator("#attachments").get_by_role("link", name=ATTACHMENT)).to_be_visible()
    assert_accessible(page, "annual-city-table")
    journey.shot(page, "7-official")
    fetch_pdf(page, journey)
    logout(page)


def test_a_listed_unit_files_its_annual_table_and_the_city_finds_it(
    page: Page, live_server, demo, settings
):
    journey = arrange(demo, base=live_server.url, password=settings.DEMO_PASSWORD)

    city_sets_window(page, journey)
    night_passes(journey)
    unit_sees_table_due(page, journey)
    unit_is_refused_then_saves_draft(page, journey)
    unit_comes_back_and_files(page, journey)
    city_finds_the_filed_table(page, journey)
