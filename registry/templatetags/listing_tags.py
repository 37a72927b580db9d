"""The application page's panel of where a decided application stands on the lists."""

from django import template

from applications.models import Application
from greenmfg.core.relations import MISSING, loaded
from registry.models import Listing
from reviews.models import PublicityItem

register = template.Library()


@register.inclusion_tag("reviews/application_listing_panel.html")
def application_listing_panel(application):
    """Where the application stands after the decision: its publicity, its listing, and the
    recommendations it came from or led to."""
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
