from django import template

from applications.selectors.batches import is_batch_authority
from greenmfg.core import clock
from greenmfg.rules import threshold_finding
from reviews.forms.sheet import OnsiteCheckForm
from reviews.models import ScoreSheet
from reviews.scoring import AGGREGATION_METHODS
from reviews.selectors.sheet import (
    REVIEWED_STATES,
    SCORING_STATES,
    application_score,
    decision_preview,
    onsite_checks_for,
    review_summary_of,
    sheet_unmet_requirements,
)

register = template.Library()


def _sheet_rows(application) -> list[dict]:
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


@register.inclusion_tag("reviews/sheet_score_panel.html", takes_context=True)
def score_summary_panel(context, application, part="all"):
    """专家评分与评审决定 on the application page, for the batch authority's officials only.

    The combined score, each expert's sheet, the decision the policy would take now and why,
    the on-site checks, and the form to record one. ``part`` shows the scores only
    ("scores") or the on-site checks only ("onsite"), each on its own tab of the page.
    """
    request = context["request"]
    if not is_batch_authority(user=request.user, batch=application.batch):
        return {"show": False}
    if application.status not in REVIEWED_STATES:
        # The on-site tab says why it is empty; elsewhere the panel is not shown yet.
        return {"show": part == "onsite", "not_started": True, "part": part}
    scores = part in ("all", "scores")
    onsite = part in ("all", "onsite")
    batch = application.batch
    shown = {
        "show": True,
        "part": part,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "application": application,
    }
    if scores:
        application = review_summary_of(application=application)
        score = application_score(application=application)
        shown.update(
            {
                "application": application,
                "rows": _sheet_rows(application),
                "score": score,
                "method_setting": AGGREGATION_METHODS.get(batch.aggregation, batch.aggregation),
                "method_used": AGGREGATION_METHODS.get(score.method_used) if score else None,
                "preview": decision_preview(application=application),
                # The article that sets the line (洛阳 第十四条, 济南 第十一条), cited beside
                # the preview.
                "threshold_article": threshold_finding(batch.policy, None, True).article,
            }
        )
    if onsite:
        shown.update(
            {
                "checks": onsite_checks_for(application=application),
                "can_record_onsite": application.status in SCORING_STATES,
                "onsite_form": OnsiteCheckForm(initial={"visited_on": clock.today()}),
            }
        )
    return shown
