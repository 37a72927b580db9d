"""截止前提醒: on the reminder days before the deadline, the units that have not filed are
reminded, once per (unit, year:days); a missed night is caught up once."""

import datetime

import pytest

from dynamic_mgmt.models import ScheduleMark
from dynamic_mgmt.schedule import open_windows, reminder_due, send_reminders
from tests.factories import AnnualTableFactory

from .test_schedule_windows import DEADLINE, OPENS, file_table, inbox, unit, window

pytestmark = pytest.mark.django_db


def days_before(n: int) -> datetime.date:
    return DEADLINE - datetime.timedelta(days=n)


def opened(**kwargs):
    filing = window(**kwargs)
    open_windows(filing.opens_on)
    filing.refresh_from_db()
    return filing


def reminders(listing) -> list[str]:
    return [subject for subject in inbox(listing) if "提醒" in subject]


def test_units_that_have_not_filed_are_reminded_on_each_reminder_day_once(demo):
    waiting, filed, drafting = unit(), unit(), unit()
    opened()
    file_table(filed)
    AnnualTableFactory(listing=drafting, year=2027, indicators={"energy_per_unit": 1})

    result = send_reminders(days_before(7))

    assert result.counts["units_reminded"] == 2
    assert reminders(waiting) == ["动态管理表填报提醒：距截止还有 7 天"]
    assert reminders(drafting) == ["动态管理表填报提醒：距截止还有 7 天"]
    assert reminders(filed) == []
    assert ScheduleMark.objects.filter(kind="reminder", key="2027:7").count() == 2

    # Twice on the same day, or on the days between two reminder days: one reminder.
    assert send_reminders(days_before(7)).counts == {}
    assert send_reminders(days_before(6)).counts == {}
    assert send_reminders(days_before(2)).counts == {}
    assert len(reminders(waiting)) == 1

    send_reminders(days_before(1))
    assert reminders(waiting)[-1] == "动态管理表填报提醒：距截止还有 1 天"
    assert len(reminders(waiting)) == 2


def test_a_unit_that_files_before_the_next_reminder_is_not_reminded_again(demo):
    listing = unit()
    opened()
    send_reminders(days_before(7))

    file_table(listing)
    send_reminders(days_before(1))

    assert len(reminders(listing)) == 1


def test_no_reminder_on_other_days_nor_before_the_window_is_opened(demo):
    listing = unit()
    filing = window()

    assert send_reminders(days_before(7)).counts == {}  # not opened yet
    open_windows(OPENS)
    assert send_reminders(days_before(31)).counts == {}
    assert send_reminders(DEADLINE + datetime.timedelta(days=1)).counts == {}
    assert reminders(listing) == []
    assert filing.reminder_days == [30, 7, 1]


def test_a_missed_reminder_day_is_caught_up_once_the_next_night(demo):
    listing = unit()
    opened()

    send_reminders(days_before(6))  # the night of days_before(7) was missed
    send_reminders(days_before(5))

    assert reminders(listing) == ["动态管理表填报提醒：距截止还有 6 天"]
    assert ScheduleMark.objects.filter(listing=listing, kind="reminder").get().key == "2027:7"


def test_which_reminder_is_due():
    class Window:
        opens_on = datetime.date(2027, 4, 1)
        deadline = DEADLINE
        reminder_days = [30, 7, 1]

    filing = Window()
    assert reminder_due(filing, days_before(7)) == 7
    assert reminder_due(filing, days_before(3)) == 7
    assert reminder_due(filing, days_before(1)) == 1
    assert reminder_due(filing, DEADLINE) == 1
    # 30 days before falls before the window opened: never due.
    assert reminder_due(filing, datetime.date(2027, 4, 2)) is None
    assert reminder_due(filing, DEADLINE + datetime.timedelta(days=1)) is None
