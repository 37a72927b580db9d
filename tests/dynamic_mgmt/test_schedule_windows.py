"""开放填报: on its first day a filing window tells every unit it covers, once; the command runs
the sweeps for any date and says what each did.

The module also holds the schedule tests' arrangements; the other modules import them."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from dynamic_mgmt.models import AnnualTable, FilingWindow, ScheduleMark
from dynamic_mgmt.schedule import open_windows
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.audit.models import AuditEntry
from greenmfg.notifications.models import Notification
from registry.models import Listing
from tests.factories import AnnualTableFactory, UserFactory
from tests.registry.test_public_lists import bureau, jinan_listing, make_listing

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2027, 3, 1)
DEADLINE = datetime.date(2027, 4, 15)


def unit(*, county: str = "410311", level: str = "national", **kwargs) -> Listing:
    """A listed unit with one applicant account (who receives the unit's notices)."""
    listing = make_listing(county=county, level=level, **kwargs)
    UserFactory(organisation=listing.organisation, role=Role.APPLICANT)
    return listing


def jinan_unit(**kwargs) -> Listing:
    """A 济南 city unit (three-year term) with one applicant account."""
    listing = jinan_listing(**kwargs)
    UserFactory(organisation=listing.organisation, role=Role.APPLICANT)
    return listing


def dalian_unit(**kwargs) -> Listing:
    kwargs.setdefault("authority", "210200")
    return unit(county="210213", level="city", document_number="大工信〔2025〕8号", **kwargs)


def window(
    *,
    city: str = "410300",
    level: str = "national",
    year: int = 2027,
    opens_on: datetime.date = OPENS,
    deadline: datetime.date = DEADLINE,
    reminder_days=(30, 7, 1),
) -> FilingWindow:
    authority = bureau(city)
    return FilingWindow.objects.create(
        authority=authority,
        jurisdiction=authority.jurisdiction,
        level=level,
        year=year,
        opens_on=opens_on,
        deadline=deadline,
        reminder_days=list(reminder_days),
        citation="洛阳 第十六条",
        created_by=User.objects.get(username="admin"),
    )


def inbox(listing: Listing) -> list[str]:
    """The subjects of the notifications the unit's accounts received."""
    return list(
        Notification.objects.filter(recipient__organisation=listing.organisation)
        .order_by("pk")
        .values_list("subject", flat=True)
    )


def user_inbox(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True)
    )


# A green factory's table, every key indicator filled (dynamic_mgmt.indicators).
FACTORY_VALUES = {
    "energy_per_unit": 100,
    "water_per_unit": 2.5,
    "pollutant_per_unit": 0.8,
    "solid_waste_utilisation_rate": 90,
    "carbon_per_unit": 1.2,
    "renewable_energy_share": 12,
}


def file_table(listing: Listing, *, year: int = 2027, indicators=None, **kwargs) -> AnnualTable:
    """A filed table, entered directly (the filing service is dynamic_mgmt.services.table)."""
    kwargs.setdefault("filed_at", datetime.datetime(year, 4, 1, 9, tzinfo=datetime.UTC))
    return AnnualTableFactory(
        listing=listing,
        year=year,
        indicators=FACTORY_VALUES if indicators is None else indicators,
        status=AnnualTable.Status.FILED,
        **kwargs,
    )


# --- the sweep ------------------------------------------------------------------------------------


def test_a_window_opens_on_its_first_day_and_tells_every_unit_it_covers_once(demo):
    covered = unit()
    other_county = unit(county="410307")
    other_level = unit(level="city")
    elsewhere = jinan_unit(level="national", authority="CN")
    removed = unit(status=Listing.Status.REMOVED)
    filing = window()

    assert open_windows(OPENS - datetime.timedelta(days=1)).counts == {}
    result = open_windows(OPENS)

    assert result.counts["units_notified"] == 2 and result.counts["windows_opened"] == 1
    for listing in (covered, other_county):
        assert inbox(listing) == ["2027年度动态管理表开始填报"]
    for listing in (other_level, elsewhere, removed):
        assert inbox(listing) == []
    body = Notification.objects.filter(recipient__organisation=covered.organisation).get().body
    assert covered.unit_name in body and "2027-04-15" in body and "洛阳 第十六条" in body
    filing.refresh_from_db()
    assert filing.opened_at is not None
    assert AuditEntry.objects.filter(object_id=str(filing.pk), action="open").count() == 1
    assert ScheduleMark.objects.filter(kind="window_open", key="2027").count() == 2

    # Run again (or the next night): nobody hears twice.
    assert open_windows(OPENS).counts == {}
    assert open_windows(OPENS + datetime.timedelta(days=1)).counts == {}
    assert inbox(covered) == ["2027年度动态管理表开始填报"]


def test_units_listed_after_the_window_opened_are_not_covered(demo):
    late_comer = unit(listed_on=OPENS + datetime.timedelta(days=5))
    window()

    open_windows(OPENS + datetime.timedelta(days=10))

    assert inbox(late_comer) == []


def test_a_window_whose_deadline_passed_is_not_opened(demo):
    listing = unit()
    filing = window()

    assert open_windows(DEADLINE + datetime.timedelta(days=1)).counts == {}

    filing.refresh_from_db()
    assert filing.opened_at is None and inbox(listing) == []


def test_an_interrupted_opening_resumes_without_repeating(demo):
    first, second = unit(), unit()
    filing = window()
    # The first page was done before the worker died: its mark is there, the window not opened.
    ScheduleMark.objects.create(kind="window_open", listing=first, key="2027")

    result = open_windows(OPENS)

    assert result.counts["units_notified"] == 1
    assert inbox(first) == [] and len(inbox(second)) == 1
    filing.refresh_from_db()
    assert filing.opened_at is not None


# --- the command ----------------------------------------------------------------------------------


def test_the_command_runs_every_sweep_for_the_date_and_prints_what_each_did(demo):
    unit()
    window()
    out = io.StringIO()

    call_command("run_schedule", "--date", "2027-03-01", stdout=out)

    text = out.getvalue()
    assert "运行日期 2027-03-01" in text
    assert "[windows] 开放填报期：通知单位 1，站内消息 1，开放填报期 1" in text
    for name in ("reminders", "late", "indicators", "re_reviews", "credit"):
        assert f"[{name}]" in text
    assert "[late] 逾期标记：无待办事项" in text


def test_the_command_runs_only_the_sweeps_named(demo):
    listing = unit()
    window()
    out = io.StringIO()

    call_command("run_schedule", "--date", "2027-03-01", "--only", "reminders", stdout=out)

    text = out.getvalue()
    assert "[reminders]" in text and "[windows]" not in text
    assert inbox(listing) == []


def test_the_command_refuses_a_malformed_date(demo):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_schedule", "--date", "2027/04/16", stdout=io.StringIO())
