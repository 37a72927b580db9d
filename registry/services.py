"""Commands on the published lists. Listings are created when an authority publishes a list."""

import datetime

from django.utils.translation import gettext as _

from applications.models import Application
from greenmfg.audit.services import audit_record
from greenmfg.core.dates import add_years

from .models import Listing, ListingEvent

# 济南 第十五条: 市级绿色制造单位以三年为一个周期，期满后复审; the other documents set no term.
LISTING_TERMS_YEARS = {("jinan-2024", "city"): 3}


def listing_term_end(*, policy: str, level: str, listed_on: datetime.date) -> datetime.date | None:
    years = LISTING_TERMS_YEARS.get((policy, level))
    if years is None:
        return None
    return add_years(listed_on, years)


def listing_create_from_application(
    *, application: Application, document_number: str, listed_on: datetime.date, actor
) -> Listing:
    """Enter a unit on its authority's list; called inside the publication's transaction."""
    batch = application.batch
    listing = Listing.objects.create(
        organisation=application.organisation,
        unit_name=application.organisation.name,
        credit_code=application.organisation.credit_code,
        jurisdiction=application.jurisdiction,
        unit_type=application.unit_type,
        product_name=application.product_name,
        level=batch.level,
        year=batch.year,
        authority=batch.authority,
        batch=batch,
        application=application,
        document_number=document_number,
        listed_on=listed_on,
        valid_until=listing_term_end(policy=batch.policy, level=batch.level, listed_on=listed_on),
        created_by=actor,
    )
    ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.LISTED,
        occurred_on=listed_on,
        document_number=document_number,
        new_value=listing.unit_name,
        created_by=actor,
    )
    audit_record(
        subject=listing,
        actor=actor,
        action="list",
        action_label=_("列入名单"),
        to_state=listing.status,
        data={"document_number": document_number, "listed_on": listed_on.isoformat()},
        state_labels=dict(Listing.Status.choices),
    )
    return listing
