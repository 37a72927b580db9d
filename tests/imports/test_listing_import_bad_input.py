"""Bad input: each refusal names the row and the column (or the file's problem) precisely, and
nothing is written — neither on preview nor on apply."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from greenmfg.core.errors import DomainError
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.services import import_apply, import_upload
from greenmfg.directory.credit_code import with_check_character
from greenmfg.directory.models import Organisation
from registry.models import Listing, ListingEvent
from tests.conftest import suite_today
from tests.factories.directory import JurisdictionFactory, demo_place, valid_credit_code
from tests.factories.imports import (
    HEADERS,
    csv_text,
    csv_upload,
    listing_row,
    upload,
    xlsx_bytes,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int]:
    return Listing.objects.count(), Organisation.objects.count(), ListingEvent.objects.count()


def bad_checksum() -> str:
    code = valid_credit_code()
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def future_day() -> str:
    return (suite_today() + datetime.timedelta(days=1)).isoformat()


CASES = {
    "credit_code_checksum": (
        lambda: {"统一社会信用代码": bad_checksum()},
        "统一社会信用代码",
        "校验位",
    ),
    "credit_code_length": (
        lambda: {"统一社会信用代码": "91410311MA44"},
        "统一社会信用代码",
        "18 位",
    ),
    "unknown_region": (lambda: {"所在地区": "不存在县"}, "所在地区", "未找到地区"),
    "unknown_region_code": (lambda: {"所在地区": "999999"}, "所在地区", "未找到地区"),
    "region_is_a_city": (lambda: {"所在地区": "洛阳市"}, "所在地区", "县（区）"),
    "level_unknown": (lambda: {"名单层级": "乡级"}, "名单层级", "不是名单层级"),
    # 洛阳's 办法 keeps no county lists (第二十二条: 市级, then recommended upwards).
    "level_not_in_policy": (lambda: {"名单层级": "县（区）级"}, "名单层级", "没有县（区）级名单"),
    "type_unknown": (lambda: {"名单类型": "绿色矿山"}, "名单类型", "不是名单类型"),
    # 济南's 办法 covers no 绿色设计产品.
    "type_not_in_policy": (
        lambda: {"名单类型": "绿色设计产品", "所在地区": "370102", "产品名称": "电机"},
        "名单类型",
        "没有绿色设计产品",
    ),
    "listing_date_in_future": (lambda: {"发布日期": future_day()}, "发布日期", "晚于今天"),
    "year_in_future": (lambda: {"年度": str(suite_today().year + 1)}, "年度", "晚于今年"),
    "bad_date": (lambda: {"发布日期": "2024-02-30"}, "发布日期", "不是有效日期"),
    "required_empty": (lambda: {"发文文号": ""}, "发文文号", "必填"),
    "design_product_without_product": (
        lambda: {"名单类型": "绿色设计产品"},
        "产品名称",
        "须填写产品名称",
    ),
    "validity_where_the_policy_has_none": (
        lambda: {"有效期至": f"{suite_today().year + 2}-06-30"},
        "有效期至",
        "未设有效期",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_bad_cell_names_its_row_and_column_and_nothing_is_written(demo, case):
    official = demo["nation"] if case == "type_not_in_policy" else demo["luoyang-city"]
    values, column, reason = CASES[case]
    rows = [listing_row(单位名称="正确单位有限公司"), listing_row(**values())]
    before = written()
    run = import_upload(kind="listings", uploaded=xlsx_upload(rows), actor=official)
    assert (run.new, run.errors) == (1, 1), run.results
    error = next(result for result in run.results if result["outcome"] == "error")
    assert error["row"] == 3
    assert error["column"] == column
    assert reason in error["reason"], error["reason"]
    with pytest.raises(DomainError, match="第 3 行"):
        import_apply(run=run, actor=official)
    assert written() == before
    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEWED


def test_duplicate_rows_name_the_first_one(demo):
    official = demo["luoyang-city"]
    row = listing_row()
    run = import_upload(kind="listings", uploaded=xlsx_upload([row, dict(row)]), actor=official)
    error = run.results[1]
    assert (error["row"], error["outcome"], error["column"]) == (3, "error", "统一社会信用代码")
    assert "与第 2 行重复" in error["reason"]


def test_an_ambiguous_region_name_lists_the_candidates(demo):
    # A second 洛龙区, in another 洛阳 county's place, for the name to be ambiguous.
    JurisdictionFactory(key="T-LL", name="洛龙区", level="county", parent=demo_place("410300"))
    run = import_upload(
        kind="listings",
        uploaded=xlsx_upload([listing_row(所在地区="洛龙区")]),
        actor=demo["luoyang-city"],
    )
    error = run.results[0]
    assert (error["outcome"], error["column"]) == ("error", "所在地区")
    assert "对应多个区划" in error["reason"] and "410311" in error["reason"]


def test_a_formula_is_refused_in_its_cell(demo):
    rows = [listing_row(单位名称='=HYPERLINK("http://example.com","点击")')]
    run = import_upload(kind="listings", uploaded=xlsx_upload(rows), actor=demo["luoyang-city"])
    error = run.results[0]
    assert (error["row"], error["outcome"], error["column"]) == (2, "error", "单位名称")
    assert "A2" in error["reason"] and "公式" in error["reason"]


def test_a_formula_in_a_csv_is_refused_too(demo):
    rows = [listing_row(发文文号="=1+1")]
    run = import_upload(kind="listings", uploaded=csv_upload(rows), actor=demo["luoyang-city"])
    assert (run.results[0]["column"], run.results[0]["outcome"]) == ("发文文号", "error")


def _refused(uploaded, actor, match):
    before = (*written(), ImportRun.objects.count())
    with pytest.raises(ValidationError, match=match):
        import_upload(kind="listings", uploaded=uploaded, actor=actor)
    assert (*written(), ImportRun.objects.count()) == before


def test_a_file_that_is_not_excel_or_csv_is_refused(demo):
    _refused(upload(b"%PDF-1.7\n\x00\x01binary", "名单.xlsx"), demo["luoyang-city"], "不是 Excel")


def test_an_old_xls_file_is_refused_with_what_to_do(demo):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    _refused(upload(content, "名单.xls"), demo["luoyang-city"], "另存为")


def test_a_gb18030_csv_is_refused_naming_the_first_line(demo):
    content = csv_text([listing_row()]).encode("gb18030")
    _refused(upload(content, "名单.csv"), demo["luoyang-city"], "第 1 行不是 UTF-8")


def test_a_utf8_csv_without_bom_is_read(demo):
    content = csv_text([listing_row()]).encode("utf-8")
    run = import_upload(
        kind="listings", uploaded=upload(content, "名单.csv"), actor=demo["luoyang-city"]
    )
    assert run.new == 1, run.results


def test_a_file_over_20_mb_is_refused(demo):
    content = b"a," * (10 * 1024 * 1024 + 1)
    _refused(upload(content, "名单.csv"), demo["luoyang-city"], "超过 20 MB")


def test_a_missing_required_column_is_refused(demo):
    headers = [header for header in HEADERS if header != "发文文号"]
    content = xlsx_bytes([listing_row()], headers=headers)
    _refused(upload(content), demo["luoyang-city"], "缺少必填列：发文文号")


def test_an_unknown_column_is_refused(demo):
    content = xlsx_bytes([listing_row()], headers=[*HEADERS, "备注二"])
    _refused(upload(content), demo["luoyang-city"], "表头「备注二」")


def test_a_header_only_file_is_refused(demo):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    _refused(upload(xlsx_bytes([])), demo["luoyang-city"], "没有数据行")


def test_a_credit_code_of_another_kind_is_refused(demo):
    code = with_check_character("91410311MA9999999")
    Organisation.objects.create(
        name="某评价机构",
        kind=Organisation.Kind.AGENCY,
        credit_code=code,
        jurisdiction=demo_place("410311"),
    )
    run = import_upload(
        kind="listings",
        uploaded=xlsx_upload([listing_row(统一社会信用代码=code)]),
        actor=demo["luoyang-city"],
    )
    assert run.results[0]["column"] == "统一社会信用代码"
    assert "第三方评价机构" in run.results[0]["reason"]


def test_a_file_over_the_row_limit_is_refused(demo, monkeypatch):
    monkeypatch.setattr("greenmfg.core.imports.files.IMPORT_MAX_ROWS", 2)
    rows = [listing_row(单位名称=f"公司{n}") for n in range(3)]
    _refused(xlsx_upload(rows), demo["luoyang-city"], "超过每个文件 2 行的上限")
