"""Reads of expert scoring (评分表), the combined score, the decision preview and on-site checks.

Which template a sheet uses: ``batch.scoring_templates[unit_type]`` names a template key
(``green-factory@2025``: a shipped template of :mod:`reviews.scoring_templates` or a version an
administrator added, see :mod:`reviews.selectors.template`). When the batch names none for the
unit type, the newest shipped template of that unit type is used (the highest version among
``templates_for(unit_type)``). A sheet keeps the key it was opened with, so changing the batch's
setting later never re-scores a sheet already begun.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from applications.models import Application, Batch
from greenmfg.accounts.roles import Role
from reviews.models import ExpertAssignment, OnsiteCheck, ScoreSheet
from reviews.scoring import (
    INTERPOLATED,
    Aggregate,
    BasicAnswer,
    Decision,
    ScoringError,
    ScoringTemplate,
    SheetEntry,
    SheetProblem,
    SheetResult,
    aggregate,
    decide_for_policy,
    score_sheet,
    validate_sheet,
)
from reviews.scoring_templates import templates_for
from reviews.selectors.template import template_by_key

# The states in which experts score and the authority may record an on-site check.
SCORING_STATES = (Application.Status.EXPERT_REVIEW, Application.Status.ONSITE_CHECK)
# Every state an application can be in once expert review has started.
REVIEWED_STATES = (
    *SCORING_STATES,
    Application.Status.PASSED,
    Application.Status.FAILED,
    Application.Status.IN_PUBLICITY,
    Application.Status.LISTED,
    Application.Status.NOT_LISTED,
)


# --- Templates and the stored sheet ---


def scoring_template_for(*, batch: Batch, unit_type: str) -> ScoringTemplate | None:
    """The template the batch scores ``unit_type`` with (see the module docstring).

    None when the unit type has no template yet; KeyError when the batch names a key that does
    not exist (a setting to correct, not a reason to fall back silently).
    """
    key = (batch.scoring_templates or {}).get(unit_type)
    if key:
        template = template_by_key(key)
        if template is None:
            raise KeyError(key)
        return template
    try:
        candidates = templates_for(unit_type)
    except ValueError:
        return None
    if not candidates:
        return None
    return max(candidates, key=lambda template: (template.version, template.code))


def sheet_template(sheet: ScoreSheet) -> ScoringTemplate:
    """The template the sheet was opened with."""
    template = template_by_key(sheet.template_key)
    if template is None:
        raise KeyError(sheet.template_key)
    return template


def stored_answers(answers: dict) -> list[BasicAnswer]:
    """The judged basic requirements of a stored sheet (a row still undecided is left out)."""
    return [
        BasicAnswer(code, row["met"], row.get("note", ""))
        for code, row in answers.items()
        if isinstance(row, dict) and isinstance(row.get("met"), bool)
    ]


def stored_entries(entries: dict) -> list[SheetEntry]:
    return [
        SheetEntry(
            code,
            points=row.get("points"),
            value=row.get("value"),
            abstain_reason=row.get("abstain_reason"),
        )
        for code, row in entries.items()
        if isinstance(row, dict)
    ]


@dataclass(frozen=True)
class SheetState:
    """A draft or submitted sheet as the expert sees it.

    ``result`` adds the sheet up with every item still blank counted as 0 points (基准值 for an
    interpolated item) and every undecided basic requirement taken as met, so the expert sees a
    running total while filling in; None when even that cannot be added up (a group whose
    required items were all abstained on). ``problems`` is what still stands in the way of
    submitting.
    """

    result: SheetResult | None
    problems: list[SheetProblem] = field(hash=False)

    @property
    def complete(self) -> bool:
        return not self.problems


def sheet_state(*, template: ScoringTemplate, answers: dict, entries: dict) -> SheetState:
    given_answers, given_entries = stored_answers(answers), stored_entries(entries)
    problems = validate_sheet(template, given_answers, given_entries)
    answered = {answer.code for answer in given_answers}
    filled = {entry.code for entry in given_entries}
    running_answers = given_answers + [
        BasicAnswer(requirement.code, True)
        for requirement in template.basic_requirements
        if requirement.code not in answered
    ]
    running_entries = given_entries + [
        SheetEntry(indicator.code, value=indicator.baseline)
        if indicator.method == INTERPOLATED
        else SheetEntry(indicator.code, points=Decimal(0))
        for indicator in template.indicators
        if indicator.required and indicator.code not in filled
    ]
    try:
        result = score_sheet(template, running_answers, running_entries)
    except ScoringError:
        result = None
    return SheetState(result=result, problems=problems)


# --- Who sees which sheet ---


# Newest assignment first. A sheet belongs to one assignment, so the assignment's id breaks ties
# as the sheet's own would, and the whole order is the assignments' index (assignment_recent):
# a page walks it and joins each sheet by its unique assignment, never sorting them all.
SHEET_ORDER = ("-assignment__assigned_at", "-assignment_id")


def _sheets() -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.select_related(
        "assignment__expert",
        "assignment__application__organisation",
        "assignment__application__batch",
    )


def sheets_for_expert(*, user) -> QuerySet[ScoreSheet]:
    """The expert's own sheets, newest assignment first."""
    if not user.is_authenticated or user.role != Role.EXPERT:
        return ScoreSheet.objects.none()
    return _sheets().filter(assignment__expert=user).order_by(*SHEET_ORDER)


def sheet_list(*, user) -> QuerySet[ScoreSheet]:
    """Experts see their own sheets; the batch authority's officials the sheets of its batches."""
    if not user.is_authenticated:
        return ScoreSheet.objects.none()
    if user.role == Role.EXPERT:
        return sheets_for_expert(user=user)
    queryset = _sheets().order_by(*SHEET_ORDER)
    if user.is_sysadmin:
        return queryset
    if user.is_official and user.organisation_id:
        return queryset.filter(assignment__application__batch__authority_id=user.organisation_id)
    return ScoreSheet.objects.none()


def sheet_for_assignment(*, assignment: ExpertAssignment) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(assignment=assignment).first()


def other_submitted_totals(*, sheet: ScoreSheet) -> list[tuple[str, Decimal]]:
    """The other experts' submitted totals, anonymised as 专家1, 专家2 in submission order."""
    others = (
        ScoreSheet.objects.filter(
            assignment__application_id=sheet.assignment.application_id,
            status=ScoreSheet.Status.SUBMITTED,
        )
        .exclude(pk=sheet.pk)
        .exclude(assignment__status=ExpertAssignment.Status.WITHDRAWN)
        .order_by("submitted_at", "pk")
        .values_list("total", flat=True)
    )
    return [(_("专家%(number)d") % {"number": n}, total) for n, total in enumerate(others, 1)]


# --- The combined score and the decision ---


def review_assignments(*, application: Application) -> list[ExpertAssignment]:
    """The application's assignments with expert and sheet; uses a prefetch when there is one.

    Withdrawn assignments are left out: an expert who stood down has no say in the score.
    """
    return sorted(
        (
            assignment
            for assignment in application.expert_assignments.all()
            if assignment.status != ExpertAssignment.Status.WITHDRAWN
        ),
        key=lambda assignment: (assignment.assigned_at, assignment.pk),
    )


def _sheet_of(assignment: ExpertAssignment) -> ScoreSheet | None:
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


def submitted_sheets(*, application: Application) -> list[ScoreSheet]:
    sheets = (_sheet_of(assignment) for assignment in review_assignments(application=application))
    return [sheet for sheet in sheets if sheet and sheet.status == ScoreSheet.Status.SUBMITTED]


def _aggregate_of(sheets: list[ScoreSheet], batch: Batch) -> Aggregate | None:
    if not sheets:
        return None
    return aggregate([sheet.total for sheet in sheets], method=batch.aggregation)


def application_score(*, application: Application) -> Aggregate | None:
    """The submitted sheets' totals combined with the batch's method; None before any is in."""
    return _aggregate_of(submitted_sheets(application=application), application.batch)


def onsite_checks_for(*, application: Application) -> list[OnsiteCheck]:
    """The application's on-site checks, latest visit first (uses a prefetch when there is one)."""
    return sorted(
        application.onsite_checks.all(),
        key=lambda check: (check.visited_on, check.recorded_at, check.pk),
        reverse=True,
    )


@dataclass(frozen=True)
class DecisionPreview(Decision):
    """What :func:`decide_for_policy` would say now, with what the review still lacks.

    ``decidable`` is False while sheets are outstanding (or an on-site check was arranged and
    its result is not in); ``passed`` is then False and ``reasons`` say what is missing.
    """

    decidable: bool = True
    aggregate: Aggregate | None = None
    submitted: int = 0
    expected: int = 0


def sheet_unmet_requirements(sheet: ScoreSheet) -> list[str]:
    """The texts of the basic requirements the sheet judges unmet, in template order."""
    template = sheet_template(sheet)
    return [
        requirement.text
        for requirement in template.basic_requirements
        if (sheet.answers.get(requirement.code) or {}).get("met") is False
    ]


def _unmet_requirements(sheets: list[ScoreSheet]) -> list[str]:
    labels: list[str] = []
    for sheet in sheets:
        if sheet.basic_met is False:
            labels.extend(text for text in sheet_unmet_requirements(sheet) if text not in labels)
    return labels


def _onsite_reason(check: OnsiteCheck) -> str:
    when = check.visited_on.strftime("%Y-%m-%d")
    if check.passed:
        return _("现场核查（%(date)s）通过") % {"date": when}
    return _("现场核查（%(date)s）未通过：%(findings)s") % {
        "date": when,
        "findings": check.findings.strip(),
    }


def decision_preview(*, application: Application) -> DecisionPreview:
    """The decision the submitted sheets support, by the batch's policy, and why.

    Every submitted sheet must have its basic requirements met (一票否决) and the combined score
    must reach the policy's line (``meets_threshold``). The latest on-site check, when there is
    one, must have passed. Outstanding sheets make the decision premature.
    """
    batch = application.batch
    assignments = review_assignments(application=application)
    sheets = submitted_sheets(application=application)
    score = _aggregate_of(sheets, batch)
    checks = onsite_checks_for(application=application)
    latest = checks[0] if checks else None
    counts = {"aggregate": score, "submitted": len(sheets), "expected": len(assignments)}

    blocking: list[str] = []
    if not assignments:
        blocking.append(_("尚未分配评审专家"))
    elif len(sheets) < len(assignments):
        blocking.append(
            _("尚有 %(count)d 位专家未提交评分") % {"count": len(assignments) - len(sheets)}
        )
    if application.status == Application.Status.ONSITE_CHECK and latest is None:
        blocking.append(_("已安排现场核查，尚未录入核查结果"))
    onsite_failed = [_onsite_reason(latest)] if latest and not latest.passed else []
    if blocking or score is None:
        return DecisionPreview(
            passed=False, reasons=blocking + onsite_failed, decidable=False, **counts
        )
    decision = decide_for_policy(
        batch.policy,
        score,
        all(sheet.basic_met is True for sheet in sheets),
        unmet_requirements=_unmet_requirements(sheets),
    )
    if decision.passed and not onsite_failed:
        held = list(decision.reasons) + ([_onsite_reason(latest)] if latest else [])
        return DecisionPreview(passed=True, reasons=held, **counts)
    failing = [] if decision.passed else list(decision.reasons)
    return DecisionPreview(passed=False, reasons=failing + onsite_failed, **counts)


# --- What the authority's officials list ---


def _review_data():
    return (
        Prefetch(
            "expert_assignments",
            queryset=ExpertAssignment.objects.select_related("expert", "sheet"),
        ),
        "onsite_checks",
    )


def _with_review_data(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("batch", "organisation", "jurisdiction").prefetch_related(
        *_review_data()
    )


def scored_applications(*, user) -> QuerySet[Application]:
    """Applications in or past expert review in the batches the official's bureau opened."""
    queryset = Application.objects.filter(status__in=REVIEWED_STATES).order_by("-updated_at", "-pk")
    if not user.is_authenticated:
        return queryset.none()
    if not user.is_sysadmin:
        if not (user.is_official and user.organisation_id):
            return queryset.none()
        queryset = queryset.filter(batch__authority_id=user.organisation_id)
    return _with_review_data(queryset)


def review_summary_of(*, application: Application) -> Application:
    """The application with its assignments, sheets and on-site checks fetched onto it (two
    queries; the application itself is not read again)."""
    prefetch_related_objects([application], *_review_data())
    return application


def onsite_check_list(*, user) -> QuerySet[OnsiteCheck]:
    """On-site checks of the batches the official's bureau opened."""
    queryset = OnsiteCheck.objects.select_related(
        "application__organisation", "application__batch", "recorded_by"
    ).order_by("-visited_on", "-recorded_at")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.is_official and user.organisation_id:
        return queryset.filter(application__batch__authority_id=user.organisation_id)
    return queryset.none()
