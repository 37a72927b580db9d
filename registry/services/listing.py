"""Commands on the published lists: the one door through which a listing changes.

Listings are created when an authority publishes a list (:func:`listing_create_from_application`);
every later change of a listing's status or of a fact the public reads goes through
:func:`listing_transition` (one listing) or :func:`listings_transition_many` (a sweep's page),
which resolve the event in ``registry.workflow.listing_workflow`` and write the history entry
and the audit row of each change.
"""

import datetime
from collections.abc import Mapping

from django.db import transaction

from applications.models import Application
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.dates import add_years
from greenmfg.core.transitions import Moved, run_transition, run_transition_many
from greenmfg.core.workflow import Transition
from registry.models import Listing, ListingEvent
from registry.workflow import (
    AUDIT_ACTIONS,
    EVENT_KINDS,
    LIST,
    NEW,
    STATE_LABELS,
    listing_workflow,
    role_of,
)

__all__ = [
    "LISTING_TERMS_YEARS",
    "listing_create_from_application",
    "listing_term_end",
    "listing_transition",
    "listings_transition_many",
]

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
    transition = listing_workflow.resolve(state=NEW, action=LIST, role=role_of(actor))
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
        status=transition.target,
        created_by=actor,
    )
    _record(
        listing,
        transition,
        actor=actor,
        from_state="",
        on=listed_on,
        document_number=document_number,
        new_value=listing.unit_name,
        audit_data={"document_number": document_number, "listed_on": listed_on.isoformat()},
    )
    return listing


@transaction.atomic
def listing_transition(
    *,
    listing: Listing,
    event: str,
    actor,
    comment: str = "",
    on: datetime.date | None = None,
    document_number: str = "",
    old_value: str = "",
    new_value: str = "",
    audit_data: Mapping | None = None,
    service: str = "",
    **changes,
) -> ListingEvent:
    """Take ``event`` on ``listing``: lock the row, resolve (state, event, role) in the table
    (a refusal names the state and the event), set the state and ``changes`` (e.g.
    ``unit_name``, ``valid_until``, ``removed_on``), save only those fields, and write the
    history entry (``comment`` is its public reason) and the audit row.

    The caller checks which official may act on this listing, and announces the change in
    the same transaction. ``listing`` itself is updated, so the caller reads the result.
    """
    unknown = set(changes) - {field.attname for field in Listing._meta.concrete_fields}
    if unknown or "status" in changes:
        raise TypeError(
            f"listing_transition cannot set {sorted(unknown | {'status'} & set(changes))}"
        )
    taken: dict = {}

    def set_changes(row: Listing, transition: Transition) -> None:
        taken["transition"] = transition
        for field, value in changes.items():
            setattr(row, field, value)

    def history(row: Listing) -> dict:
        # The public history entry, written after the save and before the audit row it names.
        taken["event"] = ListingEvent.objects.create(
            listing=row,
            created_by=actor,
            **_event_fields(
                transition=taken["transition"],
                on=on or clock.today(),
                comment=comment,
                document_number=document_number,
                old_value=old_value,
                new_value=new_value,
            ),
        )
        return _audit_data(taken["event"], audit_data)

    kind = EVENT_KINDS.get(event)
    # The state as it is under the lock, whatever the caller read before.
    row = run_transition(
        workflow=listing_workflow,
        instance=listing,
        action=event,
        actor=actor,
        comment=comment,
        service=service,
        role=role_of(actor),
        before_save=set_changes,
        update_fields=list(changes),
        action_label=ListingEvent(kind=kind).get_kind_display() if kind else None,
        audit_action=AUDIT_ACTIONS.get(event),
        audit_data=history,
    )
    for field in ("status", *changes):
        setattr(listing, field, getattr(row, field))
    return taken["event"]


def _event_fields(
    *,
    transition: Transition,
    on: datetime.date,
    comment: str,
    document_number: str,
    old_value: str,
    new_value: str,
) -> dict:
    return {
        "kind": EVENT_KINDS[transition.action],
        "occurred_on": on,
        "document_number": document_number,
        "old_value": old_value,
        "new_value": new_value,
        "reason": comment,
    }


def _audit_data(event: ListingEvent, extra: Mapping | None) -> dict:
    return {
        "event": event.pk,
        "occurred_on": event.occurred_on.isoformat(),
        "document_number": event.document_number,
        "old_value": event.old_value,
        "new_value": event.new_value,
        **(extra or {}),
    }


def _record(
    listing: Listing,
    transition: Transition,
    *,
    actor,
    from_state: str,
    on: datetime.date,
    comment: str = "",
    document_number: str = "",
    old_value: str = "",
    new_value: str = "",
    audit_data: Mapping | None = None,
) -> ListingEvent:
    """The history entry and the audit row of one change."""
    event = ListingEvent.objects.create(
        listing=listing,
        created_by=actor,
        **_event_fields(
            transition=transition,
            on=on,
            comment=comment,
            document_number=document_number,
            old_value=old_value,
            new_value=new_value,
        ),
    )
    audit_record(
        subject=listing,
        actor=actor,
        action=AUDIT_ACTIONS[transition.action],
        action_label=event.get_kind_display(),
        from_state=from_state,
        to_state=listing.status,
        comment=comment,
        data=_audit_data(event, audit_data),
        state_labels=STATE_LABELS,
    )
    return event


def listings_transition_many(
    *,
    event: str,
    reasons: Mapping[int, str],
    on: datetime.date,
    service: str,
    new_value: str = "",
    document_number: str = "",
) -> list[int]:
    """:func:`listing_transition` for a sweep's page, by the service (no user), set-based: one
    update per state left, one insert of history entries, one of audit rows — the same rows
    the door writes one by one. ``reasons`` maps each listing to its entry's reason; listings
    whose state the table does not allow the event from are left alone. Returns the ids of
    the listings changed. Call inside the page's transaction."""
    events: dict[int, ListingEvent] = {}

    def write_history(moved: list[Moved]) -> None:
        entries = ListingEvent.objects.bulk_create(
            ListingEvent(
                listing_id=item.row.pk,
                created_by=None,
                **_event_fields(
                    transition=item.transition,
                    on=on,
                    comment=reasons[item.row.pk],
                    document_number=document_number,
                    old_value="",
                    new_value=new_value,
                ),
            )
            for item in moved
        )
        events.update((item.row.pk, entry) for item, entry in zip(moved, entries, strict=True))

    moved = run_transition_many(
        workflow=listing_workflow,
        queryset=Listing.objects.filter(pk__in=list(reasons))
        .select_related("organisation")
        .only("id", "status", "level", "unit_type", "organisation__name"),
        action=event,
        service=service,
        role=role_of(None),
        comment=reasons,
        before_audit=write_history,
        action_label=ListingEvent(kind=EVENT_KINDS[event]).get_kind_display(),
        audit_action=AUDIT_ACTIONS[event],
        audit_data=lambda item: _audit_data(events[item.row.pk], None),
    )
    return [item.row.pk for item in moved]
