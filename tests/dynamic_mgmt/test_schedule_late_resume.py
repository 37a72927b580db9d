"""The deadline sweep selects its candidates once (a work list) and writes a page at a time: a
crash between pages leaves the pages before it done and the rest untouched, and the next run
completes the sweep without a second mark, table, audit entry, notice or proposal for any unit.

Run with pages of two units, on SQLite and (``DATABASE_URL``) PostgreSQL; the transactional
test commits each page for real, as a worker does."""

import datetime
from collections import Counter

import pytest

from dynamic_mgmt import schedule
from dynamic_mgmt.models import AnnualTable, ScheduleMark
from greenmfg.audit.models import AuditEntry
from greenmfg.core import bulk
from greenmfg.notifications.models import Notification
from registry.models import RemovalProposal

from .test_schedule_windows import jinan_unit, unit, window

DAY_AFTER = datetime.date(2027, 4, 16)


class Crash(Exception):
    """The worker dies between two pages."""


def arrange():
    units = [unit() for _ in range(3)] + [jinan_unit(level="city") for _ in range(2)]
    window()
    window(city="370100", level="city")
    return units


def crash_on_page(monkeypatch, number: int) -> None:
    real = schedule._late_page
    pages = []

    def failing(window, work, units, result):
        pages.append(len(units))
        real(window, work, units, result)  # the page's writes are made, then the worker dies
        if len(pages) == number:
            raise Crash

    monkeypatch.setattr(schedule, "_late_page", failing)


def written() -> dict:
    """What the sweep wrote, per unit: each must be there exactly once."""
    return {
        "marks": Counter(ScheduleMark.objects.filter(kind="late").values_list("listing_id")),
        "tables": Counter(AnnualTable.objects.filter(late=True).values_list("listing_id")),
        "audit": Counter(
            AuditEntry.objects.filter(action="mark_late").values_list("object_id", "action")
        ),
        "proposals": Counter(RemovalProposal.objects.values_list("listing_id", "ground")),
        "proposal_audit": Counter(
            AuditEntry.objects.filter(action="propose").values_list("object_id")
        ),
        "unit_notices": Counter(
            Notification.objects.filter(subject="2027年度动态管理表逾期未填报").values_list(
                "recipient_id"
            )
        ),
    }


def check_completed_once(units) -> None:
    found = written()
    ids = {listing.pk for listing in units}
    assert {pk for (pk,) in found["marks"]} == ids
    assert {pk for (pk,) in found["tables"]} == ids
    for name in ("marks", "tables", "audit", "proposals", "proposal_audit", "unit_notices"):
        assert set(found[name].values()) == {1}, name
    assert len(found["audit"]) == 5
    jinan = {listing.pk for listing in units[3:]}
    assert {pk for pk, _ground in found["proposals"]} == jinan
    assert len(found["unit_notices"]) == 5
    assert not AnnualTable.objects.filter(late=True).exclude(status="draft").exists()


def crash_then_resume(monkeypatch):
    units = arrange()
    monkeypatch.setattr(bulk, "CHUNK", 2)
    crash_on_page(monkeypatch, 2)

    with pytest.raises(Crash):
        schedule.mark_late(DAY_AFTER)

    monkeypatch.undo()
    monkeypatch.setattr(bulk, "CHUNK", 2)
    return units


@pytest.mark.django_db
def test_a_crash_between_pages_is_completed_by_the_next_run_with_nothing_twice(demo, monkeypatch):
    units = crash_then_resume(monkeypatch)
    # The first page stayed done (its own savepoint here); the crashed page rolled back.
    assert ScheduleMark.objects.filter(kind="late").count() == 2

    result = schedule.mark_late(DAY_AFTER)

    assert result.counts["units_late"] == 3
    check_completed_once(units)
    assert schedule.mark_late(DAY_AFTER).counts == {}
    check_completed_once(units)


@pytest.mark.django_db(transaction=True)
def test_committed_pages_survive_the_crash_and_the_rerun_completes(demo, monkeypatch):
    units = crash_then_resume(monkeypatch)
    # The crash came after the second page's writes, inside its transaction: only the first
    # page (two units, committed) is kept.
    assert ScheduleMark.objects.filter(kind="late").count() == 2
    assert AnnualTable.objects.filter(late=True).count() == 2
    assert AuditEntry.objects.filter(action="mark_late").count() == 2

    result = schedule.mark_late(DAY_AFTER)

    assert result.counts["units_late"] == 3
    check_completed_once(units)
    assert schedule.mark_late(DAY_AFTER).counts == {}
    check_completed_once(units)


@pytest.mark.django_db
def test_the_deadline_task_retries_when_its_connection_was_closed_and_completes(demo, monkeypatch):
    from django.db import InterfaceError

    from dynamic_mgmt import tasks

    units = arrange()
    monkeypatch.setattr(bulk, "CHUNK", 2)
    real_page, pages, calls = schedule._late_page, [], []

    def page_then_closed(window, work, units, result):
        real_page(window, work, units, result)
        pages.append(len(units))
        if len(calls) == 1 and len(pages) == 2:  # the first attempt dies on its second page
            raise InterfaceError("connection already closed")

    real = schedule.mark_late

    def counted(today):
        calls.append(today)
        return real(today)

    monkeypatch.setattr(schedule, "_late_page", page_then_closed)
    monkeypatch.setattr(schedule, "mark_late", counted)

    outcome = tasks.task_mark_late.apply(kwargs={"today": "2027-04-16"}, throw=False)

    assert outcome.successful() and len(calls) == 2
    assert outcome.result["counts"]["units_late"] == 3  # the retry did the rest
    check_completed_once(units)


@pytest.mark.django_db
def test_a_large_sweep_refreshes_the_statistics_of_the_tables_it_wrote(demo, monkeypatch):
    arrange()
    analysed = []
    monkeypatch.setattr(schedule, "analyze", lambda *models: analysed.append(models))
    monkeypatch.setattr(schedule, "ANALYZE_AFTER", 6)

    schedule.mark_late(DAY_AFTER)  # 5 units: under the threshold
    assert analysed == []

    monkeypatch.setattr(schedule, "ANALYZE_AFTER", 5)
    schedule.mark_late(DAY_AFTER + datetime.timedelta(days=1))  # nothing left to do
    assert analysed == []
    ScheduleMark.objects.filter(kind="late").delete()
    schedule.mark_late(DAY_AFTER)

    [written] = analysed
    assert {AnnualTable, AuditEntry, Notification, RemovalProposal, ScheduleMark} == set(written)
    bulk.analyze(*written)  # and it runs (PostgreSQL), or is nothing (SQLite)
