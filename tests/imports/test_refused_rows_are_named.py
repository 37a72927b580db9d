"""A row refused while its cells are read (a bad credit code, a date in the future, an empty
required cell) is still named on the preview by its importer's ``label_key`` column, as a row the
importer itself refuses is: the official sees which unit to fix, not only the row number."""

import pytest

from greenmfg.core.imports.services import import_upload
from tests.factories.imports import listing_row, xlsx_upload

pytestmark = pytest.mark.django_db


def test_rows_refused_by_the_reader_keep_their_unit_name(demo):
    rows = [
        listing_row(单位名称="校验位错误有限公司", 统一社会信用代码="91410311MA44"),
        listing_row(单位名称="文号为空有限公司", 发文文号=""),
    ]

    run = import_upload(kind="listings", uploaded=xlsx_upload(rows), actor=demo["luoyang-city"])

    assert [(r["row"], r["outcome"], r["label"]) for r in run.results] == [
        (2, "error", "校验位错误有限公司"),
        (3, "error", "文号为空有限公司"),
    ]
