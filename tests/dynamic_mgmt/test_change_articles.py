"""Each kind of change cites the article that governs it under its policy.

济南 第二十条: a name change is reported within 30 working days of the formalities. 济南 第十六条:
a major change of production scope, address or organisation boundary is reported 及时 — no
number of days — and the unit applies for re-evaluation with a revised evaluation report, which
the city reviews before the change is confirmed. 洛阳 第十九条: every kind within one month. The
大连 notice sets no deadline."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dynamic_mgmt.models import ChangeReport
from dynamic_mgmt.policy import change_rule
from dynamic_mgmt.services import change as services
from greenmfg.core.errors import DomainError
from tests.applications.helpers import pdf_upload
from tests.dynamic_mgmt.dm_helpers import demo_listing, pinned_today

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]
MAJOR_KINDS = ["scope", "address", "boundary"]
FORMALITIES = D(2026, 9, 15)


def report(listing, actor, *, kind, formalities_on=FORMALITIES, new_value="新的情况说明"):
    return services.change_report_submit(
        listing=listing,
        actor=actor,
        kind=kind,
        old_value="原情况",
        new_value=new_value,
        formalities_on=formalities_on,
        description="因并购调整，已办理完相关手续。",
    )


# --- the rules, as policy data -----------------------------------------------------------------


@pytest.mark.parametrize("kind", MAJOR_KINDS)
def test_jinan_major_changes_cite_article_16_and_carry_no_day_count(kind):
    """济南 第十六条: 应及时申请再评价，提交修正后的评价报告."""
    rule = change_rule("jinan-2024", kind)
    assert rule.article == "第十六条"
    assert not rule.counted and rule.timely and rule.re_evaluation
    assert str(rule.basis) == "应及时报告（济南 第十六条）"


def test_jinan_name_change_cites_article_20_with_thirty_working_days():
    rule = change_rule("jinan-2024", "name")
    assert (rule.article, rule.working_days, rule.re_evaluation) == ("第二十条", 30, False)


@pytest.mark.parametrize("kind", ["name", *MAJOR_KINDS])
def test_luoyang_every_change_cites_article_19_with_one_month(kind):
    rule = change_rule("luoyang-2024", kind)
    assert (rule.article, rule.months, rule.re_evaluation) == ("第十九条", 1, False)


@pytest.mark.parametrize("kind", ["name", *MAJOR_KINDS])
def test_dalian_sets_no_change_deadline(kind):
    rule = change_rule("dalian-2022-national", kind)
    assert rule.article == "" and not rule.counted


# --- reports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", MAJOR_KINDS)
def test_a_jinan_major_change_has_no_thirty_working_day_deadline(demo, pinned_today, kind):
    """Reported two months after the formalities: not late, because 第十六条 sets no days."""
    pinned_today(D(2026, 11, 27))
    change = report(demo_listing(demo, "jinan"), demo["jinan-enterprise"], kind=kind)

    assert change.due_on is None and not change.late and change.calendar_warning == ""
    terms = services.change_terms(change)
    assert terms.article == "第十六条" and terms.re_evaluation
    assert "修正后的评价报告" in terms.re_evaluation_note


def test_a_jinan_name_change_keeps_article_20(demo, pinned_today):
    pinned_today(D(2026, 11, 3))
    change = report(
        demo_listing(demo, "jinan"), demo["jinan-enterprise"], kind="name", new_value="济南新名称"
    )
    assert change.due_on == D(2026, 11, 2) and change.late
    assert services.change_terms(change).article == "第二十条"


def test_a_jinan_address_change_is_confirmed_only_after_re_evaluation(demo, pinned_today):
    """济南 第十六条: 市工业和信息化局组织对再评价材料进行审查 — no 确认变更 straight away."""
    pinned_today(D(2026, 11, 27))
    change = report(demo_listing(demo, "jinan"), demo["jinan-enterprise"], kind="address")
    services.change_report_transition(
        report=change, action="county_review", actor=demo["jinan-county"], comment="初审属实"
    )
    actions = [
        t.action
        for t in services.available_transitions(
            user=demo["jinan-city"], report=change, reviewed=True
        )
    ]
    assert "approve" not in actions and "re_evaluate" in actions

    with pytest.raises(DomainError) as refused:
        services.change_report_transition(report=change, action="approve", actor=demo["jinan-city"])
    assert refused.value.code == "re_evaluation_required" and "第十六条" in str(refused.value)

    services.change_report_transition(
        report=change, action="re_evaluate", actor=demo["jinan-city"], comment="审查修正报告"
    )
    # The revised report itself: tests/dynamic_mgmt/test_change_revised_report.py.
    services.change_document_upload(
        report=change,
        actor=demo["jinan-enterprise"],
        kind="revised_report",
        uploaded_file=pdf_upload("修正后的评价报告.pdf"),
    )
    done = services.change_report_transition(
        report=change, action="approve", actor=demo["jinan-city"]
    )
    assert done.status == ChangeReport.Status.APPROVED


def test_the_report_page_shows_article_16_and_the_re_evaluation(client, demo, pinned_today):
    pinned_today(D(2026, 11, 27))
    change = report(demo_listing(demo, "jinan"), demo["jinan-enterprise"], kind="boundary")
    client.force_login(demo["jinan-enterprise"])

    page = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()

    assert "应及时报告（济南 第十六条）" in page
    assert "第二十条" not in page and "30个工作日" not in page
    assert "须申请再评价，提交修正后的评价报告" in page


def test_the_api_gives_each_report_its_article(demo, pinned_today):
    pinned_today(D(2026, 11, 27))
    listing = demo_listing(demo, "jinan")
    report(listing, demo["jinan-enterprise"], kind="scope")
    report(listing, demo["jinan-enterprise"], kind="name", new_value="济南新名称")
    api = APIClient()
    api.force_authenticate(demo["jinan-city"])

    rows = {row["kind"]: row for row in api.get("/api/change-reports/").json()["results"]}

    assert rows["scope"]["terms"]["article"] == "第十六条"
    assert rows["scope"]["terms"]["timely"] is True and rows["scope"]["due_on"] is None
    assert rows["scope"]["terms"]["re_evaluation"] is True
    assert rows["name"]["terms"]["article"] == "第二十条"
    assert rows["name"]["due_on"] == "2026-11-02"
