"""Pagination that never counts every match of a large list (issue 16.2).

A plain ``Paginator`` runs ``SELECT COUNT(*)`` over every row the filters match, on every page:
at 100,000 units that count costs more than the page itself. :class:`CappedPaginator` counts
at most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (SELECT … LIMIT COUNT_CAP + 1)``), so the
count costs the same at any size:

- up to ``COUNT_CAP`` matches the count is exact, and the pages behave as they always did
  (page n of N, the last page, 共 N 条);
- above it the count is not known. The page says so: on PostgreSQL it shows the planner's
  estimate (EXPLAIN's row estimate of the filtered query, no rows read) as 约 N 条, elsewhere
  超过 COUNT_CAP 条. A page then reads one row more than it shows to know whether a next page
  exists; previous and next links work, the last page is offered only when the count is known.

``settings.LIST_COUNT_CAP`` sets the cap (tests lower it to reach the estimated path).
"""

import json
from math import ceil

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Up to this many matches a list counts them exactly: walking 1,001 index entries costs about a
# millisecond, whatever the size of the table.
DEFAULT_COUNT_CAP = 1000
# Past this many rows, a page reads its ids before its rows (see rows_at).
DEEP_OFFSET = 1000


def count_cap() -> int:
    return int(getattr(settings, "LIST_COUNT_CAP", DEFAULT_COUNT_CAP))


def capped_count(queryset: QuerySet, cap: int) -> int:
    """The number of rows of ``queryset``, counting no further than ``cap + 1``.

    Only the ids are selected: the columns a page annotates (an engagement's report version)
    are not worked out for rows that are only counted.
    """
    return queryset.order_by().values("pk")[: cap + 1].count()


def rows_at(queryset, bottom: int, top: int):
    """The rows ``bottom:top`` of ``queryset``, in its order (a QuerySet, as Django's pages).

    A deep page (past ``DEEP_OFFSET``) first reads only the ids of its rows, then the rows: the
    database skips the earlier rows on the order's index alone, instead of joining each
    skipped row to its related tables as well (page 2,000 of /mingdan/: 361 ms → 73 ms).
    """
    if not isinstance(queryset, QuerySet) or bottom <= DEEP_OFFSET:
        return queryset[bottom:top]
    ids = list(queryset.values_list("pk", flat=True)[bottom:top])
    # The same order, applied to the page's rows only.
    return queryset.filter(pk__in=ids)


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` matches (EXPLAIN, nothing is read); None
    on a database that gives none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def rounded(number: int) -> int:
    """An estimate to two significant figures (12,345 → 12,000): it claims no more than it
    knows."""
    if number < 100:
        return number
    step = 10 ** (len(str(number)) - 2)
    return round(number / step) * step


class OpenPage(Page):
    """A page of a list whose total is not known: it knows only whether one more row follows."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self):
        return self._has_more

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class CappedPaginator(Paginator):
    """A Paginator whose count stops at ``cap`` (see the module's docstring).

    ``count_is_exact`` tells whether ``count`` is the exact number of matches. When it is not,
    ``count`` is what the page may state (the estimate rounded, or the cap), ``count_is_estimate``
    tells which, and ``num_pages`` is None.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = count_cap() if cap is None else cap
        self._estimated = False

    @cached_property
    def exact_count(self) -> int | None:
        """The number of matches, or None when there are more than the cap."""
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        number = capped_count(self.object_list, self.cap)
        return number if number <= self.cap else None

    @property
    def count_is_exact(self) -> bool:
        return self.exact_count is not None

    @property
    def count_is_estimate(self) -> bool:
        """True when ``count`` is the database's estimate (worked out here if not yet)."""
        return self.count is not None and self._estimated

    @cached_property
    def count(self) -> int:
        if self.exact_count is not None:
            return self.exact_count
        estimate = planner_estimate(self.object_list)
        if estimate is None:
            return self.cap
        self._estimated = True
        # More than the cap matched, whatever the planner thinks.
        return rounded(max(estimate, self.cap + 1))

    @cached_property
    def num_pages(self):
        if self.exact_count is None:
            return None
        return super().num_pages

    def validate_number(self, number):
        if self.exact_count is not None:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.exact_count is not None:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(rows_at(self.object_list, bottom, top), number, self)
        rows = rows_at(self.object_list, bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return OpenPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number):
        """A valid page even for a bad number; past the end of an uncounted list, its last
        page (the one time such a list is counted in full)."""
        try:
            return super().get_page(number)
        except EmptyPage:
            total = self.object_list.order_by().count()
            last = max(1, ceil(max(total - self.orphans, 1) / self.per_page))
            self.exact_count = total
            self.__dict__.pop("count", None)
            self.__dict__.pop("num_pages", None)
            return self.page(last)
