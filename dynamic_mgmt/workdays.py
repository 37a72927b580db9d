"""Counting working days on the Chinese calendar: the pure logic lives in
:mod:`greenmfg.core.workdays` (reviews counts its publicity period with it too, and may not import
dynamic_mgmt); dynamic_mgmt keeps the administrators' holiday table and registers its lookup there
(:class:`dynamic_mgmt.apps.DynamicMgmtConfig.ready`)."""

from greenmfg.core.workdays import (
    PACKAGE_YEARS,
    Count,
    PeriodEnd,
    Schedule,
    add_months,
    add_working_days,
    fixed_date_note,
    is_working_day,
    period_end,
    unknown_year_warnings,
)

__all__ = [
    "PACKAGE_YEARS",
    "Count",
    "PeriodEnd",
    "Schedule",
    "add_months",
    "add_working_days",
    "fixed_date_note",
    "is_working_day",
    "period_end",
    "unknown_year_warnings",
]
