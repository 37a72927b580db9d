"""The query budget of a list: its query count must not grow with its rows, and stay small.

A list page or endpoint is fetched with 5 rows and again with 50; both fetches must run the same
number of queries, at most ``QUERY_CAP``. The second fetch must actually show the new rows (the
whole page, when the list is paginated), so that a page that hides them cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

QUERY_CAP = 15  # issue 9: no list page above 15 queries
FEW, MANY = 5, 50


@dataclass(frozen=True)
class Shown:
    """What one fetch of a list showed: rows on this page, rows in all, rows a page holds."""

    rows: int
    total: int
    per_page: int


def shown_by(response) -> Shown:
    """The rows of a DRF list (paginated or plain) or of a page with a ``page_obj``."""
    if response["Content-Type"].startswith("application/json"):
        data = response.json()
        if isinstance(data, list):
            return Shown(len(data), len(data), len(data) or 1)
        results = data["results"]
        return Shown(len(results), data["count"], settings.REST_FRAMEWORK["PAGE_SIZE"])
    page = response.context.get("page_obj")
    assert page is not None, "the page has no page_obj: give the case its own count"
    return Shown(len(page.object_list), page.paginator.count, page.paginator.per_page)


def _fetch(client, url: str, *, count: Callable) -> tuple[list[dict], Shown]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return list(queries.captured_queries), count(response)


def _listing(queries: list[dict]) -> str:
    return "\n".join(f"  {index:2d}. {query['sql'][:160]}" for index, query in enumerate(queries))


def assert_flat_queries(
    client,
    url: str,
    make_rows: Callable[[int], object],
    *,
    count: Callable = shown_by,
    cap: int = QUERY_CAP,
) -> tuple[int, int]:
    """Fetch ``url`` with 5 and with 50 rows that ``make_rows(n)`` adds; returns both counts."""
    make_rows(FEW)
    client.get(url)  # fill the per-process caches (content types, templates) first
    few_queries, few = _fetch(client, url, count=count)
    make_rows(MANY - FEW)
    many_queries, many = _fetch(client, url, count=count)

    assert many.total - few.total == MANY - FEW, (
        f"{url} should list the {MANY - FEW} new rows: {few} then {many}"
    )
    assert few.rows == few.total, f"{url} should show all of its {few.total} rows: {few}"
    assert many.rows == min(many.total, many.per_page), f"{url} shows a short page: {many}"
    assert many.rows - few.rows >= 10, f"{url} shows too few new rows to tell: {few} then {many}"
    assert len(many_queries) == len(few_queries), (
        f"{url}: {len(few_queries)} queries for {few.rows} rows but {len(many_queries)} "
        f"for {many.rows}:\n{_listing(many_queries)}"
    )
    assert len(many_queries) <= cap, (
        f"{url}: {len(many_queries)} queries, more than {cap}:\n{_listing(many_queries)}"
    )
    return len(few_queries), len(many_queries)


def pages_for(
    urls: list[str], usernames: list[str], *, covered: frozenset[tuple[str, str]] = frozenset()
):
    """Every (url, username) pair but those an app's own tests already budget (5 and 50 rows,
    at most 15 queries, the rows shown): ``covered`` names them."""
    return [
        (url, username) for url in urls for username in usernames if (url, username) not in covered
    ]
