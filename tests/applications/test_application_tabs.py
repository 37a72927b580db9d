"""The application page as a summary and tabs (issue 17, item 2).

Each tab renders its own panels only, is offered only to who may use it, and stays within the
page's query budget; the summary's actions that would be refused are disabled with the
service's own reasons; the expert panel's withdrawal form is shown only while it may be used.
"""

import re

import pytest
from django.urls import reverse

from applications.models import Application
from applications.services.applications import application_transition
from greenmfg.core.errors import DomainError
from reviews.models import CountyReview
from tests.reviews.helpers import in_county_review, ready_to_recommend
from tests.reviews.test_sheets import (
    boundary_application,
    boundary_template,  # noqa: F401 (a fixture, used by name through usefixtures)
    submit_scores,
)

pytestmark = pytest.mark.django_db

BUDGET = 15
ALL_TABS = ["overview", "data", "documents", "review", "experts", "onsite", "listing", "audit"]
NAV = re.compile(r'<nav class="app-tabs" aria-label="申报页面">(.*?)</nav>', re.S)


def page(client, application, tab: str | None = None):
    url = reverse("applications:application-detail", args=[application.pk])
    return client.get(url, {"tab": tab} if tab else {})


def offered(body: str) -> list[str]:
    return re.findall(r"\?tab=(\w+)", NAV.search(body).group(1))


def current(body: str) -> list[str]:
    return re.findall(r'\?tab=(\w+)" aria-current="page"', NAV.search(body).group(1))


# --- which tabs, for whom ---


@pytest.mark.parametrize(
    ("username", "tabs"),
    [
        ("luoyang-enterprise", ["overview", "data", "documents", "listing"]),
        ("luoyang-county", ["overview", "data", "documents", "review", "listing", "audit"]),
        ("luoyang-city", ALL_TABS),
    ],
    ids=["applicant", "county", "city-authority"],
)
def test_tabs_offered_by_role(client, demo, username, tabs):
    application, _county = in_county_review(demo)
    client.force_login(demo[username])

    body = page(client, application).content.decode()

    assert offered(body) == tabs
    assert current(body) == ["overview"]


@pytest.mark.parametrize("tab", ["nonsense", "review", "audit", "experts"])
def test_unknown_or_withheld_tab_falls_back_to_the_overview(client, demo, tab):
    application, _county = in_county_review(demo)
    client.force_login(demo["luoyang-enterprise"])

    response = page(client, application, tab)

    assert response.status_code == 200
    body = response.content.decode()
    assert current(body) == ["overview"]
    assert 'id="overview-heading"' in body
    for withheld in ("county-review-heading", "audit-heading", "expert-panel-heading"):
        assert withheld not in body


@pytest.mark.parametrize("tab", [None, *ALL_TABS])
def test_another_countys_official_is_refused_on_every_tab(client, demo, tab):
    application, _county = in_county_review(demo)
    client.force_login(demo["luoyang-county2"])

    assert page(client, application, tab).status_code == 404


# --- each tab shows its own panels ---

HEADINGS = {
    "overview": 'id="overview-heading"',
    "data": 'id="facts-heading"',
    "documents": 'id="documents-heading"',
    "review": 'id="county-review-heading"',
    "listing": 'id="listing-heading"',
    "audit": 'id="audit-heading"',
}


@pytest.mark.parametrize("tab", list(HEADINGS))
def test_each_tab_shows_its_panels_and_not_the_others(
    client, demo, tab, django_assert_max_num_queries
):
    application, county = in_county_review(demo)
    client.force_login(county)
    page(client, application, tab)  # the content types are read once per process

    with django_assert_max_num_queries(BUDGET) as counted:
        response = page(client, application, tab)

    print(f"county, initial review, {tab}: {len(counted.captured_queries)} queries")
    body = response.content.decode()
    assert HEADINGS[tab] in body
    for other, heading in HEADINGS.items():
        if other != tab:
            assert heading not in body, other
    assert current(body) == [tab]
    # The summary is on every tab: status, batch and the next actions.
    assert application.batch.title in body and "下一步" in body


# --- the summary's actions ---


def test_a_refused_action_is_disabled_with_the_services_reasons(client, demo):
    application, county = in_county_review(demo)
    with pytest.raises(DomainError) as refusal:
        application_transition(application=application, action="recommend", actor=county)
    client.force_login(county)

    body = page(client, application).content.decode()

    assert re.search(r'<button type="button" class="button" disabled[^>]*>推荐</button>', body)
    refused = re.search(r'<div id="refusals-recommend" class="refusals">(.*?)</div>', body, re.S)
    shown = re.findall(r"<li>(.*?)</li>", refused.group(1))
    assert shown == [str(reason) for reason in refusal.value.reasons]
    assert "尚未征求生态环境部门意见（洛阳 第十二条）" in shown[1]
    # 不予推荐 needs no checklist: it stays a form, with its required 说明.
    assert 'name="action" value="not_recommend"' in body
    assert 'name="action" value="recommend"' not in body


def test_an_action_that_may_be_taken_is_a_form(client, demo):
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    client.force_login(county)

    body = page(client, application).content.decode()

    assert 'name="action" value="recommend"' in body
    assert "refusals-recommend" not in body


def test_the_summary_points_the_authority_to_the_panel(client, demo):
    application, _county = in_county_review(demo)
    application.status = Application.Status.RECOMMENDED
    application.save(update_fields=["status"])
    client.force_login(demo["luoyang-city"])

    body = page(client, application).content.decode()

    assert '?tab=experts">组成专家评审组</a>' in body
    # 开始专家评审 is refused until the panel is complete, with the guard's sentence.
    assert "评审组尚未组成：已分配 0 名专家" in body


# --- the expert panel's withdrawal form ---

REASON_FIELD = re.compile(r'<input type="text" id="withdraw-reason-(\d+)" name="reason"')


@pytest.mark.usefixtures("boundary_template")
def test_withdrawal_field_is_visible_while_a_sheet_is_outstanding(client, demo):
    application, assignments = boundary_application(demo, experts=3)
    submit_scores(assignments[:1], ["88"])
    client.force_login(demo["luoyang-city"])

    body = page(client, application, "experts").content.decode()

    assert {int(pk) for pk in REASON_FIELD.findall(body)} == {a.pk for a in assignments}
    # A submitted sheet's row keeps the late-conflict withdrawal folded away.
    folded = re.findall(r"<details><summary>发现回避情形，撤回评分</summary>", body)
    assert len(folded) == 1


@pytest.mark.usefixtures("boundary_template")
def test_withdrawal_field_disappears_once_the_review_is_decided(client, demo):
    application, assignments = boundary_application(demo, experts=3)
    submit_scores(assignments, ["88", "90", "91"])
    client.force_login(demo["luoyang-city"])

    sheets_in = page(client, application, "experts").content.decode()
    # Every sheet is in: each reason field is folded into its row's late-conflict disclosure.
    folded = sheets_in.count("<details><summary>发现回避情形，撤回评分</summary>")
    assert folded == len(REASON_FIELD.findall(sheets_in)) == 3

    application_transition(
        application=application, action="decide_pass", actor=demo["luoyang-city"]
    )
    decided = page(client, application, "experts").content.decode()

    assert not REASON_FIELD.search(decided)
    assert "撤回原因" not in decided


# --- the query budget of every tab, for the authority during expert review ---


@pytest.mark.usefixtures("boundary_template")
@pytest.mark.parametrize("tab", ALL_TABS)
def test_every_tab_of_an_application_under_expert_review_keeps_the_budget(
    client, demo, tab, django_assert_max_num_queries
):
    application, assignments = boundary_application(demo, experts=3)
    CountyReview.objects.create(application=application, notes="材料齐全，同意推荐。")
    submit_scores(assignments[:2], ["88", "90"])
    client.force_login(demo["luoyang-city"])
    page(client, application, tab)

    with django_assert_max_num_queries(BUDGET) as counted:
        response = page(client, application, tab)

    assert response.status_code == 200
    assert current(response.content.decode()) == [tab]
    print(f"{tab}: {len(counted.captured_queries)} queries")


def test_the_opinion_form_ticks_the_required_departments(client, demo):
    application, county = in_county_review(demo)
    client.force_login(county)

    body = page(client, application, "review").content.decode()

    ticked = re.findall(r'<input type="checkbox" name="departments" value="\d+"[^>]*checked', body)
    assert len(ticked) == 3  # 洛阳 第十二条: 生态环境、应急管理、市场监管
