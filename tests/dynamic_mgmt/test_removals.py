"""移出: the authority that published the listing (or a level above) decides an open proposal.
Removing sets the status and date, writes the history entry, announces it, closes the other open
proposals and tells the unit; the unit then fails the pre-check for three years
(removed_from_list). Keeping changes nothing on the list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.precheck import run_precheck
from applications.services.applications import application_create
from dynamic_mgmt.services import incident as incident_services
from dynamic_mgmt.services import removal as services
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from registry.models import Announcement, Listing, ListingEvent, RemovalProposal
from registry.selectors.listing import removal_facts
from tests.applications.helpers import city_batch
from tests.dynamic_mgmt.dm_helpers import demo_listing, listing_of, pinned_today
from tests.factories import RemovalProposalFactory

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]
NUMBER = "洛工信〔2026〕99号"


def incident_proposal(listing, actor) -> RemovalProposal:
    incident_services.incident_record(
        listing=listing,
        actor=actor,
        kind="safety",
        occurred_on=D(2026, 11, 20),
        reported_on=D(2026, 11, 21),
        description="发生重大生产安全事故。",
    )
    return RemovalProposal.objects.filter(listing=listing).latest("pk")


def other_proposal(listing, actor) -> RemovalProposal:
    return services.propose_removal(
        listing=listing,
        source=RemovalProposal.Source.CREDIT,
        ground_code="negative_list",
        reason="列入严重违法失信名单。",
        actor=actor,
    )


def remove(proposal, actor, **kwargs):
    return services.removal_decide(
        proposal=proposal,
        actor=actor,
        decision="remove",
        document_number=kwargs.pop("document_number", NUMBER),
        comment=kwargs.pop("comment", "经研究，决定移出。"),
        **kwargs,
    )


def test_a_removal_is_recorded_announced_and_closes_the_other_proposals(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    proposal = incident_proposal(listing, demo["luoyang-county"])
    other = other_proposal(listing, demo["luoyang-county"])

    remove(proposal, demo["luoyang-city"])

    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED
    assert listing.removed_on == D(2026, 11, 27)
    event = listing.events.get(kind=ListingEvent.Kind.REMOVED)
    assert event.document_number == NUMBER
    assert "第十八条(四)" in event.reason and "重大及以上生产安全" in event.reason
    announcement = Announcement.objects.get(kind=Announcement.Kind.REMOVAL)
    assert announcement.document_number == NUMBER and listing.unit_name in announcement.title
    assert "第十八条(四)" in announcement.summary
    proposal.refresh_from_db()
    other.refresh_from_db()
    assert proposal.status == other.status == RemovalProposal.Status.REMOVED
    assert proposal.decided_by == demo["luoyang-city"] and proposal.decision == "经研究，决定移出。"
    assert NUMBER in other.decision
    assert audit_entries_for(subject=proposal).filter(action="remove").exists()
    assert audit_entries_for(subject=other).filter(action="close_with_removal").exists()
    assert audit_entries_for(subject=listing).filter(action="removed").exists()
    notice = Notification.objects.get(recipient=demo["luoyang-enterprise"])
    assert NUMBER in notice.body and "三年内不得申报" in notice.body


def test_a_removed_unit_fails_the_precheck_of_a_new_application(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    remove(incident_proposal(listing, demo["luoyang-county"]), demo["luoyang-city"])
    application = application_create(
        actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="factory"
    )

    result = run_precheck(application=application)

    assert not result.eligible
    assert result.facts["removed_from_list"] is True
    [finding] = [f for f in result.findings if f["code"] == "negative.removed_from_list"]
    assert not finding["passed"]
    assert any("名单记录" in source and "2026-11-27" in source for source in finding["sources"])


def test_a_removal_more_than_three_years_ago_no_longer_bars(demo, pinned_today):
    listing = demo_listing(demo, "luoyang", listed_on=D(2020, 6, 30))
    Listing.objects.filter(pk=listing.pk).update(
        status=Listing.Status.REMOVED, removed_on=D(2023, 11, 26)
    )
    application = application_create(
        actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="factory"
    )

    result = run_precheck(application=application)

    assert "removed_from_list" not in result.facts


def test_the_precheck_reads_removals_in_one_query(demo, pinned_today, django_assert_num_queries):
    listing = demo_listing(demo, "luoyang")
    application = application_create(
        actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="factory"
    )
    with django_assert_num_queries(1):
        assert removal_facts(application=application, as_of=D(2026, 11, 27)) == {}
    Listing.objects.filter(pk=listing.pk).update(
        status=Listing.Status.REMOVED, removed_on=D(2026, 1, 5)
    )
    with django_assert_num_queries(1):
        assert removal_facts(application=application, as_of=D(2026, 11, 27))


def test_keeping_changes_nothing_on_the_list(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    proposal = incident_proposal(listing, demo["luoyang-county"])
    with pytest.raises(DomainError, match="须填写理由"):
        services.removal_decide(proposal=proposal, actor=demo["luoyang-city"], decision="keep")

    services.removal_decide(
        proposal=proposal, actor=demo["luoyang-city"], decision="keep", comment="事故等级未达重大"
    )

    proposal.refresh_from_db()
    listing.refresh_from_db()
    assert proposal.status == RemovalProposal.Status.KEPT
    assert proposal.decision == "事故等级未达重大"
    assert listing.status == Listing.Status.ACTIVE and listing.removed_on is None
    assert not listing.events.exists()
    assert not Announcement.objects.filter(kind=Announcement.Kind.REMOVAL).exists()
    with pytest.raises(DomainError):  # decided once
        remove(proposal, demo["luoyang-city"])


def test_a_removal_needs_its_document_number_and_a_sensible_date(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    proposal = incident_proposal(listing, demo["luoyang-county"])
    with pytest.raises(ValidationError) as refused:
        remove(proposal, demo["luoyang-city"], document_number=" ")
    assert "document_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        remove(proposal, demo["luoyang-city"], removed_on=D(2026, 11, 28))
    assert "removed_on" in refused.value.message_dict
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE


@pytest.mark.parametrize(
    "username", ["luoyang-county", "jinan-city", "luoyang-enterprise", "admin"]
)
def test_only_the_authority_or_above_decides(demo, pinned_today, username):
    """A county may not decide its city's listing; another city may not; nor the unit."""
    listing = demo_listing(demo, "luoyang")
    proposal = incident_proposal(listing, demo["luoyang-county"])
    with pytest.raises(NotPermitted):
        remove(proposal, demo[username])
    proposal.refresh_from_db()
    assert proposal.status == RemovalProposal.Status.OPEN


def test_the_province_above_the_authority_may_decide(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    remove(incident_proposal(listing, demo["luoyang-county"]), demo["henan"])
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED


def test_no_proposal_for_a_removed_unit(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    remove(incident_proposal(listing, demo["luoyang-county"]), demo["luoyang-city"])
    with pytest.raises(DomainError, match="已移出"):
        other_proposal(listing, demo["luoyang-county"])


def test_once_returns_the_open_proposal_of_the_same_ground(demo, pinned_today):
    listing = demo_listing(demo, "dalian")
    kwargs = {
        "listing": listing,
        "source": RemovalProposal.Source.INDICATOR,
        "ground_code": "indicator",
        "reason": "单位产品综合能耗超过行业平均水平。",
        "once": True,
    }
    first = services.propose_removal(**kwargs)
    assert services.propose_removal(**kwargs) == first
    assert first.article == "三" and first.created_by is None


# --- pages --------------------------------------------------------------------------------------


def test_the_city_decides_on_the_proposal_page(client, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    proposal = incident_proposal(listing, demo["luoyang-county"])
    client.force_login(demo["luoyang-county"])
    page = client.get(reverse("dynamic_mgmt:removal-detail", args=[proposal.pk]))
    assert page.status_code == 200 and page.context["form"] is None
    assert (
        client.post(reverse("dynamic_mgmt:removal-detail", args=[proposal.pk])).status_code == 403
    )

    client.force_login(demo["luoyang-city"])
    page = client.get(reverse("dynamic_mgmt:removal-detail", args=[proposal.pk]))
    assert "第十八条(四)" in page.context["form"].initial["reason"]
    missing = client.post(
        reverse("dynamic_mgmt:removal-detail", args=[proposal.pk]),
        {"decision": "remove", "removed_on": "2026-11-27", "reason": "发生重大生产安全事故"},
    )
    assert missing.status_code == 400 and "请填写移出决定的文号" in missing.content.decode()
    response = client.post(
        reverse("dynamic_mgmt:removal-detail", args=[proposal.pk]),
        {
            "decision": "remove",
            "document_number": NUMBER,
            "removed_on": "2026-11-26",
            "reason": "发生重大生产安全事故（第十八条(四)）",
            "comment": "同意移出",
        },
    )

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED and listing.removed_on == D(2026, 11, 26)
    assert listing.events.get().reason == "发生重大生产安全事故（第十八条(四)）"


def test_the_queue_is_scoped_and_filtered(client, demo, pinned_today):
    luoyang = demo_listing(demo, "luoyang")
    incident_proposal(luoyang, demo["luoyang-county"])
    other_proposal(luoyang, demo["luoyang-county"])
    incident_proposal(demo_listing(demo, "jinan"), demo["jinan-county"])
    client.force_login(demo["luoyang-city"])

    assert len(client.get(reverse("dynamic_mgmt:removal-list")).context["proposals"]) == 2
    url = reverse("dynamic_mgmt:removal-list")
    assert len(client.get(url + "?source=incident").context["proposals"]) == 1
    assert len(client.get(url + "?ground=negative_list").context["proposals"]) == 1
    assert len(client.get(url + "?status=kept").context["proposals"]) == 0
    assert client.get(url + "?export=xlsx").status_code == 200
    client.force_login(demo["luoyang-county2"])
    assert len(client.get(url).context["proposals"]) == 0
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(url).status_code == 403


def _proposals(count: int) -> None:
    for _ in range(count):
        RemovalProposalFactory(
            listing=listing_of(city="luoyang"),
            source=RemovalProposal.Source.OTHER,
            reason="测试",
        )


def test_the_queue_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    client.force_login(demo["luoyang-city"])
    _proposals(5)
    with django_assert_max_num_queries(15) as small:
        assert client.get(reverse("dynamic_mgmt:removal-list")).status_code == 200
    _proposals(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dynamic_mgmt:removal-list"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dynamic_mgmt:removal-list") + "?export=xlsx")
