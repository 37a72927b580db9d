"""The working-day calendar's database side.

:mod:`dynamic_mgmt.workdays` counts on a :class:`~dynamic_mgmt.workdays.Schedule`; this module
builds one from what administrators entered (``WorkingDay`` rows and the ``CalendarYear`` saying a
year is complete) for the years a count touches, in two queries, and enters a year's schedule
pasted from the State Council's notice, one day or range a line::

    2027-02-06 上班 春节调休
    2027-02-08~2027-02-14 休息 春节

Counts never fail for want of a schedule: they warn (workdays.add_working_days), and the
change reports keep the warning (ChangeReport.calendar_warning) until the year is entered.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from dynamic_mgmt.models import CalendarYear, WorkingDay
from dynamic_mgmt.workdays import Count, Schedule, add_working_days
from greenmfg.audit.services import audit_record
from greenmfg.core.errors import NotPermitted

NOTE_MAX = WorkingDay._meta.get_field("note").max_length
SOURCE_MAX = CalendarYear._meta.get_field("source").max_length
WORKING_WORDS = ("上班", "班", "工作日", "调休上班", "补班")
REST_WORDS = ("休息", "休", "放假", "节假日", "假")
LINE_PATTERN = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|～|至|--)\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?"
    r"[\s,，]+(?P<kind>[^\s,，]+)(?:[\s,，]+(?P<note>.*))?$"
)
MAX_RANGE_DAYS = 31


def years_touched(start: datetime.date, days: int) -> range:
    """Every year a count of ``days`` working days from ``start`` may reach: at most two
    calendar days a working day, plus the longest holiday (Spring Festival, 9 days)."""
    end = start + datetime.timedelta(days=2 * days + 10)
    return range(start.year, end.year + 1)


def schedule_for(years) -> Schedule:
    """The administrators' schedule of ``years`` (two queries)."""
    years = list(years)
    overrides = dict(
        WorkingDay.objects.filter(date__year__in=years).values_list("date", "is_working_day")
    )
    entered = frozenset(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return Schedule(overrides=overrides, entered_years=entered)


def count_working_days(start: datetime.date, days: int) -> Count:
    """The ``days``-th working day after ``start`` on the official calendar, with a warning
    for each year nobody has entered (then counted Monday to Friday)."""
    return add_working_days(start, days, schedule_for(years_touched(start, days)))


def calendar_admin_url() -> str:
    """Where administrators enter a year's holidays and make-up days."""
    try:
        return reverse("admin:dynamic_mgmt_workingday_bulk")
    except NoReverseMatch:  # the admin is not mounted
        return ""


# --- entering a year -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleLine:
    date: datetime.date
    is_working_day: bool
    note: str


def _date(text: str) -> datetime.date:
    year, month, day = (int(part) for part in text.split("-"))
    return datetime.date(year, month, day)


def _kind(word: str) -> bool | None:
    if word in WORKING_WORDS:
        return True
    if word in REST_WORDS:
        return False
    return None


def parse_schedule(text: str, *, year: int) -> list[ScheduleLine]:
    """The days of ``year`` a pasted schedule lists, or every line's problem at once."""
    days: dict[datetime.date, ScheduleLine] = {}
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE_PATTERN.match(line)
        if not match:
            problems.append(
                _("第 %(n)d 行格式不正确：「%(line)s」，应为「2027-02-06 上班 春节调休」。")
                % {"n": number, "line": line[:40]}
            )
            continue
        working = _kind(match["kind"])
        if working is None:
            problems.append(
                _("第 %(n)d 行请写明「上班」或「休息」，而不是「%(word)s」。")
                % {"n": number, "word": match["kind"][:10]}
            )
            continue
        try:
            start = _date(match["start"])
            end = _date(match["end"]) if match["end"] else start
        except ValueError:
            problems.append(_("第 %(n)d 行的日期不存在。") % {"n": number})
            continue
        if end < start or (end - start).days >= MAX_RANGE_DAYS:
            problems.append(
                _("第 %(n)d 行的日期区间不正确（最长 %(max)d 天）。")
                % {"n": number, "max": MAX_RANGE_DAYS}
            )
            continue
        if start.year != year or end.year != year:
            problems.append(
                _("第 %(n)d 行的日期不在 %(year)d 年内。") % {"n": number, "year": year}
            )
            continue
        note = (match["note"] or "").strip()[:NOTE_MAX]
        day = start
        while day <= end:
            previous = days.get(day)
            if previous is not None and previous.is_working_day != working:
                problems.append(
                    _("第 %(n)d 行与前面的行矛盾：%(date)s 既上班又休息。")
                    % {"n": number, "date": day.isoformat()}
                )
                break
            days[day] = ScheduleLine(day, working, note)
            day += datetime.timedelta(days=1)
    if problems:
        raise ValidationError({"lines": problems})
    if not days:
        raise ValidationError({"lines": _("请至少填写一行节假日或调休安排。")})
    return [days[day] for day in sorted(days)]


def may_enter_calendar(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_sysadmin or user.has_perm("dynamic_mgmt.change_workingday"))
    )


@transaction.atomic
def calendar_enter_year(*, actor, year: int, source: str, text: str) -> CalendarYear:
    """Enter ``year``'s holidays and make-up working days from the State Council's notice:
    the pasted days replace whatever that year held, and the year counts as entered (weekends
    not listed are rest days, weekdays not listed working days)."""
    if not may_enter_calendar(actor):
        raise NotPermitted(_("只有系统管理员可以录入法定节假日和调休安排。"))
    source = " ".join(source.split())
    if not source:
        raise ValidationError({"source": _("请填写依据（国务院办公厅通知文号）。")})
    if len(source) > SOURCE_MAX:
        raise ValidationError({"source": _("依据不能超过 %(n)d 个字。") % {"n": SOURCE_MAX}})
    lines = parse_schedule(text, year=year)
    existing = WorkingDay.objects.filter(date__year=year)
    before = existing.count()
    existing.delete()
    WorkingDay.objects.bulk_create(
        WorkingDay(date=line.date, is_working_day=line.is_working_day, note=line.note)
        for line in lines
    )
    calendar, created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source}
    )
    audit_record(
        subject=calendar,
        actor=actor,
        action="enter_calendar",
        action_label=_("录入节假日和调休安排"),
        comment=source,
        data={
            "created": created,
            "replaced": before,
            "rest_days": sum(1 for line in lines if not line.is_working_day),
            "working_days": sum(1 for line in lines if line.is_working_day),
        },
    )
    return calendar
