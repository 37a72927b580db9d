"""公示期 on the pages: when the last of the publicity days is a rest day the period ends on the
next working day (民法典 第二百零三条), and both the authority's page and the public notice say
so beside the end date, so no reader takes the later date for a mistake."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from applications.models import Batch
from reviews.selectors.publicity import publicity_period
from tests.reviews.publicity import in_publicity
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundary_template")]
D = datetime.date
BEIJING = ZoneInfo("Asia/Shanghai")
NOTE = "10月4日为休息日，依民法典第二百零三条顺延至10月8日"


def at(time_machine, day: datetime.date) -> None:
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), BEIJING))


@pytest.fixture
def holiday_publicity(demo, time_machine):
    """Seven days from Monday 28 September 2026: the 7th is Sunday 4 October (国庆)."""
    at(time_machine, D(2026, 9, 28))
    publicity, _applications = in_publicity(demo)
    assert publicity.ends_on == D(2026, 10, 8)
    return publicity


def test_the_selector_gives_the_note_period_end_gave_at_the_start(holiday_publicity):
    period = publicity_period(publicity=holiday_publicity)

    assert period.nominal == D(2026, 10, 4) and period.date == D(2026, 10, 8)
    assert period.note == NOTE


def test_the_management_page_shows_the_moved_end_with_its_reason(client, demo, holiday_publicity):
    client.force_login(demo["luoyang-city"])

    page = client.get(f"/reviews/publicity/{holiday_publicity.pk}/").content.decode()

    assert f'2026-09-28 — 2026-10-08<small class="help period-note">（{NOTE}）</small>' in page


def test_the_public_notice_shows_the_moved_end_with_its_reason(client, holiday_publicity):
    page = client.get(f"/gongshi/{holiday_publicity.pk}/").content.decode()

    assert "2026-10-08" in page and f"（{NOTE}）" in page


def test_a_period_ending_on_a_working_day_has_no_note(client, demo, time_machine):
    at(time_machine, D(2026, 11, 18))  # Wednesday: seven days end on Tuesday 24 November
    publicity, _applications = in_publicity(demo)
    client.force_login(demo["luoyang-city"])

    manage = client.get(f"/reviews/publicity/{publicity.pk}/").content.decode()
    public = client.get(f"/gongshi/{publicity.pk}/").content.decode()

    assert not publicity_period(publicity=publicity).extended
    assert "2026-11-24" in public and "顺延" not in public and "顺延" not in manage


def test_no_note_when_the_days_were_changed_after_the_start(client, holiday_publicity):
    """Counting the changed days would not give the stored end: show no reason it did not have."""
    # Twelve days run to Friday 9 October, not to the stored 8 October.
    Batch.objects.filter(pk=holiday_publicity.batch_id).update(publicity_days=12)
    holiday_publicity.batch.refresh_from_db()

    page = client.get(f"/gongshi/{holiday_publicity.pk}/").content.decode()

    assert publicity_period(publicity=holiday_publicity) is None
    assert "2026-10-08" in page and "顺延" not in page
