"""Officials import credit events from CSV or Excel: good rows kept, bad rows reported by line."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from applications.models import CreditEvent, CreditImport
from applications.services.credit import MAX_FILE_SIZE, TEMPLATE_HEADER, credit_import
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import NotPermitted
from tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "单位名称", "事件类型", "发生日期", "移出/整改完成日期", "说明"]


def csv_upload(rows, *, header=HEADER, encoding="utf-8-sig", name="credit.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, header=HEADER, name="credit.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def wrong_check_character(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def refused_file_message(error: ValidationError) -> str:
    return " ".join(error.message_dict["file"])


def test_good_rows_are_kept_and_each_broken_row_reported_with_line_and_reason(demo):
    good, other, broken = valid_credit_code(), valid_credit_code(), valid_credit_code()
    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    upload = csv_upload(
        [
            [good, "洛阳甲公司", "经营异常名单", "2025-01-10", "", ""],  # line 2
            [wrong_check_character(broken), "乙", "安全事故", "2025-01-10", "", ""],  # 3
            [broken, "丙", "偷电", "2025-01-10", "", ""],  # 4
            [broken, "丁", "质量事故", "2025-13-45", "", ""],  # 5
            [broken, "戊", "质量事故", future, "", ""],  # 6
            [broken, "己", "失信被执行人", "2025-06-01", "2025-05-01", ""],  # 7
            [other, "洛阳庚公司", "accident_safety", "2024/05/06", "2024/08/01", "已处理"],  # 8
        ]
    )

    record = credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="信用中国")

    assert (record.rows_total, record.rows_imported) == (7, 2)
    assert [error["line"] for error in record.errors] == [3, 4, 5, 6, 7]
    messages = {error["line"]: error["message"] for error in record.errors}
    assert "统一社会信用代码" in messages[3] and "校验位错误" in messages[3]
    assert "事件类型「偷电」无法识别" in messages[4]
    assert "发生日期「2025-13-45」不是有效日期" in messages[5]
    assert f"发生日期「{future}」" in messages[6] and "不能是将来的日期" in messages[6]
    assert "移出/整改完成日期「2025-05-01」早于发生日期「2025-06-01」" in messages[7]
    assert not CreditEvent.objects.filter(credit_code=broken).exists()
    kept = CreditEvent.objects.get(credit_code=other)
    assert kept.kind == CreditEvent.Kind.ACCIDENT_SAFETY
    assert (kept.occurred_on, kept.resolved_on) == (date(2024, 5, 6), date(2024, 8, 1))
    assert (kept.unit_name, kept.description, kept.source) == ("洛阳庚公司", "已处理", "信用中国")
    assert kept.credit_import == record


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(["", "经营异常名单", "2025-01-01"], "统一社会信用代码为空", id="no-code"),
        pytest.param(["91410311MA0000", "经营异常名单", "2025-01-01"], "应为 18 位", id="short"),
        pytest.param(["{code}", "", "2025-01-01"], "事件类型为空", id="no-kind"),
        pytest.param(["{code}", "违章停车", "2025-01-01"], "「违章停车」无法识别", id="kind"),
        pytest.param(["{code}", "经营异常名单", ""], "发生日期为空", id="no-date"),
        pytest.param(["{code}", "经营异常名单", "01/02/2025"], "「01/02/2025」", id="us-date"),
        pytest.param(["{code}", "经营异常名单", "2025-02-30"], "「2025-02-30」", id="no-day"),
    ],
)
def test_broken_row_names_column_and_value(demo, cells, expected):
    code = valid_credit_code()
    row = [cells[0].format(code=code), "", cells[1], cells[2], "", ""]

    record = credit_import(
        actor=demo["luoyang-county"], uploaded_file=csv_upload([row]), source="信用中国"
    )

    assert record.rows_imported == 0
    assert [error["line"] for error in record.errors] == [2]
    assert expected in record.errors[0]["message"]


def test_a_row_with_several_problems_lists_them_all(demo):
    row = ["", "", "偷电", "明天", "", ""]

    record = credit_import(
        actor=demo["luoyang-county"], uploaded_file=csv_upload([row]), source="信用中国"
    )

    message = record.errors[0]["message"]
    assert "统一社会信用代码为空" in message and "「偷电」" in message and "「明天」" in message


def test_line_numbers_count_blank_lines_and_multiline_cells(demo):
    code = valid_credit_code()
    text = (
        "统一社会信用代码,事件类型,发生日期,说明\r\n"
        f'{code},经营异常名单,2025-01-01,"第一行\r\n第二行"\r\n'
        "\r\n"
        f"{code},经营异常名单,2025-99-01,\r\n"
    )
    upload = SimpleUploadedFile("credit.csv", text.encode("utf-8"))

    record = credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="信用中国")

    assert (record.rows_total, record.rows_imported) == (2, 1)
    assert [error["line"] for error in record.errors] == [5]
    assert CreditEvent.objects.get(credit_code=code).description == "第一行\r\n第二行"


def test_reimporting_the_same_file_creates_no_duplicates(demo):
    code = valid_credit_code()
    rows = [
        [code, "甲", "经营异常名单", "2025-01-10", "", ""],
        [code, "甲", "环境污染事故", "2024-07-01", "", ""],
    ]
    first = credit_import(
        actor=demo["luoyang-county"], uploaded_file=csv_upload(rows), source="信用中国"
    )

    rows[0][4] = "2025-09-01"  # the later file records the removal
    second = credit_import(
        actor=demo["luoyang-county"],
        uploaded_file=csv_upload(rows),
        source="国家企业信用信息公示系统",
    )

    events = CreditEvent.objects.filter(credit_code=code)
    assert events.count() == 2
    assert second.rows_imported == 2 and first.pk != second.pk
    listing = events.get(kind=CreditEvent.Kind.ABNORMAL_OPERATIONS)
    assert listing.resolved_on == date(2025, 9, 1)
    assert listing.credit_import == second and listing.source == "国家企业信用信息公示系统"


def test_the_same_event_twice_in_one_file_is_kept_once(demo):
    code = valid_credit_code()
    rows = [
        [code, "甲", "经营异常名单", "2025-01-10", "", "旧"],
        [code, "甲", "经营异常名单", "2025/01/10", "2025-03-01", "新"],
    ]

    record = credit_import(
        actor=demo["luoyang-county"], uploaded_file=csv_upload(rows), source="信用中国"
    )

    assert record.rows_imported == 2
    assert CreditEvent.objects.get(credit_code=code).description == "新"


def test_gb18030_csv_is_read(demo):
    code = valid_credit_code()
    upload = csv_upload(
        [[code, "洛阳鑫磊重工有限公司", "严重违法失信名单", "2025-02-01", "", "列入"]],
        encoding="gb18030",
    )
    with pytest.raises(UnicodeDecodeError):  # really not UTF-8
        upload.read().decode("utf-8")
    upload.seek(0)

    record = credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="信用中国")

    event = CreditEvent.objects.get(credit_code=code)
    assert record.rows_imported == 1 and record.errors == []
    assert event.unit_name == "洛阳鑫磊重工有限公司"
    assert event.kind == CreditEvent.Kind.SERIOUS_ILLEGAL_DISHONEST


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"], ids=["no-bom", "bom"])
def test_utf8_csv_is_read_with_or_without_bom(demo, encoding):
    code = valid_credit_code()
    upload = csv_upload([[code, "甲", "工商注销", "2025-02-01", "", ""]], encoding=encoding)

    record = credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="信用中国")

    assert record.rows_imported == 1
    assert CreditEvent.objects.get(credit_code=code).kind == CreditEvent.Kind.DEREGISTERED


def test_english_header_and_extra_columns_are_accepted(demo):
    code = valid_credit_code()
    header = ["序号", "credit_code", "kind", "occurred_on", "resolved_on", "Description"]
    upload = csv_upload([["1", code, "tax_violation", "2025-02-01", "", "补缴"]], header=header)

    record = credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="税务部门")

    event = CreditEvent.objects.get(credit_code=code)
    assert record.rows_imported == 1
    assert (event.kind, event.description) == (CreditEvent.Kind.TAX_VIOLATION, "补缴")


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        *[
            pytest.param(str(label), value, id=f"label-{value}")
            for value, label in CreditEvent.Kind.choices
        ],
        *[pytest.param(value, value, id=f"code-{value}") for value in CreditEvent.Kind.values],
        pytest.param("失信被执行人名单", "dishonest_judgment_debtor", id="synonym-debtor"),
        pytest.param("经营异常", "on_abnormal_operations_list", id="synonym-abnormal"),
        pytest.param("安全生产事故", "accident_safety", id="synonym-safety"),
        pytest.param(" 偷税漏税 ", "tax_violation", id="synonym-tax-spaces"),
    ],
)
def test_kind_accepts_code_chinese_name_and_synonyms(demo, written, kind):
    code = valid_credit_code()

    credit_import(
        actor=demo["luoyang-county"],
        uploaded_file=csv_upload([[code, "", written, "2025-02-01", "", ""]]),
        source="信用中国",
    )

    assert CreditEvent.objects.get(credit_code=code).kind == kind


def test_xlsx_with_real_date_cells_is_read(demo):
    code, other = valid_credit_code(), valid_credit_code()
    upload = xlsx_upload(
        [
            [code, "甲", "失信被执行人", datetime(2025, 3, 4), date(2025, 4, 5), "已履行"],
            [other, "乙", "质量事故", "2024/11/12", None, None],
            [other, "乙", "质量事故", 45000, None, None],
        ]
    )

    record = credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="信用中国")

    assert (record.rows_total, record.rows_imported) == (3, 2)
    assert record.errors[0]["line"] == 4 and "「45000」不是有效日期" in record.errors[0]["message"]
    debtor = CreditEvent.objects.get(credit_code=code)
    assert (debtor.occurred_on, debtor.resolved_on) == (date(2025, 3, 4), date(2025, 4, 5))
    assert CreditEvent.objects.get(credit_code=other).occurred_on == date(2024, 11, 12)


def test_xlsx_line_numbers_count_empty_rows(demo):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.cell(row=4, column=1, value=valid_credit_code())
    sheet.cell(row=4, column=3, value="经营异常名单")
    sheet.cell(row=4, column=4, value="bad")
    buffer = io.BytesIO()
    workbook.save(buffer)

    record = credit_import(
        actor=demo["luoyang-county"],
        uploaded_file=SimpleUploadedFile("credit.xlsx", buffer.getvalue()),
        source="信用中国",
    )

    assert record.rows_total == 1 and [e["line"] for e in record.errors] == [4]


def header_only() -> bytes:
    return (",".join(TEMPLATE_HEADER) + "\r\n").encode("utf-8-sig")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param(
            "report.pdf", b"%PDF-1.4 ...", "只能导入 CSV（.csv）或 Excel（.xlsx）", id="pdf"
        ),
        pytest.param("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1", "另存为 .xlsx", id="xls"),
        pytest.param("data.txt", b"a,b,c", "「data.txt」不是", id="txt"),
        pytest.param("empty.csv", b"", "「empty.csv」是空的", id="empty"),
        pytest.param("blank.csv", b"\r\n ,, \r\n", "是空的", id="blank-lines"),
        pytest.param("empty.xlsx", b"", "是空的", id="empty-xlsx"),
        pytest.param("fake.xlsx", b"not a zip at all", "不是有效的 Excel", id="fake-xlsx"),
        pytest.param("zip.xlsx", b"PK\x03\x04broken", "不是有效的 Excel", id="broken-zip"),
        pytest.param(
            "noheader.csv",
            "91410311MA00000016,经营异常名单,2025-01-01\r\n".encode(),
            "缺少必填列：统一社会信用代码、事件类型、发生日期",
            id="no-header",
        ),
        pytest.param(
            "partial.csv",
            "统一社会信用代码,单位名称,发生日期\r\n".encode(),
            "缺少必填列：事件类型",
            id="header-without-kind",
        ),
        pytest.param("header.csv", header_only(), "只有表头，没有数据行", id="header-only"),
    ],
)
def test_unreadable_files_are_refused_with_clear_message(demo, name, content, expected):
    upload = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError) as refused:
        credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="信用中国")

    assert expected in refused_file_message(refused.value)
    assert not CreditImport.objects.exists() and not CreditEvent.objects.exists()


def test_file_over_five_megabytes_is_refused(demo):
    content = header_only() + b"x" * MAX_FILE_SIZE
    upload = SimpleUploadedFile("big.csv", content)

    with pytest.raises(ValidationError) as refused:
        credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="信用中国")

    assert "「big.csv」超过 5 MB 的大小上限" in refused_file_message(refused.value)


def test_missing_source_is_refused(demo):
    upload = csv_upload([[valid_credit_code(), "", "工商注销", "2025-01-01", "", ""]])

    with pytest.raises(ValidationError) as refused:
        credit_import(actor=demo["luoyang-county"], uploaded_file=upload, source="  ")

    assert "请填写数据来源" in refused.value.message_dict["source"][0]


@pytest.mark.parametrize(
    "username", ["luoyang-enterprise", "luoyang-agency", "luoyang-expert", "luoyang-env", "admin"]
)
def test_non_officials_may_not_import(demo, username):
    upload = csv_upload([[valid_credit_code(), "", "工商注销", "2025-01-01", "", ""]])

    with pytest.raises(NotPermitted) as refused:
        credit_import(actor=demo[username], uploaded_file=upload, source="信用中国")

    assert "只有工信部门可以导入信用数据" in refused.value.message
    assert not CreditImport.objects.exists()


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city", "henan", "nation"])
def test_officials_of_every_level_import_in_their_jurisdiction_with_audit(demo, username):
    actor = demo[username]
    upload = csv_upload([[valid_credit_code(), "", "工商注销", "2025-01-01", "", ""]])

    record = credit_import(actor=actor, uploaded_file=upload, source="信用中国")

    assert record.jurisdiction == actor.organisation.jurisdiction
    assert record.imported_by == actor and record.file_name == "credit.csv"
    entry = AuditEntry.objects.get(object_id=str(record.pk), action="import")
    assert entry.actor == actor and entry.data["rows_imported"] == 1
    assert entry.data["to_label"] == "已导入"


def test_import_queries_do_not_grow_with_rows(demo, django_assert_max_num_queries):
    def rows(count):
        return [
            [valid_credit_code(), "", "经营异常名单", "2025-01-01", "", ""] for _ in range(count)
        ]

    with django_assert_max_num_queries(10) as small:
        credit_import(
            actor=demo["luoyang-county"], uploaded_file=csv_upload(rows(5)), source="信用中国"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        record = credit_import(
            actor=demo["luoyang-county"], uploaded_file=csv_upload(rows(50)), source="信用中国"
        )
    assert record.rows_imported == 50


def test_ten_thousand_rows_import_in_few_queries(demo, django_assert_max_num_queries):
    rows = [[valid_credit_code(), "", "经营异常名单", "2025-01-01", "", ""] for _ in range(10_000)]

    # One insert per batch (SQLite's batches hold about a hundred rows), never one per row.
    with django_assert_max_num_queries(150):
        record = credit_import(
            actor=demo["luoyang-county"], uploaded_file=csv_upload(rows), source="信用中国"
        )

    assert record.rows_imported == 10_000
    assert CreditEvent.objects.count() == 10_000
