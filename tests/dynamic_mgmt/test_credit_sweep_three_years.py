"""信用复核 reads 失信被执行人 as the application pre-check does: 近三年 with no 「且未被移出」
(洛阳 第十五条(六), 济南 第六条5, 大连 一), so a listing removed within the last three years still
raises a proposal; 经营异常名单 and 严重违法失信名单 count only while not removed."""

import datetime

import pytest

from applications.models import CreditEvent
from applications.selectors.credit import credit_facts
from dynamic_mgmt.models import ScheduleMark
from dynamic_mgmt.schedule import live_credit_events, recheck_credit
from greenmfg.core import clock
from registry.models import RemovalProposal

from .dm_helpers import pinned_today
from .test_schedule_windows import jinan_unit, unit

__all__ = ["pinned_today"]
pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 4, 16)
K = CreditEvent.Kind


def event(listing, kind, *, occurred_on, resolved_on=None) -> CreditEvent:
    return CreditEvent.objects.create(
        credit_code=listing.credit_code,
        unit_name=listing.unit_name,
        kind=kind,
        occurred_on=occurred_on,
        resolved_on=resolved_on,
        source="信用中国",
    )


def test_a_dishonest_listing_removed_within_three_years_raises_a_proposal_once(demo, pinned_today):
    """洛阳 第十五条(六): 近三年被列入失信被执行人, removed or not."""
    today = pinned_today(TODAY)
    listing = unit()
    event(
        listing,
        K.DISHONEST_JUDGMENT_DEBTOR,
        occurred_on=datetime.date(2025, 3, 1),
        resolved_on=datetime.date(2026, 9, 30),
    )

    first = recheck_credit(clock.today())
    again = recheck_credit(clock.today())

    assert clock.today() == today
    assert first.counts == {"pairs_checked": 1, "proposals": 1}
    assert again.counts == {"pairs_checked": 0, "proposals": 0}
    proposal = RemovalProposal.objects.get()
    assert proposal.listing == listing and proposal.source == RemovalProposal.Source.CREDIT
    assert proposal.article == "第十八条(一)"
    assert "含已移出" in proposal.reason and "移出/整改完成 2026-09-30" in proposal.reason
    assert ScheduleMark.objects.filter(kind="credit_check", listing=listing).count() == 1


def test_the_sweep_counts_the_listings_the_pre_check_counts(demo, pinned_today):
    """The sweep's set-based query and credit_facts give the same answer, day for day."""
    today = pinned_today(TODAY)
    listing = unit()
    within = event(
        listing,
        K.DISHONEST_JUDGMENT_DEBTOR,
        occurred_on=datetime.date(2023, 1, 5),
        resolved_on=datetime.date(2024, 4, 17),  # the window's second day
    )
    before = event(
        listing,
        K.DISHONEST_JUDGMENT_DEBTOR,
        occurred_on=datetime.date(2022, 1, 5),
        resolved_on=datetime.date(2024, 4, 16),  # the window's first day: off the list by then
    )

    live = set(live_credit_events(today).values_list("pk", flat=True))
    facts = credit_facts(credit_code=listing.credit_code, as_of=today)

    assert within.pk in live and before.pk not in live
    assert facts["dishonest_judgment_debtor"].value is True
    assert facts["dishonest_judgment_debtor"].events == (within.pk,)


def test_a_dishonest_listing_removed_over_three_years_ago_raises_nothing(demo, pinned_today):
    """近三年: a listing that ended before the three years began no longer counts."""
    pinned_today(TODAY)
    event(
        unit(),
        K.DISHONEST_JUDGMENT_DEBTOR,
        occurred_on=datetime.date(2021, 6, 1),
        resolved_on=datetime.date(2023, 12, 31),
    )

    assert recheck_credit(clock.today()).counts == {}
    assert not RemovalProposal.objects.exists()


@pytest.mark.parametrize(
    "kind",
    [K.ABNORMAL_OPERATIONS, K.SERIOUS_ILLEGAL_DISHONEST],
    ids=["abnormal_operations", "serious_illegal_dishonest"],
)
def test_other_lists_removed_before_today_raise_nothing(demo, pinned_today, kind):
    """洛阳 第十五条(五), 济南 第六条5: 经营异常名单/严重违法失信名单 「且未被移出」."""
    pinned_today(TODAY)
    listing = jinan_unit(level="city")
    event(
        listing,
        kind,
        occurred_on=datetime.date(2026, 5, 1),
        resolved_on=datetime.date(2027, 2, 1),
    )

    assert recheck_credit(clock.today()).counts == {}
    assert not RemovalProposal.objects.exists()


def test_a_jinan_unit_removed_from_the_dishonest_list_gets_its_own_ground(demo, pinned_today):
    """济南 第十九条第6项 names 失信被执行人 as a ground of its own."""
    pinned_today(TODAY)
    listing = jinan_unit(level="city")
    event(
        listing,
        K.DISHONEST_JUDGMENT_DEBTOR,
        occurred_on=datetime.date(2026, 1, 10),
        resolved_on=datetime.date(2026, 8, 1),
    )

    assert recheck_credit(clock.today()).counts == {"pairs_checked": 1, "proposals": 1}
    assert RemovalProposal.objects.get(listing=listing).article == "第十九条第6项"
