"""Applying a staff import opens the accounts without a password and, after the commit, sends
each person a set-password e-mail whose link opens the set-password form."""

import re

from django.core import mail

from greenmfg.accounts.models import User
from greenmfg.audit.models import AuditEntry
from greenmfg.core.imports.services import import_apply, import_upload
from tests.factories.staff_imports import staff_row, staff_upload


def apply_rows(rows, actor, capture, **options):
    run = import_upload(kind="staff", uploaded=staff_upload(rows), actor=actor)
    with capture(execute=True):
        run = import_apply(run=run, actor=actor, **options)
    return run


def test_new_accounts_have_no_password_and_get_the_email(demo, django_capture_on_commit_callbacks):
    rows = [
        staff_row(用户名="ll-wang", 姓名="王五", 电子邮箱="wangwu@gov.example.cn"),
        staff_row(
            用户名="ly-zhao",
            姓名="赵六",
            角色="市工信部门",
            所属单位="洛阳市工业和信息化局",
            手机号码="13800000001",
        ),
    ]
    run = apply_rows(rows, demo["luoyang-city"], django_capture_on_commit_callbacks)
    assert (run.state, run.new, run.written) == ("applied", 2, 2)
    wang = User.objects.get(username="ll-wang")
    assert (wang.full_name, wang.role, wang.organisation.name) == (
        "王五",
        "county_official",
        "洛龙区工业和信息化局",
    )
    assert not wang.has_usable_password()
    assert User.objects.get(username="ly-zhao").phone == "13800000001"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["wangwu@gov.example.cn", rows[1]["电子邮箱"]]
    )
    body = next(m.body for m in mail.outbox if m.to == ["wangwu@gov.example.cn"])
    assert "用户名：ll-wang" in body and "洛阳市工业和信息化局为您开通" in body
    # Audited: the run's upload, preview and apply, and each account.
    assert AuditEntry.objects.filter(object_id=str(wang.pk), action="create").exists()
    assert AuditEntry.objects.filter(object_id=str(run.pk), action="import_apply").exists()


def test_no_email_before_the_commit(demo, django_capture_on_commit_callbacks):
    actor = demo["luoyang-city"]
    run = import_upload(kind="staff", uploaded=staff_upload([staff_row()]), actor=actor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_apply(run=run, actor=actor)
    assert mail.outbox == [] and len(callbacks) == 1


def test_the_emailed_link_opens_the_set_password_form(
    client, demo, django_capture_on_commit_callbacks
):
    apply_rows(
        [staff_row(用户名="ll-sun")], demo["luoyang-city"], django_capture_on_commit_callbacks
    )
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    path = "/" + link.split("/", 3)[3]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Lvse-Zhizao-2026!", "new_password2": "Lvse-Zhizao-2026!"},
    )
    assert done.status_code == 302
    user = User.objects.get(username="ll-sun")
    assert user.check_password("Lvse-Zhizao-2026!")
    # Once used, the link is void.
    again = client.get(path, follow=True)
    assert 'name="new_password1"' not in again.content.decode()


def test_a_matched_account_is_updated_without_an_email(demo, django_capture_on_commit_callbacks):
    actor = demo["luoyang-city"]
    row = staff_row(用户名="ll-qian", 姓名="钱七", 电子邮箱="qian@gov.example.cn")
    apply_rows([row], actor, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    moved = {**row, "所属单位": "偃师区工业和信息化局", "手机号码": "13900000000"}
    run = apply_rows([moved], actor, django_capture_on_commit_callbacks)
    assert (run.matched, run.written) == (1, 1)
    assert "所属单位、手机号码" in run.results[0]["reason"]
    user = User.objects.get(username="ll-qian")
    assert (user.organisation.name, user.phone) == ("偃师区工业和信息化局", "13900000000")
    assert mail.outbox == []
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="update").exists()
