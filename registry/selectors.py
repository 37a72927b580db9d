"""Queries on the published lists."""

from django.db.models import QuerySet

from applications.models import Application

from .models import Listing


def active_listings_of(*, organisation_id: int, unit_type: str, product_name: str = ""):
    return Listing.objects.filter(
        organisation_id=organisation_id,
        unit_type=unit_type,
        product_name=product_name,
        status__in=(Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW),
    )


def listed_levels(*, application: Application) -> set[str]:
    """The levels whose lists currently hold this unit (same unit type and product)."""
    return set(
        active_listings_of(
            organisation_id=application.organisation_id,
            unit_type=application.unit_type,
            product_name=application.product_name,
        ).values_list("level", flat=True)
    )


def listings_of_batch(*, batch_id: int) -> QuerySet[Listing]:
    return Listing.objects.filter(batch_id=batch_id).select_related(
        "organisation", "jurisdiction", "authority"
    )
