"""The template a kind of import offers for download: its Chinese headers, as xlsx or CSV.

The workbook's first sheet holds the headers only (what is typed under them is imported); the
second, 「填写说明」, says for each column whether it is required, what it takes, and an example
row. The CSV is the header row in UTF-8 with a BOM, so Excel opens it with the Chinese intact.
"""

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from greenmfg.core.imports.spec import Column


def template_xlsx(columns: Sequence[Column]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("导入数据")
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column.header) * 2 + 4)
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填"), _("填写要求"), _("示例")])
    for column in columns:
        notes.append(
            [
                column.header,
                _("必填") if column.required else _("选填"),
                column.help,
                column.example,
            ]
        )
    notes.append([])
    notes.append([_("示例行（请在「导入数据」工作表中按此格式填写，本工作表不会导入）：")])
    notes.append([column.header for column in columns])
    notes.append([column.example for column in columns])
    for letter, width in zip("ABCD", (18, 10, 60, 28), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(columns: Sequence[Column]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.header for column in columns])
    return buffer.getvalue().encode("utf-8-sig")
