"""Journey: each demo role logs in through the browser and lands on its own dashboard."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import assert_accessible
from tests.core.test_dashboard import ROLES

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("username", "label"), ROLES.items(), ids=list(ROLES))
def test_role_logs_in_and_sees_own_dashboard(
    page: Page, live_server, demo, settings, username, label
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page).to_have_title("登录 · 绿色制造名单管理平台")
    assert_accessible(page, "login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(label)
    organisation = demo[username].organisation
    if organisation:
        expect(heading).to_contain_text(organisation.name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"dashboard-{username}.png", full_page=True)
    assert_accessible(page, f"login-dashboard-{username}")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您已安全退出")


def test_wrong_password_five_times_shows_lockout_page(page: Page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("用户名").fill("jinan-county")
        page.get_by_label("密码").fill("not-the-password")
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("账号已暂时锁定")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "lockout.png")
    assert_accessible(page, "login-lockout")
