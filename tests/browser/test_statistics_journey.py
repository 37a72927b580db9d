"""Journey: a city official reads 数据统计 of the city (charts with their tables), drills down to
a county, is refused a region outside the city with the reason, and the public reads the
published figures; axe-core finds nothing on the pages visited. The screenshot goes into
var/screenshots/statistics.png."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from dynamic_mgmt.models import GreenGrade
from greenmfg.core import clock
from registry.models import Listing
from tests.applications.helpers import city_batch
from tests.browser.journey import SCREENSHOTS, assert_accessible, open_menu
from tests.core.test_inbox import app
from tests.factories.directory import OrganisationFactory
from tests.factories.dynamic_mgmt import AnnualTableFactory
from tests.factories.registry import ListingFactory
from tests.factories.reviews import ScoreSheetFactory

DESKTOP = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def arrange(demo) -> None:
    county = demo["luoyang-county"].organisation.jurisdiction
    county2 = demo["luoyang-county2"].organisation.jurisdiction
    for place, count, unit_type in (
        (county, 4, "factory"),
        (county2, 2, "park"),
        (county, 1, "park"),
    ):
        for _ in range(count):
            ListingFactory(
                organisation=OrganisationFactory(jurisdiction=place), unit_type=unit_type
            )
    batch = city_batch()
    for status, total in (("passed", 86), ("passed", 74), ("failed", 55), ("listed", 92)):
        application = app(batch, status)
        ScoreSheetFactory(
            assignment__application=application, status="submitted", total=Decimal(total)
        )
    for status in ("submitted", "submitted", "county_review"):
        app(batch, status)
    # Three years of filed tables of two factories, and their green-code grades.
    this_year = clock.today().year
    factories = Listing.objects.filter(unit_type="factory")[:2]
    for offset, energy in ((2, 112.0), (1, 104.5), (0, 98.2)):
        for index, listing in enumerate(factories):
            AnnualTableFactory(
                listing=listing,
                year=this_year - offset,
                status="filed",
                indicators={
                    "energy_per_unit": energy + index * 4,
                    "water_per_unit": 2.6 - offset * -0.1,
                    "carbon_per_unit": 1.3 - (2 - offset) * 0.05,
                },
            )
    for rank, (listing, grade) in enumerate(zip(factories, ("A+", "A"), strict=True), start=1):
        GreenGrade.objects.create(
            listing=listing,
            year=this_year - 1,
            industry="装备制造",
            grade=grade,
            rank=rank,
            of=2,
            score=Decimal("0.9") / rank,
            basis={},
        )


def test_city_official_reads_the_statistics(page: Page, live_server, demo, settings):
    arrange(demo)
    county = demo["luoyang-county"].organisation.jurisdiction
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("luoyang-city")
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    open_menu(page, "数据统计", "统计分析")
    expect(page.get_by_role("heading", level=1)).to_contain_text("数据统计")
    level_chart = page.get_by_role("img", name="按名单层级")
    expect(level_chart).to_be_visible()
    expect(page.get_by_role("img", name="评审通过率")).to_be_visible()
    expect(page.get_by_role("img", name="单位产品综合能耗（中位数）")).to_be_visible()
    expect(page.get_by_role("img", name="企业绿码等级")).to_be_visible()
    # The same numbers in a table, behind its summary.
    page.locator("#stat-type-heading").locator("xpath=../..").locator("summary").click()
    expect(page.get_by_role("table", name="按类型")).to_contain_text("绿色工厂")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "statistics.png", full_page=True)
    assert_accessible(page, "statistics-city")

    # Drill down to a county.
    page.get_by_role("navigation", name="下级区划").get_by_role("link", name=county.name).click()
    expect(page).to_have_url(f"{live_server.url}/statistics/?region={county.key}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(county.name)
    assert_accessible(page, "statistics-county")

    # A region outside the city: refused with the reason.
    page.goto(f"{live_server.url}/statistics/?region=370100")
    expect(page.get_by_role("alert").first).to_contain_text("不在您的管辖范围")
    assert_accessible(page, "statistics-refused")

    # An empty year says so.
    page.goto(f"{live_server.url}/statistics/?year=2016")
    expect(page.get_by_text("暂无数据").first).to_be_visible()
    assert_accessible(page, "statistics-empty-year")

    # 企业绿码, the group's other page.
    open_menu(page, "数据统计", "企业绿码")
    assert_accessible(page, "statistics-grades")


def test_the_public_reads_published_figures(page: Page, live_server, demo):
    arrange(demo)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="统计数据").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("名单统计")
    expect(page.get_by_role("img", name="按类型")).to_be_visible()
    expect(page.get_by_text("评审通过率")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "statistics-public.png", full_page=True)
    assert_accessible(page, "statistics-public")

    # On a phone the charts shrink to the screen: the page never scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/tongji/")
    expect(page.get_by_role("img", name="按类型")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "statistics-public-390.png", full_page=True)
    assert_accessible(page, "statistics-public-390")
