"""The publicity page as a summary and tabs (issue 17, item 2).

The summary holds the next action (答复异议, then 发布名单, disabled with the service's own
reasons while it would refuse); each tab renders its own panel within the page's query budget.
"""

import re

import pytest
from django.urls import reverse

from greenmfg.core.errors import DomainError
from reviews.services.publicity import objection_lodge, publicity_publish, publish_refusals
from tests.reviews.publicity import OBJECTOR, end_period, in_publicity
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]

BUDGET = 15
TABS = ["overview", "items", "objections", "audit"]
NAV = re.compile(r'<nav class="app-tabs" aria-label="公示页面">(.*?)</nav>', re.S)
HEADINGS = {
    "overview": 'id="overview-heading"',
    "items": 'id="items-heading"',
    "objections": 'id="objections-heading"',
    "audit": 'id="audit-heading"',
}


def page(client, publicity, tab: str | None = None):
    url = reverse("reviews:publicity-manage", args=[publicity.pk])
    return client.get(url, {"tab": tab} if tab else {})


def offered(body: str) -> list[str]:
    return re.findall(r"\?tab=(\w+)", NAV.search(body).group(1))


def current(body: str) -> list[str]:
    return re.findall(r'\?tab=(\w+)" aria-current="page"', NAV.search(body).group(1))


def lodge(publicity):
    return objection_lodge(item=publicity.items.get(), **OBJECTOR)


@pytest.mark.parametrize("username", ["luoyang-city", "henan"], ids=["authority", "province"])
def test_officials_are_offered_every_tab(client, demo, username):
    publicity, _applications = in_publicity(demo)
    client.force_login(demo[username])

    body = page(client, publicity).content.decode()

    assert offered(body) == TABS
    assert current(body) == ["overview"]


def test_an_unknown_tab_falls_back_to_the_overview(client, demo):
    publicity, _applications = in_publicity(demo)
    client.force_login(demo["luoyang-city"])

    body = page(client, publicity, "nonsense").content.decode()

    assert current(body) == ["overview"]
    assert HEADINGS["overview"] in body and HEADINGS["items"] not in body


@pytest.mark.parametrize("tab", TABS)
def test_each_tab_shows_its_panel_within_the_budget(
    client, demo, tab, django_assert_max_num_queries
):
    publicity, _applications = in_publicity(demo)
    lodge(publicity)
    client.force_login(demo["luoyang-city"])
    page(client, publicity, tab)  # the content types are read once per process

    with django_assert_max_num_queries(BUDGET) as counted:
        response = page(client, publicity, tab)

    print(f"city, publicity with an objection, {tab}: {len(counted.captured_queries)} queries")
    body = response.content.decode()
    assert current(body) == [tab]
    for other, heading in HEADINGS.items():
        assert (heading in body) == (other == tab), other
    assert "下一步" in body and 'id="publish-heading"' in body


def test_publish_is_disabled_with_the_services_reasons(client, demo):
    publicity, _applications = in_publicity(demo)
    lodge(publicity)
    city = demo["luoyang-city"]
    with pytest.raises(DomainError) as refusal:
        publicity_publish(publicity=publicity, actor=city, document_number="洛工信〔2026〕12号")
    client.force_login(city)

    body = page(client, publicity, "items").content.decode()

    assert 'disabled aria-disabled="true" aria-describedby="publish-refusals-note"' in body
    assert 'name="document_number"' not in body  # no form to fill while it would be refused
    refused = re.search(r'<div id="publish-refusals-note" class="refusals">(.*?)</div>', body)
    refused = refused.group(1)
    shown = re.findall(r"<li>(.*?)</li>", refused)
    assert shown == refusal.value.reasons == publish_refusals(publicity=publicity)
    assert len(shown) == 2  # the period runs, and one objection waits
    # The pending objection is the next action, pointing at its tab.
    assert "处理异议（1 条待处理）" in body


def test_once_the_period_ended_and_nothing_waits_publish_is_a_form(client, demo):
    publicity, _applications = in_publicity(demo)
    end_period(publicity)
    client.force_login(demo["luoyang-city"])

    body = page(client, publicity).content.decode()

    assert 'id="publish-refusals-note"' not in body
    assert re.search(r'<button type="submit" class="button">发布名单</button>', body)


def test_a_decided_objection_returns_to_the_objections_tab(client, demo):
    publicity, _applications = in_publicity(demo)
    objection = lodge(publicity)
    client.force_login(demo["luoyang-city"])

    response = client.post(
        reverse("reviews:objection-decide", args=[objection.pk]),
        {"upheld": "0", "response": "经核查，异议不成立。"},
    )

    assert response.url.endswith(f"?tab=objections#objection-{objection.pk}")
    body = client.get(response.url).content.decode()
    assert "经核查，异议不成立。" in body and current(body) == ["objections"]


def test_the_applicant_sees_the_batch_publicity_tab_once_there_is_one(client, demo):
    publicity, _applications = in_publicity(demo)
    client.force_login(demo["luoyang-enterprise"])
    url = reverse("applications:batch-detail", args=[publicity.batch_id])

    body = client.get(url, {"tab": "publicity"}).content.decode()

    assert '?tab=publicity" aria-current="page"' in body
    assert publicity.title in body
    assert reverse("reviews:public-publicity-detail", args=[publicity.pk]) in body
    assert reverse("reviews:publicity-manage", args=[publicity.pk]) not in body
