"""Journey: the batch authority's official on an application under expert review goes through
the page's tabs; a step the guards refuse is a disabled button with their reasons; axe-core finds
nothing on the tabs visited. Leaves var/screenshots/application_tabs.png (summary and tabs)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from reviews.models import CountyReview
from tests.browser.journey import assert_accessible
from tests.reviews.test_sheets import (
    boundary_application,
    boundary_template,  # noqa: F401 (a fixture, used by name through usefixtures)
    submit_scores,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
TABS = (
    "概况",
    "申报数据与自查",
    "材料",
    "初审与部门意见",
    "专家评审",
    "现场核查",
    "公示与名单",
    "操作记录",
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("boundary_template")
def test_city_official_goes_through_the_tabs(page: Page, live_server, demo, settings):
    application, assignments = boundary_application(demo, experts=3)
    CountyReview.objects.create(application=application, notes="材料齐全，同意推荐。")
    submit_scores(assignments[:2], ["88", "90"])
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("luoyang-city")
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/applications/{application.pk}/")

    tabs = page.get_by_role("navigation", name="申报页面")
    expect(tabs.get_by_role("link")).to_have_text(list(TABS))
    expect(tabs.get_by_role("link", name="概况")).to_have_attribute("aria-current", "page")
    # 评审通过 is refused while a sheet is missing: disabled, the decision preview's reason beside.
    decide = page.locator(".action-refused", has=page.get_by_role("button", name="评审通过"))
    expect(decide.get_by_role("button", name="评审通过")).to_be_disabled()
    expect(decide.locator(".refusals li").first).to_be_visible()
    assert_accessible(page, "application-tab-overview")

    tabs.get_by_role("link", name="专家评审").click()
    expect(tabs.get_by_role("link", name="专家评审")).to_have_attribute("aria-current", "page")
    expect(page.locator("#expert-panel")).to_contain_text("已分配 3 名专家")
    expect(page.locator("#scores")).to_contain_text("2 / 3 份")
    expect(page.locator("#county-review")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "application_tabs.png", full_page=False)
    assert_accessible(page, "application-tab-experts")

    print(f"专家评审: {page.evaluate('document.documentElement.scrollHeight')} px")

    for name in ("初审与部门意见", "现场核查", "操作记录", "概况"):
        tabs.get_by_role("link", name=name).click()
        expect(tabs.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")
        expect(page.locator("#expert-panel")).to_have_count(0)
        assert_accessible(page, f"application-tab-{name}")
        print(f"{name}: {page.evaluate('document.documentElement.scrollHeight')} px")
