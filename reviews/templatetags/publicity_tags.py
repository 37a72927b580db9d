from django import template

from applications.models import Application
from greenmfg.core.relations import MISSING, loaded
from reviews.models import Publicity
from reviews.selectors.promotion import may_recommend_into
from reviews.selectors.round import batch_round_end
from reviews.selectors.sheet import is_authority_official

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
    # 大连 一: the round ends in a recommendation to the ministry, not in a list of its own.
    end = batch_round_end(batch=batch)
    receives = batch.level in ("province", "national")
    from reviews.views.bulk import bulk_links

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


@register.inclusion_tag("reviews/application_listing_panel.html")
def application_listing_panel(application):
    """Where the application stands after the decision: its publicity, its listing, and the
    recommendations it came from or led to."""
    from registry.models import Listing
    from reviews.models import PublicityItem

    # The application page selects both with the application.
    item = loaded(application, "publicity_item")
    if item is MISSING:
        item = PublicityItem.objects.filter(application=application).select_related("publicity")
        item = item.first()
    listing = loaded(application, "listing")
    if listing is MISSING:
        listing = Listing.objects.filter(application=application).first()
    source = None
    if application.source_application_id:
        source = (
            Application.objects.filter(pk=application.source_application_id)
            .select_related("batch", "listing")
            .first()
        )
    promotions = list(application.promotions.select_related("batch").order_by("-created_at"))
    return {
        "application": application,
        "item": item,
        "listing": listing,
        "source": source,
        "promotions": promotions,
    }
