"""数据统计 pages: at most 15 queries, the same count with 5 and with 50 listings (every figure
is grouped in SQL), and the pages are in the bench (drawn from the URL conf)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.discover import discover
from tests.factories.applications import ApplicationFactory, BatchFactory
from tests.factories.directory import OrganisationFactory
from tests.factories.dynamic_mgmt import AnnualTableFactory
from tests.factories.registry import ListingFactory
from tests.factories.reviews import ScoreSheetFactory

pytestmark = pytest.mark.django_db

CAP = 15
PAGES = [
    ("/statistics/", "luoyang-city"),
    ("/statistics/?region=410311", "luoyang-city"),
    ("/statistics/", "luoyang-county"),
    ("/statistics/", "nation"),
    ("/statistics/", "admin"),
    ("/tongji/", None),
    ("/tongji/?region=410300", None),
    ("/api/statistics/", "luoyang-city"),
    ("/api/statistics/public/", None),
]


def add_rows(demo, count: int) -> None:
    county = demo["luoyang-county"].organisation.jurisdiction
    batch = BatchFactory()
    for index in range(count):
        organisation = OrganisationFactory(jurisdiction=county)
        listing = ListingFactory(organisation=organisation)
        AnnualTableFactory(listing=listing, status="filed" if index % 2 else "draft")
        application = ApplicationFactory(
            batch=batch, organisation=organisation, status=("passed", "failed")[index % 2]
        )
        ScoreSheetFactory(
            assignment__application=application, status="submitted", total=Decimal(60 + index % 40)
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("url", "username"), PAGES)
def test_statistics_pages_run_few_queries_whatever_the_rows(
    client, demo, url, username, django_assert_max_num_queries
):
    if username:
        client.force_login(demo[username])
    add_rows(demo, 5)
    with django_assert_max_num_queries(CAP):
        few = client.get(url)
    assert few.status_code == 200
    few_count = count_queries(client, url)
    add_rows(demo, 45)
    many_count = count_queries(client, url)
    print(f"\nbudget {url} {username}: {few_count} → {many_count}")
    assert few_count == many_count <= CAP


def test_statistics_pages_are_benched():
    targets, excluded = discover()
    paths = {target.path for target in targets}
    assert {"/statistics/", "/tongji/"} <= paths
    assert not {"/statistics/", "/tongji/"} & set(excluded)
