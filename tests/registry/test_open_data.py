"""开放数据: any filtered list downloads as CSV (UTF-8 with BOM, streamed) and as Excel, exactly
the filtered and sorted rows of every page."""

import csv
import datetime
import io

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from registry.models import Listing

from .test_public_lists import jinan_listing, make_listing

pytestmark = pytest.mark.django_db
URL = "/mingdan/"
HEADERS = [
    "单位名称",
    "统一社会信用代码",
    "类型",
    "产品名称",
    "名单层级",
    "年度",
    "发布单位",
    "所在地区",
    "发文文号",
    "发布日期",
    "有效期至",
    "状态",
    "移出日期",
]


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def lists(demo):
    """Three 洛阳 listings (one removed) and a 济南 one with its three-year term."""
    make_listing(name="洛阳甲装备有限公司", year=2025, listed_on=datetime.date(2025, 5, 1))
    make_listing(
        name="洛阳乙材料有限公司", county="410307", year=2024, listed_on=datetime.date(2024, 5, 1)
    )
    make_listing(name="洛阳丙已移出有限公司", status=Listing.Status.REMOVED)
    return jinan_listing(name="济南丁设备有限公司", listed_on=datetime.date(2025, 6, 30))


def test_the_csv_is_the_filtered_list_in_utf8_with_a_bom(client, lists):
    response = client.get(URL, {"region": "410300", "ordering": "-listed_on", "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "attachment" in response["Content-Disposition"]
        and ".csv" in response["Content-Disposition"]
    )
    header, *rows = csv_rows(response)
    assert header == HEADERS
    assert [row[0] for row in rows] == ["洛阳甲装备有限公司", "洛阳乙材料有限公司"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["类型"] == "绿色工厂" and first["名单层级"] == "市级"
    assert first["所在地区"] == "洛阳市洛龙区" and first["发布日期"] == "2025-05-01"
    assert first["有效期至"] == "未设期限" and first["状态"] == "有效" and first["移出日期"] == ""


def test_downloads_match_the_page(client, lists):
    query = {"status": "all", "ordering": "unit_name"}
    page = [listing.unit_name for listing in client.get(URL, query).context["listings"]]

    _, *csv_body = csv_rows(client.get(URL, {**query, "export": "csv"}))
    _, *xlsx_body = xlsx_rows(client.get(URL, {**query, "export": "xlsx"}))

    assert [row[0] for row in csv_body] == page == [row[0] for row in xlsx_body]
    assert len(page) == 4 and "洛阳丙已移出有限公司" in page


def test_the_excel_download_reads_back_with_dates_and_terms(client, lists):
    response = client.get(URL, {"region": "370100", "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = xlsx_rows(response)
    assert header == HEADERS
    [row] = rows
    values = dict(zip(header, row, strict=False))  # trailing empty cells are not stored
    assert values["单位名称"] == "济南丁设备有限公司"
    assert values["发布单位"] == "济南市工业和信息化局"
    assert values["有效期至"].date() == datetime.date(2028, 6, 30)  # 济南: three years
    assert values["发布日期"].date() == datetime.date(2025, 6, 30)


def test_every_page_is_downloaded_not_only_the_first(client, demo):
    for index in range(30):
        make_listing(name=f"批量企业{index:02d}有限公司")

    _, *rows = csv_rows(client.get(URL, {"export": "csv"}))

    assert len(rows) == 30


def test_a_name_that_looks_like_a_formula_stays_text(client, demo):
    make_listing(name='=HYPERLINK("http://x")有限公司')

    _, row = csv_rows(client.get(URL, {"export": "csv"}))

    assert row[0] == '\'=HYPERLINK("http://x")有限公司'


def test_a_download_with_wrong_filters_is_refused_rather_than_widened(client, lists):
    response = client.get(URL, {"region": "no-such-place", "export": "csv"})

    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_downloads_carry_no_internal_data(client, lists):
    _, *rows = csv_rows(client.get(URL, {"status": "all", "export": "csv"}))

    for row in rows:
        assert len(row) == len(HEADERS)
    text = "".join(",".join(row) for row in rows)
    assert "admin" not in text  # who entered the listing stays internal
