"""Working days on the Chinese calendar: holidays, make-up days, and years nobody entered."""

import datetime

import pytest

from dynamic_mgmt.workdays import Schedule, add_months, add_working_days, is_working_day

D = datetime.date


def test_the_national_day_holiday_is_skipped_and_its_make_up_days_counted():
    # 2026: 9月25日 中秋、10月1日–7日 国庆放假; 9月20日（周日）、10月10日（周六）上班.
    assert not is_working_day(D(2026, 10, 5), Schedule())
    assert not is_working_day(D(2026, 9, 25), Schedule())
    assert is_working_day(D(2026, 9, 20), Schedule())
    assert is_working_day(D(2026, 10, 10), Schedule())


def test_thirty_working_days_across_the_national_day_holiday():
    """济南 第二十条: 30 个工作日 after the formalities of 2026-09-15."""
    count = add_working_days(D(2026, 9, 15), 30)

    # 9/16–9/30: 11 working days (9/20 made up, 9/25 中秋); 10/1–10/7 国庆; 10/8, 10/9, the
    # make-up 10/10, then three full weeks bring 29; Monday 11/2 is the 30th — 48 calendar days.
    assert count.date == D(2026, 11, 2)
    assert count.warnings == ()
    weekdays_only = add_working_days(D(2026, 9, 15), 30, Schedule(entered_years=frozenset({2026})))
    assert weekdays_only.date == D(2026, 10, 27)  # what ignoring the holidays would have said


def test_a_count_into_an_unentered_year_warns_and_counts_weekdays():
    count = add_working_days(D(2026, 12, 20), 30)

    assert count.date.year == 2027
    [warning] = count.warnings
    assert "2027 年的法定节假日和调休安排尚未录入" in warning


def test_an_entered_year_uses_its_holidays_and_make_up_days():
    spring = {D(2027, 2, 8) + datetime.timedelta(days=n): False for n in range(5)}
    schedule = Schedule(overrides={**spring, D(2027, 2, 6): True}, entered_years=frozenset({2027}))

    count = add_working_days(D(2027, 2, 5), 2, schedule)

    assert count.date == D(2027, 2, 15)  # the make-up Saturday, then the Monday after
    assert count.warnings == ()


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (D(2026, 1, 31), D(2026, 2, 28)),
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 12, 5), D(2027, 1, 5)),
    ],
)
def test_one_month_after_the_formalities(start, expected):
    """洛阳 第十九条: 办理完相关手续后1个月内."""
    assert add_months(start, 1) == expected
