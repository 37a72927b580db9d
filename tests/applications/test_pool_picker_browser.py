"""The organisation picker in a browser: typing asks the search endpoint, a click picks."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from applications.models import CultivationCandidate
from tests.applications.helpers import county
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_county_picks_a_unit_by_typing_part_of_its_name(
    page: Page, live_server, demo, settings
):
    place = county("410311")
    crowd = [
        OrganisationFactory(jurisdiction=place, name=f"拥挤县企业{n:03d}有限公司")
        for n in range(30)
    ]
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("luoyang-county")
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/pool/new/")

    picker = page.get_by_role("combobox", name="培育对象")
    picker.fill("企业017")
    option = page.get_by_role("option", name=crowd[17].name, exact=False)
    expect(option).to_have_count(1)
    option.click()
    expect(picker).to_have_value(f"{crowd[17].name}（企业，{crowd[17].credit_code}）")
    page.get_by_label("目标年度").fill(str(timezone.localdate().year + 1))
    page.get_by_label("培育计划").fill("节能改造")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(crowd[17].name)
    assert CultivationCandidate.objects.get().organisation == crowd[17]
