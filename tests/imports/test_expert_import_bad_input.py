"""Bad input in an expert file: each refusal names the row and the column precisely, and nothing
is written — neither on preview nor on apply."""

import pytest

from greenmfg.accounts.models import User
from greenmfg.core.errors import DomainError
from greenmfg.core.imports.services import import_apply, import_upload
from reviews.models import ExpertMembership
from tests.conftest import suite_today
from tests.factories.directory import OrganisationFactory, valid_credit_code
from tests.factories.expert_imports import expert_row, experts_csv, experts_xlsx

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int]:
    return User.objects.count(), ExpertMembership.objects.count()


CASES = {
    "required_name": ({"姓名": ""}, "姓名", "必填"),
    "required_phone": ({"手机号码": ""}, "手机号码", "必填"),
    "phone_shape": ({"手机号码": "0379-6123456"}, "手机号码", "不是有效的手机号码"),
    "unknown_field": ({"专业领域": "化学"}, "专业领域", "不是专业领域"),
    "required_title": ({"职称": ""}, "职称", "必填"),
    "long_title": ({"职称": "高" * 51}, "职称", "不能超过 50 个字"),
    "unknown_pool": ({"专家库": "火星工业和信息化局"}, "专家库", "未找到专家库"),
    "long_organisation": ({"所在单位": "大" * 201}, "所在单位", "不能超过 200 个字"),
    "unknown_credit_code": ({"所在单位": valid_credit_code()}, "所在单位", "请先登记该单位"),
    "bad_email": ({"电子邮箱": "not-an-email"}, "电子邮箱", "不是有效的电子邮箱"),
    "bad_year": ({"入库年度": "二〇二四"}, "入库年度", "不是有效年度"),
    "until_before_from": ({"入库年度": "2026", "截止年度": "2025"}, "截止年度", "不能早于"),
}


@pytest.mark.parametrize("change", CASES.values(), ids=CASES.keys())
def test_a_bad_cell_is_refused_with_its_row_and_column(demo, change):
    values, column, reason = change
    official = demo["luoyang-city"]
    before = written()
    rows = [expert_row(), expert_row(**values)]
    run = import_upload(kind="experts", uploaded=experts_xlsx(rows), actor=official)
    result = run.results[1]
    assert (result["row"], result["outcome"], result["column"]) == (3, "error", column), result
    assert reason in result["reason"]
    assert run.results[0]["outcome"] == "new"
    with pytest.raises(DomainError, match="第 3 行"):
        import_apply(run=run, actor=official)
    assert written() == before


def test_a_duplicate_row_names_the_first(demo):
    row = expert_row()
    run = import_upload(
        kind="experts", uploaded=experts_xlsx([row, dict(row)]), actor=demo["luoyang-city"]
    )
    result = run.results[1]
    assert (result["outcome"], result["column"]) == ("error", "手机号码")
    assert "与第 2 行重复" in result["reason"]


def test_one_phone_with_two_names_is_refused(demo):
    first = expert_row()
    second = expert_row(手机号码=first["手机号码"], 姓名="另一人", 专家库="河南省工业和信息化厅")
    run = import_upload(kind="experts", uploaded=experts_xlsx([first, second]), actor=demo["admin"])
    assert (run.results[1]["column"], run.results[1]["outcome"]) == ("姓名", "error")
    assert "与第 2 行手机号码相同，但姓名不同" in run.results[1]["reason"]


def test_a_formula_is_refused_in_its_cell(demo):
    run = import_upload(
        kind="experts",
        uploaded=experts_xlsx([expert_row(职称='=HYPERLINK("x")')]),
        actor=demo["luoyang-city"],
    )
    result = run.results[0]
    assert (result["outcome"], result["column"]) == ("error", "职称")
    assert "公式" in result["reason"]


def test_a_name_shared_by_two_organisations_asks_for_the_code(demo):
    OrganisationFactory(name="同名研究所")
    OrganisationFactory(name="同名研究所")
    run = import_upload(
        kind="experts",
        uploaded=experts_xlsx([expert_row(所在单位="同名研究所")]),
        actor=demo["luoyang-city"],
    )
    assert run.results[0]["column"] == "所在单位"
    assert "对应多个单位" in run.results[0]["reason"]


def test_the_phone_of_an_account_that_is_not_an_expert(demo):
    enterprise = demo["luoyang-enterprise"]
    enterprise.phone = "13911112222"
    enterprise.save(update_fields=["phone"])
    run = import_upload(
        kind="experts",
        uploaded=experts_xlsx([expert_row(手机号码="13911112222")]),
        actor=demo["luoyang-city"],
    )
    assert run.results[0]["column"] == "手机号码"
    assert "不是评审专家" in run.results[0]["reason"]


def test_an_expert_of_another_organisation_is_not_moved(demo):
    expert = demo["luoyang-expert"]
    expert.phone = "13933334444"
    expert.save(update_fields=["phone"])
    other = OrganisationFactory()
    row = expert_row(姓名=expert.full_name, 手机号码="13933334444", 所在单位=other.credit_code)
    run = import_upload(kind="experts", uploaded=experts_xlsx([row]), actor=demo["luoyang-city"])
    assert run.results[0]["column"] == "所在单位"
    assert "与本行不同" in run.results[0]["reason"]
    expert.refresh_from_db()
    assert expert.organisation_id != other.pk


def test_a_utf8_csv_is_read_like_xlsx(demo):
    run = import_upload(
        kind="experts",
        uploaded=experts_csv([expert_row(入库年度=str(suite_today().year))]),
        actor=demo["luoyang-city"],
    )
    assert run.results[0]["outcome"] == "new"
