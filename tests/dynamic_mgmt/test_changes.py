"""变更: the unit reports a change; its deadline is the policy's (洛阳 one month, 济南 30 working
days on the official calendar, 大连 none); late reports are flagged; the county reviews and the
city confirms (the registry renames and announces), re-evaluates or finds the unit no longer
meets the standard (a removal proposal)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dynamic_mgmt.models import ChangeReport
from dynamic_mgmt.services import change as services
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from registry.models import Announcement, Listing, ListingEvent, RemovalProposal
from tests.dynamic_mgmt.dm_helpers import demo_listing, listing_of, pinned_today, unit_user

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]


def report(listing, actor, *, formalities_on, kind="name", new_value="洛阳新绿制造有限公司"):
    return services.change_report_submit(
        listing=listing,
        actor=actor,
        kind=kind,
        new_value=new_value,
        formalities_on=formalities_on,
        description="企业更名，已办理工商变更登记。",
    )


# --- deadlines -----------------------------------------------------------------------------------


def test_jinan_thirty_working_days_across_the_national_day_holiday(demo, pinned_today):
    """济南 第二十条: formalities 15 September 2026; the 30th working day is 2 November (the
    National Day week and the Mid-Autumn Friday skipped, the make-up Sunday and Saturday
    counted)."""
    listing = demo_listing(demo, "jinan")
    pinned_today(D(2026, 11, 2))

    on_time = report(listing, demo["jinan-enterprise"], formalities_on=D(2026, 9, 15))

    assert on_time.due_on == D(2026, 11, 2)
    assert not on_time.late
    assert on_time.calendar_warning == ""


def test_jinan_report_the_day_after_the_thirtieth_working_day_is_late(demo, pinned_today):
    listing = demo_listing(demo, "jinan")
    pinned_today(D(2026, 11, 3))

    late = report(listing, demo["jinan-enterprise"], formalities_on=D(2026, 9, 15))

    assert late.due_on == D(2026, 11, 2)
    assert late.late
    entry = audit_entries_for(subject=late).get(action="submit")
    assert entry.data["late"] is True and entry.data["due_on"] == "2026-11-02"


def test_a_count_into_2027_warns_and_keeps_the_warning_on_the_report(client, demo, pinned_today):
    """Today is late 2026: 30 working days from 20 November run into 2027, which nobody has
    entered. The report is accepted with a deadline counted Monday to Friday, and the warning
    stays on it for the officials."""
    listing = demo_listing(demo, "jinan")

    change = report(listing, demo["jinan-enterprise"], formalities_on=D(2026, 11, 20))

    assert change.due_on == D(2027, 1, 1)
    assert not change.late
    assert "2027 年的法定节假日和调休安排尚未录入" in change.calendar_warning
    client.force_login(demo["jinan-city"])
    page = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()
    assert "2027 年的法定节假日和调休安排尚未录入" in page
    assert "法定节假日与调休" in page  # where the administrator enters it
    client.force_login(demo["admin"])
    page = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()
    assert reverse("admin:dynamic_mgmt_workingday_bulk") in page


@pytest.mark.parametrize(
    ("formalities_on", "late"),
    [(D(2026, 10, 27), False), (D(2026, 10, 26), True)],
)
def test_luoyang_one_month_after_the_formalities(demo, pinned_today, formalities_on, late):
    """洛阳 第十九条: within one month — the same day of the next month is still on time."""
    listing = demo_listing(demo, "luoyang")

    change = report(listing, demo["luoyang-enterprise"], formalities_on=formalities_on)

    assert change.due_on == formalities_on.replace(month=11)
    assert change.late is late


def test_dalian_sets_no_deadline(demo, pinned_today):
    listing = demo_listing(demo, "dalian")

    change = report(listing, demo["dalian-enterprise"], formalities_on=D(2025, 12, 1))

    assert change.due_on is None and not change.late


def test_a_listing_made_from_a_batch_follows_the_batchs_policy(demo, pinned_today):
    from tests.applications.helpers import city_batch

    batch = city_batch("370100", policy="jinan-2024")
    listing = demo_listing(demo, "jinan", batch=batch)

    change = report(listing, demo["jinan-enterprise"], formalities_on=D(2026, 9, 15))

    assert change.due_on == D(2026, 11, 2)


# --- what is refused when reported ------------------------------------------------------------


def test_only_the_units_own_users_report_its_change(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    for username in ("luoyang-enterprise2", "luoyang-county", "jinan-enterprise"):
        with pytest.raises(NotPermitted):
            report(listing, demo[username], formalities_on=D(2026, 11, 1))


def test_a_report_is_checked_and_a_second_open_one_of_the_same_kind_refused(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    enterprise = demo["luoyang-enterprise"]
    with pytest.raises(ValidationError) as refused:
        report(listing, enterprise, formalities_on=D(2026, 12, 1))
    assert "formalities_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(listing, enterprise, formalities_on=D(2026, 11, 1), new_value=listing.unit_name)
    assert "new_value" in refused.value.message_dict
    report(listing, enterprise, formalities_on=D(2026, 11, 1))
    with pytest.raises(DomainError, match="待审核"):
        report(listing, enterprise, formalities_on=D(2026, 11, 2), new_value="又一个名字有限公司")


def test_a_removed_unit_reports_no_change(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.REMOVED)
    with pytest.raises(DomainError, match="已移出"):
        report(listing, demo["luoyang-enterprise"], formalities_on=D(2026, 11, 1))


# --- review and decision -------------------------------------------------------------------------


def test_the_county_reviews_and_the_city_confirms_a_name_change(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    old_name = listing.unit_name
    change = report(listing, demo["luoyang-enterprise"], formalities_on=D(2026, 11, 10))
    assert Notification.objects.filter(
        recipient=demo["luoyang-county"], subject__contains="上报变更"
    ).exists()

    with pytest.raises(DomainError, match="审核后再作决定"):
        services.change_report_transition(
            report=change, action="approve", actor=demo["luoyang-city"]
        )
    with pytest.raises(NotPermitted):  # the county does not decide
        services.change_report_transition(
            report=change, action="approve", actor=demo["luoyang-county"]
        )
    services.change_report_transition(
        report=change, action="county_review", actor=demo["luoyang-county"], comment="情况属实"
    )
    with pytest.raises(DomainError, match="已审核"):
        services.change_report_transition(
            report=change, action="county_review", actor=demo["luoyang-county"], comment="再审"
        )
    change = services.change_report_transition(
        report=change, action="approve", actor=demo["luoyang-city"], comment="同意变更"
    )

    assert change.status == ChangeReport.Status.APPROVED
    assert change.decided_by == demo["luoyang-city"]
    listing.refresh_from_db()
    assert listing.unit_name == "洛阳新绿制造有限公司"
    event = listing.events.get(kind=ListingEvent.Kind.NAME_CHANGE)
    assert (event.old_value, event.new_value) == (old_name, "洛阳新绿制造有限公司")
    assert event.occurred_on == D(2026, 11, 10)
    assert Announcement.objects.filter(kind=Announcement.Kind.CHANGE, title__contains="名称变更")
    actions = list(audit_entries_for(subject=change).values_list("action", flat=True))
    assert actions == ["approve", "county_review", "submit"]
    assert Notification.objects.filter(
        recipient=demo["luoyang-enterprise"], subject__contains="确认变更"
    ).exists()


def test_a_boundary_change_is_recorded_in_the_history(demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    change = report(
        listing,
        demo["luoyang-enterprise"],
        formalities_on=D(2026, 11, 10),
        kind="boundary",
        new_value="新增二期厂区",
    )
    services.change_report_transition(
        report=change, action="county_review", actor=demo["luoyang-county"], comment="属实"
    )
    services.change_report_transition(report=change, action="approve", actor=demo["luoyang-city"])

    event = listing.events.get()
    assert event.kind == ListingEvent.Kind.BOUNDARY_CHANGE and event.new_value == "新增二期厂区"


def test_re_evaluation_then_no_longer_meeting_the_standard_opens_a_removal_proposal(
    demo, pinned_today
):
    """济南 第十六条: the city re-evaluates; a unit below the standard goes to removal."""
    listing = demo_listing(demo, "jinan")
    change = report(
        listing,
        demo["jinan-enterprise"],
        formalities_on=D(2026, 11, 10),
        kind="scope",
        new_value="新增电镀工序",
    )
    services.change_report_transition(
        report=change, action="county_review", actor=demo["jinan-county"], comment="属实"
    )
    with pytest.raises(DomainError, match="须填写理由"):
        services.change_report_transition(
            report=change, action="re_evaluate", actor=demo["jinan-city"]
        )
    change = services.change_report_transition(
        report=change, action="re_evaluate", actor=demo["jinan-city"], comment="组织专家再评价"
    )
    assert change.status == ChangeReport.Status.RE_EVALUATION
    change = services.change_report_transition(
        report=change, action="reject", actor=demo["jinan-city"], comment="能耗不达标"
    )

    assert change.status == ChangeReport.Status.REJECTED
    proposal = RemovalProposal.objects.get(listing=listing)
    assert proposal.status == RemovalProposal.Status.OPEN
    assert proposal.article == "第十六条" and "能耗不达标" in proposal.reason
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE  # removal is the authority's decision


def test_another_citys_officials_may_not_handle_the_report(client, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    change = report(listing, demo["luoyang-enterprise"], formalities_on=D(2026, 11, 10))
    for username in ("jinan-city", "jinan-county", "luoyang-county2"):
        with pytest.raises(NotPermitted):
            services.change_report_transition(
                report=change, action="county_review", actor=demo[username], comment="越权"
            )
    client.force_login(demo["jinan-city"])
    assert client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).status_code == 404
    response = client.post(
        reverse("dynamic_mgmt:change-transition", args=[change.pk]), {"action": "approve"}
    )
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == ChangeReport.Status.SUBMITTED


# --- pages --------------------------------------------------------------------------------------


def test_the_unit_reports_on_the_page_and_sees_the_late_flag(client, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(reverse("dynamic_mgmt:change-new")).status_code == 200

    response = client.post(
        reverse("dynamic_mgmt:change-new"),
        {
            "listing": listing.pk,
            "kind": "address",
            "old_value": "洛阳市高新区一路1号",
            "new_value": "洛阳市高新区二路2号",
            "formalities_on": "2026-09-01",
            "description": "整体搬迁至新厂址。",
        },
    )

    change = ChangeReport.objects.get()
    # One month from 1 September ends on 1 October, National Day: 民法典 第二百零三条 moves it
    # to 8 October, the first working day after the holiday.
    assert response.status_code == 302 and change.late and change.due_on == D(2026, 10, 8)
    page = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()
    assert "逾期上报" in page and "2026-10-08" in page
    assert "10月1日为休息日，依民法典第二百零三条顺延至10月8日" in page
    listed = client.get(reverse("dynamic_mgmt:change-list")).content.decode()
    assert "洛阳市高新区二路2号" in listed


def test_officials_cannot_open_the_report_form(client, demo):
    client.force_login(demo["luoyang-city"])
    assert client.get(reverse("dynamic_mgmt:change-new")).status_code == 403


def test_the_city_decides_on_the_page(client, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    change = report(listing, demo["luoyang-enterprise"], formalities_on=D(2026, 11, 10))
    client.force_login(demo["luoyang-county"])
    page = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()
    assert "县级审核" in page and "确认变更" not in page
    client.post(
        reverse("dynamic_mgmt:change-transition", args=[change.pk]),
        {"action": "county_review", "comment": "情况属实"},
    )
    client.force_login(demo["luoyang-city"])
    page = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()
    assert "情况属实" in page and "确认变更" in page

    client.post(reverse("dynamic_mgmt:change-transition", args=[change.pk]), {"action": "approve"})

    change.refresh_from_db()
    assert change.status == ChangeReport.Status.APPROVED


def test_the_list_is_scoped_and_exports(client, demo, pinned_today):
    report(demo_listing(demo, "luoyang"), demo["luoyang-enterprise"], formalities_on=D(2026, 11, 1))
    report(demo_listing(demo, "jinan"), demo["jinan-enterprise"], formalities_on=D(2026, 11, 2))
    client.force_login(demo["jinan-city"])
    response = client.get(reverse("dynamic_mgmt:change-list"))
    paths = [r.listing.jurisdiction.path for r in response.context["reports"]]
    assert len(paths) == 1 and "370100" in paths[0]
    export = client.get(reverse("dynamic_mgmt:change-list") + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(demo["luoyang-enterprise2"])
    assert len(client.get(reverse("dynamic_mgmt:change-list")).context["reports"]) == 0


def _reports(count: int) -> None:
    for _ in range(count):
        listing = listing_of(city="luoyang")
        ChangeReport.objects.create(
            listing=listing,
            kind="name",
            new_value="新名称有限公司",
            formalities_on=D(2026, 11, 1),
            reported_on=D(2026, 11, 2),
            description="更名",
            reported_by=unit_user(listing),
        )


def test_the_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    client.force_login(demo["luoyang-city"])
    _reports(5)
    with django_assert_max_num_queries(15) as small:
        assert client.get(reverse("dynamic_mgmt:change-list")).status_code == 200
    _reports(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dynamic_mgmt:change-list"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dynamic_mgmt:change-list") + "?export=xlsx")
