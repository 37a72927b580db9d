"""The blacklist flag on the application page: shown when an entry in force bars the
application's agency where the application is (its county or a jurisdiction above it), to the
officials overseeing the application, the applicant and the agency; nowhere else."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from greenmfg.notifications.models import Notification

from .helpers import batch_of, qualified_agency
from .test_blacklist_pages import add, engaged, years_ago

pytestmark = pytest.mark.django_db
FLAG = "agency-flag"


def page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(reverse("applications:application-detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def render_panel(user, application) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load agency_tags %}{% agency_flag_panel application %}")
    return template.render(Context({"request": request, "application": application}))


def test_the_reviewing_officials_and_the_applicant_see_the_flag(client, demo):
    agency = qualified_agency()
    application, applicant = engaged(agency)
    entry = add(demo["luoyang-county"], agency)

    for user in (
        demo["luoyang-county"],
        demo["luoyang-city"],
        demo["henan"],
        applicant,
        agency.users.get(),
    ):
        html = page(client, user, application)
        assert FLAG in html, user
        assert agency.name in html and "洛龙区工业和信息化局" in html
        assert entry.ends_on.strftime("%Y-%m-%d") in html
        assert "不予采信其评价报告" in html
    assert "请更换第三方评价机构" in page(client, applicant, application)
    # Officials open the entry; the applicant is sent to the public list.
    assert reverse("thirdparty:blacklist-detail", args=[entry.pk]) in page(
        client, demo["luoyang-city"], application
    )
    assert reverse("thirdparty:public-blacklist") in page(client, applicant, application)


def test_an_entry_of_another_city_does_not_flag_the_application(client, demo):
    agency = qualified_agency()
    application, applicant = engaged(agency)
    jinan_entry = add(demo["jinan-city"], agency)

    assert FLAG not in page(client, demo["luoyang-city"], application)
    assert FLAG not in page(client, applicant, application)
    # The 济南 entry flags nothing 济南's officials could not see either.
    client.force_login(demo["jinan-city"])
    detail = client.get(reverse("thirdparty:blacklist-detail", args=[jinan_entry.pk]))
    assert list(detail.context["applications"]) == []


def test_a_county_entry_flags_its_own_county_only(client, demo):
    agency = qualified_agency()
    batch = batch_of("luoyang")
    here, _applicant = engaged(agency, batch=batch)
    next_door, _other = engaged(agency, county="yanshi", batch=batch)
    add(demo["luoyang-county"], agency)

    assert FLAG in page(client, demo["luoyang-county"], here)
    assert FLAG not in page(client, demo["luoyang-county2"], next_door)
    assert FLAG not in page(client, demo["luoyang-city"], next_door)
    assert FLAG in page(client, demo["luoyang-city"], here)


def test_a_city_entry_flags_every_county_below_and_both_counties_see_it(client, demo):
    agency = qualified_agency()
    batch = batch_of("luoyang")
    here, _applicant = engaged(agency, batch=batch)
    next_door, _other = engaged(agency, county="yanshi", batch=batch)
    add(demo["luoyang-city"], agency)

    assert FLAG in page(client, demo["luoyang-county"], here)
    assert FLAG in page(client, demo["luoyang-county2"], next_door)
    assert Notification.objects.filter(
        recipient=demo["luoyang-county2"], subject__startswith="评价机构被列入黑名单"
    ).exists()


def test_no_flag_once_lifted_or_expired(client, demo):
    agency = qualified_agency()
    application, applicant = engaged(agency)
    entry = add(demo["luoyang-city"], agency)
    client.force_login(demo["luoyang-city"])
    client.post(
        reverse("thirdparty:blacklist-lift", args=[entry.pk]),
        {"decision": "经复核，原查处依据不足，决定提前解除。"},
    )
    assert FLAG not in page(client, applicant, application)

    other = qualified_agency()
    second, second_applicant = engaged(other)
    add(demo["luoyang-city"], other, starts_on=years_ago(3))  # ends today: no longer in force
    assert FLAG not in page(client, second_applicant, second)


def test_people_not_concerned_do_not_see_the_flag(demo):
    agency = qualified_agency()
    application, applicant = engaged(agency)
    add(demo["luoyang-city"], agency)

    assert FLAG in render_panel(demo["luoyang-county"], application)
    assert FLAG in render_panel(applicant, application)
    for who in ("luoyang-expert", "luoyang-env", "jinan-city", "luoyang-county2", "jinan-agency"):
        assert FLAG not in render_panel(demo[who], application), who


def test_an_application_without_an_agency_has_no_flag(client, demo):
    agency = qualified_agency()
    application, applicant = engaged(agency)
    add(demo["luoyang-city"], agency)
    application.agency = None
    application.evaluation_mode = "self"
    application.save(update_fields=["agency", "evaluation_mode"])

    assert FLAG not in page(client, applicant, application)
