from django import template

from applications.models import Application

from ..models import Publicity
from ..promotion_selectors import may_recommend_into
from ..sheet_selectors import is_authority_official

register = template.Library()


@register.inclusion_tag("reviews/batch_publicity_panel.html", takes_context=True)
def batch_publicity_panel(context, batch):
    """公示, the list and the recommendations to the level above, on the batch page."""
    user = context["request"].user
    is_authority = is_authority_official(user, batch)
    publicity = Publicity.objects.filter(batch=batch).first()
    passed = (
        batch.applications.filter(status=Application.Status.PASSED).count()
        if is_authority and publicity is None
        else 0
    )
    receives = batch.level in ("province", "national")
    return {
        "batch": batch,
        "may_manage": user.is_official or user.is_sysadmin,
        "publicity": publicity,
        "is_authority": is_authority,
        "passed": passed,
        "may_recommend": may_recommend_into(user=user, batch=batch),
        "show_summary": receives and (is_authority or may_recommend_into(user=user, batch=batch)),
    }
