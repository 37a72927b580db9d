"""Files for the staff import tests: rows of the staff template as xlsx uploads."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from greenmfg.accounts.imports import COLUMNS
from tests.factories.imports import xlsx_bytes

HEADERS = [column.header for column in COLUMNS]
_serial = itertools.count(1)


def staff_row(**values) -> dict:
    """One row of the template (by header): a 洛龙区 bureau official, a new username each time."""
    serial = next(_serial)
    row = {
        "用户名": f"staff{serial}",
        "姓名": f"王工{serial}",
        "角色": "县（区）工信部门",
        "所属单位": "洛龙区工业和信息化局",
        "电子邮箱": f"staff{serial}@gov.example.cn",
        "手机号码": "",
    }
    row.update(values)
    return row


def staff_upload(rows: list[dict], name: str = "工作人员.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows, headers=HEADERS))
