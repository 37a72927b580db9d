"""Each bad row of a staff import is an error naming its row, its column and why."""

import pytest

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.core.imports.services import import_upload
from greenmfg.directory.models import Organisation
from tests.factories.directory import OrganisationFactory, UserFactory, demo_place
from tests.factories.staff_imports import staff_row, staff_upload


def preview(rows, actor):
    return import_upload(kind="staff", uploaded=staff_upload(rows), actor=actor)


def error_of(run, row: int) -> dict:
    (result,) = [result for result in run.results if result["row"] == row]
    assert result["outcome"] == "error", result
    return result


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        ({"角色": "局长"}, "角色", "「局长」不是系统中的角色"),
        ({"角色": "评审专家"}, "角色", "「评审专家」不是工作人员角色"),
        ({"角色": "系统管理员"}, "角色", "不是工作人员角色"),
        ({"角色": "市工信部门"}, "角色", "其人员的角色应为「县（区）工信部门」"),
        (
            {"所属单位": "洛阳绿源示范制造有限公司（演示）"},
            "角色",
            "是企业，不能开通「县（区）工信部门」账号",
        ),
        ({"所属单位": "不存在的局"}, "所属单位", "未找到单位「不存在的局」"),
        ({"所属单位": "济南市工业和信息化局"}, "所属单位", "不在您的管辖范围内"),
        ({"电子邮箱": "wang@@example"}, "电子邮箱", "不是有效的电子邮箱地址"),
        ({"用户名": "有 空格"}, "用户名", "不能有空格"),
        ({"姓名": ""}, "姓名", "必填项为空"),
        ({"用户名": '=HYPERLINK("http://x")'}, "用户名", "公式"),
    ],
    ids=[
        "unknown-role",
        "expert-role",
        "admin-role",
        "role-of-another-level",
        "role-of-another-kind",
        "no-such-organisation",
        "organisation-outside-jurisdiction",
        "bad-email",
        "bad-username",
        "empty-name",
        "formula",
    ],
)
def test_a_bad_cell_names_row_and_column(demo, values, column, reason):
    run = preview([staff_row(), staff_row(**values)], demo["luoyang-city"])
    assert run.results[0]["outcome"] == "new"
    error = error_of(run, 3)
    assert error["column"] == column
    assert reason in error["reason"]


def test_a_username_twice_in_the_file(demo):
    run = preview([staff_row(用户名="Wang"), staff_row(用户名="wang")], demo["luoyang-city"])
    error = error_of(run, 3)
    assert error["column"] == "用户名"
    assert "与第 2 行重复" in error["reason"]


def test_an_email_twice_in_the_file(demo):
    run = preview(
        [staff_row(电子邮箱="same@gov.example.cn"), staff_row(电子邮箱="same@gov.example.cn")],
        demo["luoyang-city"],
    )
    error = error_of(run, 3)
    assert (error["column"], "与第 2 行相同" in error["reason"]) == ("电子邮箱", True)


def test_a_username_taken_by_another_person(demo):
    UserFactory(username="zhangsan", full_name="张三", role=Role.APPLICANT)
    run = preview([staff_row(用户名="ZhangSan", 姓名="李四")], demo["luoyang-city"])
    error = error_of(run, 2)
    assert error["column"] == "用户名"
    assert "已被他人使用" in error["reason"]


def test_an_email_of_another_account(demo):
    other = demo["luoyang-county"]
    run = preview([staff_row(电子邮箱=other.email.upper())], demo["luoyang-city"])
    error = error_of(run, 2)
    assert error["column"] == "电子邮箱" and "已被其他账号使用" in error["reason"]


def test_an_ambiguous_name_lists_the_candidates(demo):
    for key in ("410311", "410307"):
        OrganisationFactory(
            name="联络办公室",
            kind=Organisation.Kind.DEPARTMENT,
            credit_code="",
            jurisdiction=demo_place(key),
        )
    run = preview([staff_row(角色="征求意见部门", 所属单位="联络办公室")], demo["luoyang-city"])
    error = error_of(run, 2)
    assert error["column"] == "所属单位"
    assert "对应多个单位" in error["reason"]
    assert "洛龙区的联络办公室" in error["reason"] and "偃师区的联络办公室" in error["reason"]


def test_an_organisation_by_its_credit_code(demo):
    department = OrganisationFactory(
        name="联络办公室", kind=Organisation.Kind.DEPARTMENT, jurisdiction=demo_place("410311")
    )
    run = preview(
        [staff_row(角色="征求意见部门", 所属单位=department.credit_code.lower())],
        demo["luoyang-city"],
    )
    assert run.results[0]["outcome"] == "new", run.results
    assert not User.objects.filter(username__startswith="staff").exists()
