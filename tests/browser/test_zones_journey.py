"""Journey: an administrator adds a functional zone under a county, choosing the parent level by
level in the cascading picker (province → city → county appear as each is chosen, by the
picker's script under the site's CSP); axe-core finds nothing on the page."""

import pytest
from playwright.sync_api import Page, expect

from greenmfg.directory.models import Jurisdiction
from tests.browser.journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_a_zone_under_a_county(page: Page, live_server, demo, settings):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/regions/zones/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("功能区")
    page.get_by_label("所属市或县（区）").select_option("410000")
    page.locator("#id_parent_1").select_option("410300")
    page.locator("#id_parent_2").select_option("410311")
    page.get_by_label("功能区名称").fill("洛龙科技园区")
    assert_accessible(page, "functional-zones")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已新增功能区「洛龙科技园区」")).to_be_visible()
    zone = Jurisdiction.objects.get(name="洛龙科技园区")
    assert zone.parent.key == "410311"
