"""The framework's shared pieces: the cell parsers and the check loop every importer runs."""

import pytest

from greenmfg.core.imports.cells import collapse_spaces, email_address, short_text
from greenmfg.core.imports.spec import (
    CellError,
    Outcome,
    Row,
    RowError,
    RowResult,
    check_each,
    chunks,
)


def test_short_text_collapses_white_space_and_refuses_a_long_value_in_its_own_words():
    parse = short_text(5, "姓名不能超过 %(n)d 个字。")
    assert parse("张\u3000 三\n丰") == "张 三 丰"
    with pytest.raises(CellError) as refused:
        parse("张三丰李四王")
    assert refused.value.message == "姓名不能超过 5 个字。"


@pytest.mark.parametrize(
    ("lowercase", "expected"),
    [(False, "Li.Lin@example.gov.cn"), (True, "li.lin@example.gov.cn")],
    ids=["domain-lowered", "all-lowered"],
)
def test_email_address_normalises(lowercase, expected):
    assert (
        email_address("无效：%(value)s", lowercase=lowercase)("Li.Lin@EXAMPLE.gov.cn") == expected
    )


def test_email_address_refuses_a_bad_or_long_address_with_the_given_messages():
    parse = email_address("「%(value)s」无效。", max_length=10, too_long="不能超过 %(n)d 个字符。")
    with pytest.raises(CellError, match="「lilin@」无效。"):
        parse("lilin@")
    with pytest.raises(CellError, match="不能超过 10 个字符。"):
        parse("lilin@example.gov.cn")


def test_collapse_spaces():
    assert collapse_spaces(" 洛阳  市\t工信局 ") == "洛阳 市 工信局"


def test_check_each_turns_a_row_error_into_the_rows_error_and_reports_progress():
    rows = [Row(number, {}, {"name": f"单位{number}"}) for number in (2, 3)]
    reported = []

    def check_row(row):
        if row.number == 3:
            raise RowError("单位名称", "重复。")
        return RowResult(row.number, Outcome.NEW, label=row.values["name"])

    results = check_each(rows, check_row, label="name", progress=reported.append, start=40)
    assert [result.as_dict() for result in results] == [
        {"row": 2, "outcome": "new", "label": "单位2", "column": "", "reason": ""},
        {"row": 3, "outcome": "error", "label": "单位3", "column": "单位名称", "reason": "重复。"},
    ]
    assert reported == [100]


def test_chunks_slices_in_order():
    assert list(chunks([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
