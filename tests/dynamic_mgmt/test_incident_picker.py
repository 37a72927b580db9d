"""The incident form's listing picker: never a list of every listing in the official's subtree,
typed names and codes resolved, the scope kept (issue 16)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dynamic_mgmt.models import Incident
from greenmfg.core.widgets import PICKER_LIMIT
from tests.dynamic_mgmt.dm_helpers import demo_listing, listing_of, new_unit, pinned_today

pytestmark = pytest.mark.django_db

__all__ = ["pinned_today"]


EXTRA = 50


def data(**picked):
    return {
        "kind": "safety",
        "occurred_on": "2026-11-20",
        "reported_on": "2026-11-20",
        "description": "发生一般生产安全事故。",
        **picked,
    }


@pytest.fixture
def crowded(demo):
    """Luoyang's county with more listed units than a list may show."""
    return [
        listing_of(new_unit("luoyang", name=f"拥挤县名单企业{n:03d}有限公司")) for n in range(EXTRA)
    ]


def test_a_few_listings_are_still_a_plain_list(client, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("dynamic_mgmt:incident-new")).content.decode()
    assert re.search(r'<select[^>]* name="listing"', body)
    assert listing.unit_name in body


def test_many_listings_get_a_search_box_in_bounded_queries(
    client, demo, crowded, pinned_today, django_assert_max_num_queries
):
    client.force_login(demo["luoyang-county"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dynamic_mgmt:incident-new"))
    body = response.content.decode()
    assert response.status_code == 200
    assert not any(listing.unit_name in body for listing in crowded)
    assert 'name="listing_query"' in body and 'role="combobox"' in body
    assert reverse("dynamic_mgmt:incident-listing-search") in body
    assert "js/search_picker.js" in body and "<script>" not in body


def test_the_page_queries_do_not_grow_with_the_listings(
    client, demo, crowded, pinned_today, django_assert_max_num_queries
):
    client.force_login(demo["luoyang-city"])
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dynamic_mgmt:incident-new"))
    for n in range(EXTRA):
        listing_of(new_unit("luoyang", name=f"更多名单企业{n:03d}有限公司"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        body = client.get(reverse("dynamic_mgmt:incident-new")).content.decode()
    assert "更多名单企业" not in body


def test_search_answers_at_most_the_limit_within_the_scope(client, demo, crowded):
    url = reverse("dynamic_mgmt:incident-listing-search")
    client.force_login(demo["luoyang-county"])
    body = client.get(url, {"q": "拥挤县名单"}).json()
    assert len(body["results"]) == PICKER_LIMIT and body["more"] is True
    code = crowded[9].credit_code
    assert [row["id"] for row in client.get(url, {"q": code}).json()["results"]] == [crowded[9].pk]
    client.force_login(demo["jinan-county"])
    assert client.get(url, {"q": "拥挤县名单"}).json()["results"] == []
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(url, {"q": "拥挤县名单"}).json()["results"] == []


def test_search_requires_login(client):
    response = client.get(reverse("dynamic_mgmt:incident-listing-search"), {"q": "企业"})
    assert response.status_code == 302


@pytest.mark.parametrize("typed", ["name", "code"])
def test_without_javascript_a_typed_name_or_code_is_resolved(
    client, demo, crowded, pinned_today, typed
):
    picked = crowded[21]
    client.force_login(demo["luoyang-county"])
    text = picked.unit_name if typed == "name" else picked.credit_code
    response = client.post(
        reverse("dynamic_mgmt:incident-new"), data(listing="", listing_query=text)
    )
    assert response.status_code == 302
    assert Incident.objects.get().listing == picked


def test_nothing_or_several_matching_are_refused_keeping_the_text(
    client, demo, crowded, pinned_today
):
    client.force_login(demo["luoyang-county"])
    url = reverse("dynamic_mgmt:incident-new")
    response = client.post(url, data(listing="", listing_query="不存在的单位"))
    body = response.content.decode()
    assert response.status_code == 400 and "没有与「不存在的单位」相符的名单单位" in body
    assert 'value="不存在的单位"' in body
    # The same unit on two lists: its name names both; the page offers them to choose.
    again = listing_of(crowded[0].organisation, level="province", authority_key="410000")
    response = client.post(url, data(listing="", listing_query=crowded[0].unit_name))
    body = response.content.decode()
    assert response.status_code == 400 and "有多个名单单位与" in body
    assert 'name="listing_choice"' in body and f'value="{again.pk}"' in body
    response = client.post(
        url, data(listing="", listing_choice=again.pk, listing_query=crowded[0].unit_name)
    )
    assert response.status_code == 302 and Incident.objects.get().listing == again


def test_an_out_of_scope_id_is_refused(client, demo, crowded, pinned_today):
    outside = demo_listing(demo, "jinan")
    client.force_login(demo["luoyang-county"])
    url = reverse("dynamic_mgmt:incident-new")
    response = client.post(url, data(listing=outside.pk))
    assert response.status_code == 400 and "所选项不在可选范围内" in response.content.decode()
    response = client.post(url, data(listing=outside.pk, listing_query=outside.unit_name))
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_the_listing_of_the_link_is_shown_by_its_label(client, demo, crowded, pinned_today):
    picked = crowded[30]
    client.force_login(demo["luoyang-county"])
    body = client.get(reverse("dynamic_mgmt:incident-new"), {"listing": picked.pk})
    body = body.content.decode()
    assert f'value="{picked.pk}"' in body and picked.unit_name in body
