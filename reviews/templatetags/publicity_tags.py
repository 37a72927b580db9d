from django import template

from applications.models import Application
from applications.selectors.batches import is_batch_authority
from reviews.models import Publicity
from reviews.selectors.bulk import bulk_links
from reviews.selectors.promotion import may_recommend_into
from reviews.selectors.round import batch_round_end

register = template.Library()


@register.inclusion_tag("reviews/batch_publicity_panel.html", takes_context=True)
def batch_publicity_panel(context, batch):
    """公示, the list and the recommendations to the level above, on the batch page."""
    user = context["request"].user
    is_authority = is_batch_authority(user=user, batch=batch)
    publicity = Publicity.objects.filter(batch=batch).first()
    passed = (
        batch.applications.filter(status=Application.Status.PASSED).count()
        if is_authority and publicity is None
        else 0
    )
    # 大连 一: the round ends in a recommendation to the ministry, not in a list of its own.
    end = batch_round_end(batch=batch)
    receives = batch.level in ("province", "national")
    return {
        "bulk_links": bulk_links(user=user, batch=batch),
        "batch": batch,
        "may_manage": user.is_official or user.is_sysadmin,
        "publicity": publicity,
        "is_authority": is_authority,
        "passed": passed,
        "round_recommends": is_authority and not end.lists,
        "round_rule": end.wording,
        "may_recommend": may_recommend_into(user=user, batch=batch),
        "show_summary": receives and (is_authority or may_recommend_into(user=user, batch=batch)),
    }
