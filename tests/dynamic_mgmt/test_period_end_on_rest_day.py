"""民法典 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日.

A period counted in days or months whose last day is a statutory holiday or a rest day (a
weekend that is not a make-up working day) ends on the next working day: 洛阳 第十九条's month for
a change, 洛阳 第十七条's three days for an incident. A year whose holidays nobody has entered is
counted Monday to Friday, with the same warning as a working-day count. Fixed calendar dates
(洛阳 第十六条 4月15日前) are not periods: the portal only says what kind of day they are."""

import datetime

import pytest
from django.urls import reverse

from dynamic_mgmt.models import WorkingDay
from dynamic_mgmt.services import change as change_services
from dynamic_mgmt.services import incident as incident_services
from dynamic_mgmt.services.calendar import calendar_enter_year
from greenmfg.core.workdays import Schedule, fixed_date_note, period_end
from tests.dynamic_mgmt.dm_helpers import demo_listing, pinned_today
from tests.dynamic_mgmt.test_annual_tables import open_window

pytestmark = pytest.mark.django_db
D = datetime.date
__all__ = ["pinned_today"]
MISSING_2027 = "2027 年的法定节假日和调休安排尚未录入，该年按周一至周五计算工作日"


# --- the one helper ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_day", "ends_on"),
    [
        (D(2026, 11, 27), D(2026, 11, 27)),  # a Friday: unchanged
        (D(2026, 11, 28), D(2026, 11, 30)),  # a Saturday: the next Monday
        (D(2026, 11, 29), D(2026, 11, 30)),  # a Sunday: the next Monday
        (D(2026, 9, 20), D(2026, 9, 20)),  # a Sunday that is a make-up working day
        (D(2026, 10, 1), D(2026, 10, 8)),  # National Day: holiday 1–7 October 2026
        (D(2026, 10, 4), D(2026, 10, 8)),  # a Sunday inside the holiday
    ],
    ids=["friday", "saturday", "sunday", "make-up-sunday", "national-day", "holiday-sunday"],
)
def test_a_period_ending_on_a_rest_day_ends_on_the_next_working_day(last_day, ends_on):
    end = period_end(last_day)
    assert end.nominal == last_day and end.date == ends_on and end.warnings == ()


def test_the_note_cites_the_civil_code():
    assert period_end(D(2026, 10, 1)).note == "10月1日为休息日，依民法典第二百零三条顺延至10月8日"
    assert period_end(D(2026, 11, 27)).note == ""


def test_a_period_ending_in_a_year_without_a_schedule_warns():
    """2027 is not in the chinese-calendar package and nobody entered it here."""
    end = period_end(D(2027, 5, 1))  # a Saturday, counted Monday to Friday
    assert end.date == D(2027, 5, 3)
    assert len(end.warnings) == 1 and end.warnings[0].startswith(MISSING_2027)


def test_the_administrators_schedule_moves_the_end(demo):
    """Once 2027 is entered (1–5 May rest, read through dynamic_mgmt's registered lookup)."""
    calendar_enter_year(
        actor=demo["admin"],
        year=2027,
        source="国办发明电〔2026〕X号",
        text="2027-05-01~2027-05-05 休息 劳动节\n2027-04-25 上班 调休",
    )
    end = period_end(D(2027, 5, 1))
    assert end.date == D(2027, 5, 6) and end.warnings == ()
    assert WorkingDay.objects.filter(date__year=2027).count() == 6


def test_a_period_ending_on_new_years_eve_looks_into_the_next_year():
    schedule = Schedule(overrides={D(2027, 1, 1): False}, entered_years=frozenset({2027}))
    end = period_end(D(2026, 12, 31), schedule)  # a Thursday, a working day
    assert end.date == D(2026, 12, 31)
    assert period_end(D(2027, 1, 1), schedule).date == D(2027, 1, 4)


# --- 洛阳 第十九条: one month for a change -----------------------------------------------------


def change(demo, formalities_on, kind="address"):
    return change_services.change_report_submit(
        listing=demo_listing(demo, "luoyang"),
        actor=demo["luoyang-enterprise"],
        kind=kind,
        old_value="洛阳市高新区一路1号",
        new_value="洛阳市高新区二路2号",
        formalities_on=formalities_on,
        description="整体搬迁至新厂址。",
    )


def test_a_luoyang_month_ending_on_a_sunday_ends_the_next_monday(demo, pinned_today):
    """29 October + one month = Sunday 29 November 2026 → Monday 30 November, on time."""
    pinned_today(D(2026, 11, 30))
    report = change(demo, D(2026, 10, 29))
    assert report.due_on == D(2026, 11, 30) and not report.late
    terms = change_services.change_terms(report)
    assert terms.period_note == "11月29日为休息日，依民法典第二百零三条顺延至11月30日"


def test_a_luoyang_report_the_day_after_the_moved_end_is_late(demo, pinned_today):
    pinned_today(D(2026, 12, 1))
    assert change(demo, D(2026, 10, 29)).late


def test_a_luoyang_month_ending_on_national_day_ends_after_the_holiday(client, demo, pinned_today):
    """1 September + one month = 1 October 2026 → 8 October (the 2026 holiday runs 1–7
    October; the make-up Saturday is 10 October)."""
    pinned_today(D(2026, 10, 8))
    report = change(demo, D(2026, 9, 1), kind="name")
    assert report.due_on == D(2026, 10, 8) and not report.late
    client.force_login(demo["luoyang-enterprise"])
    page = client.get(reverse("dynamic_mgmt:change-detail", args=[report.pk])).content.decode()
    assert "10月1日为休息日，依民法典第二百零三条顺延至10月8日" in page


def test_a_luoyang_month_ending_in_an_unentered_year_warns_and_is_recounted(demo, pinned_today):
    """1 December 2026 + one month = 1 January 2027: no 2027 schedule yet, so it warns; once
    administrators enter New Year's Day as a holiday, the recount moves it to 4 January."""
    pinned_today(D(2026, 12, 7))
    report = change(demo, D(2026, 12, 1))
    assert report.due_on == D(2027, 1, 1)
    assert report.calendar_warning.startswith(MISSING_2027)

    calendar_enter_year(
        actor=demo["admin"], year=2027, source="国办发明电〔2026〕X号", text="2027-01-01 休息 元旦"
    )
    assert change_services.change_recount_deadlines(actor=demo["admin"]) == 1
    report.refresh_from_db()
    assert report.due_on == D(2027, 1, 4) and report.calendar_warning == ""


# --- 洛阳 第十七条: three days for an incident -------------------------------------------------


def incident(demo, city, *, occurred_on, reported_on):
    return incident_services.incident_record(
        listing=demo_listing(demo, city),
        actor=demo[f"{city}-county"],
        kind="safety",
        occurred_on=occurred_on,
        reported_on=reported_on,
        description="车间发生火灾，造成重大人员伤亡。",
    )


@pytest.mark.parametrize(
    ("reported_on", "late"),
    [(D(2026, 11, 30), False), (D(2026, 12, 1), True)],
    ids=["monday-on-time", "tuesday-late"],
)
def test_luoyang_three_days_ending_on_a_sunday_run_to_monday(demo, pinned_today, reported_on, late):
    """Thursday 26 November + 3 days = Sunday 29 November → Monday 30 November."""
    pinned_today(D(2026, 12, 7))
    recorded = incident(demo, "luoyang", occurred_on=D(2026, 11, 26), reported_on=reported_on)
    assert recorded.late is late


def test_the_incident_page_shows_the_moved_end(client, demo, pinned_today):
    pinned_today(D(2026, 12, 7))
    recorded = incident(demo, "luoyang", occurred_on=D(2026, 11, 26), reported_on=D(2026, 11, 30))
    client.force_login(demo["luoyang-county"])
    url = reverse("dynamic_mgmt:incident-detail", args=[recorded.pk])
    page = client.get(url).content.decode()
    assert "2026-11-30" in page and "11月29日为休息日，依民法典第二百零三条顺延至11月30日" in page


def test_jinan_real_time_reporting_is_no_period_and_does_not_stretch(demo, pinned_today):
    """济南 第十八条 实时上报: a Saturday event reported on Monday is late."""
    pinned_today(D(2026, 12, 7))
    recorded = incident(demo, "jinan", occurred_on=D(2026, 11, 21), reported_on=D(2026, 11, 23))
    assert recorded.late


# --- fixed calendar dates ------------------------------------------------------------------------


def test_a_fixed_deadline_on_a_working_day_says_so():
    assert fixed_date_note(D(2026, 4, 15)).startswith("4月15日为工作日")


def test_a_fixed_deadline_on_a_rest_day_is_not_moved_but_explained():
    """洛阳 第十六条 4月15日前 is a date, not a period: noted, not moved."""
    schedule = Schedule(entered_years=frozenset({2028}))
    note = fixed_date_note(D(2029, 4, 15), Schedule(entered_years=frozenset({2029})))
    assert note.startswith("4月15日为休息日") and "不自动顺延" in note and "4月16日" in note
    assert fixed_date_note(D(2028, 4, 15), schedule).startswith("4月15日为休息日")


def test_the_window_list_tells_whether_the_fixed_deadline_is_a_working_day(client, demo):
    """洛阳 第十六条: 4月15日前. 2026-04-15 is a Wednesday; 2029-04-15 a Sunday, not moved."""
    open_window(demo["luoyang-city"])
    sunday = open_window(
        demo["luoyang-city"], year=2028, opens_on=D(2029, 1, 1), deadline=D(2029, 4, 15)
    )
    client.force_login(demo["luoyang-city"])

    page = client.get(reverse("dynamic_mgmt:window-list")).content.decode()

    assert "4月15日为工作日" in page
    assert "4月15日为休息日。该日为文件规定的固定日期" in page and "4月16日" in page
    sunday.refresh_from_db()
    assert sunday.deadline == D(2029, 4, 15)
