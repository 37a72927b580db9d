"""三年复审 (济南 第十五条): the unit and its county are told 90 days ahead, the case opens on the
day the term ends, and the city extends the term by three years or ends it (a removal proposal);
nobody else decides."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dynamic_mgmt.models import ReReviewCase, ScheduleMark
from dynamic_mgmt.schedule import re_reviews
from dynamic_mgmt.services.rereview import re_review_end, re_review_extend
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from registry.models import Announcement, Listing, ListingEvent, RemovalProposal

from .test_schedule_windows import inbox, jinan_unit, unit, user_inbox

pytestmark = pytest.mark.django_db

LISTED = datetime.date(2025, 6, 30)
END = datetime.date(2028, 6, 30)
AHEAD = END - datetime.timedelta(days=90)


def opened_case(**kwargs) -> ReReviewCase:
    listing = jinan_unit(level="city", listed_on=LISTED, **kwargs)
    re_reviews(END)
    return ReReviewCase.objects.get(listing=listing)


# --- the sweep ------------------------------------------------------------------------------------


def test_the_unit_and_its_county_are_told_ninety_days_ahead_once(demo):
    listing = jinan_unit(level="city", listed_on=LISTED)
    no_term = unit(level="city")

    assert re_reviews(AHEAD - datetime.timedelta(days=1)).counts == {}
    result = re_reviews(AHEAD)

    assert result.counts["units_notified"] == 1
    assert inbox(listing) == ["名单有效期将于 2028-06-30 届满"]
    assert inbox(no_term) == []
    [county_notice] = user_inbox(demo["jinan-county"])
    assert "有效期至 2028-06-30" in county_notice
    assert listing.unit_name in demo["jinan-county"].notifications.get().body
    assert re_reviews(AHEAD).counts == {}
    assert re_reviews(AHEAD + datetime.timedelta(days=30)).counts == {}
    assert ScheduleMark.objects.get(listing=listing).key == "2028-06-30"
    assert len(inbox(listing)) == 1


def test_the_case_opens_on_the_day_the_term_ends_once(demo):
    listing = jinan_unit(level="city", listed_on=LISTED)

    assert "cases_opened" not in re_reviews(END - datetime.timedelta(days=1)).counts
    result = re_reviews(END)

    assert result.counts["cases_opened"] == 1
    case = ReReviewCase.objects.get()
    assert (case.listing, case.due_on, case.status) == (listing, END, ReReviewCase.Status.OPEN)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.UNDER_REVIEW
    event = listing.events.get(kind=ListingEvent.Kind.RE_REVIEW)
    assert event.occurred_on == END and event.new_value == "启动复审"
    assert AuditEntry.objects.filter(object_id=str(case.pk), action="open").exists()
    assert inbox(listing)[-1] == "名单有效期已满，启动复审"
    assert user_inbox(demo["jinan-city"]) == ["三年期满复审（1 家）"]

    assert re_reviews(END).counts == {}
    assert re_reviews(END + datetime.timedelta(days=1)).counts == {}
    assert ReReviewCase.objects.count() == 1


# --- the decision ---------------------------------------------------------------------------------


def test_the_city_extends_the_term_by_three_years_and_announces_it(client, demo):
    case = opened_case()
    client.force_login(demo["jinan-city"])

    page = client.get(f"/dynamic/re-reviews/{case.pk}/")
    assert page.status_code == 200
    assert "名单有效期将延长至 2031-06-30" in page.content.decode()
    response = client.post(
        f"/dynamic/re-reviews/{case.pk}/extend/",
        {"extend-document_number": "济工信〔2028〕12号", "extend-reason": "复审符合要求"},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    listing = case.listing
    assert case.status == ReReviewCase.Status.EXTENDED and case.decided_by == demo["jinan-city"]
    assert listing.valid_until == datetime.date(2031, 6, 30)
    assert listing.status == Listing.Status.ACTIVE
    event = listing.events.get(kind=ListingEvent.Kind.EXTENDED)
    assert (event.old_value, event.new_value) == ("2028-06-30", "2031-06-30")
    assert Announcement.objects.filter(
        kind="change", subject_type="registry.listingevent", subject_id=event.pk
    ).exists()
    assert AuditEntry.objects.filter(object_id=str(case.pk), action="extended").exists()
    assert inbox(listing)[-1] == "复审通过：名单有效期延长至 2031-06-30"
    # The next term ends in three years: its notice and its case come then.
    assert re_reviews(datetime.date(2031, 4, 1)).counts["units_notified"] == 1
    assert re_reviews(datetime.date(2031, 6, 30)).counts["cases_opened"] == 1


def test_ending_the_re_review_opens_a_removal_proposal(demo):
    case = opened_case()

    case, proposal = re_review_end(
        case=case, actor=demo["jinan-city"], reason="主要指标已不满足市级绿色工厂评价要求"
    )

    assert case.status == ReReviewCase.Status.ENDED
    assert (proposal.ground, proposal.article) == ("re_review_failed", "第十五条")
    assert proposal.status == RemovalProposal.Status.OPEN
    assert "三年期满复审未通过" in proposal.reason and "主要指标已不满足" in proposal.reason
    listing = Listing.objects.get(pk=case.listing_id)
    assert listing.status == Listing.Status.UNDER_REVIEW  # removal is the authority's decision
    assert listing.events.filter(kind=ListingEvent.Kind.RE_REVIEW, new_value="复审未通过").exists()
    with pytest.raises(DomainError, match="已作出结论"):
        re_review_extend(case=case, actor=demo["jinan-city"])


def test_ending_needs_a_reason(demo):
    case = opened_case()

    with pytest.raises(ValidationError):
        re_review_end(case=case, actor=demo["jinan-city"], reason="  ")
    case.refresh_from_db()
    assert case.status == ReReviewCase.Status.OPEN


def test_only_the_city_that_published_the_list_decides(client, demo):
    case = opened_case()

    for outsider in ("jinan-county", "luoyang-city", "jinan-enterprise"):
        with pytest.raises(NotPermitted):
            re_review_extend(case=case, actor=demo[outsider])
    client.force_login(demo["jinan-county"])
    assert client.get(f"/dynamic/re-reviews/{case.pk}/").status_code == 200
    assert client.post(f"/dynamic/re-reviews/{case.pk}/extend/").status_code == 403
    client.force_login(demo["luoyang-city"])
    assert client.get(f"/dynamic/re-reviews/{case.pk}/").status_code == 404
    case.refresh_from_db()
    assert case.status == ReReviewCase.Status.OPEN


def test_the_units_own_users_read_their_case_without_the_forms(client, demo):
    case = opened_case()
    client.force_login(case.listing.organisation.users.get())

    page = client.get(f"/dynamic/re-reviews/{case.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "2028-06-30" in html and "复审通过，延长三年" not in html and "操作留痕" not in html
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(f"/dynamic/re-reviews/{case.pk}/").status_code == 404


# --- the list and the API -------------------------------------------------------------------------


def test_the_list_is_scoped_and_keeps_its_queries_constant(
    client, demo, django_assert_max_num_queries
):
    opened_case(name="济南复审企业甲有限公司")
    client.force_login(demo["jinan-city"])
    with django_assert_max_num_queries(30) as few:
        page = client.get("/dynamic/re-reviews/")
    with django_assert_max_num_queries(30) as few_api:
        client.get("/api/re-reviews/")
    assert "济南复审企业甲有限公司" in page.content.decode()
    for _ in range(6):
        jinan_unit(level="city", listed_on=LISTED)
    re_reviews(END)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/dynamic/re-reviews/")
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        api = client.get("/api/re-reviews/")
    assert len(page.context["cases"]) == 7 and api.json()["count"] == 7

    client.force_login(demo["luoyang-city"])
    assert list(client.get("/dynamic/re-reviews/").context["cases"]) == []
    assert client.get("/api/re-reviews/").json()["count"] == 0


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_the_api_lists_extends_and_ends(client, demo):
    extended, ended = opened_case(), opened_case()
    client.force_login(demo["jinan-city"])

    listed = client.get("/api/re-reviews/", {"status": "open"}).json()
    assert listed["count"] == 2 and listed["results"][0]["valid_until"] == "2028-06-30"
    response = post(client, f"/api/re-reviews/{extended.pk}/extend/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "extended" and body["valid_until"] == "2031-06-30"
    assert post(client, f"/api/re-reviews/{ended.pk}/end/").status_code == 400
    response = post(client, f"/api/re-reviews/{ended.pk}/end/", {"reason": "不再符合要求"})
    assert response.status_code == 200
    assert response.json()["case"]["status"] == "ended"
    proposal = RemovalProposal.objects.get(pk=response.json()["removal_proposal"])
    assert proposal.listing == ended.listing
    assert post(client, f"/api/re-reviews/{extended.pk}/extend/").status_code == 400

    client.force_login(demo["jinan-county"])
    assert post(client, f"/api/re-reviews/{ended.pk}/extend/").status_code == 403
