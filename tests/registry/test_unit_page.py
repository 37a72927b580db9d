"""A listed unit's public page: its listings on every level together, its history (former
names, changes, removal with reason and date) and the announcements about it."""

import datetime

import pytest
from django.utils import timezone

from registry.models import Announcement, Listing, ListingEvent
from registry.services.announcement import announce_list
from tests.reviews.test_promotion import city_listing
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

from .test_public_lists import bureau, enterprise, jinan_listing, make_listing

pytestmark = pytest.mark.django_db


def page(client, organisation_id):
    return client.get(f"/mingdan/units/{organisation_id}/")


def announce(listing_or_event, *, title, subject_type, days_ago=1):
    return Announcement.objects.create(
        kind=Announcement.Kind.CHANGE,
        title=title,
        authority=bureau("410300"),
        jurisdiction=bureau("410300").jurisdiction,
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
        link="/gonggao/1/",
        subject_type=subject_type,
        subject_id=listing_or_event.pk,
    )


def test_the_listings_of_every_level_show_together(client, demo):
    unit = enterprise(name="洛阳双级名单装备有限公司")
    make_listing(organisation=unit, level="city", year=2023, document_number="洛工信〔2023〕12号")
    make_listing(
        organisation=unit, level="province", year=2025, document_number="豫工信〔2025〕88号"
    )
    make_listing(name="别的企业有限公司")

    response = page(client, unit.pk)

    assert response.status_code == 200
    listings = response.context["unit"].listings
    assert [(x.level, x.year) for x in listings] == [("province", 2025), ("city", 2023)]
    html = response.content.decode()
    assert "洛阳双级名单装备有限公司" in html and unit.credit_code in html
    assert "洛工信〔2023〕12号" in html and "豫工信〔2025〕88号" in html
    assert "省级" in html and "市级" in html and "未设期限" in html
    assert "别的企业有限公司" not in html


def test_jinan_city_listings_show_their_three_year_term(client, demo):
    listing = jinan_listing(name="济南三年期企业有限公司", listed_on=datetime.date(2025, 6, 30))

    html = page(client, listing.organisation_id).content.decode()

    assert "2028-06-30" in html and "未设期限" not in html


def test_the_history_shows_former_names_changes_and_removal(client, demo):
    listing = make_listing(name="洛阳新名称有限公司", listed_on=datetime.date(2024, 1, 10))
    other = make_listing(organisation=listing.organisation, level="county", year=2022)
    ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.NAME_CHANGE,
        occurred_on=datetime.date(2024, 9, 1),
        old_value="洛阳旧名称有限公司",
        new_value="洛阳新名称有限公司",
        document_number="洛市监〔2024〕5号",
    )
    ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.BOUNDARY_CHANGE,
        occurred_on=datetime.date(2024, 10, 1),
        old_value="厂区一期",
        new_value="厂区一期、二期",
    )
    Listing.objects.filter(pk=other.pk).update(
        status=Listing.Status.REMOVED, removed_on=datetime.date(2025, 3, 1)
    )
    ListingEvent.objects.create(
        listing=other,
        kind=ListingEvent.Kind.REMOVED,
        occurred_on=datetime.date(2025, 3, 1),
        reason="发生较大环境污染事件",
        document_number="洛龙工信〔2025〕2号",
    )

    response = page(client, listing.organisation_id)

    unit = response.context["unit"]
    assert unit.name == "洛阳新名称有限公司" and unit.former_names == ["洛阳旧名称有限公司"]
    assert [event.kind for event in unit.events] == [
        "listed",
        "listed",
        "name_change",
        "boundary_change",
        "removed",
    ]
    html = response.content.decode()
    assert "曾用名" in html and "洛阳旧名称有限公司" in html
    assert "边界变更" in html and "厂区一期、二期" in html
    assert "移出名单" in html and "发生较大环境污染事件" in html and "2025-03-01" in html
    assert "已移出" in html and "在册" in html


def test_the_announcements_about_the_unit(client, demo):
    listing = make_listing(name="公告企业有限公司")
    event = ListingEvent.objects.create(
        listing=listing,
        kind=ListingEvent.Kind.SCOPE_CHANGE,
        occurred_on=datetime.date(2025, 8, 1),
        new_value="新增生产线",
    )
    stranger = make_listing(name="无关企业有限公司")
    announce(listing, title="关于公告企业有限公司的公告", subject_type="registry.listing")
    announce(
        event, title="公告企业有限公司范围变更", subject_type="registry.listingevent", days_ago=2
    )
    announce(stranger, title="无关企业的公告", subject_type="registry.listing")
    announce(listing, title="明日才发布的公告", subject_type="registry.listing:later", days_ago=-1)

    response = page(client, listing.organisation_id)

    titles = [a.title for a in response.context["unit"].announcements]
    assert titles == ["关于公告企业有限公司的公告", "公告企业有限公司范围变更"]
    assert 'href="/gonggao/1/"' in response.content.decode()


def test_a_unit_that_was_never_listed_has_no_page(client, demo):
    never = enterprise(name="从未入选企业有限公司")

    assert page(client, never.pk).status_code == 404
    assert page(client, 999999).status_code == 404


def test_the_unit_page_needs_few_queries(client, demo, django_assert_max_num_queries):
    unit = enterprise()
    for level in ("city", "province", "national"):
        make_listing(organisation=unit, level=level)

    with django_assert_max_num_queries(6):
        assert page(client, unit.pk).status_code == 200


@pytest.mark.usefixtures("boundary_template")
def test_a_list_published_by_the_reviews_flow_links_its_announcement(client, demo):
    listing = city_listing(demo)
    publicity = listing.batch.publicity
    announce_list(publicity, count=1)  # returns the publication's own, when already made

    response = page(client, listing.organisation_id)

    assert response.status_code == 200
    [listed] = response.context["unit"].listings
    assert listed.document_number == "市工信〔2026〕1号"
    kinds = {a.kind for a in response.context["unit"].announcements}
    assert Announcement.Kind.LIST in kinds


def test_the_unit_page_offers_a_real_name_complaint_about_each_listing(client, demo):
    from tests.factories import ListingFactory, OrganisationFactory

    organisation = OrganisationFactory(
        jurisdiction=demo["luoyang-enterprise"].organisation.jurisdiction
    )
    listing = ListingFactory(
        organisation=organisation,
        unit_type="factory",
        level="city",
        year=2025,
        authority=demo["luoyang-city"].organisation,
        document_number="洛工信〔2025〕1号",
        listed_on="2025-06-01",
        created_by=demo["luoyang-city"],
    )

    html = client.get(f"/mingdan/units/{organisation.pk}/").content.decode()

    assert f"/gongshi/complaints/new/?listing={listing.pk}" in html
