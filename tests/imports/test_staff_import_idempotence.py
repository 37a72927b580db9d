"""Importing the same staff file again changes nothing and sends no second e-mail."""

from django.core import mail

from greenmfg.accounts.models import User
from greenmfg.core.imports.services import import_apply, import_upload
from tests.factories.staff_imports import staff_row, staff_upload


def test_the_same_file_twice(demo, django_capture_on_commit_callbacks):
    actor = demo["luoyang-city"]
    rows = [staff_row(), staff_row(角色="市工信部门", 所属单位="洛阳市工业和信息化局")]
    first = import_upload(kind="staff", uploaded=staff_upload(rows), actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        import_apply(run=first, actor=actor)
    assert len(mail.outbox) == 2
    users = User.objects.count()
    passwords = dict(User.objects.values_list("username", "password"))

    second = import_upload(kind="staff", uploaded=staff_upload(rows), actor=actor)
    assert (second.new, second.matched, second.unchanged, second.errors) == (0, 0, 2, 0)
    with django_capture_on_commit_callbacks(execute=True):
        second = import_apply(run=second, actor=actor)
    assert (second.state, second.written) == ("applied", 0)
    assert User.objects.count() == users
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert len(mail.outbox) == 2
