"""The import's own .xlsx reader reads what openpyxl (and Excel) write: shared and inline
strings, escaped text, numbers, dates by their style, booleans, formulas as Formula."""

import datetime
import io
import zipfile

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from greenmfg.core.imports.xlsx import Formula, read_first_sheet


def saved(workbook: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_values_of_each_kind():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["甲 & <乙>", datetime.date(2024, 6, 30), 2024, 3.5, True])
    sheet["A3"] = '=HYPERLINK("http://example.com","点击")'
    sheet["C3"] = CellRichText(["洛阳", TextBlock(InlineFont(b=True), "示例")])
    rows = read_first_sheet(saved(workbook))
    assert rows[0] == (1, ["甲 & <乙>", datetime.datetime(2024, 6, 30), 2024, 3.5, True])
    number, values = rows[1]
    assert number == 3
    assert isinstance(values[0], Formula) and values[0].startswith("=HYPERLINK(")
    assert values[2] == "洛阳示例"


def test_a_prefixed_namespace_is_read():
    workbook = Workbook()
    workbook.active.append(["名称", 1])
    source = zipfile.ZipFile(saved(workbook))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
                text = text.replace("</worksheet>", "</x:worksheet>")
                for tag in (
                    "sheetData",
                    "row",
                    "c",
                    "v",
                    "is",
                    "t",
                    "sheetPr",
                    "dimension",
                    "sheetViews",
                    "sheetView",
                    "selection",
                    "sheetFormatPr",
                    "pageMargins",
                    "outlinePr",
                    "pageSetUpPr",
                ):
                    text = text.replace(f"<{tag}", f"<x:{tag}").replace(f"</{tag}>", f"</x:{tag}>")
                data = text.encode()
            archive.writestr(item, data)
    target.seek(0)
    assert read_first_sheet(target) == [(1, ["名称", 1])]
