"""A staff file with a bad row writes nothing unless the good rows are kept explicitly."""

import pytest
from django.core import mail

from greenmfg.accounts.models import User
from greenmfg.core.errors import DomainError
from greenmfg.core.imports.services import import_apply, import_upload
from tests.factories.staff_imports import staff_row, staff_upload


def test_all_or_nothing_then_keep_good_rows(demo, django_capture_on_commit_callbacks):
    actor = demo["luoyang-city"]
    rows = [staff_row(用户名="good-one"), staff_row(用户名="bad-one", 角色="评审专家")]
    run = import_upload(kind="staff", uploaded=staff_upload(rows), actor=actor)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        import_apply(run=run, actor=actor)
    assert "第 3 行" in refused.value.message and "未写入任何数据" in refused.value.message
    assert not User.objects.filter(username__in=["good-one", "bad-one"]).exists()
    assert mail.outbox == []

    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        run = import_apply(run=run, actor=actor, keep_good_rows=True)
    assert (run.state, run.written, run.errors) == ("applied", 1, 1)
    assert list(
        User.objects.filter(username__in=["good-one", "bad-one"]).values_list("username", flat=True)
    ) == ["good-one"]
    assert [message.to for message in mail.outbox] == [[rows[0]["电子邮箱"]]]
