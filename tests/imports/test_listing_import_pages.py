"""The import pages: upload, the preview (errors first, with column and reason), apply, and the
template download."""

import io

from openpyxl import load_workbook

from greenmfg.core.imports.models import ImportRun
from registry.models import Listing
from registry.services.imports import COLUMNS
from tests.factories.imports import listing_row, xlsx_upload

URL = "/registry/listings/import/"


def test_the_upload_page_offers_the_templates(client, demo):
    client.force_login(demo["luoyang-city"])
    page = client.get(URL)
    assert page.status_code == 200
    assert "导入存量名单单位" in page.content.decode()
    workbook = client.get(f"{URL}template.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    csv = client.get(f"{URL}template.csv")
    assert csv.content.decode("utf-8-sig").strip() == ",".join(c.header for c in COLUMNS)


def test_upload_preview_then_apply(client, demo):
    client.force_login(demo["luoyang-city"])
    rows = [listing_row(单位名称="甲公司"), listing_row(单位名称="乙公司", 所在地区="不存在县")]
    response = client.post(URL, {"file": xlsx_upload(rows)})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{run.pk}/"
    page = client.get(f"{URL}{run.pk}/").content.decode()
    # Errors first, with the row, the column and the reason.
    assert page.index("乙公司") < page.index("甲公司")
    assert "未找到地区「不存在县」" in page and "仅导入无错误的行" in page

    refused = client.post(f"{URL}{run.pk}/", {})
    assert refused.status_code == 200 and "未写入任何数据" in refused.content.decode()
    assert not Listing.objects.exists()

    applied = client.post(f"{URL}{run.pk}/", {"keep_good_rows": "on"}, follow=True)
    assert "写入 1 条记录" in applied.content.decode()
    assert Listing.objects.get().unit_name == "甲公司"
    # The source file, kept with the run, to its uploader.
    source = client.get(f"{URL}{run.pk}/file/")
    assert b"".join(source.streaming_content)[:2] == b"PK"


def test_a_bad_file_is_shown_on_the_form(client, demo):
    client.force_login(demo["luoyang-city"])
    from tests.factories.imports import csv_text, upload

    content = csv_text([listing_row()]).encode("gb18030")
    response = client.post(URL, {"file": upload(content, "名单.csv")})
    assert response.status_code == 200
    assert "GB18030" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_pages_are_for_officials_and_runs_for_their_uploader(client, demo):
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(URL).status_code == 403
    client.force_login(demo["luoyang-city"])
    client.post(URL, {"file": xlsx_upload([listing_row()])})
    run = ImportRun.objects.get()
    client.force_login(demo["jinan-city"])
    assert client.get(f"{URL}{run.pk}/").status_code == 404
    assert client.get(f"{URL}{run.pk}/file/").status_code == 404
