"""A removal reaches the lists above (issue 14.12): a unit removed from one list is proposed for
removal from every higher list it is still on, under the higher list's own policy — 济南
第十九条第2项 (被动态调整出绿色制造名单的), 洛阳 第十八条(一) with 第十五条(三) (被动态调整出名单
单位的), the 大连 notice's negative list under 一 — for that list's authority to decide. Only
upward, once per listing and ground, and seen only by the officials over the unit."""

import datetime

import pytest
from django.urls import reverse

from dynamic_mgmt.removal_grounds import REMOVED_BELOW_GROUNDS, removed_below_ground
from dynamic_mgmt.services import removal as services
from greenmfg.core.errors import DomainError
from greenmfg.notifications.models import Notification
from registry.models import Listing, RemovalProposal
from tests.dynamic_mgmt.dm_helpers import (
    listing_of,
    new_unit,
    park_on_city_and_province,
    pinned_today,
    remove_listing,
)

pytestmark = pytest.mark.django_db
__all__ = ["pinned_today"]
D = datetime.date
CITY_NUMBER = "济工信〔2026〕31号"
COUNTY_KEYS = {"luoyang": "410311", "jinan": "370102", "dalian": "210213"}
OTHER_CITIES = {
    "jinan-2024": ("洛阳", "大连", "洛工信", "大工信"),
    "luoyang-2024": ("济南", "大连", "济工信", "大工信"),
    "dalian-2022-national": ("洛阳", "济南", "洛工信", "济工信"),
}


def remove(listing, actor, *, document_number=CITY_NUMBER):
    return remove_listing(listing, actor, document_number=document_number)


def lower_list_proposals(listing=None):
    queryset = RemovalProposal.objects.filter(source=RemovalProposal.Source.LOWER_LIST)
    return queryset.filter(listing=listing) if listing is not None else queryset


def test_jinan_a_city_removal_proposes_removal_from_the_provincial_list(demo, pinned_today):
    """济南 第十九条第2项: 被动态调整出绿色制造名单的 — the province's authority is asked."""
    city_listing, province_listing = park_on_city_and_province(demo)

    remove(city_listing, demo["jinan-city"])

    [proposal] = lower_list_proposals()
    assert proposal.listing == province_listing
    assert proposal.status == RemovalProposal.Status.OPEN
    assert (proposal.ground, proposal.article) == ("removed_elsewhere", "第十九条第2项")
    assert "济南市工业和信息化局" in proposal.reason
    assert "2025年度市级绿色工业园区名单" in proposal.reason
    assert CITY_NUMBER in proposal.reason and "2026-11-27" in proposal.reason
    assert "第十九条第2项" in proposal.reason and "被动态调整出绿色制造名单" in proposal.reason
    assert services.ground_label(proposal) == "第十九条第2项 被动态调整出绿色制造名单"
    province_listing.refresh_from_db()
    assert province_listing.status == Listing.Status.ACTIVE


def test_the_provinces_officials_are_notified(demo, pinned_today):
    city_listing, province_listing = park_on_city_and_province(demo)

    remove(city_listing, demo["jinan-city"])

    [proposal] = lower_list_proposals()
    notice = Notification.objects.get(recipient=demo["shandong"])
    assert province_listing.unit_name in notice.subject
    assert "第十九条第2项" in notice.body
    assert notice.link == reverse("dynamic_mgmt:removal-detail", args=[proposal.pk])
    assert not Notification.objects.filter(recipient=demo["henan"]).exists()


def test_removing_again_raises_no_second_proposal(demo, pinned_today):
    city_listing, province_listing = park_on_city_and_province(demo)
    remove(city_listing, demo["jinan-city"])

    with pytest.raises(DomainError):
        remove(city_listing, demo["jinan-city"])
    services.tell_higher_lists(city_listing, actor=demo["jinan-city"])

    assert lower_list_proposals(province_listing).count() == 1


def test_a_second_lower_removal_raises_no_second_open_proposal_on_the_same_ground(
    demo, pinned_today
):
    """The county's list and the city's list both removed: the province decides once."""
    city_listing, province_listing = park_on_city_and_province(demo)
    county_listing = listing_of(
        city_listing.organisation,
        city="jinan",
        unit_type="park",
        level="county",
        authority_key=COUNTY_KEYS["jinan"],
    )

    remove(county_listing, demo["jinan-county"], document_number="历下工信〔2026〕3号")
    remove(city_listing, demo["jinan-city"])

    assert lower_list_proposals(province_listing).count() == 1
    # The county's removal told the city too; the city's own removal then closed that proposal.
    assert lower_list_proposals(city_listing).get().status == RemovalProposal.Status.REMOVED


def test_a_unit_with_no_higher_listing_raises_none(demo, pinned_today):
    city_listing = listing_of(demo["jinan-park"].organisation, city="jinan", unit_type="park")

    remove(city_listing, demo["jinan-city"])

    assert not lower_list_proposals().exists()


def test_only_the_lists_above_are_told(demo, pinned_today):
    """A province's removal does not reach the city's or the county's list below it."""
    city_listing, province_listing = park_on_city_and_province(demo)
    county_listing = listing_of(
        city_listing.organisation,
        city="jinan",
        unit_type="park",
        level="county",
        authority_key=COUNTY_KEYS["jinan"],
    )

    remove(province_listing, demo["shandong"], document_number="鲁工信〔2026〕7号")

    assert not lower_list_proposals().exists()
    for below in (city_listing, county_listing):
        below.refresh_from_db()
        assert below.status == Listing.Status.ACTIVE


def test_another_unit_type_or_a_removed_higher_listing_is_not_told(demo, pinned_today):
    organisation = demo["jinan-enterprise"].organisation
    city_factory = listing_of(organisation, city="jinan", unit_type="factory")
    listing_of(
        organisation,
        city="jinan",
        unit_type="supply_chain",
        level="province",
        authority_key="370000",
    )
    removed_above = listing_of(
        organisation,
        city="jinan",
        unit_type="factory",
        level="national",
        authority_key=demo["nation"].organisation.jurisdiction.key,
    )
    Listing.objects.filter(pk=removed_above.pk).update(
        status=Listing.Status.REMOVED, removed_on=D(2026, 1, 5)
    )

    remove(city_factory, demo["jinan-city"])

    assert not lower_list_proposals().exists()


def test_the_same_credit_code_under_another_organisation_row_is_the_same_unit(demo, pinned_today):
    city_listing = listing_of(new_unit("jinan"), city="jinan")
    typed_in = listing_of(
        new_unit("jinan", name="济南录入同一企业有限公司"),
        city="jinan",
        level="province",
        authority_key="370000",
    )
    Listing.objects.filter(pk=typed_in.pk).update(credit_code=city_listing.credit_code)

    remove(city_listing, demo["jinan-city"])

    assert lower_list_proposals(typed_in).count() == 1


def test_luoyang_cites_article_eighteen_one_through_fifteen_three(demo, pinned_today):
    """洛阳 第十八条(一): 第十五条中所提到情况 — (三) 被动态调整出名单单位的."""
    city_listing, province_listing = park_on_city_and_province(demo, "luoyang", "factory")

    remove(city_listing, demo["luoyang-city"], document_number="洛工信〔2026〕77号")

    [proposal] = lower_list_proposals(province_listing)
    assert proposal.article == "第十八条(一)"
    assert "第十五条(三)" in proposal.reason and "被动态调整出名单单位" in proposal.reason
    assert "洛工信〔2026〕77号" in proposal.reason and "洛阳市工业和信息化局" in proposal.reason


def test_dalian_cites_the_notices_negative_list(demo, pinned_today):
    city_listing, province_listing = park_on_city_and_province(demo, "dalian", "factory")

    remove(city_listing, demo["dalian-city"], document_number="大工信〔2026〕5号")

    [proposal] = lower_list_proposals(province_listing)
    assert proposal.article == "一" and "近三年被动态调整出绿色制造名单" in proposal.reason


@pytest.mark.parametrize("policy", sorted(REMOVED_BELOW_GROUNDS))
def test_the_ground_cites_only_its_own_policys_document(policy):
    found = removed_below_ground(policy)
    text = f"{found.article} {found.wording}"
    for foreign in OTHER_CITIES[policy]:
        assert foreign not in text


def test_officials_of_another_province_do_not_see_the_proposal(client, demo, pinned_today):
    city_listing, province_listing = park_on_city_and_province(demo)
    remove(city_listing, demo["jinan-city"])
    [proposal] = lower_list_proposals()

    assert proposal in services.proposal_list(user=demo["shandong"])
    assert proposal not in services.proposal_list(user=demo["henan"])
    assert not services.may_decide(user=demo["henan"], listing=province_listing)
    assert not services.may_decide(user=demo["jinan-city"], listing=province_listing)
    assert services.may_decide(user=demo["shandong"], listing=province_listing)
    client.force_login(demo["henan"])
    detail = reverse("dynamic_mgmt:removal-detail", args=[proposal.pk])
    assert client.get(detail).status_code == 404
