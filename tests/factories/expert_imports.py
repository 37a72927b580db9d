"""Files for the expert import tests: rows of the expert pool template as xlsx or CSV uploads."""

import itertools

from reviews.services.expert_imports import COLUMNS
from tests.factories.imports import csv_text, upload, xlsx_bytes

HEADERS = [column.header for column in COLUMNS]
_serial = itertools.count(1)

# The demo's 洛阳 research institute (seed_demo --directory-only) and 洛阳's bureau.
INSTITUTE = "洛阳示范绿色制造研究院（演示）"
POOL = "洛阳市工业和信息化局"


def new_phone() -> str:
    return f"139{next(_serial):08d}"


def expert_row(**values) -> dict:
    """One row of the template (by header): a new energy expert of 洛阳's institute."""
    row = {
        "姓名": "王导入",
        "手机号码": new_phone(),
        "所在单位": INSTITUTE,
        "专业领域": "节能",
        "职称": "正高级工程师",
        "专家库": POOL,
        "电子邮箱": "",
        "入库年度": "",
        "截止年度": "",
    }
    row.update(values)
    return row


def experts_xlsx(rows: list[dict], name: str = "专家.xlsx"):
    return upload(xlsx_bytes(rows, headers=HEADERS), name)


def experts_csv(rows: list[dict], *, encoding="utf-8-sig", name="专家.csv"):
    return upload(csv_text(rows, headers=HEADERS).encode(encoding), name)
