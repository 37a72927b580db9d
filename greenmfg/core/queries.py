"""Query building blocks shared by the apps' selectors."""

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_per(rows: QuerySet, *, per: str) -> Coalesce:
    """The number of ``rows`` (a queryset filtered on ``per`` = OuterRef("pk")) for each outer
    row, as a subquery: 0 when there are none. Counting in a subquery keeps the outer query
    from joining, and multiplying, the rows it counts."""
    counted = rows.order_by().values(per).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
