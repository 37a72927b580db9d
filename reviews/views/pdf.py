"""Review documents as PDF: an expert's 评分表, the panel's 评分汇总表 of one application, and the
推荐汇总表 (大连 附件1) of a batch.

Each PDF applies the permission of the page it is opened from: the expert's own sheet (or, once
submitted, the batch authority's officials), the score panel of the application page (the batch
authority's officials), and the recommendation summary page (officials, scoped like the page).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _

from applications.selectors.applications import application_list
from applications.selectors.batches import batch_list, is_batch_authority
from greenmfg.core.pdf import pdf_response, render_pdf
from greenmfg.rules import threshold_finding
from reviews.models import ScoreSheet
from reviews.scoring import AGGREGATION_METHODS
from reviews.selectors.promotion import (
    annex1_columns,
    recommendation_summary,
    summary_region,
    summary_title,
)
from reviews.selectors.sheet import (
    REVIEWED_STATES,
    application_score,
    decision_preview,
    review_summary_of,
    sheet_list,
    sheet_state,
    sheet_template,
    sheet_unmet_requirements,
    stored_entries,
)

# --- The expert's sheet ---


def _sheet_rows(sheet: ScoreSheet, template, result) -> tuple[list[dict], list[dict]]:
    """The basic requirements and the groups of indicators, as the PDF prints them."""
    basic = []
    for requirement in template.basic_requirements:
        answer = sheet.answers.get(requirement.code) or {}
        basic.append(
            {"requirement": requirement, "met": answer.get("met"), "note": answer.get("note", "")}
        )
    entries = {entry.code: entry for entry in stored_entries(sheet.entries)}
    item_points = result.item_points if result else {}
    groups = []
    for group in template.groups:
        rows = []
        for indicator in group.indicators:
            entry = entries.get(indicator.code)
            abstained = entry is not None and bool(entry.abstain_reason)
            rows.append(
                {
                    "indicator": indicator,
                    "value": entry.value if entry and indicator.is_interpolated else None,
                    "points": None if abstained else item_points.get(indicator.code),
                    "abstain_reason": entry.abstain_reason if abstained else "",
                }
            )
        groups.append(
            {
                "group": group,
                "score": result.group_scores.get(group.code) if result else None,
                "rows": rows,
            }
        )
    return basic, groups


@login_required
def sheet_pdf_view(request, assignment_pk):
    """评分表 of one expert: the expert's own (draft or submitted), or a submitted one for the
    officials of the bureau that opened the batch; 404 for anyone else."""
    sheet = get_object_or_404(sheet_list(user=request.user), assignment_id=assignment_pk)
    assignment = sheet.assignment
    if assignment.expert_id != request.user.pk and sheet.status != ScoreSheet.Status.SUBMITTED:
        raise Http404
    template = sheet_template(sheet)
    state = sheet_state(template=template, answers=sheet.answers, entries=sheet.entries)
    basic, groups = _sheet_rows(sheet, template, state.result)
    application = assignment.application
    submitted = sheet.status == ScoreSheet.Status.SUBMITTED
    content = render_pdf(
        "pdf/score_sheet.html",
        {
            "sheet": sheet,
            "assignment": assignment,
            "application": application,
            "scoring_template": template,
            "basic": basic,
            "groups": groups,
            "submitted": submitted,
            "total": sheet.total if submitted else (state.result.total if state.result else None),
        },
        title=_("绿色制造专家评分表"),
        authority=application.batch.authority.name,
    )
    return pdf_response(
        content, filename=f"评分表-{application.organisation.name}-{assignment.expert.display_name}"
    )


# --- The panel's aggregated sheet ---


def _panel_rows(application) -> list[dict]:
    rows = []
    for assignment in sorted(
        application.expert_assignments.all(), key=lambda a: (a.assigned_at, a.pk)
    ):
        try:
            sheet = assignment.sheet
        except ScoreSheet.DoesNotExist:
            sheet = None
        submitted = sheet is not None and sheet.status == ScoreSheet.Status.SUBMITTED
        rows.append(
            {
                "assignment": assignment,
                "sheet": sheet,
                "submitted": submitted,
                "unmet": sheet_unmet_requirements(sheet) if submitted else [],
            }
        )
    return rows


@login_required
def panel_pdf_view(request, pk):
    """评分汇总表 of one application, for the batch authority's officials (as the score panel)."""
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    if application.status not in REVIEWED_STATES or not is_batch_authority(
        user=request.user, batch=application.batch
    ):
        raise Http404
    application = review_summary_of(application=application)
    batch = application.batch
    score = application_score(application=application)
    rows = _panel_rows(application)
    submitted = [row["sheet"] for row in rows if row["submitted"]]
    finding = threshold_finding(
        batch.policy,
        score.score if score else None,
        bool(submitted) and all(sheet.basic_met is True for sheet in submitted),
    )
    content = render_pdf(
        "pdf/panel_sheet.html",
        {
            "application": application,
            "rows": rows,
            "score": score,
            "method_setting": AGGREGATION_METHODS.get(batch.aggregation, batch.aggregation),
            "method_used": AGGREGATION_METHODS.get(score.method_used) if score else None,
            "preview": decision_preview(application=application),
            "finding": finding,
        },
        title=_("绿色制造专家评分汇总表"),
        authority=batch.authority.name,
    )
    return pdf_response(content, filename=f"评分汇总表-{application.organisation.name}-{pk}")


# --- 推荐汇总表 ---


@login_required
def recommendation_summary_pdf_view(request, pk):
    """推荐汇总表 (大连 附件1) of the batch, as its page shows it: the official's own region (or
    the ``?region=`` of their subtree), or every region for the batch's authority."""
    user = request.user
    if not (user.is_official or user.is_sysadmin):
        raise Http404
    batch = get_object_or_404(batch_list(user=user), pk=pk)
    region = summary_region(user=user, batch=batch, region_id=request.GET.get("region"))
    columns = annex1_columns()
    applications = list(recommendation_summary(user=user, batch=batch, region=region))
    groups: dict[str, list] = {}
    for application in applications:
        groups.setdefault(application.get_unit_type_display(), []).append(
            [column.value(application) for column in columns]
        )
    title = summary_title(region)
    content = render_pdf(
        "pdf/recommendation_summary.html",
        {
            "batch": batch,
            "region": region,
            "headers": [column.header for column in columns],
            "groups": list(groups.items()),
            "total": len(applications),
        },
        title=title,
        authority=user.organisation.name if user.organisation_id else batch.authority.name,
    )
    return pdf_response(content, filename=f"{title}-{batch.title}")


urlpatterns = [
    path("reviews/sheets/<int:assignment_pk>/pdf/", sheet_pdf_view, name="sheet-pdf"),
    path("reviews/applications/<int:pk>/scores/pdf/", panel_pdf_view, name="panel-pdf"),
    path(
        "reviews/batches/<int:pk>/recommendation-summary/pdf/",
        recommendation_summary_pdf_view,
        name="recommendation-summary-pdf",
    ),
]
