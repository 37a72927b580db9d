"""A round that ends in a recommendation (大连 一): where it may recommend, and what it has."""

from django.db.models import QuerySet

from applications.models import Application, Batch
from greenmfg.rules.evaluation import RoundEnd
from greenmfg.rules.reports import round_end


def batch_round_end(*, batch: Batch) -> RoundEnd:
    return round_end(batch.policy, batch.level)


def receiving_batches(*, batch: Batch) -> QuerySet[Batch]:
    """The open batches of the level the round recommends to that cover the batch's region,
    soonest deadline first (none for a round that lists)."""
    end = batch_round_end(batch=batch)
    if end.lists:
        return Batch.objects.none()
    keys = batch.jurisdiction.path.strip("/").split("/")
    return (
        Batch.objects.filter(
            status=Batch.Status.OPEN,
            recommendations_open=True,
            jurisdiction__level=end.recommends_to,
            jurisdiction__key__in=keys,
        )
        .select_related("authority", "jurisdiction")
        .order_by("recommendation_deadline", "pk")
    )


def round_applications(*, batch: Batch) -> QuerySet[Application]:
    """The round's passed applications still to recommend, and those already recommended with
    the application each became above."""
    return (
        batch.applications.filter(
            status__in=(Application.Status.PASSED, Application.Status.PROMOTED)
        )
        .select_related("organisation", "jurisdiction")
        .prefetch_related("promotions__batch")
        .order_by("status", "unit_type", "organisation__name", "pk")
    )
