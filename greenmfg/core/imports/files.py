"""The uploaded spreadsheet: checked by its content, then read into rows.

Accepted: an Excel workbook (.xlsx, read by openpyxl) or a CSV file in UTF-8 (with or without
the BOM Excel writes for 「CSV UTF-8」), at most 20 MB. Refused with a message saying what to
do: an old .xls, a CSV saved in GB18030/GBK (Excel's default 「CSV」 on a Chinese Windows; the
message names the first line that is not UTF-8), anything else. A cell holding a formula
(``=HYPERLINK(…)``) is refused in its row and column: an import takes values, never formulas.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from greenmfg.core.imports.spec import Column, Row
from greenmfg.core.imports.xlsx import Formula, SheetTooLarge, read_first_sheet

IMPORT_MAX_BYTES = 20 * 1024 * 1024
# One file's rows at most (a template's 20 MB of CSV could hold some 200,000).
IMPORT_MAX_ROWS = 50_000
XLSX, CSV = "xlsx", "csv"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv",
}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003), .doc
UTF8_BOM = b"\xef\xbb\xbf"
# Text-like starts of files that are still not tables (a PDF may hold no NUL in its head).
NOT_TABLES = (
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"{\\rtf",
    b"<?xml",
    b"<html",
    b"<!DOCTYPE",
)


@dataclass
class CheckedImportFile:
    """An upload that passed the checks (``greenmfg.core.stored_files.CheckedContent``)."""

    original_name: str
    content: bytes
    extension: str
    content_type: str
    sha256: str
    pages: int | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    def store(self, field_file) -> None:
        field_file.save(f"{self.sha256}.{self.extension}", ContentFile(self.content), save=False)


def _refuse(message: str, code: str):
    return ValidationError(message, code=code)


def check_import_file(uploaded, *, max_bytes: int = IMPORT_MAX_BYTES) -> CheckedImportFile:
    """Read the upload once; refuse what is empty, too big, or neither xlsx nor UTF-8 CSV."""
    name = (getattr(uploaded, "name", "") or "")[:255] or "import"
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise _too_big(name, size, max_bytes)
    content = b"".join(uploaded.chunks()) if hasattr(uploaded, "chunks") else uploaded.read()
    if len(content) > max_bytes:
        raise _too_big(name, len(content), max_bytes)
    if not content:
        raise _refuse(
            _("文件「%(name)s」是空文件（0 字节），请重新选择。") % {"name": name}, "empty"
        )
    extension = _sniff(name, content)
    return CheckedImportFile(
        original_name=name,
        content=content,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _too_big(name: str, size: int, limit: int) -> ValidationError:
    return _refuse(
        _("文件「%(name)s」大小为 %(size).1f MB，超过 %(limit)d MB 的上限，请分成几个文件导入。")
        % {"name": name, "size": size / 1024 / 1024, "limit": limit // 1024 // 1024},
        "too_big",
    )


def _not_a_table(name: str) -> ValidationError:
    return _refuse(
        _("文件「%(name)s」不是 Excel（.xlsx）或 CSV 文件，请使用下载的模板填写后上传。")
        % {"name": name},
        "wrong_type",
    )


def _sniff(name: str, content: bytes) -> str:
    if content.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return XLSX
        except zipfile.BadZipFile:
            pass
        raise _not_a_table(name)
    if content.startswith(OLE_MAGIC):
        raise _refuse(
            _(
                "文件「%(name)s」是旧版 Excel（.xls）或其他 Office 文件，请在 Excel 中"
                "另存为「Excel 工作簿（.xlsx）」后上传。"
            )
            % {"name": name},
            "old_excel",
        )
    if b"\x00" in content[:8192] or content.lstrip().lower().startswith(
        tuple(magic.lower() for magic in NOT_TABLES)
    ):
        raise _not_a_table(name)
    body = content.removeprefix(UTF8_BOM)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        try:
            body.decode("gb18030")
        except UnicodeDecodeError:
            raise _not_a_table(name) from None
        raise _refuse(
            _(
                "文件「%(name)s」第 %(line)d 行不是 UTF-8 编码：文件似乎以 GB18030/GBK "
                "编码保存。请在 Excel 中选择「另存为」→「CSV UTF-8（逗号分隔）」，"
                "或使用 .xlsx 模板后重新上传。"
            )
            % {"name": name, "line": line},
            "gb18030",
        ) from None
    return CSV


def _text(value) -> str:
    """A cell's value as the text a person typed (a date as YYYY-MM-DD, 2026.0 as 2026)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_formula(value) -> bool:
    # A workbook's formula cell is a Formula; a CSV's "=…" would be one in Excel too.
    return isinstance(value, Formula) or (isinstance(value, str) and value.startswith("="))


def _raw_rows(checked: CheckedImportFile) -> list[tuple[int, list]]:
    """(row number, cell values) of the first sheet or the CSV, blank rows left out."""
    if checked.extension == XLSX:
        try:
            rows = read_first_sheet(io.BytesIO(checked.content))
        except SheetTooLarge:
            raise _refuse(
                _("Excel 文件「%(name)s」的工作表过大，请分成几个文件导入。")
                % {"name": checked.original_name},
                "too_big",
            ) from None
        except Exception as error:  # a damaged workbook: zip, XML or index errors
            raise _refuse(
                _("Excel 文件「%(name)s」无法读取（%(error)s），请另存为 .xlsx 后重新上传。")
                % {"name": checked.original_name, "error": type(error).__name__},
                "broken_xlsx",
            ) from None
        return [
            (number, values)
            for number, values in rows
            if any(value not in (None, "") for value in values)
        ]
    text = checked.content.removeprefix(UTF8_BOM).decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    return [
        (reader.line_num, values) for values in reader if any(value.strip() for value in values)
    ]


def _header_key(text: str) -> str:
    return "".join(str(text or "").split()).rstrip("*＊").strip()


def read_rows(checked: CheckedImportFile, columns: Sequence[Column]) -> list[Row]:
    """The data rows of the file under its header row, each cell's text by column key.

    The header row must name every required column (any order; unknown columns are refused so
    that a misspelt header is not silently dropped). A formula cell marks its row refused with
    the column's header; it is not read.
    """
    raw = _raw_rows(checked)
    if not raw:
        raise _refuse(_("文件中没有内容：第 1 行应为表头。"), "no_header")
    if len(raw) - 1 > IMPORT_MAX_ROWS:
        raise _refuse(
            _("文件有 %(rows)d 行数据，超过每个文件 %(max)d 行的上限，请分成几个文件导入。")
            % {"rows": len(raw) - 1, "max": IMPORT_MAX_ROWS},
            "too_many_rows",
        )
    header_number, header = raw[0]
    by_name = {name: column for column in columns for name in column.names()}
    positions: dict[int, Column] = {}
    for index, cell in enumerate(header):
        key = _header_key(_text(cell))
        if not key:
            continue
        column = by_name.get(key)
        if column is None:
            raise _refuse(
                _(
                    "第 %(row)d 行第 %(col)s 列的表头「%(header)s」不是模板中的列，"
                    "请使用下载的模板。"
                )
                % {"row": header_number, "col": get_column_letter(index + 1), "header": key},
                "unknown_header",
            )
        if column in positions.values():
            raise _refuse(
                _("表头「%(header)s」出现了两次（第 %(col)s 列）。")
                % {"header": column.header, "col": get_column_letter(index + 1)},
                "duplicate_header",
            )
        positions[index] = column
    present = set(positions.values())
    missing = [column.header for column in columns if column.required and column not in present]
    if missing:
        raise _refuse(
            _("表头缺少必填列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)},
            "missing_header",
        )
    rows = []
    for number, values in raw[1:]:
        row = Row(number=number, raw={column.key: "" for column in columns})
        for index, column in positions.items():
            value = values[index] if index < len(values) else None
            if _is_formula(value) and row.refused is None:
                row.refused = (
                    column.header,
                    _("单元格 %(cell)s 是公式，导入只接受值：请复制后「选择性粘贴 → 数值」。")
                    % {"cell": f"{get_column_letter(index + 1)}{number}"},
                )
                continue
            row.raw[column.key] = _text(value)
        rows.append(row)
    return rows
