"""manage.py import_listings FILE --as USERNAME [--apply] [--keep-good-rows]."""

import io

import pytest
from django.core.management import CommandError, call_command

from registry.models import Listing
from tests.factories.imports import listing_row, xlsx_bytes


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_listings", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def workbook(tmp_path):
    def write(rows):
        path = tmp_path / "名单.xlsx"
        path.write_bytes(xlsx_bytes(rows))
        return str(path)

    return write


def test_without_apply_it_previews_only(demo, workbook):
    output = run(workbook([listing_row()]), "--as", "luoyang-city")
    assert "新增 1" in output and "未写入任何数据" in output
    assert not Listing.objects.exists()


def test_apply_writes_and_a_second_run_changes_nothing(demo, workbook):
    path = workbook([listing_row()])
    assert "写入 1 条记录" in run(path, "--as", "luoyang-city", "--apply")
    output = run(path, "--as", "luoyang-city", "--apply")
    assert "无变化 1" in output and "写入 0 条记录" in output
    assert Listing.objects.count() == 1


def test_errors_refuse_the_apply_unless_good_rows_are_kept(demo, workbook):
    path = workbook([listing_row(), listing_row(单位名称="乙公司", 年度="20x5")])
    with pytest.raises(CommandError, match="未写入任何数据"):
        run(path, "--as", "luoyang-city", "--apply")
    assert not Listing.objects.exists()
    output = run(path, "--as", "luoyang-city", "--apply", "--keep-good-rows")
    assert "第 3 行「年度」" in output and "写入 1 条记录" in output


def test_an_unknown_user_is_refused(demo, workbook):
    with pytest.raises(CommandError, match="不存在"):
        run(workbook([listing_row()]), "--as", "nobody")
