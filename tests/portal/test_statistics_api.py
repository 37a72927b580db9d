"""/api/statistics/: the page's numbers as JSON, scoped like the page, bad filters refused."""

import pytest

from registry.models import Listing
from tests.factories.applications import ApplicationFactory, BatchFactory
from tests.factories.directory import OrganisationFactory
from tests.factories.registry import ListingFactory

pytestmark = pytest.mark.django_db

CURRENT = (Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)


def tables(payload) -> dict:
    return {t["key"]: t for section in payload["sections"] for t in section["tables"]}


@pytest.fixture
def arranged(demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    county2 = demo["luoyang-county2"].organisation.jurisdiction
    for place in (county, county, county2):
        ListingFactory(organisation=OrganisationFactory(jurisdiction=place))
    ApplicationFactory(batch=BatchFactory(), organisation=OrganisationFactory(jurisdiction=county2))
    return county, county2


def test_the_api_gives_the_pages_numbers(client, demo, arranged):
    county, _county2 = arranged
    client.force_login(demo["luoyang-city"])
    payload = client.get("/api/statistics/").json()
    page = client.get("/statistics/")
    assert payload["region"]["key"] == "410300"
    by_region = {row[0]: row[1] for row in tables(payload)["region"]["rows"]}
    assert (
        by_region[county.name]
        == Listing.objects.filter(jurisdiction=county, status__in=CURRENT).count()
    )
    for _title, page_tables in page.context["sections"]:
        for table in page_tables:
            assert tables(payload)[table.key]["rows"] == [
                [cell.value for cell in row] for row in table.rows
            ]


def test_the_api_refuses_bad_filters_and_other_scopes(client, demo, arranged):
    _county, county2 = arranged
    client.force_login(demo["luoyang-county"])
    response = client.get("/api/statistics/", {"region": county2.key})
    assert response.status_code == 400
    assert "不在您的管辖范围" in response.json()["detail"]
    assert client.get("/api/statistics/", {"year": "x"}).status_code == 400
    # The county official's numbers are the county's: the other county's application is not.
    assert tables(client.get("/api/statistics/").json())["states"]["rows"] == []
    client.force_login(demo["luoyang-enterprise"])
    assert client.get("/api/statistics/").status_code == 403


def test_the_public_api_has_published_facts_only(client, demo, arranged):
    payload = client.get("/api/statistics/public/").json()
    assert set(tables(payload)) == {"level", "type", "year", "region"}
    assert client.get("/api/statistics/public/", {"region": "nowhere"}).status_code == 400
    assert client.get("/api/statistics/").status_code in (401, 403)
