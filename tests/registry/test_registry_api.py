"""名单 API: the public read-only list (no login, public fields, the page's filters, a query
bound) and the officials' scoped list with the history actions."""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from registry.api.listing import PublicListingViewSet
from registry.models import Listing
from tests.factories import RemovalProposalFactory
from tests.problems import field_errors

from .test_public_lists import enterprise, jinan_listing, make_listing

pytestmark = pytest.mark.django_db
PUBLIC = "/api/public/listings/"
OFFICIAL = "/api/listings/"
PUBLIC_FIELDS = {
    "id",
    "unit",
    "unit_name",
    "credit_code",
    "unit_type",
    "unit_type_display",
    "product_name",
    "level",
    "level_display",
    "year",
    "authority_name",
    "region",
    "region_name",
    "document_number",
    "listed_on",
    "valid_until",
    "status",
    "status_display",
    "removed_on",
}
DAY = "2025-09-01"


@pytest.fixture
def api():
    cache.clear()  # the anonymous throttle counts in the cache
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["unit_name"] for row in response.json()["results"]]


# --- the public ----------------------------------------------------------------------------------


def test_the_public_list_shows_public_fields_only(api, demo):
    listing = make_listing(name="接口企业有限公司")

    response = api.get(PUBLIC)

    [row] = response.json()["results"]
    assert set(row) == PUBLIC_FIELDS
    assert row["unit"] == listing.organisation_id and row["region"] == "410311"
    assert row["region_name"] == "洛阳市洛龙区" and row["valid_until"] is None
    assert row["authority_name"] == "洛阳市工业和信息化局" and row["status"] == "active"


def test_the_public_api_filters_as_the_page_does(api, demo):
    make_listing(name="洛阳接口甲有限公司", county="410307", year=2024)
    make_listing(name="洛阳接口乙有限公司", level="province", year=2025)
    make_listing(name="洛阳接口丙有限公司", status=Listing.Status.REMOVED)
    jinan = jinan_listing(name="济南接口丁有限公司")

    assert sorted(names(api.get(PUBLIC, {"region": "410300"}))) == sorted(
        ["洛阳接口甲有限公司", "洛阳接口乙有限公司"]
    )
    assert names(api.get(PUBLIC, {"q": jinan.credit_code})) == ["济南接口丁有限公司"]
    assert names(api.get(PUBLIC, {"q": "接口乙"})) == ["洛阳接口乙有限公司"]
    assert names(api.get(PUBLIC, {"level": "province"})) == ["洛阳接口乙有限公司"]
    assert names(api.get(PUBLIC, {"status": "removed"})) == ["洛阳接口丙有限公司"]
    assert len(names(api.get(PUBLIC, {"status": "all"}))) == 4
    assert names(api.get(PUBLIC, {"ordering": "year", "region": "410300"}))[0] == (
        "洛阳接口甲有限公司"
    )
    assert api.get(PUBLIC, {"region": "nowhere"}).status_code == 400


def test_one_listing_with_its_history_even_when_removed(api, demo):
    listing = make_listing(name="移出接口企业有限公司", status=Listing.Status.REMOVED)

    response = api.get(f"{PUBLIC}{listing.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PUBLIC_FIELDS | {"events"}
    assert [event["kind"] for event in body["events"]] == ["listed"]
    assert "created_by_name" not in body["events"][0]


def test_the_public_api_needs_no_login_and_is_throttled(api, demo):
    assert PublicListingViewSet.permission_classes == [AllowAny]
    assert PublicListingViewSet.authentication_classes == []
    assert PublicListingViewSet.throttle_classes == [AnonRateThrottle]
    assert api.post(PUBLIC, {}).status_code == 405


def test_the_public_api_queries_do_not_grow(api, demo, django_assert_max_num_queries):
    for _ in range(5):
        make_listing()
    with django_assert_max_num_queries(6) as few:
        assert len(names(api.get(PUBLIC, {"region": "410300"}))) == 5

    for _ in range(45):
        make_listing(county="410307")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(names(api.get(PUBLIC, {"region": "410300"}))) == 50


# --- officials -----------------------------------------------------------------------------------


def test_officials_list_the_listings_of_their_subtree(api, demo):
    mine = make_listing(name="洛阳官方接口企业有限公司")
    jinan_listing(name="济南官方接口企业有限公司")

    assert names(as_user(api, demo["luoyang-county"]).get(OFFICIAL)) == ["洛阳官方接口企业有限公司"]
    assert names(as_user(api, demo["luoyang-county2"]).get(OFFICIAL)) == []
    assert len(names(as_user(api, demo["admin"]).get(OFFICIAL))) == 2
    detail = as_user(api, demo["luoyang-city"]).get(f"{OFFICIAL}{mine.pk}/").json()
    assert detail["events"][0]["kind"] == "listed" and detail["open_removal_proposals"] == []
    assert as_user(api, demo["jinan-city"]).get(f"{OFFICIAL}{mine.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["luoyang-enterprise", "luoyang-expert", "luoyang-agency"])
def test_others_are_refused(api, demo, who):
    listing = make_listing()

    assert as_user(api, demo[who]).get(OFFICIAL).status_code == 403
    response = as_user(api, demo[who]).post(
        f"{OFFICIAL}{listing.pk}/name-change/", {"new_name": "改名有限公司", "occurred_on": DAY}
    )
    assert response.status_code == 403


def test_anonymous_callers_are_refused(api, demo):
    assert api.get(OFFICIAL).status_code in (401, 403)


def test_officials_record_the_events_through_the_api(api, demo):
    listing = make_listing(name="接口旧名有限公司")
    RemovalProposalFactory(listing=listing, source="incident", reason="发生安全事故")
    client = as_user(api, demo["luoyang-county"])

    renamed = client.post(
        f"{OFFICIAL}{listing.pk}/name-change/",
        {
            "new_name": "接口新名有限公司",
            "occurred_on": DAY,
            "document_number": "洛市监〔2025〕1号",
        },
        format="json",
    )
    changed = client.post(
        f"{OFFICIAL}{listing.pk}/change/",
        {"kind": "boundary_change", "new_value": "厂区扩至二期", "occurred_on": DAY},
        format="json",
    )
    reviewed = client.post(
        f"{OFFICIAL}{listing.pk}/re-review/",
        {"outcome": "started", "occurred_on": DAY},
        format="json",
    )

    assert renamed.status_code == changed.status_code == reviewed.status_code == 200
    body = reviewed.json()
    assert body["unit_name"] == "接口新名有限公司" and body["status"] == "under_review"
    assert [e["kind"] for e in body["events"]] == [
        "listed",
        "name_change",
        "boundary_change",
        "re_review",
    ]
    assert body["events"][1]["old_value"] == "接口旧名有限公司"
    assert [p["reason"] for p in body["open_removal_proposals"]] == ["发生安全事故"]


def test_refusals_come_back_with_their_message(api, demo):
    listing = make_listing()
    client = as_user(api, demo["luoyang-city"])

    wrong_kind = client.post(
        f"{OFFICIAL}{listing.pk}/change/",
        {"kind": "removed", "new_value": "x", "occurred_on": DAY},
        format="json",
    )
    no_reason = client.post(
        f"{OFFICIAL}{listing.pk}/re-review/",
        {"outcome": "failed", "occurred_on": DAY},
        format="json",
    )
    outsider = as_user(api, demo["jinan-city"]).post(
        f"{OFFICIAL}{listing.pk}/name-change/",
        {"new_name": "改名有限公司", "occurred_on": DAY},
        format="json",
    )

    assert wrong_kind.status_code == 400 and "kind" in field_errors(wrong_kind)
    assert no_reason.status_code == 400 and "reason" in field_errors(no_reason)
    assert outsider.status_code == 404
    Listing.objects.filter(pk=listing.pk, status=Listing.Status.ACTIVE).get()


def test_a_removed_listing_is_refused_with_the_reason(api, demo):
    listing = make_listing(status=Listing.Status.REMOVED)

    response = as_user(api, demo["luoyang-city"]).post(
        f"{OFFICIAL}{listing.pk}/name-change/",
        {"new_name": "改名有限公司", "occurred_on": DAY},
        format="json",
    )

    assert response.status_code == 400 and "已移出" in response.json()["detail"]


def test_the_officials_api_queries_do_not_grow(api, demo, django_assert_max_num_queries):
    unit = enterprise()
    for _ in range(5):
        make_listing(organisation=unit)
    client = as_user(api, demo["luoyang-city"])
    with django_assert_max_num_queries(8) as few:
        assert len(names(client.get(OFFICIAL))) == 5

    for _ in range(45):
        make_listing(county="LY-HTZ", listed_on=datetime.date(2024, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(names(client.get(OFFICIAL))) == 50
