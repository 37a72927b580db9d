"""Working days, and the end of a period, on the Chinese calendar with its holidays and make-up
working days.

Pure Python, no models: every app may count with it (reviews counts its publicity period here,
and reviews may not import dynamic_mgmt). The schedule of a year comes from the chinese-calendar
package (it knows 2004–2026) or, for a later year, from the table administrators fill each year
from the State Council's notice. That table lives in dynamic_mgmt (``WorkingDay`` rows and a
``CalendarYear`` saying the year is complete), so dynamic_mgmt registers its lookup here from its
AppConfig.ready() (:func:`register_schedule_source`); without it a count uses the package alone.

When a count runs into a year nobody has entered, it counts Monday to Friday for that year and
says so in a warning rather than failing: today is late 2026, so a count of 30 working days from
December already needs 2027.

民法典 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日.
Every period the documents count in days or months ends through :func:`period_end`, the one
place that rule lives.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import chinese_calendar
from django.utils.translation import gettext as _

PACKAGE_YEARS = range(2004, 2027)  # the years chinese-calendar 1.11 knows
CIVIL_CODE_ARTICLE = "民法典第二百零三条"


@dataclass(frozen=True)
class Schedule:
    """Administrators' entries: dates that differ from Mon–Fri, and the years entered fully."""

    overrides: Mapping[datetime.date, bool] = field(default_factory=dict)
    entered_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Count:
    date: datetime.date
    warnings: tuple[str, ...] = ()


ScheduleSource = Callable[[Iterable[int]], Schedule]
_schedule_source: ScheduleSource | None = None


def register_schedule_source(source: ScheduleSource | None) -> None:
    """Set where the administrators' schedule of some years comes from (dynamic_mgmt's table)."""
    global _schedule_source
    _schedule_source = source


def official_schedule(years: Iterable[int]) -> Schedule:
    """The administrators' schedule of ``years`` (empty when no source is registered)."""
    if _schedule_source is None:
        return Schedule()
    return _schedule_source(years)


def _known(year: int, schedule: Schedule) -> bool:
    return year in schedule.entered_years or year in PACKAGE_YEARS


def unknown_year_warnings(years: Iterable[int]) -> tuple[str, ...]:
    """The warning for each year whose holidays nobody has entered."""
    return tuple(
        f"{year} 年的法定节假日和调休安排尚未录入，该年按周一至周五计算工作日；"
        "请系统管理员录入后复核期限。"
        for year in sorted(set(years))
    )


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
    return Count(day, unknown_year_warnings(unknown))


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


def _day_label(day: datetime.date, other: datetime.date | None = None) -> str:
    if other is not None and other.year != day.year:
        return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
    return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}


@dataclass(frozen=True)
class PeriodEnd:
    """The last day of a period: as counted (``nominal``) and after 民法典 第二百零三条
    (``date``), with a warning for each year whose holidays are missing."""

    nominal: datetime.date
    date: datetime.date
    warnings: tuple[str, ...] = ()

    @property
    def extended(self) -> bool:
        return self.date != self.nominal

    @property
    def note(self) -> str:
        """「10月1日为休息日，依民法典第二百零三条顺延至10月8日」, or "" when not moved."""
        if not self.extended:
            return ""
        return _("%(day)s为休息日，依%(article)s顺延至%(end)s") % {
            "day": _day_label(self.nominal, self.date),
            "article": CIVIL_CODE_ARTICLE,
            "end": _day_label(self.date, self.nominal),
        }


def _schedule_around(day: datetime.date, schedule: Schedule | None) -> Schedule:
    # The longest rest run (Spring Festival, National Day) is 9 days: a period ending in late
    # December may end in January.
    return schedule if schedule is not None else official_schedule((day.year, day.year + 1))


def period_end(day: datetime.date, schedule: Schedule | None = None) -> PeriodEnd:
    """民法典 第二百零三条: a period whose last day ``day`` is a statutory holiday or a rest day
    (a weekend that is not a make-up working day) ends on the next working day. Without a
    ``schedule`` the official one is read (:func:`official_schedule`)."""
    schedule = _schedule_around(day, schedule)
    end, unknown = day, set()
    while True:
        if not _known(end.year, schedule):
            unknown.add(end.year)
        if is_working_day(end, schedule):
            break
        end += datetime.timedelta(days=1)
    return PeriodEnd(day, end, unknown_year_warnings(unknown))


def fixed_date_note(day: datetime.date, schedule: Schedule | None = None) -> str:
    """What a fixed calendar deadline (洛阳 第十六条 4月15日前, the 大连 notice's 11月15日) is:
    a working day, or a rest day that is not moved — such a date is not a period, so 民法典
    第二百零三条 does not move it; the note names the next working day for the reader."""
    end = period_end(day, schedule)
    if not end.extended:
        note = _("%(day)s为工作日。") % {"day": _day_label(day)}
    else:
        note = _(
            "%(day)s为休息日。该日为文件规定的固定日期，不是%(article)s所称期间，"
            "截止日不自动顺延（其后第一个工作日为%(end)s）。"
        ) % {
            "day": _day_label(day),
            "article": CIVIL_CODE_ARTICLE,
            "end": _day_label(end.date, day),
        }
    return note + "".join(end.warnings)
