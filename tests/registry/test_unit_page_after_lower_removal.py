"""A unit's public page after it was removed from one of its lists (issue 14.12): the page says
which listings stand and which were removed (level, year, authority, 有效/已移出 with the date),
never 在册 for the removed one; a removal proposal pending on the standing listing is shown only
to the officials over the unit, never to the public."""

import pytest
from django.urls import reverse

from dynamic_mgmt.services import removal as removal_services
from registry.models import RemovalProposal
from tests.dynamic_mgmt.dm_helpers import park_on_city_and_province, pinned_today, remove_listing

pytestmark = pytest.mark.django_db
__all__ = ["pinned_today"]
PENDING = "移出建议待决定"


def status_block(response) -> str:
    html = response.content.decode()
    start = html.index('id="unit-status"')
    return html[start : html.index("</dd>", start)]


def removed_jinan_park(demo):
    city_listing, province_listing = park_on_city_and_province(demo)
    remove_listing(city_listing, demo["jinan-city"], document_number="济工信〔2026〕31号")
    return city_listing, province_listing


def test_the_page_shows_the_city_listing_removed_and_the_provincial_one_standing(
    client, demo, pinned_today
):
    city_listing, province_listing = removed_jinan_park(demo)

    response = client.get(f"/mingdan/units/{city_listing.organisation_id}/")

    unit = response.context["unit"]
    assert [x.pk for x in unit.standing] == [province_listing.pk]
    assert [x.pk for x in unit.removed] == [city_listing.pk]
    block = status_block(response)
    standing, removed = block.split('class="listing-removed"')
    assert "在册" in standing and "省级绿色工业园区" in standing and "2025年度" in standing
    assert "山东省工业和信息化厅" in standing and "有效" in standing
    assert "在册" not in removed
    assert "已移出" in removed and "市级绿色工业园区" in removed and "2025年度" in removed
    assert "济南市工业和信息化局" in removed and "2026-11-27 移出" in removed
    assert "已全部移出" not in block


def test_the_public_never_sees_the_pending_proposal(client, demo, pinned_today):
    city_listing, _province = removed_jinan_park(demo)
    assert RemovalProposal.objects.filter(status=RemovalProposal.Status.OPEN).exists()

    for user in (None, demo["jinan-park"], demo["jinan-enterprise"]):
        if user is not None:
            client.force_login(user)
        html = client.get(f"/mingdan/units/{city_listing.organisation_id}/").content.decode()
        assert PENDING not in html and "第十九条第2项" not in html


def test_the_officials_over_the_unit_see_the_pending_proposal(client, demo, pinned_today):
    city_listing, province_listing = removed_jinan_park(demo)
    proposal = RemovalProposal.objects.get(listing=province_listing)

    client.force_login(demo["shandong"])
    html = client.get(f"/mingdan/units/{city_listing.organisation_id}/").content.decode()

    assert PENDING in html and "仅主管部门可见" in html
    assert reverse("dynamic_mgmt:removal-detail", args=[proposal.pk]) in html


def test_officials_of_another_province_do_not_see_the_pending_proposal(client, demo, pinned_today):
    city_listing, _province = removed_jinan_park(demo)

    client.force_login(demo["henan"])
    html = client.get(f"/mingdan/units/{city_listing.organisation_id}/").content.decode()

    assert PENDING not in html


def test_a_unit_removed_from_every_list_is_not_listed(client, demo, pinned_today):
    city_listing, province_listing = removed_jinan_park(demo)
    proposal = RemovalProposal.objects.get(listing=province_listing)
    removal_services.removal_decide(
        proposal=proposal,
        actor=demo["shandong"],
        decision="remove",
        document_number="鲁工信〔2026〕9号",
    )

    block = status_block(client.get(f"/mingdan/units/{city_listing.organisation_id}/"))
    assert "在册" not in block and "已全部移出" in block
