"""导入专家库成员: a new expert becomes an account and a pool member exactly as one added by hand;
an expert account already there (same 手机号码) joins the pool; re-importing changes nothing."""

import pytest

from greenmfg.accounts.roles import Role
from greenmfg.audit.models import AuditEntry
from greenmfg.core.imports.services import import_apply, import_upload
from greenmfg.directory.models import Organisation
from reviews.models import ExpertMembership
from reviews.services.expert_imports import expert_username
from tests.conftest import suite_today
from tests.factories.expert_imports import INSTITUTE, POOL, expert_row, experts_xlsx

pytestmark = pytest.mark.django_db


def test_a_new_expert_gets_an_account_and_joins_the_pool(demo):
    official = demo["luoyang-city"]
    row = expert_row(姓名="李新", 电子邮箱="Li@Example.cn", 专业领域="低碳", 截止年度="2030")
    run = import_upload(kind="experts", uploaded=experts_xlsx([row]), actor=official)
    assert [r["outcome"] for r in run.results] == ["new"]
    assert not ExpertMembership.objects.filter(expert__full_name="李新").exists()

    run = import_apply(run=run, actor=official)

    assert (run.state, run.written) == ("applied", 1)
    membership = ExpertMembership.objects.select_related("expert__organisation", "authority").get(
        expert__full_name="李新"
    )
    expert = membership.expert
    assert expert.username == expert_username(row["手机号码"])
    assert (expert.role, expert.phone, expert.email) == (
        Role.EXPERT,
        row["手机号码"],
        "li@example.cn",
    )
    assert not expert.has_usable_password()
    # The organisation the conflict checks compare.
    assert expert.organisation.name == INSTITUTE
    assert membership.authority.name == POOL
    assert (membership.field, membership.title, membership.is_active) == (
        "low_carbon",
        "正高级工程师",
        True,
    )
    assert (membership.active_from, membership.active_until) == (suite_today().year, 2030)
    # As expert_add writes it: the member's audit row.
    assert AuditEntry.objects.filter(object_id=str(membership.pk), action="create").exists()


def test_an_existing_expert_account_is_matched_by_phone(demo):
    official = demo["luoyang-city"]
    expert = demo["luoyang-expert"]
    expert.phone = "13912345678"
    expert.save(update_fields=["phone"])
    row = expert_row(
        姓名=expert.full_name, 手机号码="139 1234 5678", 所在单位=expert.organisation.name
    )
    run = import_upload(kind="experts", uploaded=experts_xlsx([row]), actor=official)
    assert run.results[0]["outcome"] == "matched"
    assert expert.username in run.results[0]["reason"]

    import_apply(run=run, actor=official)

    assert ExpertMembership.objects.filter(expert=expert, authority=official.organisation).exists()
    assert not type(expert).objects.filter(username=expert_username("13912345678")).exists()


def test_one_new_expert_in_two_pools_gets_one_account(demo):
    admin = demo["admin"]
    phone = "13987654321"
    rows = [
        expert_row(手机号码=phone),
        expert_row(手机号码=phone, 专家库="河南省工业和信息化厅"),
    ]
    run = import_upload(kind="experts", uploaded=experts_xlsx(rows), actor=admin)
    assert [r["outcome"] for r in run.results] == ["new", "new"], run.results
    import_apply(run=run, actor=admin)
    assert ExpertMembership.objects.filter(expert__phone=phone).count() == 2


def test_the_organisation_by_its_code_is_the_same_as_by_its_name(demo):
    code = Organisation.objects.get(name=INSTITUTE).credit_code
    phone = "13955556666"
    rows = [
        expert_row(手机号码=phone),
        expert_row(手机号码=phone, 所在单位=code, 专家库="河南省工业和信息化厅"),
    ]
    run = import_upload(kind="experts", uploaded=experts_xlsx(rows), actor=demo["admin"])
    assert [r["outcome"] for r in run.results] == ["new", "new"], run.results
