"""greenmfg.core.export: the workbook xlsx_response builds, and the ?export=xlsx of list views."""

import io
from datetime import UTC, date, datetime
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from greenmfg.core.export import (
    XLSX_CONTENT_TYPE,
    Column,
    export_url,
    sheet_title,
    xlsx_filename,
    xlsx_response,
)
from greenmfg.directory.models import Organisation
from tests.factories import OrganisationFactory


def read(response):
    """The downloaded workbook's only sheet."""
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def values(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# --- xlsx_response ----------------------------------------------------------------------------


def people_response(**overrides):
    rows = [
        {"name": "张三", "joined": datetime(2026, 3, 1, 16, 30, tzinfo=UTC), "score": 91.5},
        {"name": "李四", "joined": None, "score": 7},
    ]
    arguments = {
        "filename": "专家名单.xlsx",
        "title": "专家名单",
        "columns": [
            Column("姓名", lambda r: r["name"], width=12),
            Column("入库时间", lambda r: r["joined"], width=20),
            Column("评分", lambda r: r["score"]),
        ],
        "rows": iter(rows),
    }
    arguments.update(overrides)
    return xlsx_response(**arguments)


def test_xlsx_response_puts_the_chinese_headers_in_row_one_and_the_rows_below():
    response = people_response()
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = read(response)
    assert sheet.title == "专家名单"
    assert values(sheet) == [
        ("姓名", "入库时间", "评分"),
        ("张三", datetime(2026, 3, 2, 0, 30), 91.5),
        ("李四", None, 7),
    ]


def test_xlsx_response_headers_are_bold_and_frozen_and_columns_sized():
    sheet = read(people_response())
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    # Stored as Excel stores a width typed in characters: 12 characters are 12.7109375 units
    # (the cell padding added), which Excel shows as 12.
    assert int(sheet.column_dimensions["A"].width) == 12
    assert int(sheet.column_dimensions["B"].width) == 20
    assert int(sheet.column_dimensions["C"].width) == 16  # the default


def test_xlsx_response_writes_aware_datetimes_as_shanghai_wall_clock_time():
    instant = datetime(2026, 12, 31, 20, 5, tzinfo=UTC)  # 2027-01-01 04:05 in 北京时间
    response = xlsx_response(
        filename="t",
        title="t",
        columns=[Column("时间", lambda r: r), Column("日期", lambda r: date(2026, 5, 1))],
        rows=[instant],
    )
    sheet = read(response)
    written = sheet["A2"].value
    assert written == datetime(2027, 1, 1, 4, 5) and written.tzinfo is None
    assert written == timezone.localtime(instant).replace(tzinfo=None)
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["B2"].value.date() == date(2026, 5, 1)
    assert sheet["B2"].number_format == "yyyy-mm-dd"


def test_xlsx_response_names_the_chinese_file_in_rfc_5987_form():
    disposition = people_response()["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('专家名单.xlsx')}" in disposition


def test_xlsx_response_adds_the_suffix_and_strips_path_separators():
    assert xlsx_filename("培育库") == "培育库.xlsx"
    assert xlsx_filename("培育库.XLSX") == "培育库.XLSX"
    assert xlsx_filename("../a/b") == "..-a-b.xlsx"
    assert xlsx_filename("  ") == "export.xlsx"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("申报受理", "申报受理"),
        ("2026/2027 批次[草稿]: 第*批?", "20262027 批次草稿 第批"),
        ("'引号'", "引号"),
        ("很" * 40, "很" * 31),
        ("[]:*?/\\", "Sheet1"),
    ],
)
def test_sheet_title_keeps_to_what_excel_accepts(title, expected):
    assert sheet_title(title) == expected
    assert read(people_response(title=title)).title == expected


def test_xlsx_response_keeps_text_as_text_never_formulas_and_drops_control_characters():
    response = xlsx_response(
        filename="t",
        title="t",
        columns=[Column("名称", lambda r: r)],
        rows=['=HYPERLINK("http://example.com","点我")', "甲\x07公司", ""],
    )
    sheet = read(response)
    assert sheet["A2"].value == '=HYPERLINK("http://example.com","点我")'
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "甲公司"
    assert sheet["A4"].value is None


def test_xlsx_response_reads_the_rows_once_as_they_come():
    def rows():
        yield from range(3)

    response = xlsx_response(
        filename="t", title="t", columns=[Column("编号", lambda r: r + 1)], rows=rows()
    )
    assert values(read(response)) == [("编号",), (1,), (2,), (3,)]


def test_xlsx_response_with_no_rows_has_the_headers_only():
    response = people_response(rows=[])
    assert values(read(response)) == [("姓名", "入库时间", "评分")]


def test_export_url_keeps_filters_and_sort_and_drops_the_page():
    request = RequestFactory().get("/organisations/", {"q": "洛阳", "page": "3"})
    url = export_url(request)
    assert url.startswith("/organisations/?")
    assert "page=" not in url and "export=xlsx" in url and f"q={quote('洛阳')}" in url


# --- the list views' ?export=xlsx -------------------------------------------------------------


@pytest.mark.django_db
def test_export_is_refused_above_the_row_cap_with_a_message(client, demo, settings):
    settings.EXPORT_MAX_ROWS = 2
    client.force_login(demo["luoyang-city"])
    url = reverse("directory:organisation-list")
    assert Organisation.objects.count() > 2
    response = client.get(url, {"ordering": "name", "export": "xlsx"})
    assert response.status_code == 302
    assert response.url == f"{url}?ordering=name"
    [message] = list(get_messages(response.wsgi_request))
    assert "超过单次导出上限 2 条" in str(message) and "缩小筛选范围" in str(message)
    assert message.level_tag == "error"


@pytest.mark.django_db
def test_export_under_the_row_cap_is_built(client, demo, settings):
    client.force_login(demo["luoyang-county"])
    url = reverse("directory:organisation-list")
    count = Organisation.objects.filter(jurisdiction__key="410311").count()
    settings.EXPORT_MAX_ROWS = count
    response = client.get(url, {"jurisdiction": "410311", "export": "xlsx"})
    assert response.status_code == 200
    assert len(values(read(response))) == count + 1


@pytest.mark.django_db
def test_the_row_cap_defaults_to_one_hundred_thousand(settings):
    from greenmfg.core.export import export_max_rows

    del settings.EXPORT_MAX_ROWS
    assert export_max_rows() == 100_000


@pytest.mark.django_db
def test_anonymous_export_goes_to_the_login_page(client):
    url = reverse("directory:organisation-list")
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.django_db
def test_list_page_offers_the_export_link_with_its_filters(client, demo):
    client.force_login(demo["luoyang-city"])
    url = reverse("directory:organisation-list")
    body = client.get(url, {"kind": "enterprise", "page": "1"}).content.decode()
    assert "导出 Excel" in body
    assert f'href="{url}?kind=enterprise&amp;export=xlsx"' in body
    assert 'aria-label="导出 Excel：按当前筛选条件和排序导出全部记录（不分页）"' in body


@pytest.mark.django_db
def test_export_writes_the_filtered_rows_not_only_the_first_page(client, demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    made = [
        OrganisationFactory(jurisdiction=county, name=f"导出测试{n:02d}公司") for n in range(30)
    ]
    client.force_login(demo["luoyang-county"])
    response = client.get(
        reverse("directory:organisation-list"),
        {"q": "导出测试", "ordering": "name", "page": "2", "export": "xlsx"},
    )
    rows = values(read(response))[1:]
    assert [row[0] for row in rows] == sorted(o.name for o in made)
