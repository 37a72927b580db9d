"""Importing the same expert file again changes nothing: every row is ``unchanged``."""

import pytest

from greenmfg.accounts.models import User
from greenmfg.audit.models import AuditEntry
from greenmfg.core.imports.services import import_apply, import_upload
from reviews.models import ExpertMembership
from tests.factories.expert_imports import expert_row, experts_xlsx

pytestmark = pytest.mark.django_db


def test_the_same_file_twice_changes_nothing(demo):
    official = demo["luoyang-city"]
    content = [expert_row(姓名="甲专家"), expert_row(姓名="乙专家", 专业领域="财务")]
    run = import_upload(kind="experts", uploaded=experts_xlsx(content), actor=official)
    import_apply(run=run, actor=official)
    before = (User.objects.count(), ExpertMembership.objects.count(), AuditEntry.objects.count())

    again = import_upload(kind="experts", uploaded=experts_xlsx(content), actor=official)
    assert [r["outcome"] for r in again.results] == ["unchanged", "unchanged"]
    again = import_apply(run=again, actor=official)

    assert again.written == 0
    after = (User.objects.count(), ExpertMembership.objects.count())
    assert after == before[:2]
    # Only the runs' own entries (upload, preview, apply) are added.
    assert set(AuditEntry.objects.order_by("pk")[before[2] :].values_list("action", flat=True)) <= {
        "import_upload",
        "import_preview",
        "import_apply",
    }


def test_a_member_with_other_facts_is_an_error_not_an_edit(demo):
    official = demo["luoyang-city"]
    row = expert_row()
    import_apply(
        run=import_upload(kind="experts", uploaded=experts_xlsx([row]), actor=official),
        actor=official,
    )
    changed = {**row, "职称": "教授"}
    run = import_upload(kind="experts", uploaded=experts_xlsx([changed]), actor=official)
    assert (run.results[0]["outcome"], run.results[0]["column"]) == ("error", "职称")
    assert "已在「洛阳市工业和信息化局」专家库中" in run.results[0]["reason"]
    assert ExpertMembership.objects.get(expert__phone=row["手机号码"]).title == "正高级工程师"
