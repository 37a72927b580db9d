"""A listing's province and city (Listing.province, .city) follow its jurisdiction on every
create, move and bulk insert, and the scopes and region filters that ask for them by equality
give the same rows as the plain path-prefix subtree filter (issue 16)."""

import pytest

from dynamic_mgmt.filters.table import OverviewFilter
from dynamic_mgmt.selectors.table import listings_visible, overview_queryset, table_list
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.core import clock
from greenmfg.directory.models import Jurisdiction, Level
from registry.filters.public import ListingFilter
from registry.models import Listing
from registry.selectors.listing import listing_scope_q
from registry.services.history import listings_overseen
from tests.factories import ListingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SCOPED = ("nation", "henan", "luoyang-city", "luoyang-county", "luoyang-county2", "shandong")


def ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def ancestors(jurisdiction: Jurisdiction) -> dict[str, int]:
    return {
        node.level: node.pk
        for node in Jurisdiction.objects.all()
        if jurisdiction.path.startswith(node.path)
    }


def assert_places_follow_the_tree():
    for listing in Listing.objects.select_related("jurisdiction"):
        expected = ancestors(listing.jurisdiction)
        assert listing.province_id == expected.get(Level.PROVINCE), listing.unit_name
        assert listing.city_id == expected.get(Level.CITY), listing.unit_name


@pytest.fixture
def spread(demo):
    """Listings in counties of two provinces, in a city itself and in a province itself."""
    luoyang_county = demo["luoyang-county"].organisation.jurisdiction
    jinan_county = demo["jinan-county"].organisation.jurisdiction
    places = [
        luoyang_county,
        demo["luoyang-county2"].organisation.jurisdiction,
        jinan_county,
        luoyang_county.parent,
        jinan_county.parent.parent,
    ]
    for place in places:
        ListingFactory.create_batch(
            2, organisation=OrganisationFactory(jurisdiction=place), jurisdiction=place
        )
    ListingFactory(
        organisation=OrganisationFactory(jurisdiction=luoyang_county),
        jurisdiction=luoyang_county,
        removed=True,
    )
    return places


def test_a_new_listing_gets_its_province_and_city(demo, spread):
    county = spread[0]
    listing = ListingFactory(organisation=OrganisationFactory(jurisdiction=county))
    assert listing.jurisdiction == county
    assert (listing.province_id, listing.city_id) == (county.parent.parent_id, county.parent_id)
    listing.refresh_from_db()
    assert (listing.province_id, listing.city_id) == (county.parent.parent_id, county.parent_id)
    assert_places_follow_the_tree()


def test_province_and_city_follow_a_move_and_bulk_inserts(demo, spread):
    luoyang_county, _, jinan_county, luoyang, shandong = spread
    moved = Listing.objects.filter(jurisdiction=luoyang_county).first()
    moved.jurisdiction = jinan_county
    moved.save()
    moved.refresh_from_db()
    assert (moved.province_id, moved.city_id) == (
        jinan_county.parent.parent_id,
        jinan_county.parent_id,
    )
    # Saving named fields only: the province and city are written with the jurisdiction.
    again = Listing.objects.filter(jurisdiction=luoyang_county).first()
    again.jurisdiction_id = shandong.pk
    again.save(update_fields=["jurisdiction"])
    again.refresh_from_db()
    assert (again.province_id, again.city_id) == (shandong.pk, None)
    # A save that leaves the jurisdiction alone keeps them.
    kept = Listing.objects.filter(jurisdiction=luoyang).first()
    kept.unit_name = "更名后的单位"
    kept.save(update_fields=["unit_name"])
    kept.refresh_from_db()
    assert (kept.province_id, kept.city_id) == (luoyang.parent_id, luoyang.pk)
    template = Listing.objects.first()
    Listing.objects.bulk_create(
        [
            Listing(
                organisation=template.organisation,
                jurisdiction=place,
                unit_type="factory",
                level=template.level,
                year=template.year,
                authority=template.authority,
                unit_name=f"批量名单单位{n}",
                document_number="批量〔2026〕1号",
                listed_on=clock.today(),
                created_by=template.created_by,
            )
            for n, place in enumerate(spread)
        ]
    )
    assert Listing.objects.filter(unit_name__startswith="批量名单单位").count() == len(spread)
    assert_places_follow_the_tree()


def test_every_scope_gives_the_path_prefix_rows(demo, spread):
    for username in (*SCOPED, "admin", "luoyang-enterprise"):
        user = demo[username]
        by_path = Listing.objects.filter(jurisdiction_q(user, field="jurisdiction"))
        assert ids(Listing.objects.filter(listing_scope_q(user))) == ids(by_path), username
        assert ids(listings_overseen(user=user)) == (
            ids(by_path) if user.is_official or user.is_sysadmin else []
        ), username
        if user.is_official or user.is_sysadmin:
            assert ids(listings_visible(user=user)) == ids(by_path), username
            assert sorted(table_list(user=user).values_list("listing_id", flat=True)) == sorted(
                by_path.filter(annual_tables__isnull=False).values_list("pk", flat=True)
            ), username
    county = demo["luoyang-county"]
    query = str(Listing.objects.filter(listing_scope_q(demo["luoyang-city"])).query)
    assert '"city_id" = ' in query and "LIKE" not in query
    assert '"jurisdiction_id" = ' in str(Listing.objects.filter(listing_scope_q(county)).query)


def test_every_region_filter_gives_the_path_prefix_rows(demo, spread):
    for node in Jurisdiction.objects.all():
        by_path = Listing.objects.filter(jurisdiction__path__startswith=node.path)
        public = ListingFilter({"region": node.key, "status": "all"}, queryset=Listing.objects)
        assert public.is_valid(), public.errors
        assert ids(public.qs) == ids(by_path), node.key
    user = demo["henan"]
    queryset, windows = overview_queryset(user=user, year=clock.today().year, today=clock.today())
    regions = list(Jurisdiction.objects.filter(parent=user.organisation.jurisdiction))
    assert regions
    for region in regions:
        overview = OverviewFilter(
            {"region": region.key},
            queryset=queryset,
            windows=windows,
            regions=Jurisdiction.objects.filter(path__startswith=region.parent.path),
        )
        expected = queryset.filter(jurisdiction__path__startswith=region.path)
        assert ids(overview.qs) == ids(expected), region.key
