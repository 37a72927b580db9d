"""Queries on publicity periods and objections: what the public may see, and the officials."""

import datetime

from django.db.models import Count, Q, QuerySet

from greenmfg.accounts.scoping import scope_queryset
from greenmfg.core.workdays import PeriodEnd, period_end
from reviews.models import Objection, Publicity, PublicityItem

PUBLIC_OUTCOMES = (PublicityItem.Outcome.PROPOSED, PublicityItem.Outcome.LISTED)


def public_publicities() -> QuerySet[Publicity]:
    """Every publicity is public from its first day: the open ones and the published lists."""
    return (
        Publicity.objects.select_related("batch__authority", "batch__jurisdiction")
        .annotate(
            unit_count=Count("items", filter=Q(items__outcome__in=PUBLIC_OUTCOMES), distinct=True)
        )
        .order_by("-starts_on", "-pk")
    )


def publicity_period(*, publicity: Publicity) -> PeriodEnd | None:
    """How the publicity's last day came about, for the pages that show it: the day its
    ``publicity_days`` counted to and, when that was a rest day, the note saying it runs to the
    next working day (民法典 第二百零三条, as publicity_start applied it).

    None when the batch's publicity days were changed after the start, so that counting them
    again no longer gives the stored last day: the page then shows the stored date without a
    note rather than a reason that was not the one applied.
    """
    days = publicity.batch.publicity_days
    if not days or days < 1:
        return None
    end = period_end(publicity.starts_on + datetime.timedelta(days=days - 1))
    return end if end.date == publicity.ends_on else None


def public_items(*, publicity: Publicity) -> QuerySet[PublicityItem]:
    """The units the public sees: those still proposed, or listed; never the removed ones."""
    return (
        publicity.items.filter(outcome__in=PUBLIC_OUTCOMES)
        .select_related("application__organisation", "application__jurisdiction")
        .order_by("position")
    )


def publicity_list(*, user) -> QuerySet[Publicity]:
    """The publicities of batches in the official's jurisdiction."""
    queryset = Publicity.objects.select_related("batch__authority").annotate(
        pending_objections=Count(
            "items__objections",
            filter=Q(items__objections__status=Objection.Status.PENDING),
        )
    )
    return scope_queryset(queryset, user, jurisdiction_field="batch__jurisdiction").order_by(
        "-starts_on", "-pk"
    )


def publicity_items(*, publicity: Publicity) -> QuerySet[PublicityItem]:
    """All items with their objections, for the authority's page."""
    return (
        publicity.items.select_related(
            "application__organisation", "application__jurisdiction", "application__batch"
        )
        .prefetch_related("objections")
        .order_by("position")
    )


def objection_by_code(*, code: str) -> Objection | None:
    return (
        Objection.objects.select_related("item__publicity", "item__application__organisation")
        .filter(tracking_code=code.strip().upper())
        .first()
    )
