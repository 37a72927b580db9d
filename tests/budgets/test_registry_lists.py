"""Query budgets of the 名单 lists: the officials' listings, a unit's history and complaints.

Already budgeted by the app's own tests (5 and 50 rows, at most 15 queries, the rows shown): the
public list /mingdan/ (tests/registry/test_public_lists.py) and /api/public/listings/
(test_registry_api.py), the announcements page, API and feeds (test_announcements.py,
test_announcement_api.py, test_feeds.py).
"""

import itertools
from datetime import date, timedelta

import pytest

from greenmfg.accounts.models import User
from registry.models import Complaint, ListingEvent

from .budget import Shown, assert_flat_queries, pages_for
from .rows import listings, units

_serial = itertools.count(1)


# --- 名单 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "username"),
    pages_for(
        ["/registry/listings/", "/api/listings/"],
        ["luoyang-county", "luoyang-city", "henan"],
        # tests/registry/test_listing_history.py, tests/registry/test_registry_api.py
        covered={("/registry/listings/", "luoyang-city"), ("/api/listings/", "luoyang-city")},
    ),
)
def test_the_officials_listings(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, listings)


def history(listing):
    creator = User.objects.get(username="luoyang-city")

    def make(count):
        ListingEvent.objects.bulk_create(
            ListingEvent(
                listing=listing,
                kind=ListingEvent.Kind.SCOPE_CHANGE if index % 2 else ListingEvent.Kind.NAME_CHANGE,
                occurred_on=date(2025, 7, 1) + timedelta(days=index),
                document_number=f"洛工信〔2025〕{index}号",
                old_value=f"旧名称{index}",
                new_value=f"新名称{index}",
                reason="企业更名",
                created_by=creator,
            )
            for index in itertools.islice(_serial, count)
        )

    return make


def test_a_units_public_page(client, demo):
    [listing] = listings(1)

    def shown(response):
        events = response.context["unit"].events
        return Shown(len(events), len(events), len(events) or 1)

    assert_flat_queries(
        client, f"/mingdan/units/{listing.organisation_id}/", history(listing), count=shown
    )


def test_a_listings_page_for_officials(client, demo):
    [listing] = listings(1)

    def shown(response):
        events = list(response.context["events"])
        return Shown(len(events), len(events), len(events) or 1)

    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, f"/registry/listings/{listing.pk}/", history(listing), count=shown)


# --- 举报 ---------------------------------------------------------------------------------------


def complaints(count):
    """Complaints handled by 洛龙区: about listed units, and about agencies, in turn."""
    half = count // 2
    about_listings = listings(count - half)
    agencies = units(half, county="410300", kind="agency")
    subjects = [("listing", listing, None) for listing in about_listings]
    subjects += [("agency", None, agency) for agency in agencies]
    handling = about_listings[0].jurisdiction
    Complaint.objects.bulk_create(
        Complaint(
            tracking_code=f"C{next(_serial):09d}",
            subject=subject,
            listing=listing,
            agency=agency,
            handling_jurisdiction=handling,
            name="李四",
            id_or_organisation="洛阳市某公司",
            phone="0379-12345678",
            content="该单位实际能耗远高于申报数据。",
        )
        for subject, listing, agency in subjects
    )


@pytest.mark.parametrize("url", ["/complaints/", "/api/complaints/"])
@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city"])
def test_the_complaints(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, complaints)
