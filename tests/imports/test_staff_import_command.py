"""manage.py import_staff: preview by default, --apply writes (all or nothing)."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from greenmfg.accounts.models import User
from tests.factories.imports import xlsx_bytes
from tests.factories.staff_imports import HEADERS, staff_row


@pytest.fixture
def staff_file(tmp_path):
    def write(rows):
        path = tmp_path / "工作人员.xlsx"
        path.write_bytes(xlsx_bytes(rows, headers=HEADERS))
        return str(path)

    return write


def test_preview_then_apply(demo, staff_file, capsys, django_capture_on_commit_callbacks):
    path = staff_file([staff_row(用户名="cmd-one"), staff_row(用户名="cmd-two", 角色="局长")])
    call_command("import_staff", path, "--as", "luoyang-city")
    out = capsys.readouterr().out
    assert "新增 1" in out and "第 3 行「角色」" in out and "未写入任何数据" in out
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_staff", path, "--as", "luoyang-city", "--apply")
    assert not User.objects.filter(username="cmd-one").exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_staff", path, "--as", "luoyang-city", "--apply", "--keep-good-rows")
    assert "写入 1 条记录" in capsys.readouterr().out
    assert User.objects.filter(username="cmd-one").exists() and len(mail.outbox) == 1


def test_refused_to_a_county_official(demo, staff_file):
    with pytest.raises(CommandError, match="无权"):
        call_command("import_staff", staff_file([staff_row()]), "--as", "luoyang-county")
