"""Query building blocks shared by the apps' selectors."""

import math

from django.db.models import Aggregate, Count, FloatField, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_per(rows: QuerySet, *, per: str) -> Coalesce:
    """The number of ``rows`` (a queryset filtered on ``per`` = OuterRef("pk")) for each outer
    row, as a subquery: 0 when there are none. Counting in a subquery keeps the outer query
    from joining, and multiplying, the rows it counts."""
    counted = rows.order_by().values(per).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class Percentile(Aggregate):
    """The ``fraction`` percentile of a number column, interpolated linearly between the two
    nearest values: PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY x)``. SQLite
    (tests, development) has none, so :func:`register_sqlite_functions` gives it one that
    computes the same. NULLs are ignored; no values give NULL."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("a percentile's fraction is between 0 and 1")
        # A float literal in the SQL: PostgreSQL wants a constant here, not a parameter.
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function=SQLITE_PERCENTILE,
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra_context,
        )


SQLITE_PERCENTILE = "greenmfg_percentile_cont"


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """``percentile_cont`` over ``values`` in Python (linear interpolation)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _SqlitePercentile:
    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction) -> None:
        self.fraction = fraction
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return percentile_cont(self.values, self.fraction)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the aggregates SQLite lacks (see :class:`Percentile`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_PERCENTILE, 2, _SqlitePercentile)
