"""Journey: the county reviews a submission, consults the departments and recommends it."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application, BatchQuota
from applications.services.applications import application_transition
from tests.applications.test_submission import ready_application
from tests.browser.journey import assert_accessible, open_menu

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}/dashboard/")


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


def test_county_consults_departments_and_recommends(page: Page, live_server, demo, settings):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    application, applicant = ready_application(demo)
    BatchQuota.objects.create(batch=application.batch, county=application.jurisdiction, quota=1)
    application_transition(application=application, action="submit", actor=applicant)
    url = f"{live_server.url}/applications/{application.pk}/"
    password = settings.DEMO_PASSWORD

    login(page, live_server.url, "luoyang-county", password)
    open_menu(page, "申报与受理", "申报受理")
    assert_accessible(page, "county-review-applications")
    page.get_by_role("link", name=application.organisation.name).first.click()
    expect(page).to_have_url(url)
    assert_accessible(page, "county-review-application")
    page.get_by_role("button", name="开始初审").click()
    page.get_by_role("navigation", name="申报页面").get_by_role(
        "link", name="初审与部门意见"
    ).click()
    assert_accessible(page, "county-review-tab")
    for box in page.locator("#county-review input[type=checkbox][name^=check_]").all():
        box.check()
    page.get_by_label("本县（区）排序").fill("1")
    page.get_by_role("button", name="保存初审意见").click()
    expect(page.get_by_text("初审意见已保存")).to_be_visible()
    page.get_by_role("button", name="发送征求意见").click()
    expect(page.get_by_text("已向 3 个部门征求意见")).to_be_visible()
    # 推荐 waits, disabled, with the guard's reasons beside it, until the departments answer.
    expect(page.get_by_role("button", name="推荐", exact=True)).to_be_disabled()
    expect(page.locator("#refusals-recommend")).to_contain_text("尚未回复意见")
    assert_accessible(page, "county-review-consulting")
    logout(page)

    for username in ("luoyang-env", "luoyang-safety", "luoyang-market"):
        login(page, live_server.url, username, password)
        open_menu(page, "评审", "征求意见")
        page.get_by_role("link", name=application.organisation.name).first.click()
        if username == "luoyang-env":
            assert_accessible(page, "county-review-department-opinion")
        page.get_by_label("无异议").check()
        page.get_by_role("button", name="提交意见").click()
        expect(page.get_by_text("意见已回复")).to_be_visible()
        logout(page)

    login(page, live_server.url, "luoyang-county", password)
    open_menu(page, "评审", "征求意见")
    assert_accessible(page, "county-review-opinions")
    open_menu(page, "申报与受理", "申报受理")
    page.get_by_role("link", name=application.organisation.name).first.click()
    page.get_by_role("button", name="推荐", exact=True).click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    assert_accessible(page, "county-review-recommended")
    page.screenshot(path=SCREENSHOTS / "county-review.png", full_page=True)
    assert Application.objects.get(pk=application.pk).status == Application.Status.RECOMMENDED
