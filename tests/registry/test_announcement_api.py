"""公告 API: read-only for everyone, without an account (rate-limited), with the page's filters."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from registry.api.announcement import PublicAnnouncementViewSet

from .test_announcements import DOCUMENT, arranged, at

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/announcements/"
FIELDS = {
    "id",
    "kind",
    "kind_display",
    "title",
    "summary",
    "authority_name",
    "jurisdiction",
    "jurisdiction_name",
    "document_number",
    "published_at",
    "link",
    "url",
}


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The anonymous rate counts per address in the cache: start each test afresh."""
    cache.clear()


@pytest.fixture
def public():
    return APIClient()


def test_anyone_reads_the_announcements_newest_first(public, demo):
    older = arranged(demo, published_at=at(2025, 3, 1, 9, 30))
    newer = arranged(demo, kind="list", published_at=at(2025, 4, 2, 8), document_number=DOCUMENT)
    arranged(demo, title="明天才发布", published_at=timezone.now() + datetime.timedelta(days=1))

    response = public.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    row = body["results"][0]
    assert set(row) == FIELDS
    assert (row["kind"], row["kind_display"]) == ("list", "名单公布")
    assert row["document_number"] == DOCUMENT
    assert row["authority_name"] == "洛阳市工业和信息化局"
    assert (row["jurisdiction"], row["jurisdiction_name"]) == ("410300", "洛阳市")
    assert row["published_at"] == "2025-04-02T08:00:00+08:00"
    assert row["link"] == newer.link and row["url"] == f"http://testserver{newer.link}"
    assert public.get(f"{URL}{older.pk}/").json()["title"] == older.title
    assert "明天才发布" not in response.content.decode()


def test_the_api_filters_by_kind_region_and_year(public, demo):
    city = arranged(demo, published_at=at(2025, 5, 1))
    county = arranged(demo, kind="blacklist", who="luoyang-county", published_at=at(2025, 4, 1))
    jinan = arranged(demo, kind="list", who="jinan-city", published_at=at(2025, 3, 1))
    old = arranged(demo, published_at=at(2024, 6, 1))

    def ids(**params):
        response = public.get(URL, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(kind="blacklist") == [county.pk]
    assert ids(region="410300") == [city.pk, county.pk, old.pk]
    assert ids(region="370100") == [jinan.pk]
    assert ids(region="nowhere") == []
    assert ids(year=2024) == [old.pk]
    assert ids(kind="publicity", region="410000", year=2025) == [city.pk]
    assert ids(ordering="published_at") == [old.pk, jinan.pk, county.pk, city.pk]
    assert public.get(URL, {"kind": "bogus"}).status_code == 400
    assert public.get(URL, {"year": "abc"}).status_code == 400


def test_the_api_is_read_only_throttled_and_ignores_credentials(public, demo):
    announcement = arranged(demo)

    assert PublicAnnouncementViewSet.permission_classes == [AllowAny]
    assert PublicAnnouncementViewSet.authentication_classes == []
    assert PublicAnnouncementViewSet.throttle_classes == [AnonRateThrottle]
    assert public.get(URL, HTTP_AUTHORIZATION="Token not-a-token").status_code == 200
    assert public.post(URL, {"title": "伪造公告"}).status_code == 405
    assert public.put(f"{URL}{announcement.pk}/", {"title": "篡改"}).status_code == 405
    assert public.delete(f"{URL}{announcement.pk}/").status_code == 405
    signed_in = APIClient()
    signed_in.force_authenticate(demo["luoyang-city"])
    assert signed_in.post(URL, {"title": "伪造公告"}).status_code == 405


def test_the_api_list_queries_do_not_grow(public, demo, django_assert_max_num_queries):
    for _ in range(5):
        arranged(demo)
    with django_assert_max_num_queries(5) as small:
        assert public.get(URL, {"region": "410000"}).status_code == 200
    for index in range(45):
        arranged(demo, who="luoyang-county" if index % 2 else "jinan-city")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = public.get(URL)
    assert response.json()["count"] == 50 and len(response.json()["results"]) == 50


def test_the_schema_lists_the_endpoint_without_warnings(client, tmp_path):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert URL in paths and f"{URL}{{id}}/" in paths
    assert {"kind", "region", "year"} <= {p["name"] for p in paths[URL]["get"]["parameters"]}
    reset_generator_stats()
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))
    # The whole schema's warnings are tests/core/test_api_schema.py's; none may be ours.
    ours = [
        message
        for message in GENERATOR_STATS._warn_cache
        if "announcement" in message.lower() or 'named "kind"' in message
    ]
    assert ours == []
