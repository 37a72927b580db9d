"""What the annual-table browser journey (tests/browser/test_annual_table_journey.py) found on
the table's page, pinned without a browser."""

import datetime
import re

import pytest

from dynamic_mgmt.models import AnnualTable, AnnualTableAttachment
from tests.applications.helpers import pdf_upload
from tests.dynamic_mgmt.test_annual_tables import FACTORY, YEAR, file_table, listed, open_window

pytestmark = pytest.mark.django_db

FILED_ON = datetime.date(2026, 3, 1)


@pytest.fixture
def filed(demo):
    """The demo enterprise's table, filed; the window open for years either side."""
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(opens_on=datetime.date(2020, 1, 1), deadline=datetime.date(2099, 4, 15))
    file_table(listing, today=FILED_ON)
    return listing


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_filing_again_from_a_stale_page_says_the_table_is_already_filed(client, demo, filed):
    # A second tab still showing the form, or a second click on 提交填报.
    client.force_login(demo["luoyang-enterprise"])

    response = client.post(
        f"/dynamic/tables/{filed.pk}/{YEAR}/",
        {**FACTORY, "energy_per_unit": "99", "action": "file"},
    )

    assert response.status_code == 400
    refusal = f"{YEAR}年度动态管理表已于 {FILED_ON.isoformat()} 填报，不能再修改。"
    assert messages_of(response) == [refusal]
    assert refusal in response.content.decode()
    table = AnnualTable.objects.get(listing=filed, year=YEAR)
    assert table.indicators["energy_per_unit"] == 12.5


def test_saving_a_draft_of_a_filed_table_says_why(client, demo, filed):
    client.force_login(demo["luoyang-enterprise"])

    response = client.post(f"/dynamic/tables/{filed.pk}/{YEAR}/", {**FACTORY, "action": "save"})

    assert response.status_code == 400
    assert any("不能再修改" in message for message in messages_of(response))


def test_attaching_to_a_filed_table_says_why(client, demo, filed):
    client.force_login(demo["luoyang-enterprise"])

    response = client.post(
        f"/dynamic/tables/{filed.pk}/{YEAR}/attachments/", {"file": pdf_upload("补充说明.pdf")}
    )

    assert response.status_code == 400
    assert any("不能再修改" in message for message in messages_of(response))
    assert not AnnualTableAttachment.objects.exists()


def test_a_refusal_shown_on_the_form_is_not_repeated_as_a_message(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(opens_on=datetime.date(2020, 1, 1), deadline=datetime.date(2099, 4, 15))
    client.force_login(demo["luoyang-enterprise"])

    response = client.post(
        f"/dynamic/tables/{listing.pk}/{YEAR}/",
        {**FACTORY, "energy_per_unit": "-1", "action": "save"},
    )

    assert response.status_code == 400
    assert messages_of(response) == []
    assert response.content.decode().count("「单位产品综合能耗」不能为负数。") == 1


def test_the_tables_links_sit_together_beside_its_heading(client, demo, filed):
    """The title row spreads its children apart: the two links are one child of it."""
    client.force_login(demo["luoyang-enterprise"])

    html = client.get(f"/dynamic/tables/{filed.pk}/{YEAR}/").content.decode()

    row = re.search(r'<div class="title-row">.*?</div>', html, re.S).group(0)
    links = re.search(r"</h1>\s*<span[^>]*>(.*?)</span>\s*</div>$", row, re.S)
    assert links is not None, row
    assert "历年指标与变化" in links.group(1) and "下载 PDF" in links.group(1)
