"""Journey: an enterprise fills in, pre-checks and submits an application; its county gets it."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application
from tests.applications.helpers import city_batch, pdf_bytes, split_facts
from tests.browser.journey import assert_accessible, open_menu

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}/dashboard/")
    assert_accessible(page, f"dashboard-{username}")


def fill_facts(page: Page, facts: dict) -> None:
    for key, value in facts.items():
        if isinstance(value, bool):
            page.locator(f"input[name='{key}'][value='{'true' if value else 'false'}']").check()
        elif page.locator(f"select[name='{key}']").count():
            page.locator(f"select[name='{key}']").select_option(str(value))
        else:
            page.locator(f"input[name='{key}']").fill(str(value))


def test_enterprise_submits_and_county_receives(page: Page, live_server, demo, settings, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    batch = city_batch()
    mine, _reference = split_facts("luoyang-2024", "park")
    report = tmp_path / "自评价报告.pdf"
    report.write_bytes(pdf_bytes(pages=2))

    login(page, live_server.url, "luoyang-park", settings.DEMO_PASSWORD)
    open_menu(page, "申报", "我的申报")
    assert_accessible(page, "application-enterprise-list")
    page.get_by_role("link", name="新建申报").first.click()
    assert_accessible(page, "application-enterprise-create")
    page.get_by_label("申报批次").select_option(str(batch.pk))
    page.get_by_label("申报类型").select_option("park")
    page.get_by_role("button", name="创建并开始填写").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("绿色工业园区")
    assert_accessible(page, "application-enterprise-edit")

    # A wrong percentage is refused with its reason and the other answers stay.
    fill_facts(page, {**mine, "industrial_value_added_share": 120})
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("您填写了 120")).to_be_visible()
    expect(page.locator("input[name='has_legal_boundary'][value='true']")).to_be_checked()
    assert_accessible(page, "application-enterprise-refused")
    page.locator("input[name='industrial_value_added_share']").fill("62")
    page.get_by_role("button", name="资格自查").click()
    expect(page.get_by_text("符合全部条件")).to_be_visible()
    assert_accessible(page, "application-enterprise-precheck")

    page.locator("select[name='kind']").select_option("self_evaluation")
    page.locator("input[name='file']").set_input_files(str(report))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("已上传「自评价报告」第 1 版")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "application-edit.png", full_page=True)

    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_text("申报已提交")).to_be_visible()
    assert_accessible(page, "application-enterprise-submitted")
    application = Application.objects.get(batch=batch)
    assert application.status == Application.Status.SUBMITTED

    page.get_by_role("button", name="退出").click()
    login(page, live_server.url, "luoyang-county", settings.DEMO_PASSWORD)
    open_menu(page, "申报与受理", "申报受理")
    assert_accessible(page, "application-county-list")
    page.get_by_role("link", name=application.organisation.name).first.click()
    assert_accessible(page, "application-county-detail")
    page.get_by_role("button", name="登记接收纸质材料").click()
    expect(page.get_by_text("已登记接收纸质材料")).to_be_visible()
    assert_accessible(page, "application-county-received")
    page.screenshot(path=SCREENSHOTS / "application-county.png", full_page=True)

    page.get_by_role("button", name="退出").click()
    login(page, live_server.url, "luoyang-county2", settings.DEMO_PASSWORD)
    response = page.goto(f"{live_server.url}/applications/{application.pk}/")
    assert response.status == 404
