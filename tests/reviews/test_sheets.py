"""评分表: an expert's sheet saves what is usable, abstains with a reason, and is submitted once.

The arrangement helpers at the top are shared with test_decision, test_onsite and
test_sheet_pages (imported from here, as the brief keeps new helpers in these modules).
"""

from decimal import Decimal

import pytest

from applications.models import Application
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from reviews.models import ExpertAssignment, ScoreSheet
from reviews.scoring import BasicRequirement, Indicator, IndicatorGroup, ScoringTemplate
from reviews.scoring_templates import TEMPLATES
from reviews.selectors.sheet import scoring_template_for, sheet_state, sheet_template
from reviews.services.sheet import sheet_open, sheet_save, sheet_submit
from tests.applications.helpers import city_batch
from tests.factories import (
    ApplicationFactory,
    ExpertAssignmentFactory,
    ExpertFactory,
)

pytestmark = pytest.mark.django_db

# --- Arrangements shared by the sheet, decision, on-site and page tests ---

# One item of 100 points: the sheet's total is exactly the points given, so a test can aim at
# 79.99 without working the arithmetic of a real template backwards.
BOUNDARY = ScoringTemplate(
    code="boundary",
    version="1",
    title="测试：单项百分制",
    unit_type="factory",
    standard="测试标准",
    basic_requirements=(BasicRequirement("basic.legal", "依法设立"),),
    groups=(IndicatorGroup("all", "综合评价", 100, (Indicator("all.score", "综合得分", 100),)),),
)


@pytest.fixture
def boundary_template(monkeypatch):
    monkeypatch.setitem(TEMPLATES, BOUNDARY.key, BOUNDARY)
    return BOUNDARY


def new_expert():
    return ExpertFactory()


def reviewing_application(demo, *, experts=1, status="expert_review", **batch_kwargs):
    """A 洛阳 factory application in expert review, with ``experts`` assignments.

    The first expert is the demo's ``luoyang-expert``; the others are new institute experts.
    """
    batch = city_batch(**batch_kwargs)
    applicant = demo["luoyang-enterprise"]
    application = ApplicationFactory(
        batch=batch, organisation=applicant.organisation, created_by=applicant, status=status
    )
    city = demo["luoyang-city"]
    people = [demo["luoyang-expert"], *(new_expert() for _ in range(experts - 1))]
    assignments = [
        ExpertAssignmentFactory(application=application, expert=expert, assigned_by=city)
        for expert in people
    ]
    return application, assignments


def full_marks(template) -> tuple[dict, dict]:
    """Every requirement met and full marks on every item (the 引领值 when interpolated)."""
    answers = {r.code: {"met": True, "note": ""} for r in template.basic_requirements}
    entries = {
        i.code: {"value": str(i.leading)} if i.is_interpolated else {"points": str(i.max_points)}
        for i in template.indicators
    }
    return answers, entries


def submit_scores(assignments, totals, *, unmet_by=()):
    """Each expert scores the boundary template with one total; ``unmet_by`` vetoes."""
    sheets = []
    for assignment, total in zip(assignments, totals, strict=True):
        sheet = sheet_open(assignment=assignment, actor=assignment.expert)
        sheet, problems = sheet_save(
            sheet=sheet,
            actor=assignment.expert,
            answers={"basic.legal": {"met": assignment not in unmet_by}},
            entries={"all.score": {"points": str(total)}},
        )
        assert problems == []
        sheets.append(sheet_submit(sheet=sheet, actor=assignment.expert))
    return sheets


def boundary_application(demo, *, experts=3, **batch_kwargs):
    return reviewing_application(
        demo, experts=experts, scoring_templates={"factory": BOUNDARY.key}, **batch_kwargs
    )


# --- Opening a sheet ---


@pytest.mark.parametrize(
    ("setting", "key"),
    [({}, "green-factory@2025"), ({"factory": "green-factory@2018"}, "green-factory@2018")],
    ids=["newest-by-default", "batch-choice"],
)
def test_sheet_open_uses_the_batch_template_or_the_newest(demo, setting, key):
    _application, [assignment] = reviewing_application(demo, scoring_templates=setting)

    sheet = sheet_open(assignment=assignment, actor=assignment.expert)

    assert sheet.template_key == key
    assert sheet_open(assignment=assignment, actor=assignment.expert) == sheet


def test_sheet_open_refuses_an_unknown_template_key(demo):
    _application, [assignment] = reviewing_application(
        demo, scoring_templates={"factory": "green-factory@1999"}
    )

    with pytest.raises(DomainError, match=r"green-factory@1999.*不存在"):
        sheet_open(assignment=assignment, actor=assignment.expert)


def test_newest_template_is_chosen_per_unit_type(demo):
    batch = city_batch()

    assert scoring_template_for(batch=batch, unit_type="park").key == "green-park@2016"
    assert scoring_template_for(batch=batch, unit_type="design_product") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scoring_open": False}, "专家评分尚未开放或已关闭"),
        ({"status": "recommended"}, "不在专家评审阶段"),
    ],
    ids=["scoring-closed", "not-in-review"],
)
def test_sheet_open_refused_outside_scoring(demo, change, message):
    application, [assignment] = reviewing_application(demo)
    if "scoring_open" in change:
        application.batch.scoring_open = False
        application.batch.save()
    else:
        Application.objects.filter(pk=application.pk).update(**change)

    with pytest.raises(DomainError, match=message):
        sheet_open(assignment=assignment, actor=assignment.expert)


# --- Saving as the expert goes ---


def test_over_max_score_refused_with_its_message_and_the_rest_kept(demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    template = sheet_template(sheet)
    manual = [i for i in template.indicators if not i.is_interpolated]
    first, second = manual[0], manual[1]
    sheet, _ = sheet_save(sheet=sheet, actor=expert, entries={first.code: {"points": "1"}})

    sheet, problems = sheet_save(
        sheet=sheet,
        actor=expert,
        answers={"basic.established": {"met": True, "note": "营业执照齐全"}},
        entries={
            first.code: {"points": str(first.max_points + 1)},
            second.code: {"points": "1.5"},
        },
        comment="整体较好",
    )

    assert [p.message for p in problems] == [
        f"「{first.name}」得分 {first.max_points + 1} 超过满分 {first.max_points}"
    ]
    sheet.refresh_from_db()
    assert sheet.entries[first.code] == {"points": "1"}  # the last valid value stays
    assert sheet.entries[second.code] == {"points": "1.5"}
    assert sheet.answers["basic.established"] == {"met": True, "note": "营业执照齐全"}
    assert sheet.comment == "整体较好"


def test_abstaining_needs_a_reason(demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    item = sheet_template(sheet).indicators[0]

    sheet, problems = sheet_save(
        sheet=sheet, actor=expert, entries={item.code: {"abstain_reason": "  "}}
    )
    assert [p.message for p in problems] == [f"「{item.name}」弃权须填写理由"]
    assert item.code not in sheet.entries

    sheet, problems = sheet_save(
        sheet=sheet, actor=expert, entries={item.code: {"abstain_reason": "曾为该企业提供咨询"}}
    )
    assert problems == []
    assert sheet.entries[item.code] == {"abstain_reason": "曾为该企业提供咨询"}


def test_interpolated_item_is_scored_from_its_value_and_an_empty_row_clears(demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    template = sheet_template(sheet)
    item = next(i for i in template.indicators if i.is_interpolated)
    middle = (item.baseline + item.leading) / 2

    sheet, problems = sheet_save(sheet=sheet, actor=expert, entries={item.code: {"value": middle}})
    state = sheet_state(template=template, answers=sheet.answers, entries=sheet.entries)

    assert problems == []
    assert state.result.item_points[item.code] == (item.max_points / 2).quantize(Decimal("0.01"))
    assert not state.complete
    sheet, _ = sheet_save(sheet=sheet, actor=expert, entries={item.code: {"value": ""}})
    assert item.code not in sheet.entries


def test_points_on_an_interpolated_item_and_unknown_codes_are_reported(demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    item = next(i for i in sheet_template(sheet).indicators if i.is_interpolated)

    sheet, problems = sheet_save(
        sheet=sheet,
        actor=expert,
        answers={"basic.unknown": {"met": True}},
        entries={item.code: {"points": "3"}, "nothing.here": {"points": "1"}},
    )

    messages = " ".join(p.message for p in problems)
    assert "按数值计分，应填写数值" in messages
    assert "未知的基本要求代码 basic.unknown" in messages
    assert "未知的指标代码 nothing.here" in messages
    assert sheet.entries == {} and sheet.answers == {}


def test_strict_save_keeps_nothing_when_a_row_is_wrong(demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    first, second = [i for i in sheet_template(sheet).indicators if not i.is_interpolated][:2]

    with pytest.raises(DomainError, match="超过满分") as refusal:
        sheet_save(
            sheet=sheet,
            actor=expert,
            entries={first.code: {"points": "999"}, second.code: {"points": "1"}},
            strict=True,
        )

    assert len(refusal.value.reasons) == 1
    sheet.refresh_from_db()
    assert sheet.entries == {}


def test_abstaining_on_every_required_item_of_a_group_is_reported(demo):
    _application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    group = sheet_template(sheet).groups[0]

    sheet, problems = sheet_save(
        sheet=sheet,
        actor=expert,
        entries={i.code: {"abstain_reason": "回避"} for i in group.indicators if i.required},
    )

    assert [p.code for p in problems] == [group.code]
    assert "必选指标全部弃权" in problems[0].message


# --- Submitting, once ---


def test_incomplete_sheet_cannot_be_submitted(demo):
    _application, [assignment] = reviewing_application(demo)
    sheet = sheet_open(assignment=assignment, actor=assignment.expert)

    with pytest.raises(DomainError, match="不能提交") as refusal:
        sheet_submit(sheet=sheet, actor=assignment.expert)

    assert any("缺少基本要求" in reason for reason in refusal.value.reasons)
    assert ScoreSheet.objects.get(pk=sheet.pk).status == "draft"


def test_sheet_is_submitted_once_then_read_only(demo, django_capture_on_commit_callbacks):
    application, [assignment] = reviewing_application(demo)
    expert = assignment.expert
    sheet = sheet_open(assignment=assignment, actor=expert)
    answers, entries = full_marks(sheet_template(sheet))
    sheet, _ = sheet_save(sheet=sheet, actor=expert, answers=answers, entries=entries)

    with django_capture_on_commit_callbacks(execute=True):
        sheet = sheet_submit(sheet=sheet, actor=expert)

    assert (sheet.status, sheet.total, sheet.basic_met) == ("submitted", Decimal("100.00"), True)
    assignment.refresh_from_db()
    assert assignment.status == ExpertAssignment.Status.SUBMITTED
    entry = AuditEntry.objects.get(object_id=str(application.pk), action="sheet_submit")
    assert (entry.data["from_label"], entry.data["to_label"]) == ("填写中", "已提交")
    assert Notification.objects.filter(
        recipient=demo["luoyang-city"], subject__contains="专家已提交评分"
    ).exists()
    with pytest.raises(DomainError, match="不能再修改或重复提交"):
        sheet_submit(sheet=sheet, actor=expert)
    with pytest.raises(DomainError, match="不能再修改或重复提交"):
        sheet_save(sheet=sheet, actor=expert, entries={})


# --- Only the assigned expert ---


@pytest.mark.parametrize(
    "username",
    ["jinan-expert", "luoyang-county", "luoyang-city", "luoyang-enterprise"],
    ids=["another-expert", "county", "authority", "applicant"],
)
def test_only_the_assigned_expert_may_open_save_or_submit(demo, username):
    _application, [assignment] = reviewing_application(demo)
    sheet = sheet_open(assignment=assignment, actor=assignment.expert)
    intruder = demo[username]

    with pytest.raises(NotPermitted):
        sheet_open(assignment=assignment, actor=intruder)
    with pytest.raises(NotPermitted):
        sheet_save(sheet=sheet, actor=intruder, entries={})
    with pytest.raises(NotPermitted):
        sheet_submit(sheet=sheet, actor=intruder)


def test_a_withdrawn_expert_cannot_score(demo):
    _application, [assignment] = reviewing_application(demo)
    ExpertAssignment.objects.filter(pk=assignment.pk).update(status="withdrawn")

    with pytest.raises(DomainError, match="回避"):
        sheet_open(assignment=assignment, actor=assignment.expert)
