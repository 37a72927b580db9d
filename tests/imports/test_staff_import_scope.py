"""Who may import staff accounts: administrators, and city or higher officials for their
subtree; a county official administers no accounts, nor do applicants, agencies or experts."""

import pytest

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.core.errors import NotPermitted
from greenmfg.core.imports.services import import_upload
from tests.factories.directory import UserFactory, demo_bureau
from tests.factories.staff_imports import staff_row, staff_upload


@pytest.mark.parametrize(
    "username",
    ["luoyang-county", "luoyang-enterprise", "luoyang-agency", "luoyang-expert", "luoyang-env"],
)
def test_refused_importers(demo, username):
    with pytest.raises(NotPermitted):
        import_upload(kind="staff", uploaded=staff_upload([staff_row()]), actor=demo[username])
    assert not User.objects.filter(username__startswith="staff").exists()


def test_a_city_official_only_within_the_city(demo):
    rows = [staff_row(), staff_row(角色="市工信部门", 所属单位="济南市工业和信息化局")]
    run = import_upload(kind="staff", uploaded=staff_upload(rows), actor=demo["luoyang-city"])
    assert run.results[0]["outcome"] == "new"
    assert run.results[1]["column"] == "所属单位"
    assert "不在您的管辖范围内" in run.results[1]["reason"]


def test_a_city_official_cannot_give_a_province_role(demo):
    province = demo["luoyang-city"].organisation.jurisdiction.parent
    rows = [staff_row(角色="省工信部门", 所属单位=demo_bureau(province.key).name)]
    run = import_upload(kind="staff", uploaded=staff_upload(rows), actor=demo["luoyang-city"])
    assert (run.results[0]["outcome"], run.results[0]["column"]) == ("error", "所属单位")


def test_an_account_of_another_city_is_not_taken_over(demo):
    jinan = demo["jinan-county"]
    row = staff_row(用户名=jinan.username, 姓名=jinan.full_name, 电子邮箱=jinan.email)
    run = import_upload(kind="staff", uploaded=staff_upload([row]), actor=demo["luoyang-city"])
    assert run.results[0]["column"] == "用户名"
    assert "管辖范围以外" in run.results[0]["reason"]


def test_an_administrator_anywhere(demo):
    rows = [staff_row(), staff_row(角色="市工信部门", 所属单位="济南市工业和信息化局")]
    run = import_upload(kind="staff", uploaded=staff_upload(rows), actor=demo["admin"])
    assert [result["outcome"] for result in run.results] == ["new", "new"]


def test_a_province_official_for_its_cities(demo):
    province = UserFactory(
        role=Role.PROVINCE_OFFICIAL,
        organisation=demo_bureau(demo["luoyang-city"].organisation.jurisdiction.parent.key),
    )
    rows = [staff_row(角色="市工信部门", 所属单位="洛阳市工业和信息化局")]
    run = import_upload(kind="staff", uploaded=staff_upload(rows), actor=province)
    assert run.results[0]["outcome"] == "new"
