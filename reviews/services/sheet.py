"""Commands of expert scoring (评分表) and on-site checks (现场核查), and the decision's guard.

A sheet saves as the expert goes: every row that is valid is kept, every row that is not comes
back with its message and leaves the stored row as it was, so nothing typed elsewhere is lost.
Submitting scores the whole sheet (``reviews.scoring.score_sheet``) and happens once.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Batch
from applications.selectors.batches import is_batch_authority
from applications.uploads import SUPPORTING_MAX_BYTES, check_upload
from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.transitions import run_transition
from greenmfg.notifications.services import notify
from reviews.models import ExpertAssignment, OnsiteCheck, ScoreSheet
from reviews.scoring import (
    ScoringError,
    ScoringTemplate,
    SheetEntry,
    SheetProblem,
    as_decimal,
    score_sheet,
    validate_sheet,
)
from reviews.selectors.sheet import (
    SCORING_STATES,
    decision_preview,
    review_assignments,
    scoring_template_for,
    sheet_template,
    stored_answers,
    stored_entries,
    submitted_sheets,
)
from reviews.services.phase import require_before_scoring_deadline
from reviews.workflow import assignment_workflow, sheet_workflow


def _require_assigned_expert(actor, assignment: ExpertAssignment) -> None:
    if actor.role != Role.EXPERT or assignment.expert_id != actor.pk:
        raise NotPermitted(_("只有分配的评审专家本人可以填写该评分表。"))
    if assignment.status == ExpertAssignment.Status.WITHDRAWN:
        raise DomainError(_("您已因利益冲突回避该申报，不能评分。"), code="assignment_withdrawn")


def _require_scoring(application: Application) -> None:
    if application.status not in SCORING_STATES:
        raise DomainError(
            _("申报当前状态为「%(state)s」，不在专家评审阶段。")
            % {"state": application.get_status_display()},
            code="not_in_expert_review",
        )
    if not application.batch.scoring_open:
        raise DomainError(
            _("批次「%(batch)s」的专家评分尚未开放或已关闭。") % {"batch": application.batch.title},
            code="scoring_closed",
        )


def _template_for(application: Application) -> ScoringTemplate:
    try:
        template = scoring_template_for(batch=application.batch, unit_type=application.unit_type)
    except KeyError as error:
        raise DomainError(
            _("批次「%(batch)s」设置的评分模板「%(key)s」不存在，请联系组织单位。")
            % {"batch": application.batch.title, "key": error.args[0]},
            code="no_template",
        ) from None
    if template is None:
        raise DomainError(
            _("%(type)s尚无评分模板，暂不能评分。") % {"type": application.get_unit_type_display()},
            code="no_template",
        )
    return template


@transaction.atomic
def sheet_open(*, assignment: ExpertAssignment, actor) -> ScoreSheet:
    """The assigned expert opens their sheet (once: opening again returns the same sheet)."""
    assignment = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("application__batch")
        .get(pk=assignment.pk)
    )
    _require_assigned_expert(actor, assignment)
    existing = ScoreSheet.objects.filter(assignment=assignment).first()
    if existing is not None:
        return existing
    application = assignment.application
    _require_scoring(application)
    template = _template_for(application)
    return ScoreSheet.objects.create(assignment=assignment, template_key=template.key)


def _locked_sheet(sheet: ScoreSheet) -> ScoreSheet:
    return (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("assignment__application__batch", "assignment__expert")
        .get(pk=sheet.pk)
    )


def _require_draft(sheet: ScoreSheet) -> None:
    if sheet.status == ScoreSheet.Status.SUBMITTED:
        when = timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M")
        raise DomainError(
            _("该评分表已于 %(when)s 提交，不能再修改或重复提交。") % {"when": when},
            code="sheet_submitted",
        )


def _row_problems(problems: list[SheetProblem], code: str) -> list[SheetProblem]:
    return [problem for problem in problems if problem.code == code]


def _answer_row(template: ScoringTemplate, code: str, row) -> tuple[dict | None, list]:
    """The row to store for one basic requirement, or the problems that keep it out."""
    if code not in {requirement.code for requirement in template.basic_requirements}:
        return None, [SheetProblem(code, _("未知的基本要求代码 %(code)s") % {"code": code})]
    if not isinstance(row, dict):
        row = {"met": row}
    met, note = row.get("met"), str(row.get("note") or "").strip()
    if met is not None and not isinstance(met, bool):
        message = _("基本要求「%(label)s」须判断为满足或不满足") % {"label": template.label(code)}
        return None, [SheetProblem(code, message)]
    # An undecided row (None) is kept with its note; submitting asks for the judgement.
    return {"met": met, "note": note}, []


def _entry_row(template: ScoringTemplate, code: str, row) -> tuple[dict | None, list]:
    """The row to store for one indicator (``{}`` clears it), or the problems that keep it out."""
    if code not in {indicator.code for indicator in template.indicators}:
        return None, [SheetProblem(code, _("未知的指标代码 %(code)s") % {"code": code})]
    if not isinstance(row, dict):
        message = _("指标「%(label)s」的评分格式无效") % {"label": template.label(code)}
        return None, [SheetProblem(code, message)]

    def given(key):
        value = row.get(key)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    points, value, reason = given("points"), given("value"), row.get("abstain_reason")
    if isinstance(reason, str):
        reason = reason.strip()
    if points is None and value is None and reason is None:
        return {}, []
    entry = SheetEntry(code, points=points, value=value, abstain_reason=reason)
    problems = _row_problems(validate_sheet(template, [], [entry]), code)
    if problems:
        return None, problems
    if reason is not None:
        return {"abstain_reason": reason}, []
    if points is not None:
        return {"points": str(as_decimal(points))}, []
    return {"value": str(as_decimal(value))}, []


def _group_problems(
    template: ScoringTemplate, answers: dict, entries: dict, touched: set[str]
) -> list[SheetProblem]:
    """Whole-group problems (every required item abstained on) of the groups just edited."""
    groups = {
        group.code
        for group in template.groups
        if any(indicator.code in touched for indicator in group.indicators)
    }
    problems = validate_sheet(template, stored_answers(answers), stored_entries(entries))
    return [problem for problem in problems if problem.code in groups]


@transaction.atomic
def sheet_save(
    *,
    sheet: ScoreSheet,
    actor,
    answers: dict | None = None,
    entries: dict | None = None,
    comment: str | None = None,
    strict: bool = False,
) -> tuple[ScoreSheet, list[SheetProblem]]:
    """Save the rows given and return the problems of those that could not be kept.

    ``answers`` maps a basic requirement's code to ``{"met": True | False | None, "note": ""}``;
    ``entries`` maps an indicator's code to one of ``{"points": …}`` (manual), ``{"value": …}``
    (interpolated, the measured quantity) or ``{"abstain_reason": "…"}`` (弃权); a row with
    nothing in it clears the item. Rows not mentioned stay as they are; ``comment`` None keeps
    the comment. A refused row keeps its stored value. With ``strict`` (the API, whose client
    keeps its own input) any problem refuses the whole save.
    """
    sheet = _locked_sheet(sheet)
    _require_assigned_expert(actor, sheet.assignment)
    _require_draft(sheet)
    _require_scoring(sheet.assignment.application)
    template = sheet_template(sheet)
    new_answers, new_entries = dict(sheet.answers), dict(sheet.entries)
    problems: list[SheetProblem] = []
    for code, row in (answers or {}).items():
        kept, row_problems = _answer_row(template, str(code), row)
        problems.extend(row_problems)
        if kept is not None:
            new_answers[str(code)] = kept
    for code, row in (entries or {}).items():
        kept, row_problems = _entry_row(template, str(code), row)
        problems.extend(row_problems)
        if kept == {}:
            new_entries.pop(str(code), None)
        elif kept is not None:
            new_entries[str(code)] = kept
    problems.extend(
        _group_problems(template, new_answers, new_entries, {str(code) for code in entries or {}})
    )
    if problems and strict:
        raise DomainError(
            _("评分表有误，未保存：") + "；".join(problem.message for problem in problems),
            code="sheet_invalid",
            reasons=[problem.message for problem in problems],
        )
    sheet.answers, sheet.entries = new_answers, new_entries
    if comment is not None:
        sheet.comment = comment.strip()
    sheet.save(update_fields=["answers", "entries", "comment", "updated_at"])
    return sheet, problems


def _authority_officials(batch: Batch):
    return batch.authority.users.filter(is_active=True, role__in=OFFICIAL_ROLES)


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, actor) -> ScoreSheet:
    """Score the whole sheet and submit it, once; the authority's officials are told.

    The sheet's door: its table, then the application's state and the scoring deadline, then
    the score itself; the assignment moves through its own table (which refuses a withdrawn
    one) and the step is recorded on the application's trail, where the score is shown."""
    scored = {}

    def check(row: ScoreSheet) -> None:
        _require_assigned_expert(actor, row.assignment)
        _require_draft(row)

    def may_score(row: ScoreSheet, **_kwargs) -> list[str]:
        application = row.assignment.application
        _require_scoring(application)
        require_before_scoring_deadline(batch=application.batch)
        try:
            scored["result"] = score_sheet(
                sheet_template(row), stored_answers(row.answers), stored_entries(row.entries)
            )
        except ScoringError as error:
            reasons = [problem.message for problem in error.problems] or [error.message]
            raise DomainError(
                _("评分表尚未填写完整或有误，不能提交：") + "；".join(reasons),
                code="sheet_incomplete",
                reasons=reasons,
            ) from None
        return []

    def record_score(row: ScoreSheet, transition) -> None:
        row.total = scored["result"].total
        row.basic_met = scored["result"].basic_met
        row.submitted_at = clock.now()
        assignment = row.assignment
        scored["assignment_from"] = assignment.status
        assignment.status = assignment_workflow.resolve(
            state=assignment.status, action="submit", role=actor.effective_role
        ).target
        assignment.save(update_fields=["status"])

    def verdict_of(row: ScoreSheet) -> str:
        return _("基本要求全部满足") if row.basic_met else _("基本要求未全部满足")

    sheet = run_transition(
        workflow=sheet_workflow,
        instance=sheet,
        action="submit",
        actor=actor,
        queryset=ScoreSheet.objects.select_related(
            "assignment__application__batch", "assignment__expert"
        ),
        check=check,
        guards=[may_score],
        before_save=record_score,
        update_fields=["total", "basic_met", "submitted_at", "updated_at"],
        audit_subject=lambda row: row.assignment.application,
        audit_action="sheet_submit",
        audit_comment=lambda row: (
            _("总分 %(total)s；%(verdict)s") % {"total": row.total, "verdict": verdict_of(row)}
        ),
        audit_data=lambda row: {
            "sheet": row.pk,
            "template": row.template_key,
            "total": str(row.total),
            "basic_met": row.basic_met,
            # The assignment moves with the sheet: its step is named on the same one row.
            "assignment": row.assignment_id,
            "assignment_from": scored["assignment_from"],
            "assignment_to": row.assignment.status,
        },
    )
    result = scored["result"]
    application = sheet.assignment.application
    verdict = verdict_of(sheet)
    expected = len(review_assignments(application=application))
    submitted = len(submitted_sheets(application=application))
    progress = (
        _("全部 %(count)d 位专家已提交评分，可以作出评审决定。") % {"count": expected}
        if submitted >= expected
        else _("已提交 %(submitted)d / %(expected)d 份。")
        % {"submitted": submitted, "expected": expected}
    )
    link = reverse("applications:application-detail", args=[application.pk]) + "#scores"
    for official in _authority_officials(application.batch):
        notify(
            recipient=official,
            subject=_("专家已提交评分：%(name)s") % {"name": str(application)},
            body=_(
                "%(expert)s 已提交「%(name)s」的评分（总分 %(total)s，%(verdict)s）。%(progress)s"
            )
            % {
                "expert": actor.display_name,
                "name": str(application),
                "total": result.total,
                "verdict": verdict,
                "progress": progress,
            },
            link=link,
        )
    return sheet


@transaction.atomic
def onsite_check_record(
    *,
    application: Application,
    actor,
    visited_on: date,
    team: str,
    findings: str,
    passed: bool,
    uploaded_file=None,
) -> OnsiteCheck:
    """The batch authority records a visit; the latest visit's outcome weighs in the decision."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("batch__authority")
        .get(pk=application.pk)
    )
    if not is_batch_authority(user=actor, batch=application.batch):
        raise NotPermitted(
            _("现场核查结果由批次组织单位「%(authority)s」录入。")
            % {"authority": application.batch.authority.name}
        )
    if application.status not in SCORING_STATES:
        raise DomainError(
            _("申报当前状态为「%(state)s」，不能录入现场核查结果。")
            % {"state": application.get_status_display()},
            code="not_in_expert_review",
        )
    errors: dict[str, str] = {}
    team, findings = (team or "").strip(), (findings or "").strip()
    if visited_on is None:
        errors["visited_on"] = _("请填写核查日期。")
    elif visited_on > clock.today():
        errors["visited_on"] = _("核查日期不能晚于今天。")
    if not team:
        errors["team"] = _("请填写核查组成员。")
    if not findings:
        errors["findings"] = _("请填写核查发现。")
    if not isinstance(passed, bool):
        errors["passed"] = _("请选择核查结论：通过或不通过。")
    checked = None
    if uploaded_file is not None:
        try:
            checked = check_upload(uploaded_file, pdf_only=False, max_bytes=SUPPORTING_MAX_BYTES)
        except ValidationError as error:
            errors["file"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    check = OnsiteCheck(
        application=application,
        visited_on=visited_on,
        team=team[:300],
        findings=findings,
        passed=passed,
        recorded_by=actor,
    )
    if checked is not None:
        check.fill_from(checked)
    check.save()
    outcome = _("通过") if passed else _("不通过")
    audit_record(
        subject=application,
        actor=actor,
        action="onsite_check",
        action_label=_("录入现场核查结果"),
        comment=_("%(date)s 核查结论：%(outcome)s。%(findings)s")
        % {"date": visited_on.strftime("%Y-%m-%d"), "outcome": outcome, "findings": findings},
        data={"check": check.pk, "passed": passed, "team": team, "sha256": check.sha256},
    )
    return check


def decide_pass_refusals(*, application: Application, actor, comment: str) -> list[str]:
    """Guard of ``decide_pass``: the decision preview must pass; its reasons say why not."""
    preview = decision_preview(application=application)
    return [] if preview.passed else list(preview.reasons)
