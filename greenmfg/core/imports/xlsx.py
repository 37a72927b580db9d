"""A fast reader of the first sheet of an .xlsx: cell values by row, formulas recognised.

openpyxl builds an object per cell and takes ~5 s for a sheet of 10,000 rows × 11 columns
(issue 18.2 wants the whole preview in < 10 s); an import needs only each cell's text, so this
reads the sheet's XML by pattern (machine-written OOXML), the shared strings once, and the
styles only to tell a date from a number (openpyxl's own date-format test). A cell holding a
formula is returned as ``Formula`` so the caller can refuse it in its row and column.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from html import unescape
from xml.etree.ElementTree import fromstring

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
COLUMN = re.compile(r"[A-Z]+")
# The sheet's elements are found by pattern, not built as a tree: OOXML is machine-written,
# and a regular expression reads 10,000 rows in a fraction of ElementTree's time.
ROOT = re.compile(r"<(\w+:)?(?:worksheet|sst)\b")
ATTRIBUTE = re.compile(r'\b([rst])="([^"]*)"')
ROW_NUMBER = re.compile(r'\br="(\d+)"')
CELL_REFERENCE = re.compile(r'\br="([A-Z]+)\d+"')


# A 20 MB upload can unpack to far more (a "zip bomb"): the sheet's XML is refused above this.
MAX_SHEET_BYTES = 256 * 1024 * 1024


class SheetTooLarge(ValueError):
    """The first sheet unpacks to more than MAX_SHEET_BYTES."""


class Formula(str):
    """A cell's formula text (``=HYPERLINK(…)``), never its value."""


def _column_index(reference: str) -> int:
    letters = COLUMN.match(reference).group()
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _first_sheet(archive: zipfile.ZipFile) -> str:
    workbook = fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    target_id = sheet.get(f"{DOC_RELS}id")
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{RELS}Relationship"):
        if rel.get("Id") == target_id:
            target = rel.get("Target")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    raise KeyError("first sheet")


def _prefix(xml: str) -> str:
    """The namespace prefix the producer gave SpreadsheetML's elements ("" or e.g. "x:")."""
    found = ROOT.search(xml)
    return found.group(1) or "" if found else ""


def _texts(fragment: str, p: str) -> str:
    """The text of the ``<t>`` runs of a string item, phonetic runs (``<rPh>``) left out."""
    if "rPh" in fragment:
        fragment = re.sub(rf"<{p}rPh\b.*?</{p}rPh>", "", fragment, flags=re.S)
    return "".join(
        unescape(text) for text in re.findall(rf"<{p}t(?:\s[^>]*)?>(.*?)</{p}t>", fragment, re.S)
    )


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    xml = archive.read("xl/sharedStrings.xml").decode("utf-8")
    p = _prefix(xml)
    return [
        _texts(item, p)
        for item in re.findall(rf"<{p}si(?:\s[^>]*)?(?:/>|>(.*?)</{p}si>)", xml, re.S)
    ]


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """The indexes of cellXfs whose number format is a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = fromstring(archive.read("xl/styles.xml"))
    formats = dict(BUILTIN_FORMATS)
    for number_format in styles.iter(f"{MAIN}numFmt"):
        formats[int(number_format.get("numFmtId"))] = number_format.get("formatCode", "")
    dates = set()
    cell_xfs = styles.find(f"{MAIN}cellXfs")
    if cell_xfs is None:
        return dates
    for index, xf in enumerate(cell_xfs.iter(f"{MAIN}xf")):
        code = formats.get(int(xf.get("numFmtId", "0")), "")
        if code and is_date_format(code):
            dates.add(index)
    return dates


class _Patterns:
    """The element patterns of one part, compiled once for its namespace prefix."""

    def __init__(self, p: str):
        self.row = re.compile(rf"<{p}row\b([^>]*?)(?:/>|>(.*?)</{p}row>)", re.S)
        self.cell = re.compile(rf"<{p}c\b([^>]*?)(?:/>|>(.*?)</{p}c>)", re.S)
        self.formula_tag = f"<{p}f"
        self.formula = re.compile(rf"<{p}f(?:\s[^>]*)?(?:/>|>(.*?)</{p}f>)", re.S)
        self.value = re.compile(rf"<{p}v(?:\s[^>]*)?>(.*?)</{p}v>", re.S)
        self.prefix = p


def _value(attributes: str, body: str, patterns: _Patterns, strings: list[str], dates: set[int]):
    attrs = dict(ATTRIBUTE.findall(attributes))
    if body and patterns.formula_tag in body:
        formula = patterns.formula.search(body)
        if formula is not None:
            return Formula("=" + unescape(formula.group(1) or ""))
    kind = attrs.get("t", "n")
    if kind == "inlineStr":
        return _texts(body or "", patterns.prefix)
    found = patterns.value.search(body) if body else None
    if found is None:
        return None
    raw = found.group(1)
    if "&" in raw:
        raw = unescape(raw)
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    if kind == "d":
        return datetime.datetime.fromisoformat(raw)
    number = float(raw)
    if int(attrs.get("s", "0") or 0) in dates:
        return from_excel(number)
    return int(number) if number.is_integer() else number


def read_first_sheet(content) -> list[tuple[int, list]]:
    """(row number, values) of the first sheet's rows, in order (blank rows included as they
    appear in the XML; the caller drops them)."""
    with zipfile.ZipFile(content) as archive:
        sheet = _first_sheet(archive)
        strings = _shared_strings(archive)
        dates = _date_styles(archive)
        if archive.getinfo(sheet).file_size > MAX_SHEET_BYTES:
            raise SheetTooLarge(sheet)
        xml = archive.read(sheet).decode("utf-8")
    patterns = _Patterns(_prefix(xml))
    rows = []
    for row_attributes, row_body in patterns.row.findall(xml):
        number = ROW_NUMBER.search(row_attributes)
        number = int(number.group(1)) if number else len(rows) + 1
        values: list = []
        for position, (attributes, body) in enumerate(patterns.cell.findall(row_body or "")):
            reference = CELL_REFERENCE.search(attributes)
            index = _column_index(reference.group(1)) if reference else position
            if index >= len(values):
                values.extend([None] * (index + 1 - len(values)))
            values[index] = _value(attributes, body, patterns, strings, dates)
        rows.append((number, values))
    return rows
