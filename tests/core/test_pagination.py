"""Lists count no further than LIST_COUNT_CAP (issue 16.2): exact below it, stated above it.

The pages (the generic list view, the officials' application list) and the API share
:class:`greenmfg.core.pagination.CappedPaginator`. The cap is lowered here so a handful of rows
reach the uncounted path.
"""

import datetime

import pytest
from django.db import connection

from greenmfg.core.pagination import CappedPaginator, capped_count, rounded
from registry.models import Listing
from tests.registry.test_public_lists import make_listing

pytestmark = pytest.mark.django_db
URL = "/mingdan/"
API = "/api/public/listings/"


@pytest.fixture
def seven_listings(demo):
    return [
        make_listing(listed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day))
        for day in range(7)
    ]


def _names(response):
    return [x.unit_name for x in response.context["listings"]]


def test_capped_count_counts_no_further_than_the_cap(seven_listings, django_assert_num_queries):
    queryset = Listing.objects.all()
    with django_assert_num_queries(1) as captured:
        assert capped_count(queryset, 3) == 4
    sql = captured.captured_queries[0]["sql"].upper()
    assert "COUNT(" in sql and "LIMIT 4" in sql
    assert capped_count(queryset, 10) == 7


def test_below_the_cap_the_count_is_exact(seven_listings, settings):
    settings.LIST_COUNT_CAP = 7
    paginator = CappedPaginator(Listing.objects.order_by("-listed_on", "id"), 3)
    assert paginator.count_is_exact and paginator.count == 7 and paginator.num_pages == 3
    assert paginator.page(3).has_next() is False and len(paginator.page(3)) == 1


def test_above_the_cap_pages_still_link_and_the_count_is_stated(seven_listings, settings):
    settings.LIST_COUNT_CAP = 4
    ordered = list(Listing.objects.order_by("-listed_on", "id"))
    paginator = CappedPaginator(Listing.objects.order_by("-listed_on", "id"), 3)
    assert not paginator.count_is_exact and paginator.num_pages is None
    pages = [paginator.page(n) for n in (1, 2, 3)]
    assert [list(p) for p in pages] == [ordered[0:3], ordered[3:6], ordered[6:7]]
    assert [p.has_next() for p in pages] == [True, True, False]
    assert [p.has_previous() for p in pages] == [False, True, True]
    assert (pages[2].start_index(), pages[2].end_index()) == (7, 7)
    if connection.vendor == "postgresql":
        assert paginator.count_is_estimate and paginator.count >= 5
    else:
        # No estimate: the page states only what it knows.
        assert paginator.count == 4 and not paginator.count_is_estimate


def test_past_the_end_of_an_uncounted_list_get_page_gives_the_last_page(seven_listings, settings):
    settings.LIST_COUNT_CAP = 4
    paginator = CappedPaginator(Listing.objects.order_by("-listed_on", "id"), 3)
    page = paginator.get_page(99)
    assert page.number == 3 and len(page) == 1 and paginator.count == 7


def test_uncounted_public_list_walks_every_page(client, demo, settings, monkeypatch):
    settings.LIST_COUNT_CAP = 4
    monkeypatch.setattr("registry.views.public.PublicListView.paginate_by", 3)
    rows = [
        make_listing(listed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day))
        for day in range(7)
    ]
    expected = [x.unit_name for x in sorted(rows, key=lambda x: (-x.listed_on.toordinal(), x.pk))]
    seen, page = [], 1
    while True:
        response = client.get(URL, {"page": page})
        assert response.status_code == 200
        seen += _names(response)
        body = response.content.decode()
        assert "未逐条计数" in body and " / " not in body.split("未逐条计数")[0][-200:]
        if connection.vendor == "postgresql":
            assert "约 " in body and "（估算数）" in body and "超过" not in body
        else:
            assert "超过 4 条" in body and "约 " not in body
        if not response.context["page_obj"].has_next():
            break
        assert f"page={page + 1}" in body
        page += 1
    assert seen == expected and page == 3
    # The last page is offered only when known: ?page=last is refused, a page past the end too.
    assert client.get(URL, {"page": "last"}).status_code == 404
    assert client.get(URL, {"page": 4}).status_code == 404


def test_counted_public_list_keeps_page_n_of_total(client, demo, settings, monkeypatch):
    settings.LIST_COUNT_CAP = 100
    monkeypatch.setattr("registry.views.public.PublicListView.paginate_by", 3)
    for day in range(7):
        make_listing(listed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day))
    body = client.get(URL).content.decode()
    assert "第 1 / 3 页，共 7 条" in body and "未逐条计数" not in body
    assert client.get(URL, {"page": "last"}).status_code == 200


def test_the_api_count_is_exact_or_null_with_the_flag(client, seven_listings, settings):
    settings.LIST_COUNT_CAP = 100
    body = client.get(API, {"page_size": 3}).json()
    assert (body["count"], body["count_exact"], body["count_estimate"]) == (7, True, None)
    settings.LIST_COUNT_CAP = 4
    body = client.get(API, {"page_size": 3}).json()
    assert body["count"] is None and body["count_exact"] is False
    if connection.vendor == "postgresql":
        assert body["count_estimate"] >= 5
    else:
        assert body["count_estimate"] is None
    names, url = [], API + "?page_size=3"
    while url:
        body = client.get(url).json()
        names += [x["unit_name"] for x in body["results"]]
        url = body["next"]
    assert len(names) == 7 and len(set(names)) == 7
    assert client.get(API, {"page_size": 3, "page": "last"}).status_code == 404


@pytest.mark.parametrize(
    ("number", "shown"), [(7, 7), (123, 120), (4_567, 4_600), (98_765, 99_000), (1_001, 1_000)]
)
def test_an_estimate_is_rounded_to_two_figures(number, shown):
    assert rounded(number) == shown


def test_a_deep_page_reads_its_ids_first_and_keeps_the_order(
    seven_listings, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("greenmfg.core.pagination.DEEP_OFFSET", 2)
    queryset = Listing.objects.select_related("jurisdiction").order_by("-listed_on", "id")
    ordered = list(queryset)
    for cap in (100, 4):  # counted, then not counted
        paginator = CappedPaginator(queryset, 3, cap=cap)
        assert paginator.count
        with django_assert_num_queries(2):  # the ids, then their rows
            rows = list(paginator.page(2))
        assert rows == ordered[3:6]
        assert rows[0].jurisdiction is not None
        assert list(paginator.page(3)) == ordered[6:7]
