"""The staff import pages: the menu link, the template with Chinese headers, upload, the
preview with row, column and reason, apply."""

import io

from django.core import mail
from openpyxl import load_workbook

from greenmfg.accounts.imports import COLUMNS
from greenmfg.accounts.models import User
from greenmfg.core.imports.models import ImportRun
from tests.factories.staff_imports import staff_row, staff_upload

URL = "/accounts/staff/import/"


def test_the_menu_links_the_page_for_those_who_may_import(client, demo):
    client.force_login(demo["luoyang-city"])
    assert f'href="{URL}"' in client.get("/dashboard/").content.decode()
    client.force_login(demo["luoyang-county"])
    assert f'href="{URL}"' not in client.get("/dashboard/").content.decode()
    assert client.get(URL).status_code == 403


def test_the_upload_page_offers_the_templates(client, demo):
    client.force_login(demo["luoyang-city"])
    page = client.get(URL)
    assert page.status_code == 200 and "批量导入工作人员账号" in page.content.decode()
    workbook = client.get(f"{URL}template.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in COLUMNS]
    assert headers[:4] == ["用户名", "姓名", "角色", "所属单位"]


def test_upload_preview_then_apply(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo["luoyang-city"])
    rows = [
        staff_row(用户名="page-good", 姓名="周八"),
        staff_row(用户名="page-bad", 姓名="吴九", 所属单位="不存在的局"),
    ]
    response = client.post(URL, {"file": staff_upload(rows)})
    run = ImportRun.objects.get(kind="staff")
    assert response.status_code == 302 and response["Location"] == f"{URL}{run.pk}/"
    page = client.get(f"{URL}{run.pk}/").content.decode()
    assert page.index("吴九") < page.index("周八")
    assert "未找到单位「不存在的局」" in page and "所属单位" in page

    refused = client.post(f"{URL}{run.pk}/", {})
    assert refused.status_code == 200 and "未写入任何数据" in refused.content.decode()
    assert not User.objects.filter(username="page-good").exists()

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(f"{URL}{run.pk}/", {"keep_good_rows": "on"}, follow=True)
    assert "写入 1 条记录" in applied.content.decode()
    assert User.objects.filter(username="page-good").exists()
    assert len(mail.outbox) == 1
