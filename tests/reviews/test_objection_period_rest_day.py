"""公示期 and its objections: a publicity period counted in days whose last day is a rest day
ends on the next working day (民法典 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的
次日为期间的最后一日), so an objection lodged on that working day is still heard."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError
from reviews.services.publicity import objection_lodge, objection_period_end
from tests.reviews.publicity import OBJECTOR, in_publicity
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]
D = datetime.date
BEIJING = ZoneInfo("Asia/Shanghai")


def at(time_machine, day: datetime.date) -> None:
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), BEIJING))


def test_seven_days_from_a_weekday_ending_on_a_working_day_are_unchanged():
    end = objection_period_end(D(2026, 11, 18), 7)  # Wednesday → Tuesday 24 November
    assert end.date == D(2026, 11, 24) and not end.extended


def test_seven_days_ending_in_the_national_day_holiday_run_to_8_october():
    end = objection_period_end(D(2026, 9, 28), 7)  # the 7th day is Sunday 4 October
    assert end.nominal == D(2026, 10, 4) and end.date == D(2026, 10, 8)


def test_an_objection_on_the_moved_last_day_is_heard(demo, time_machine):
    at(time_machine, D(2026, 9, 28))
    publicity, _applications = in_publicity(demo)
    assert publicity.ends_on == D(2026, 10, 8)
    entry = AuditEntry.objects.get(object_id=str(publicity.pk), action="start")
    assert entry.data["period_note"] == "10月4日为休息日，依民法典第二百零三条顺延至10月8日"

    at(time_machine, D(2026, 10, 8))
    objection = objection_lodge(item=publicity.items.get(), **OBJECTOR)

    assert objection.status == "pending"


def test_an_objection_the_day_after_the_moved_end_is_refused(demo, time_machine):
    at(time_machine, D(2026, 9, 28))
    publicity, _applications = in_publicity(demo)

    at(time_machine, D(2026, 10, 9))
    with pytest.raises(DomainError) as refused:
        objection_lodge(item=publicity.items.get(), **OBJECTOR)

    assert refused.value.code == "publicity_closed" and "2026-10-08" in str(refused.value)
