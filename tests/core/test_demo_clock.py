"""The demo's clock (issue 17 item 4): ``manage.py set_demo_date`` moves the date every page,
service and sweep reads, a banner on every page says so, and production never has it."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from greenmfg.core import clock
from tests.conftest import suite_today
from tests.dynamic_mgmt.test_annual_tables import listed, open_window

D = datetime.date
TODAY = suite_today()  # the pinned test clock (a year later in the year-ahead run)
DEMO = D(TODAY.year + 1, 3, 1)  # the day next year's filing window opens


@pytest.fixture
def demo_clock(settings, tmp_path):
    """The demo clock on, as ``make run`` has it (tests run with it off)."""
    settings.DEMO_CLOCK_FILE = tmp_path / "demo_date"
    yield settings.DEMO_CLOCK_FILE
    clock.set_demo_date(None)


def set_date(value: str) -> str:
    out = StringIO()
    call_command("set_demo_date", value, stdout=out)
    return out.getvalue()


def test_the_tests_and_production_run_on_the_real_date(settings):
    assert settings.DEMO_CLOCK_FILE is None
    assert clock.demo_date() is None
    assert clock.today() == TODAY  # the pinned test clock


def test_the_set_date_is_today_everywhere_with_the_real_time_of_day(demo_clock):
    set_date(DEMO.isoformat())

    assert clock.demo_date() == DEMO
    assert clock.today() == DEMO
    assert clock.local_now().date() == DEMO
    # The real time of day: the demo moves the date by whole days, nothing else.
    shift = clock.now() - clock.real_now() - datetime.timedelta(days=(DEMO - TODAY).days)
    assert abs(shift) < datetime.timedelta(seconds=1)
    assert clock.now().tzinfo is not None
    assert clock.real_today() == TODAY


def test_clearing_returns_to_the_real_date(demo_clock):
    set_date(DEMO.isoformat())
    out = StringIO()
    call_command("set_demo_date", "--clear", stdout=out)

    assert clock.today() == TODAY
    assert "真实日期" in out.getvalue()


def test_a_bad_date_and_a_missing_one_are_refused_with_the_reason(demo_clock):
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD"):
        call_command("set_demo_date", f"{DEMO.year}-02-30")
    with pytest.raises(CommandError, match="请给出日期"):
        call_command("set_demo_date")
    assert clock.demo_date() is None


def test_where_the_demo_clock_is_off_the_command_refuses():
    with pytest.raises(CommandError, match="生产环境始终使用真实日期"):
        call_command("set_demo_date", DEMO.isoformat())
    assert clock.today() == TODAY


def test_a_damaged_file_means_the_real_date(demo_clock):
    demo_clock.write_text("not a date", encoding="utf-8")

    assert clock.today() == TODAY


@pytest.mark.django_db
def test_every_page_says_the_date_is_set(client, demo_clock):
    assert "演示日期" not in client.get("/mingdan/").content.decode()

    set_date(DEMO.isoformat())
    page = client.get("/mingdan/").content.decode()

    assert "演示日期" in page and f"{DEMO.year}年3月1日" in page
    assert f"真实日期 {TODAY.year}年12月7日" in page


@pytest.mark.django_db
def test_pages_and_sweeps_agree_on_the_set_date(client, demo, demo_clock):
    """The README's walk: this year's filing window opens on 1 March next year; on the real date
    the unit has nothing to file, on the demo's 1 March the sweep opens it and the page lists
    it."""
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(year=TODAY.year, opens_on=DEMO, deadline=D(DEMO.year, 4, 15))
    client.force_login(demo["luoyang-enterprise"])
    assert "目前没有需要填报的动态管理表" in client.get("/dynamic/tables/mine/").content.decode()

    out = StringIO()
    call_command("set_demo_date", DEMO.isoformat(), "--run-schedule", stdout=out)

    assert f"运行日期 {DEMO.isoformat()}" in out.getvalue()
    assert "开放填报期" in out.getvalue()
    mine = client.get("/dynamic/tables/mine/").content.decode()
    assert listing.unit_name in mine and "待填报" in mine
