"""Journey: a city official finds the work by task in the grouped menu, with its pending counts
and the current place marked, at a desktop width (1366 px) and at a phone's (390 px), where a wide
table scrolls in its own box and the page does not; axe-core finds nothing on the pages visited."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.applications.helpers import city_batch
from tests.browser.journey import SCREENSHOTS, assert_accessible, open_menu
from tests.core.test_inbox import app
from tests.factories.registry import ListingFactory

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Pages with wide tables, each reached through the menu: (group, link, path).
WIDE_PAGES = (
    ("公开信息", "名单查询", "/mingdan/"),
    ("公示与名单", "名单管理", "/registry/listings/"),
    ("申报与受理", "申报受理", "/applications/"),
    ("申报与受理", "申报批次", "/batches/"),
    ("动态管理", "移出建议", "/dynamic/removals/"),
)
GROUPS = (
    "申报与受理",
    "评审",
    "公示与名单",
    "动态管理",
    "第三方机构",
    "监督（举报、黑名单）",
    "数据统计",
    "公开信息",
    "系统",
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=False)


def arrange() -> None:
    """Work to count (two recommended applications of the city's batch, to start reviewing) and
    wide rows: listed units with long names on the city's list."""
    batch = city_batch(scoring_deadline=timezone.localdate() + timezone.timedelta(days=10))
    for _ in range(2):
        app(batch, "recommended")
    for n in range(3):
        ListingFactory(unit_name=f"洛阳示范绿色制造装备与新材料科技股份有限公司第{n + 1}分公司")


def test_city_official_works_through_the_grouped_menu(page: Page, live_server, demo, settings):
    arrange()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("luoyang-city")
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")

    menu = page.get_by_role("navigation", name="主导航")
    for label in GROUPS:
        expect(menu.get_by_role("heading", name=label, exact=False).first).to_be_visible()
    expect(menu.get_by_role("link", name="工作台")).to_have_attribute("aria-current", "page")
    # The two recommended applications are counted on the 评审 group and on its link.
    review = menu.locator('[data-group="review"]')
    expect(review.get_by_role("heading")).to_contain_text("2项待办")
    start = review.get_by_role("link", name="待开始专家评审")
    expect(start).to_contain_text("2")
    assert_accessible(page, "navigation-city-dashboard")

    start.click()
    expect(page).to_have_url(f"{live_server.url}/applications/?status=recommended")
    expect(start).to_have_attribute("aria-current", "page")
    expect(review).to_have_class("nav-group is-current")
    expect(menu.get_by_role("link", name="申报受理")).not_to_have_attribute("aria-current", "page")
    shot(page, "navigation-city-1366.png")

    # A sub-page marks the list it belongs to.
    menu.get_by_role("link", name="名单管理").click()
    expect(page).to_have_url(f"{live_server.url}/registry/listings/")
    publicity = menu.locator('[data-group="publicity"]')
    expect(publicity).to_have_class("nav-group is-current")
    expect(publicity.get_by_role("link", name="名单管理")).to_have_attribute("aria-current", "page")
    assert_accessible(page, "navigation-city-listings")

    # The keyboard reaches the menu: skip link first, then the first menu link.
    page.goto(f"{live_server.url}/dashboard/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()

    # At a phone's width the menu folds under 菜单, opened by the keyboard.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dashboard/")
    summary = menu.locator("summary")
    expect(summary).to_be_visible()
    expect(menu.get_by_role("link", name="名单管理")).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="名单管理")).to_be_visible()
    shot(page, "navigation-city-390.png")
    assert_accessible(page, "navigation-city-390-menu-open")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/dashboard/ is {width} px wide at {PHONE['width']} px"

    for group, link, path in WIDE_PAGES:
        open_menu(page, group, link)
        expect(page).to_have_url(f"{live_server.url}{path}")
        # Measure the page as laid out with its stylesheet: the address changes before it loads.
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide at {PHONE['width']} px"
        assert_accessible(page, f"navigation-390-{path.strip('/').replace('/', '-')}")


def test_visitor_menu_and_wide_public_list_at_phone_width(page: Page, live_server, demo):
    ListingFactory(unit_name="洛阳示范绿色制造装备与新材料科技股份有限公司（演示长名称）")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/mingdan/")
    menu = page.get_by_role("navigation", name="主导航")
    expect(menu.get_by_role("link", name="名单查询")).to_have_attribute("aria-current", "page")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/mingdan/ is {width} px wide"
    assert_accessible(page, "navigation-visitor-390-mingdan")
