"""The filing deadline on the 动态管理表 pages says what the filing-window list says: whether the
day is a working day. A deadline is a fixed date (洛阳 第十六条 4月15日前, 大连 11月15日前), not a
period, so 民法典 第二百零三条 does not move it; a rest day is named with the next working day."""

import datetime

import pytest

from dynamic_mgmt.selectors.table import deadline_notes

from .dm_helpers import pinned_today
from .test_annual_tables import filer_of, listed, open_window

__all__ = ["pinned_today"]
pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 20)
# Sunday 15 November 2026: not moved, the next working day named.
SUNDAY_NOTE = (
    "11月15日为休息日。该日为文件规定的固定日期，不是民法典第二百零三条所称期间，"
    "截止日不自动顺延（其后第一个工作日为11月16日）。"
)
WEEKDAY_NOTE = "4月15日为工作日。"  # Wednesday 15 April 2026


@pytest.fixture
def dalian_window(demo, pinned_today):
    """大连's city window of 2026, its deadline 15 November (a Sunday), and a unit owing it."""
    pinned_today(TODAY)
    window = open_window(
        demo["dalian-city"],
        level="city",
        year=2026,
        opens_on=D(2026, 10, 15),
        deadline=D(2026, 11, 15),
    )
    unit = listed(county="210213", level="city", listed_on=D(2025, 6, 30), name="大连填报企业")
    return window, unit


def test_a_deadline_on_a_sunday_is_noted_not_moved():
    notes = deadline_notes([D(2026, 11, 15), D(2026, 4, 15)])

    assert notes == {D(2026, 11, 15): SUNDAY_NOTE, D(2026, 4, 15): WEEKDAY_NOTE}


def test_the_units_table_list_shows_the_note(client, dalian_window):
    _window, unit = dalian_window
    client.force_login(filer_of(unit))

    page = client.get("/dynamic/tables/mine/").content.decode()

    assert "2026-10-15 — 2026-11-15" in page and SUNDAY_NOTE in page


def test_the_units_table_page_shows_the_note(client, dalian_window):
    _window, unit = dalian_window
    client.force_login(filer_of(unit))

    page = client.get(f"/dynamic/tables/{unit.pk}/2026/").content.decode()

    assert SUNDAY_NOTE in page


def test_the_officials_overview_shows_the_note_for_the_window_and_its_rows(
    client, demo, dalian_window
):
    client.force_login(demo["dalian-city"])

    page = client.get("/dynamic/tables/", {"year": 2026}).content.decode()

    assert "大连填报企业" in page
    assert f'<small class="muted deadline-note">{SUNDAY_NOTE}</small>' in page
    assert f'title="{SUNDAY_NOTE}">2026-11-15</td>' in page


def test_a_deadline_on_a_working_day_says_so(client, demo, pinned_today):
    """洛阳 第十六条: 4月15日 of 2026 is a Wednesday."""
    pinned_today(D(2026, 3, 1))
    open_window(demo["luoyang-city"])
    unit = listed(name="洛阳填报企业")
    client.force_login(filer_of(unit))

    mine = client.get("/dynamic/tables/mine/").content.decode()
    client.force_login(demo["luoyang-city"])
    overview = client.get("/dynamic/tables/", {"year": 2025}).content.decode()

    assert WEEKDAY_NOTE in mine and WEEKDAY_NOTE in overview
    assert "顺延" not in mine
