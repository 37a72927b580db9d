"""Imported units are under dynamic management like any other: on the public list, owing the
next filing window's table, and removable through the same door."""

import datetime

from dynamic_mgmt.selectors.table import overview_queryset
from dynamic_mgmt.services import window as window_services
from greenmfg.core import clock
from greenmfg.core.imports.services import import_apply, import_upload
from registry.models import Listing
from registry.services.listing import listing_transition
from registry.workflow import REMOVE
from tests.factories.imports import listing_row, xlsx_upload


def imported(demo, **values) -> Listing:
    official = demo["luoyang-city"]
    run = import_upload(
        kind="listings", uploaded=xlsx_upload([listing_row(**values)]), actor=official
    )
    import_apply(run=run, actor=official)
    return Listing.objects.get(import_run=run)


def test_an_imported_unit_is_on_the_public_list(client, demo):
    listing = imported(demo, 单位名称="导入公开名单测试有限公司")
    page = client.get("/mingdan/", {"q": "导入公开名单测试"})
    assert "导入公开名单测试有限公司" in page.content.decode()
    unit = client.get(f"/mingdan/units/{listing.organisation_id}/").content.decode()
    assert "导入名单" in unit  # the history entry, public


def test_an_imported_unit_owes_the_next_windows_table(demo):
    today = clock.today()
    year = today.year - 1
    listing = imported(demo, 年度=str(year), 发布日期=f"{year}-06-30")
    window = window_services.window_create(
        actor=demo["luoyang-city"],
        level="city",
        year=year,
        opens_on=today - datetime.timedelta(days=5),
        deadline=today + datetime.timedelta(days=25),
        reminder_days=[7, 1],
        citation="洛阳 第十六条",
    )
    assert window_services.window_for(listing=listing, year=year) == window
    rows, _windows = overview_queryset(user=demo["luoyang-city"], year=year, today=today)
    states = {row.pk: row.state for row in rows}
    assert states[listing.pk] == "open"


def test_an_imported_unit_is_removed_through_the_same_door(demo):
    listing = imported(demo)
    listing_transition(
        listing=listing, event=REMOVE, actor=demo["luoyang-city"], comment="测试移出"
    )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED
    assert list(listing.events.values_list("kind", flat=True)) == ["imported", "removed"]
