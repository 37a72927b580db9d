"""The working-day calendar administrators keep: a year's holidays and make-up days, pasted from
the State Council's notice or entered one by one; counts use them, and change reports whose
deadline ran into the unentered year are counted again."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dynamic_mgmt.models import CalendarYear, ChangeReport, WorkingDay
from dynamic_mgmt.services import calendar as calendar_services
from dynamic_mgmt.services import change as change_services
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import NotPermitted
from tests.dynamic_mgmt.dm_helpers import demo_listing, pinned_today

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]
NOTICE = "国办发明电〔2026〕7号"
SCHEDULE_2027 = """
# 2027 年节假日安排（示例）
2027-01-01 休息 元旦
2027-02-06 上班 春节调休
2027-02-08~2027-02-14 休息 春节
2027-02-20，上班，春节调休
"""


def test_a_pasted_schedule_is_parsed_with_ranges_and_comments():
    lines = calendar_services.parse_schedule(SCHEDULE_2027, year=2027)

    assert len(lines) == 10
    assert lines[0] == calendar_services.ScheduleLine(D(2027, 1, 1), False, "元旦")
    assert lines[1].date == D(2027, 2, 6) and lines[1].is_working_day
    assert [line.date for line in lines if line.note == "春节"][-1] == D(2027, 2, 14)
    assert lines[-1] == calendar_services.ScheduleLine(D(2027, 2, 20), True, "春节调休")


def test_every_bad_line_is_named():
    text = "\n".join(
        [
            "2027-02-30 休息 不存在",
            "2027-03-01 加班",
            "明天 休息",
            "2026-12-31 休息",
            "2027-05-01 上班",
            "2027-05-01 休息",
        ]
    )
    with pytest.raises(ValidationError) as refused:
        calendar_services.parse_schedule(text, year=2027)
    problems = refused.value.message_dict["lines"]
    assert len(problems) == 5
    assert "第 1 行" in problems[0] and "第 2 行" in problems[1] and "第 6 行" in problems[4]


def test_entering_a_year_replaces_it_and_counts_use_it(demo):
    WorkingDay.objects.create(date=D(2027, 3, 3), is_working_day=False, note="旧记录")

    calendar_services.calendar_enter_year(
        actor=demo["admin"], year=2027, source=NOTICE, text=SCHEDULE_2027
    )

    assert WorkingDay.objects.filter(date__year=2027).count() == 10
    assert not WorkingDay.objects.filter(date=D(2027, 3, 3)).exists()
    calendar = CalendarYear.objects.get(year=2027)
    assert calendar.source == NOTICE
    assert audit_entries_for(subject=calendar).get().data["replaced"] == 1
    count = calendar_services.count_working_days(D(2027, 2, 5), 2)
    assert count.date == D(2027, 2, 15)  # the make-up Saturday, then Monday after the festival
    assert count.warnings == ()


def test_only_administrators_enter_the_calendar(demo):
    with pytest.raises(NotPermitted):
        calendar_services.calendar_enter_year(
            actor=demo["luoyang-city"], year=2027, source=NOTICE, text=SCHEDULE_2027
        )


def test_the_admin_page_enters_a_year_and_recounts_the_warned_reports(client, demo, pinned_today):
    listing = demo_listing(demo, "jinan")
    change = change_services.change_report_submit(
        listing=listing,
        actor=demo["jinan-enterprise"],
        kind="name",
        new_value="济南新名称有限公司",
        formalities_on=D(2026, 11, 20),
        description="更名",
    )
    assert change.calendar_warning and change.due_on == D(2027, 1, 1)
    client.force_login(demo["admin"])
    url = reverse("admin:dynamic_mgmt_workingday_bulk")
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("admin:dynamic_mgmt_workingday_changelist")).content.decode()

    bad = client.post(url, {"year": 2027, "source": NOTICE, "lines": "2027-01-01 放鞭炮"})
    assert bad.status_code == 200 and "上班" in bad.content.decode()
    response = client.post(url, {"year": 2027, "source": NOTICE, "lines": SCHEDULE_2027})

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.calendar_warning == ""
    assert change.due_on == D(2027, 1, 4)  # 1 January is a holiday after all
    assert audit_entries_for(subject=change).filter(action="recount_deadline").exists()


def test_saving_one_day_in_the_admin_recounts_too(client, demo, pinned_today):
    listing = demo_listing(demo, "jinan")
    change = change_services.change_report_submit(
        listing=listing,
        actor=demo["jinan-enterprise"],
        kind="name",
        new_value="济南新名称有限公司",
        formalities_on=D(2026, 11, 20),
        description="更名",
    )
    client.force_login(demo["admin"])
    client.post(
        reverse("admin:dynamic_mgmt_workingday_add"),
        {"date": "2027-01-01", "is_working_day": "", "note": "元旦"},
    )
    client.post(reverse("admin:dynamic_mgmt_calendaryear_add"), {"year": 2027, "source": NOTICE})

    change.refresh_from_db()
    assert (change.due_on, change.calendar_warning) == (D(2027, 1, 4), "")


def test_officials_cannot_reach_the_calendar_admin(client, demo):
    client.force_login(demo["luoyang-city"])
    response = client.get(reverse("admin:dynamic_mgmt_workingday_bulk"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_other_records_are_read_only_in_the_admin(client, demo, pinned_today):
    listing = demo_listing(demo, "luoyang")
    change = ChangeReport.objects.create(
        listing=listing,
        kind="name",
        new_value="新名称",
        formalities_on=D(2026, 11, 1),
        reported_on=D(2026, 11, 2),
        description="更名",
        reported_by=demo["luoyang-enterprise"],
    )
    client.force_login(demo["admin"])
    assert client.get(reverse("admin:dynamic_mgmt_changereport_changelist")).status_code == 200
    assert client.get(reverse("admin:dynamic_mgmt_changereport_add")).status_code == 403
    detail = client.get(reverse("admin:dynamic_mgmt_changereport_change", args=[change.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    for name in ("greengrade", "incident", "annualtable", "filingwindow", "rereviewcase"):
        assert client.get(reverse(f"admin:dynamic_mgmt_{name}_changelist")).status_code == 200
