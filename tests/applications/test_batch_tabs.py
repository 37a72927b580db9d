"""The batch page as a summary and tabs (issue 17, item 2).

Each tab renders its own panels, is offered only to who may use it, and stays within the page's
query budget; the batch's steps the service would refuse now are disabled, with its own reasons.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from applications.services.batches import batch_refusals, batch_transition
from greenmfg.core import clock
from greenmfg.core.errors import DomainError
from greenmfg.directory.models import Jurisdiction
from tests.applications.helpers import city_batch

pytestmark = pytest.mark.django_db

BUDGET = 15
OFFICIAL_TABS = ["overview", "announcement", "settings", "quotas", "publicity", "audit"]
NAV = re.compile(r'<nav class="app-tabs" aria-label="批次页面">(.*?)</nav>', re.S)
HEADINGS = {
    "overview": 'id="overview-heading"',
    "announcement": 'id="announcement-heading"',
    "settings": 'id="review-settings-heading"',
    "quotas": 'id="quotas-heading"',
    "audit": 'id="audit-heading"',
}


def page(client, batch, tab: str | None = None):
    url = reverse("applications:batch-detail", args=[batch.pk])
    return client.get(url, {"tab": tab} if tab else {})


def offered(body: str) -> list[str]:
    return re.findall(r"\?tab=(\w+)", NAV.search(body).group(1))


def current(body: str) -> list[str]:
    return re.findall(r'\?tab=(\w+)" aria-current="page"', NAV.search(body).group(1))


@pytest.mark.parametrize(
    ("username", "tabs"),
    [
        ("luoyang-enterprise", ["overview", "announcement"]),
        ("luoyang-county", OFFICIAL_TABS),
        ("luoyang-city", OFFICIAL_TABS),
    ],
    ids=["applicant", "county", "city"],
)
def test_tabs_offered_by_role(client, demo, username, tabs):
    batch = city_batch()
    client.force_login(demo[username])

    body = page(client, batch).content.decode()

    assert offered(body) == tabs
    assert current(body) == ["overview"]


@pytest.mark.parametrize("tab", ["nonsense", "quotas", "settings", "audit"])
def test_unknown_or_withheld_tab_falls_back_to_the_overview(client, demo, tab):
    batch = city_batch(announcement="请于五月底前提交材料。")
    client.force_login(demo["luoyang-enterprise"])

    response = page(client, batch, tab)

    assert response.status_code == 200
    body = response.content.decode()
    assert current(body) == ["overview"]
    assert HEADINGS["overview"] in body
    for withheld in ("quotas-heading", "review-settings-heading", "audit-heading"):
        assert withheld not in body
    # The applicant's next action is on top, on every tab.
    assert "在本批次申报" in body


@pytest.mark.parametrize("tab", [*OFFICIAL_TABS])
def test_each_tab_shows_its_panels_within_the_budget(
    client, demo, tab, django_assert_max_num_queries
):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    page(client, batch, tab)  # the content types are read once per process

    with django_assert_max_num_queries(BUDGET) as counted:
        response = page(client, batch, tab)

    print(f"city, open batch, {tab}: {len(counted.captured_queries)} queries")
    body = response.content.decode()
    assert current(body) == [tab]
    for other, heading in HEADINGS.items():
        assert (heading in body) == (other == tab), other
    # The summary is on every tab: the state, the deadline and the next actions.
    assert "网上申报截止时间" in body and "下一步" in body


def test_a_refused_step_is_disabled_with_the_services_reasons(client, demo):
    batch = city_batch(status="closed", submission_deadline=clock.now() - timedelta(days=1))
    city = demo["luoyang-city"]
    with pytest.raises(DomainError) as refusal:
        batch_transition(batch=batch, action="reopen", actor=city, comment="延长受理")
    client.force_login(city)

    body = page(client, batch, "quotas").content.decode()

    assert re.search(
        r'<button type="button" class="button" disabled aria-disabled="true" '
        r'aria-describedby="refusals-reopen">重新开放</button>',
        body,
    )
    refused = re.search(r'<div id="refusals-reopen" class="refusals">(.*?)</div>', body, re.S)
    shown = re.findall(r"<li>(.*?)</li>", refused.group(1))
    assert shown == (refusal.value.reasons or [refusal.value.message])
    assert shown == batch_refusals(batch=batch, action="reopen", actor=city)
    assert "网上申报截止时间" in shown[0]
    assert 'name="action" value="reopen"' not in body


def test_a_step_that_may_be_taken_is_a_form_first(client, demo):
    batch = city_batch(status="draft")
    client.force_login(demo["luoyang-city"])

    body = page(client, batch).content.decode()

    assert batch_refusals(batch=batch, action="publish", actor=demo["luoyang-city"]) == []
    assert 'name="action" value="publish"' in body
    assert "refusals-publish" not in body


def test_the_quota_form_error_stays_on_the_quotas_tab(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])
    field = f"quota_{Jurisdiction.objects.get(key='410311').pk}"  # 洛龙区

    response = client.post(reverse("applications:batch-quotas", args=[batch.pk]), {field: "-2"})

    assert response.status_code == 400
    assert current(response.content.decode()) == ["quotas"]
    saved = client.post(reverse("applications:batch-quotas", args=[batch.pk]), {field: "2"})
    assert saved.url.endswith("?tab=quotas#quotas")


def test_old_anchors_are_mapped_to_their_tab(client, demo):
    batch = city_batch()
    client.force_login(demo["luoyang-city"])

    body = page(client, batch).content.decode()

    mapping = re.search(r'<script id="anchor-tabs" type="application/json">(.*?)</script>', body)
    assert '"quotas": "quotas"' in mapping.group(1)
    assert '"review-settings": "settings"' in mapping.group(1)
    assert '"publicity": "publicity"' in mapping.group(1)
