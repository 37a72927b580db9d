"""事故事件: the county records an incident at a listed unit; it is late after 3 days in 洛阳
(第十七条), after the next day in 济南 (第十八条 实时上报), never in 大连; every incident opens a
removal proposal under the policy's incident ground."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dynamic_mgmt.models import Incident
from dynamic_mgmt.services import incident as services
from greenmfg.core.errors import NotPermitted
from greenmfg.notifications.models import Notification
from registry.models import RemovalProposal
from tests.dynamic_mgmt.dm_helpers import demo_listing, listing_of, pinned_today

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]
OCCURRED = D(2026, 11, 20)


def record(listing, actor, *, reported_on, occurred_on=OCCURRED, kind="safety"):
    return services.incident_record(
        listing=listing,
        actor=actor,
        kind=kind,
        occurred_on=occurred_on,
        reported_on=reported_on,
        description="车间发生火灾，造成重大人员伤亡。",
    )


@pytest.mark.parametrize(
    ("reported_on", "late"),
    [
        (D(2026, 11, 20), False),  # the same day
        (D(2026, 11, 23), False),  # day 3: within 3 days
        (D(2026, 11, 24), True),  # day 4: late
    ],
)
def test_luoyang_three_day_window(demo, pinned_today, reported_on, late):
    """洛阳 第十七条: 3日内报市工业和信息化局."""
    incident = record(
        demo_listing(demo, "luoyang"), demo["luoyang-county"], reported_on=reported_on
    )
    assert incident.late is late


@pytest.mark.parametrize(
    ("reported_on", "late"),
    [(D(2026, 11, 20), False), (D(2026, 11, 21), False), (D(2026, 11, 22), True)],
)
def test_jinan_reports_at_once_read_as_the_same_day_or_the_next(
    demo, pinned_today, reported_on, late
):
    """济南 第十八条: 实时上报."""
    incident = record(demo_listing(demo, "jinan"), demo["jinan-county"], reported_on=reported_on)
    assert incident.late is late


def test_dalian_sets_no_window(demo, pinned_today):
    incident = record(
        demo_listing(demo, "dalian"), demo["dalian-county"], reported_on=D(2026, 11, 27)
    )
    assert not incident.late


@pytest.mark.parametrize(
    ("city", "article"), [("luoyang", "第十八条(四)"), ("jinan", "第十八条"), ("dalian", "三")]
)
def test_every_incident_opens_a_removal_proposal_under_the_incident_ground(
    demo, pinned_today, city, article
):
    listing = demo_listing(demo, city)
    first = record(listing, demo[f"{city}-county"], reported_on=D(2026, 11, 21))
    record(listing, demo[f"{city}-county"], reported_on=D(2026, 11, 22), kind="environment")

    proposals = RemovalProposal.objects.filter(listing=listing).order_by("pk")
    assert proposals.count() == 2
    proposal = proposals[0]
    assert proposal.source == RemovalProposal.Source.INCIDENT
    assert (proposal.ground, proposal.article) == ("incident", article)
    assert proposal.status == RemovalProposal.Status.OPEN
    assert proposal.created_by == demo[f"{city}-county"]
    assert services.proposal_of(first) == proposal
    # The listing's authority (the city bureau) is asked to decide.
    assert Notification.objects.filter(
        recipient=demo[f"{city}-city"], subject__contains="移出名单建议"
    ).exists()


def test_dates_are_checked(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    with pytest.raises(ValidationError) as refused:
        record(listing, demo["luoyang-county"], reported_on=D(2026, 11, 19))
    assert "reported_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(
            listing,
            demo["luoyang-county"],
            occurred_on=D(2026, 11, 28),
            reported_on=D(2026, 11, 27),
        )
    assert "occurred_on" in refused.value.message_dict
    assert not Incident.objects.exists() and not RemovalProposal.objects.exists()


@pytest.mark.parametrize(
    "username", ["jinan-county", "jinan-city", "luoyang-county2", "luoyang-enterprise"]
)
def test_only_officials_over_the_unit_record_an_incident(demo, pinned_today, username):
    listing = demo_listing(demo, "luoyang")
    with pytest.raises(NotPermitted):
        record(listing, demo[username], reported_on=D(2026, 11, 21))


def test_the_city_may_record_too(demo, pinned_today):
    incident = record(demo_listing(demo, "luoyang"), demo["luoyang-city"], reported_on=OCCURRED)
    assert incident.reported_by == demo["luoyang-city"]


# --- pages --------------------------------------------------------------------------------------


def test_the_county_records_on_the_page(client, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    client.force_login(demo["luoyang-county"])
    assert client.get(reverse("dynamic_mgmt:incident-new")).status_code == 200

    response = client.post(
        reverse("dynamic_mgmt:incident-new"),
        {
            "listing": listing.pk,
            "kind": "environment",
            "occurred_on": "2026-11-20",
            "reported_on": "2026-11-25",
            "description": "发生II级突发环境事件。",
        },
    )

    incident = Incident.objects.get()
    assert response.status_code == 302 and incident.late
    page = client.get(reverse("dynamic_mgmt:incident-detail", args=[incident.pk]))
    body = page.content.decode()
    assert "逾期上报" in body and "2026-11-23" in body and "第十八条(四)" in body


def test_another_citys_listing_is_not_offered_nor_shown(client, demo, pinned_today):
    luoyang = demo_listing(demo, "luoyang")
    incident = record(luoyang, demo["luoyang-county"], reported_on=OCCURRED)
    client.force_login(demo["jinan-county"])
    response = client.post(
        reverse("dynamic_mgmt:incident-new"),
        {
            "listing": luoyang.pk,
            "kind": "safety",
            "occurred_on": "2026-11-20",
            "reported_on": "2026-11-20",
            "description": "越权记录",
        },
    )
    assert response.status_code == 400 and Incident.objects.count() == 1
    detail = client.get(reverse("dynamic_mgmt:incident-detail", args=[incident.pk]))
    assert detail.status_code == 404
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(reverse("dynamic_mgmt:incident-list")).status_code == 403
    assert client.get(reverse("dynamic_mgmt:incident-new")).status_code == 403


def _incidents(count: int, reporter) -> None:
    for _ in range(count):
        Incident.objects.create(
            listing=listing_of(city="luoyang"),
            kind="quality",
            occurred_on=OCCURRED,
            reported_on=OCCURRED,
            description="质量事故",
            reported_by=reporter,
        )


def test_the_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    client.force_login(demo["luoyang-city"])
    _incidents(5, demo["luoyang-county"])
    with django_assert_max_num_queries(15) as small:
        assert client.get(reverse("dynamic_mgmt:incident-list")).status_code == 200
    _incidents(45, demo["luoyang-county"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dynamic_mgmt:incident-list"))
    assert len(response.context["incidents"]) == 25
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dynamic_mgmt:incident-list") + "?export=xlsx")
