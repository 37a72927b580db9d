"""逾期: from the day after the deadline (15 April is on time, 16 April is late) the units without
a filed table are marked late and their county told; a late table is a ground for removal at once
in 济南 (第十九条第7项), only with a refused on-site check in 洛阳 (第十八条(二)), never in 大连."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dynamic_mgmt.models import AnnualTable, ScheduleMark
from dynamic_mgmt.schedule import mark_late, open_windows
from dynamic_mgmt.services.table import record_onsite_refusal, table_file
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from registry.models import RemovalProposal

from .test_schedule_windows import (
    DEADLINE,
    FACTORY_VALUES,
    OPENS,
    dalian_unit,
    inbox,
    jinan_unit,
    unit,
    user_inbox,
    window,
)

pytestmark = pytest.mark.django_db

DAY_AFTER = DEADLINE + datetime.timedelta(days=1)


def last_years_window():
    """The 2026 window, whose deadline has really passed (a refused check is dated then)."""
    window(year=2026, opens_on=datetime.date(2026, 3, 1), deadline=datetime.date(2026, 4, 15))
    mark_late(datetime.date(2026, 4, 16))


def late_tables():
    return AnnualTable.objects.filter(late=True)


def test_the_deadline_day_is_on_time_and_the_day_after_is_late(demo):
    waiting, on_time = unit(), unit()
    window()

    open_windows(OPENS)
    # Filed through the service on the deadline day itself: on time.
    table_file(
        listing=on_time,
        year=2027,
        actor=on_time.organisation.users.get(),
        indicators=FACTORY_VALUES,
        today=DEADLINE,
    )
    assert mark_late(DEADLINE).counts == {}
    assert not late_tables().exists()

    result = mark_late(DAY_AFTER)

    assert result.counts["units_late"] == 1
    table = late_tables().get()
    assert table.listing == waiting and table.status == AnnualTable.Status.DRAFT
    assert table.year == 2027 and table.window is not None
    assert not AnnualTable.objects.get(listing=on_time).late
    assert inbox(waiting)[-1] == "2027年度动态管理表逾期未填报"
    assert inbox(on_time) == ["2027年度动态管理表开始填报"]


def test_a_draft_table_is_marked_late_and_stays_a_draft(demo):
    listing = unit()
    window()
    draft = AnnualTable.objects.create(
        listing=listing, year=2027, indicators={"energy_per_unit": 1}
    )

    mark_late(DAY_AFTER)

    draft.refresh_from_db()
    assert draft.late and draft.status == AnnualTable.Status.DRAFT
    assert draft.indicators == {"energy_per_unit": 1}
    assert AnnualTable.objects.count() == 1
    entry = AuditEntry.objects.get(object_id=str(draft.pk), action="mark_late")
    assert entry.actor_name == "系统" and entry.data["deadline"] == "2027-04-15"


def test_the_county_is_told_which_of_its_units_are_late(demo):
    first = unit(name="洛阳逾期甲有限公司")
    second = unit(name="洛阳逾期乙有限公司")
    elsewhere = unit(county="410307", name="洛阳逾期丙有限公司")
    window()

    mark_late(DAY_AFTER)

    county = demo["luoyang-county"]
    [subject] = user_inbox(county)
    assert subject == "逾期未填报动态管理表的名单单位（2 家，2027年度）"
    body = county.notifications.get().body
    assert first.unit_name in body and second.unit_name in body
    assert elsewhere.unit_name not in body
    assert "洛阳逾期丙有限公司" in demo["luoyang-county2"].notifications.get().body


def test_marking_late_twice_marks_and_tells_once(demo):
    listing = jinan_unit(level="city")
    window(city="370100", level="city")

    first = mark_late(DAY_AFTER)
    again = mark_late(DAY_AFTER)
    later = mark_late(DAY_AFTER + datetime.timedelta(days=3))

    assert first.counts["units_late"] == 1 and first.counts["proposals"] == 1
    assert again.counts == {} and later.counts == {}
    assert inbox(listing) == ["2027年度动态管理表逾期未填报"]
    assert RemovalProposal.objects.filter(listing=listing).count() == 1
    assert ScheduleMark.objects.filter(kind="late", listing=listing, key="2027").count() == 1


def test_a_unit_that_files_late_is_not_marked_again(demo):
    listing = unit()
    window()
    mark_late(DAY_AFTER)
    table = late_tables().get()
    table.status = AnnualTable.Status.FILED
    table.save()

    assert mark_late(DAY_AFTER + datetime.timedelta(days=2)).counts == {}
    table.refresh_from_db()
    assert table.late and table.status == AnnualTable.Status.FILED
    assert len(inbox(listing)) == 1


# --- 洛阳 vs 济南 vs 大连 -------------------------------------------------------------------------


def test_jinan_a_late_table_alone_opens_a_removal_proposal(demo):
    listing = jinan_unit(level="city")
    window(city="370100", level="city")

    mark_late(DAY_AFTER)

    proposal = RemovalProposal.objects.get(listing=listing)
    assert (proposal.ground, proposal.article) == ("late_table", "第十九条第7项")
    assert proposal.source == RemovalProposal.Source.OTHER
    assert proposal.status == RemovalProposal.Status.OPEN
    assert "2027年度动态管理表未在 2027-04-15 前填报" in proposal.reason
    assert "拒不按时填报动态管理表" in proposal.reason
    assert AuditEntry.objects.filter(object_id=str(proposal.pk), action="propose").exists()
    # The city that published the list is asked to decide.
    assert user_inbox(demo["jinan-city"]) == ["移出名单建议（1 家）"]


def test_luoyang_a_late_table_alone_is_no_ground(demo):
    listing = unit()
    window()

    mark_late(DAY_AFTER)

    assert late_tables().get().listing == listing
    assert not RemovalProposal.objects.exists()


def test_dalian_a_late_table_is_no_ground(demo):
    listing = dalian_unit()
    window(city="210200", level="city", deadline=datetime.date(2027, 11, 15))

    mark_late(datetime.date(2027, 11, 16))

    assert late_tables().get().listing == listing
    assert not RemovalProposal.objects.exists()


def test_luoyang_a_late_table_and_a_refused_onsite_check_open_a_proposal_once(demo):
    listing = unit()
    last_years_window()
    table = late_tables().get()

    table, proposal = record_onsite_refusal(
        table=table, actor=demo["luoyang-county"], refused_on=datetime.date(2026, 5, 6)
    )

    assert table.onsite_refused_on == datetime.date(2026, 5, 6)
    assert proposal.listing == listing
    assert (proposal.ground, proposal.article) == (
        "late_table_and_onsite_refused",
        "第十八条(二)",
    )
    assert "不配合现场复核" in proposal.reason and proposal.created_by == demo["luoyang-county"]
    assert AuditEntry.objects.filter(object_id=str(table.pk), action="onsite_refused").exists()
    assert user_inbox(demo["luoyang-city"]) == []  # a national list: the ministry decides
    with pytest.raises(DomainError, match="已记录"):
        record_onsite_refusal(
            table=table, actor=demo["luoyang-county"], refused_on=datetime.date(2026, 5, 7)
        )
    assert RemovalProposal.objects.count() == 1


def test_luoyang_a_refusal_recorded_before_the_deadline_passes_waits_for_the_late_mark(demo):
    listing = unit()
    draft = AnnualTable.objects.create(listing=listing, year=2026)

    _table, proposal = record_onsite_refusal(
        table=draft, actor=demo["luoyang-city"], refused_on=datetime.date(2026, 4, 10)
    )
    assert proposal is None

    last_years_window()

    proposal = RemovalProposal.objects.get(listing=listing)
    assert proposal.ground == "late_table_and_onsite_refused"
    assert "于 2026-04-10 不配合现场复核" in proposal.reason


def test_only_the_units_own_officials_record_a_refused_check(demo):
    listing = unit()
    last_years_window()
    table = late_tables().get()

    for outsider in ("jinan-county", "luoyang-county2", "luoyang-enterprise", "luoyang-expert"):
        with pytest.raises(NotPermitted):
            record_onsite_refusal(
                table=table, actor=demo[outsider], refused_on=datetime.date(2026, 5, 6)
            )
    with pytest.raises(ValidationError):
        record_onsite_refusal(
            table=table, actor=demo["luoyang-county"], refused_on=datetime.date(2099, 1, 1)
        )
    assert not RemovalProposal.objects.filter(listing=listing).exists()


# --- the Celery task ------------------------------------------------------------------------------


def test_the_deadline_task_retries_on_a_database_error_and_completes(demo, monkeypatch):
    from django.db import OperationalError

    from dynamic_mgmt import schedule, tasks

    listing = unit()
    window()
    calls = []
    real = schedule.mark_late

    def flaky(today):
        calls.append(today)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(today)

    monkeypatch.setattr(schedule, "mark_late", flaky)

    # (Eagerly, as without a broker: the retry runs at once instead of after its backoff.)
    outcome = tasks.task_mark_late.apply(kwargs={"today": "2027-04-16"}, throw=False)

    assert outcome.successful()
    assert len(calls) == 2 and calls[0] == DAY_AFTER
    assert outcome.result["counts"]["units_late"] == 1
    assert late_tables().get().listing == listing
    assert OperationalError in tasks.task_mark_late.autoretry_for
    assert tasks.task_mark_late.max_retries == 5


def test_the_county_records_a_refused_onsite_check_on_the_table_page(client, demo):
    unit()
    last_years_window()
    table = late_tables().get()
    page = f"/dynamic/tables/{table.listing_id}/{table.year}/"

    client.force_login(demo["jinan-county"])
    client.post(f"{page}onsite-refused/")
    assert not RemovalProposal.objects.exists()

    client.force_login(demo["luoyang-county"])
    assert "记录：不配合现场复核" in client.get(page).content.decode()
    response = client.post(f"{page}onsite-refused/", follow=True)

    assert "第十八条(二)" in response.content.decode()
    assert RemovalProposal.objects.get().ground == "late_table_and_onsite_refused"
    assert "记录：不配合现场复核" not in client.get(page).content.decode()
