"""An expert's 所在单位 that the portal does not hold (a university, an institute that never
registers) is created when the file is applied: a 高校/科研院所/其他单位 in the pool's place, said
on the preview, audited, once per name, and what the conflict-of-interest checks compare."""

import pytest

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError
from greenmfg.core.imports.services import import_apply, import_upload
from greenmfg.directory.models import Organisation
from reviews.models import ExpertMembership
from reviews.selectors.expert import conflicts_for
from tests.factories.directory import valid_credit_code
from tests.factories.expert_imports import expert_row, experts_xlsx
from tests.reviews.test_expert_pool import recommended

pytestmark = pytest.mark.django_db

UNIVERSITY = "河南科技大学（导入）"


def test_the_preview_says_the_employer_will_be_created_and_writes_nothing(demo):
    run = import_upload(
        kind="experts",
        uploaded=experts_xlsx([expert_row(所在单位=f" {UNIVERSITY} ")]),
        actor=demo["luoyang-city"],
    )
    [result] = run.results
    assert (result["outcome"], result["column"]) == ("new", "")
    assert result["reason"] == (
        f"将新建单位「{UNIVERSITY}」（高校/科研院所/其他单位，所属区划：洛阳市）。"
    )
    assert not Organisation.objects.filter(name=UNIVERSITY).exists()


def test_apply_creates_the_employer_once_for_its_experts_and_audits_it(demo):
    official = demo["luoyang-city"]
    rows = [
        expert_row(姓名="甲专家", 所在单位=UNIVERSITY),
        expert_row(姓名="乙专家", 所在单位=UNIVERSITY),
    ]
    run = import_apply(
        run=import_upload(kind="experts", uploaded=experts_xlsx(rows), actor=official),
        actor=official,
    )

    employer = Organisation.objects.select_related("jurisdiction").get(name=UNIVERSITY)
    assert (employer.kind, employer.credit_code, employer.status) == (
        Organisation.Kind.INSTITUTION,
        "",
        Organisation.Status.ACTIVE,
    )
    assert employer.jurisdiction == official.organisation.jurisdiction
    members = ExpertMembership.objects.filter(authority=official.organisation)
    assert {m.expert.organisation_id for m in members.select_related("expert")} == {employer.pk}
    entry = AuditEntry.objects.get(object_id=str(employer.pk), action="create")
    assert entry.data["import_run"] == run.pk and entry.actor == official


def test_the_same_file_again_matches_the_created_employer(demo):
    official = demo["luoyang-city"]
    content = [expert_row(所在单位=UNIVERSITY)]
    import_apply(
        run=import_upload(kind="experts", uploaded=experts_xlsx(content), actor=official),
        actor=official,
    )
    again = import_upload(kind="experts", uploaded=experts_xlsx(content), actor=official)
    assert [(r["outcome"], r["reason"]) for r in again.results] == [("unchanged", "")]
    assert Organisation.objects.filter(name=UNIVERSITY).count() == 1


def test_an_unknown_credit_code_is_still_an_error(demo):
    official = demo["luoyang-city"]
    run = import_upload(
        kind="experts",
        uploaded=experts_xlsx([expert_row(所在单位=valid_credit_code())]),
        actor=official,
    )
    assert run.results[0]["column"] == "所在单位"
    assert "请先登记该单位" in run.results[0]["reason"]
    with pytest.raises(DomainError):
        import_apply(run=run, actor=official)


def test_a_created_employer_conflicts_with_a_unit_of_its_name_that_applies(demo):
    application = recommended(demo)
    official = demo["luoyang-city"]
    import_apply(
        run=import_upload(
            kind="experts",
            uploaded=experts_xlsx([expert_row(姓名="丙专家", 所在单位=UNIVERSITY)]),
            actor=official,
        ),
        actor=official,
    )
    expert = (
        ExpertMembership.objects.select_related("expert__organisation")
        .get(expert__full_name="丙专家")
        .expert
    )
    assert conflicts_for(expert=expert, application=application) == []
    # The employer registers on the portal later, as the applicant: another record, one name.
    Organisation.objects.filter(pk=application.organisation_id).update(name=UNIVERSITY)
    application.organisation.refresh_from_db()
    reasons = conflicts_for(expert=expert, application=application)
    assert reasons == [f"专家所在单位「{UNIVERSITY}」即申报单位。"]
