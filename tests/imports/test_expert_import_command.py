"""manage.py import_experts FILE --as USERNAME [--apply] [--keep-good-rows]."""

import io

import pytest
from django.core.management import CommandError, call_command

from reviews.models import ExpertMembership
from tests.factories.expert_imports import HEADERS, expert_row
from tests.factories.imports import xlsx_bytes


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_experts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def workbook(tmp_path):
    def write(rows):
        path = tmp_path / "专家.xlsx"
        path.write_bytes(xlsx_bytes(rows, headers=HEADERS))
        return str(path)

    return write


def test_without_apply_it_previews_only(demo, workbook):
    output = run(workbook([expert_row()]), "--as", "luoyang-city")
    assert "新增 1" in output and "未写入任何数据" in output
    assert not ExpertMembership.objects.exists()


def test_apply_writes_and_a_second_run_changes_nothing(demo, workbook):
    path = workbook([expert_row()])
    assert "写入 1 条记录" in run(path, "--as", "luoyang-city", "--apply")
    output = run(path, "--as", "luoyang-city", "--apply")
    assert "无变化 1" in output and "写入 0 条记录" in output
    assert ExpertMembership.objects.count() == 1


def test_errors_are_listed_and_nothing_is_written(demo, workbook):
    path = workbook([expert_row(), expert_row(专家库="济南市工业和信息化局")])
    with pytest.raises(CommandError, match="未写入任何数据"):
        run(path, "--as", "luoyang-city", "--apply")
    assert not ExpertMembership.objects.exists()
    assert "第 3 行「专家库」" in run(path, "--as", "luoyang-city")
    assert "写入 1 条记录" in run(path, "--as", "luoyang-city", "--apply", "--keep-good-rows")


def test_a_user_without_a_pool_is_refused(demo, workbook):
    with pytest.raises(CommandError, match="无权"):
        run(workbook([expert_row()]), "--as", "luoyang-enterprise")
