"""Files for the import tests: rows of the listing template as xlsx or CSV uploads."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from registry.services.imports import COLUMNS
from tests.conftest import suite_today
from tests.factories.directory import valid_credit_code

HEADERS = [column.header for column in COLUMNS]


def listing_row(**values) -> dict:
    """One row of the template (by header): a 洛龙区 green factory on last year's 洛阳 city list."""
    year = suite_today().year - 1
    row = {
        "单位名称": "洛阳导入示例制造有限公司",
        "统一社会信用代码": valid_credit_code(),
        "名单层级": "市级",
        "名单类型": "绿色工厂",
        "年度": str(year),
        "发文文号": f"洛工信〔{year}〕12号",
        "发布日期": f"{year}-06-30",
        "所在地区": "410311",
        "产品名称": "",
        "产品型号": "",
        "有效期至": "",
    }
    row.update(values)
    return row


def xlsx_bytes(rows: list[dict], *, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[dict], *, headers=HEADERS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue()


def upload(content: bytes, name: str = "名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_upload(rows: list[dict], name: str = "名单.xlsx") -> SimpleUploadedFile:
    return upload(xlsx_bytes(rows), name)


def csv_upload(rows: list[dict], *, encoding="utf-8-sig", name="名单.csv") -> SimpleUploadedFile:
    return upload(csv_text(rows).encode(encoding), name)
