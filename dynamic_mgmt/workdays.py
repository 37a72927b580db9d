"""Counting working days on the Chinese calendar, with its holidays and make-up working days.

Pure Python. The schedule of a year comes from the chinese-calendar package (it knows
2004–2026) or, for a later year, from the table administrators fill each year from the State
Council's notice (``WorkingDay`` rows, and a ``CalendarYear`` saying the year is complete). When
a count runs into a year nobody has entered, it counts Monday to Friday for that year and says so
in a warning rather than failing: today is late 2026, so a count of 30 working days from December
already needs 2027.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar

PACKAGE_YEARS = range(2004, 2027)  # the years chinese-calendar 1.11 knows


@dataclass(frozen=True)
class Schedule:
    """Administrators' entries: dates that differ from Mon–Fri, and the years entered fully."""

    overrides: Mapping[datetime.date, bool] = field(default_factory=dict)
    entered_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Count:
    date: datetime.date
    warnings: tuple[str, ...] = ()


def _known(year: int, schedule: Schedule) -> bool:
    return year in schedule.entered_years or year in PACKAGE_YEARS


def is_working_day(day: datetime.date, schedule: Schedule) -> bool:
    if day in schedule.overrides:
        return schedule.overrides[day]
    if day.year in schedule.entered_years:
        return day.weekday() < 5
    if day.year in PACKAGE_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_working_days(start: datetime.date, days: int, schedule: Schedule | None = None) -> Count:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    schedule = schedule or Schedule()
    day, counted, unknown = start, 0, set()
    while counted < days:
        day += datetime.timedelta(days=1)
        if not _known(day.year, schedule):
            unknown.add(day.year)
        if is_working_day(day, schedule):
            counted += 1
    warnings = tuple(
        f"{year} 年的法定节假日和调休安排尚未录入，该年按周一至周五计算工作日；"
        "请系统管理员录入后复核期限。"
        for year in sorted(unknown)
    )
    return Count(day, warnings)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return start.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(start)
