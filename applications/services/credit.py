"""信用数据导入: officials load credit and negative-list events from a CSV or Excel file.

The file is first checked as a whole (type, size, encoding, header); a file that fails is refused
outright with one clear message. Then every data row is checked on its own: the good rows are
kept, upserted on (credit_code, kind, occurred_on) so that loading the same file twice adds
nothing, and each bad row is listed in ``CreditImport.errors`` with its line number and the
reason, so the clerk can fix the file and load it again.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from applications.models import CreditEvent, CreditImport
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import NotPermitted
from greenmfg.directory.credit_code import normalise, validate_credit_code

MAX_FILE_SIZE = 5 * 1024 * 1024
BULK_BATCH_SIZE = 1000
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
ALLOWED_EXTENSIONS = (".csv", ".xlsx")
UNIT_NAME_MAX = CreditEvent._meta.get_field("unit_name").max_length

# The audit trail shows a state; an import has only the one it is created in.
IMPORTED = "imported"
IMPORT_STATE_LABELS = {IMPORTED: gettext_lazy("已导入")}


@dataclass(frozen=True)
class Column:
    """One column of the import file. ``label`` is the Chinese header the template uses."""

    field: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()


# The file format is fixed Chinese text whatever the interface language, so these are literals.
COLUMNS = (
    Column("credit_code", "统一社会信用代码", True, ("信用代码",)),
    Column("unit_name", "单位名称", False, ("企业名称", "名称")),
    Column("kind", "事件类型", True, ("类型",)),
    Column("occurred_on", "发生日期", True, ("事件日期", "列入日期")),
    Column(
        "resolved_on",
        "移出/整改完成日期",
        False,
        ("移出日期", "整改完成日期", "移出/整改日期", "移出或整改完成日期"),
    ),
    Column("description", "说明", False, ("备注",)),
)
COLUMN_LABELS = {column.field: column.label for column in COLUMNS}
TEMPLATE_HEADER = tuple(column.label for column in COLUMNS)
TEMPLATE_EXAMPLE = (
    "91410311MA00000016",
    "洛阳示例制造有限公司",
    "经营异常名单",
    "2025-06-01",
    "",
    "示例行，导入前请删除",
)

K = CreditEvent.Kind
# What 事件类型 may say: the kind's code, its Chinese name, or the names the sources use.
KIND_NAMES: dict[str, tuple[str, ...]] = {
    K.DEREGISTERED: ("工商注销", "注销", "已注销", "企业注销"),
    K.ABNORMAL_OPERATIONS: ("经营异常名单", "经营异常", "列入经营异常名单"),
    K.SERIOUS_ILLEGAL_DISHONEST: (
        "严重违法失信名单",
        "严重违法失信",
        "严重违法失信企业名单",
        "列入严重违法失信名单",
    ),
    K.DISHONEST_JUDGMENT_DEBTOR: ("失信被执行人", "失信被执行人名单", "失信被执行"),
    K.ACCIDENT_SAFETY: ("安全事故", "安全生产事故"),
    K.ACCIDENT_CYBER: ("网络安全或数据安全事故", "网络安全事故", "数据安全事故"),
    K.ACCIDENT_QUALITY: ("质量事故", "产品质量事故"),
    K.ACCIDENT_ENVIRONMENT: ("环境污染事故", "环境事故", "污染事故", "突发环境事件"),
    K.TAX_VIOLATION: ("偷漏税等违法违规行为", "偷漏税", "偷税漏税", "税收违法", "税务违法"),
    K.ENERGY_SUPERVISION: ("工业节能监察整改名单", "节能监察整改名单", "节能监察整改"),
    K.REMOVED_FROM_LIST: (
        "被动态调整出绿色制造名单",
        "动态调整出绿色制造名单",
        "移出绿色制造名单",
        "撤销绿色制造称号",
    ),
    K.INSPECTION_PROBLEM: ("督查发现严重问题", "督查严重问题", "督查中发现严重问题"),
}


def _key(text: str) -> str:
    """How headers and kinds are compared: no spaces, BOM or required-marks, any case."""
    cleaned = str(text).replace("\ufeff", "").replace("*", "").replace("／", "/")
    return "".join(cleaned.split()).lower()


KIND_LOOKUP: dict[str, str] = {
    _key(name): kind for kind, names in KIND_NAMES.items() for name in (kind, *names)
}
COLUMN_LOOKUP: dict[str, str] = {
    _key(name): column.field
    for column in COLUMNS
    for name in (column.field, column.label, *column.aliases)
}


@transaction.atomic
def credit_import(*, actor, uploaded_file, source: str) -> CreditImport:
    """An official loads a file of credit events; good rows are kept, bad rows reported.

    Refuses (``ValidationError`` on ``file``) a file that is not CSV or .xlsx, is empty, is
    over 5 MB, cannot be read or lacks the required header columns.
    """
    if not actor.is_official or actor.jurisdiction is None:
        raise NotPermitted(_("只有工信部门可以导入信用数据。"))
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("请填写数据来源，如“信用中国”。")})
    if len(source) > 100:
        raise ValidationError({"source": _("数据来源不能超过 100 个字。")})
    file_name = PurePath(getattr(uploaded_file, "name", "") or "").name
    table = _read_table(uploaded_file, file_name=file_name)

    today = clock.today()
    errors: list[dict] = []
    events: dict[tuple[str, str, date], CreditEvent] = {}
    rows_total = rows_imported = 0
    for line, cells in table.rows:
        if all(_text(cell) == "" for cell in cells):
            continue
        rows_total += 1
        event, problems = _event_from_row(cells, table.columns, today=today, source=source)
        if problems:
            # Each problem is a sentence of its own, ending in 。
            errors.append({"line": line, "message": "".join(problems)})
            continue
        rows_imported += 1
        # The same event twice in one file: the later row wins, as a re-import would.
        events[(event.credit_code, event.kind, event.occurred_on)] = event
    if rows_total == 0:
        raise ValidationError(
            {"file": _("文件「%(name)s」只有表头，没有数据行。") % {"name": file_name}}
        )

    record = CreditImport.objects.create(
        file_name=file_name[:255],
        source=source,
        imported_by=actor,
        jurisdiction=actor.jurisdiction,
        rows_total=rows_total,
        rows_imported=rows_imported,
        errors=errors,
    )
    for event in events.values():
        event.credit_import = record
    CreditEvent.objects.bulk_create(
        events.values(),
        batch_size=BULK_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["credit_code", "kind", "occurred_on"],
        update_fields=["unit_name", "resolved_on", "description", "source", "credit_import"],
    )
    audit_record(
        subject=record,
        actor=actor,
        action="import",
        action_label=_("导入信用数据"),
        to_state=IMPORTED,
        comment=_("共 %(total)d 行，导入 %(imported)d 行，退回 %(refused)d 行。")
        % {"total": rows_total, "imported": rows_imported, "refused": len(errors)},
        data={
            "file_name": record.file_name,
            "source": source,
            "rows_total": rows_total,
            "rows_imported": rows_imported,
            "rows_refused": len(errors),
        },
        state_labels=IMPORT_STATE_LABELS,
    )
    return record


# --- Reading the file ---


@dataclass
class _Table:
    columns: dict[str, int]  # field -> position in the row
    rows: Iterator[tuple[int, Sequence]]  # (line number in the file, cells), after the header


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message}, code="invalid_file")


def _read_table(uploaded_file, *, file_name: str) -> _Table:
    if not file_name:
        raise _file_error(_("请选择要导入的文件。"))
    extension = PurePath(file_name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise _file_error(
            _(
                "只能导入 CSV（.csv）或 Excel（.xlsx）文件，「%(name)s」不是。"
                "旧版 Excel（.xls）文件请先另存为 .xlsx。"
            )
            % {"name": file_name}
        )
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    # Read one byte past the limit rather than trust a declared size.
    data = uploaded_file.read(MAX_FILE_SIZE + 1)
    if not data:
        raise _file_error(_("文件「%(name)s」是空的。") % {"name": file_name})
    if len(data) > MAX_FILE_SIZE:
        raise _file_error(
            _("文件「%(name)s」超过 %(limit)d MB 的大小上限，请拆分后分批导入。")
            % {"name": file_name, "limit": MAX_FILE_SIZE // (1024 * 1024)}
        )
    rows = _xlsx_rows(data, file_name) if extension == ".xlsx" else _csv_rows(data, file_name)
    # The header is the first line that is not blank; line numbers still count every line.
    for _line, cells in rows:
        if any(_text(cell) for cell in cells):
            return _Table(columns=_header_columns(cells), rows=rows)
    raise _file_error(_("文件「%(name)s」是空的。") % {"name": file_name})


def _csv_rows(data: bytes, file_name: str) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Chinese Windows saves CSV in the local code page; GB18030 covers GBK/GB2312.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise _file_error(
                _("无法识别文件「%(name)s」的编码，请另存为 UTF-8 编码的 CSV 文件。")
                % {"name": file_name}
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _file_error(
                _("文件「%(name)s」第 %(line)d 行无法按 CSV 格式读取（%(error)s）。")
                % {"name": file_name, "line": reader.line_num, "error": error}
            ) from None
        yield line, cells
        # A quoted cell may span lines: the next record starts after the last line read.
        line = reader.line_num + 1


def _xlsx_rows(data: bytes, file_name: str) -> Iterator[tuple[int, tuple]]:
    if not data.startswith(b"PK\x03\x04"):
        raise _file_error(_xlsx_unreadable(file_name))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise _file_error(_xlsx_unreadable(file_name)) from None
    return _sheet_rows(workbook)


def _sheet_rows(workbook) -> Iterator[tuple[int, tuple]]:
    try:
        sheet = workbook.worksheets[0]
        # Some writers store a wrong sheet size; read every row the sheet really holds.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _xlsx_unreadable(file_name: str) -> str:
    return _("文件「%(name)s」不是有效的 Excel（.xlsx）文件，无法读取。") % {"name": file_name}


def _header_columns(cells: Sequence) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        field = COLUMN_LOOKUP.get(_key(_text(cell)))
        if field and field not in columns:
            columns[field] = position
    missing = [
        column.label for column in COLUMNS if column.required and column.field not in columns
    ]
    if missing:
        raise _file_error(_missing_header_message(missing))
    return columns


def _missing_header_message(missing: list[str]) -> str:
    required = [column.label for column in COLUMNS if column.required]
    return _(
        "文件第一行须为表头，缺少必填列：%(missing)s。表头应为：%(header)s"
        "（其中%(required)s必填），可下载导入模板对照。"
    ) % {
        "missing": "、".join(missing),
        "header": "、".join(TEMPLATE_HEADER),
        "required": "、".join(required),
    }


# --- Checking one row ---


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _event_from_row(
    cells: Sequence, columns: dict[str, int], *, today: date, source: str
) -> tuple[CreditEvent | None, list[str]]:
    def cell(field: str):
        position = columns.get(field)
        return cells[position] if position is not None and position < len(cells) else None

    problems: list[str] = []
    credit_code = _credit_code(_text(cell("credit_code")), problems)
    kind = _kind(_text(cell("kind")), problems)
    occurred_on = _date(cell("occurred_on"), "occurred_on", problems, required=True)
    resolved_on = _date(cell("resolved_on"), "resolved_on", problems, required=False)
    unit_name = _text(cell("unit_name"))
    if len(unit_name) > UNIT_NAME_MAX:
        problems.append(
            _("%(column)s超过 %(limit)d 个字。")
            % {"column": COLUMN_LABELS["unit_name"], "limit": UNIT_NAME_MAX}
        )
    if occurred_on and occurred_on > today:
        problems.append(
            _("%(column)s「%(value)s」晚于今天（%(today)s），不能是将来的日期。")
            % {
                "column": COLUMN_LABELS["occurred_on"],
                "value": occurred_on.isoformat(),
                "today": today.isoformat(),
            }
        )
    if occurred_on and resolved_on and resolved_on < occurred_on:
        problems.append(
            _("%(resolved_column)s「%(resolved)s」早于%(occurred_column)s「%(occurred)s」。")
            % {
                "resolved_column": COLUMN_LABELS["resolved_on"],
                "resolved": resolved_on.isoformat(),
                "occurred_column": COLUMN_LABELS["occurred_on"],
                "occurred": occurred_on.isoformat(),
            }
        )
    if problems:
        return None, problems
    return (
        CreditEvent(
            credit_code=credit_code,
            unit_name=unit_name,
            kind=kind,
            occurred_on=occurred_on,
            resolved_on=resolved_on,
            description=_text(cell("description")),
            source=source,
        ),
        [],
    )


def _credit_code(value: str, problems: list[str]) -> str:
    label = COLUMN_LABELS["credit_code"]
    if not value:
        problems.append(_("%(column)s为空。") % {"column": label})
        return ""
    try:
        validate_credit_code(value)
    except ValidationError as error:
        problems.append(
            _("%(column)s「%(value)s」有误：%(reason)s")
            % {"column": label, "value": value, "reason": " ".join(error.messages)}
        )
        return ""
    return normalise(value)


def _kind(value: str, problems: list[str]) -> str:
    label = COLUMN_LABELS["kind"]
    if not value:
        problems.append(_("%(column)s为空。") % {"column": label})
        return ""
    kind = KIND_LOOKUP.get(_key(value))
    if kind is None:
        problems.append(
            _("%(column)s「%(value)s」无法识别，应为以下之一：%(choices)s。")
            % {
                "column": label,
                "value": value,
                "choices": "、".join(names[0] for names in KIND_NAMES.values()),
            }
        )
        return ""
    return kind


def _date(value, field: str, problems: list[str], *, required: bool) -> date | None:
    label = COLUMN_LABELS[field]
    if isinstance(value, datetime):  # an Excel date cell
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        if required:
            problems.append(_("%(column)s为空。") % {"column": label})
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    problems.append(
        _("%(column)s「%(value)s」不是有效日期，应写作 YYYY-MM-DD 或 YYYY/MM/DD。")
        % {"column": label, "value": text}
    )
    return None
