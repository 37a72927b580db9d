"""The expert import pages: the link from the pool, upload, the preview (errors first, with
column and reason), apply, and the template with its Chinese headers."""

import io

from openpyxl import load_workbook

from greenmfg.core.imports.models import ImportRun
from reviews.models import ExpertMembership
from reviews.services.expert_imports import COLUMNS
from tests.factories.expert_imports import expert_row, experts_xlsx

URL = "/experts/import/"


def test_the_pool_page_links_to_the_import(client, demo):
    client.force_login(demo["luoyang-city"])
    page = client.get("/experts/").content.decode()
    assert f'href="{URL}"' in page and "批量导入专家" in page


def test_the_upload_page_offers_the_templates(client, demo):
    client.force_login(demo["luoyang-city"])
    page = client.get(URL)
    assert page.status_code == 200 and "导入专家库成员" in page.content.decode()
    workbook = client.get(f"{URL}template.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    assert sheet[1][0].value == "姓名"
    csv = client.get(f"{URL}template.csv")
    assert csv.content.decode("utf-8-sig").strip() == ",".join(c.header for c in COLUMNS)


def test_upload_preview_then_apply(client, demo):
    client.force_login(demo["luoyang-city"])
    rows = [expert_row(姓名="甲专家"), expert_row(姓名="乙专家", 专业领域="化学")]
    response = client.post(URL, {"file": experts_xlsx(rows)})
    run = ImportRun.objects.get(kind="experts")
    assert response.status_code == 302 and response["Location"] == f"{URL}{run.pk}/"
    page = client.get(f"{URL}{run.pk}/").content.decode()
    assert page.index("乙专家") < page.index("甲专家")
    assert "「化学」不是专业领域" in page and "仅导入无错误的行" in page

    refused = client.post(f"{URL}{run.pk}/", {})
    assert refused.status_code == 200 and "未写入任何数据" in refused.content.decode()
    assert not ExpertMembership.objects.exists()

    applied = client.post(f"{URL}{run.pk}/", {"keep_good_rows": "on"}, follow=True)
    assert "写入 1 条记录" in applied.content.decode()
    assert ExpertMembership.objects.get().expert.full_name == "甲专家"


def test_a_county_official_is_refused_the_page(client, demo):
    client.force_login(demo["luoyang-county"])
    assert client.get(URL).status_code == 403
