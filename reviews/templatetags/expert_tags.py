"""``{% assignment_panel application %}``: the 评审组 card of the application page.

Shown to the officials of the bureau that opened the batch (and administrators) only: the
experts on the panel with their status, the auto-assign button, and the manual form that offers
only eligible pool members, every excluded member listed with the reason.
"""

from django import template

from applications.selectors.batches import is_batch_authority
from reviews.models import ExpertAssignment
from reviews.selectors.expert import assignments_for_application, eligible_experts, open_load
from reviews.services.expert import PANEL_FORMING, PANEL_OPEN
from reviews.workflow import assignment_workflow

register = template.Library()


@register.inclusion_tag("reviews/expert_assignment_panel.html", takes_context=True)
def assignment_panel(context, application) -> dict:
    request = context["request"]
    user = request.user
    batch = application.batch
    if not is_batch_authority(user=user, batch=batch):
        return {"show": False}
    assignments = list(assignments_for_application(application=application))
    on_panel = [a for a in assignments if a.status != ExpertAssignment.Status.WITHDRAWN]
    needed = batch.experts_per_application
    forming = application.status in PANEL_FORMING
    panel_ids = {a.expert_id for a in on_panel}
    rows = [
        (membership, reasons)
        for membership, reasons in (
            eligible_experts(application=application, assignments=assignments) if forming else []
        )
        if membership.expert_id not in panel_ids
    ]
    eligible = [membership for membership, reasons in rows if not reasons]
    # The same two checks as assignment_withdraw: the panel is still open, and the table lets
    # this role withdraw from the assignment's state. A withdrawn row has nothing to withdraw.
    role = user.effective_role
    withdrawable = {
        a.pk
        for a in assignments
        if application.status in PANEL_OPEN
        and any(t.action == "withdraw" for t in assignment_workflow.available(a.status, role))
    }
    load = open_load(batch=batch, expert_ids=[m.expert_id for m in eligible]) if eligible else {}
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "application": application,
        "assignments": assignments,
        "size": len(on_panel),
        "needed": needed,
        "missing": max(needed - len(on_panel), 0),
        "can_assign": forming and len(on_panel) < needed,
        "can_withdraw": bool(withdrawable),
        "withdrawable": withdrawable,
        "eligible": [(membership, load.get(membership.expert_id, 0)) for membership in eligible],
        "excluded": [(membership, reasons) for membership, reasons in rows if reasons],
    }
