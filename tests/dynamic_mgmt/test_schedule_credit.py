"""信用复核: the negative list of each listed unit's policy is run again on the latest credit
data; a unit that now falls under it gets a removal proposal, once per (unit, credit event),
with the ground of its policy."""

import datetime

import pytest

from applications.models import CreditEvent
from dynamic_mgmt.models import ScheduleMark
from dynamic_mgmt.schedule import recheck_credit
from registry.models import RemovalProposal

from .test_schedule_windows import dalian_unit, jinan_unit, unit, user_inbox

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 4, 16)
K = CreditEvent.Kind


def event(listing, kind, occurred_on=datetime.date(2027, 1, 10), **kwargs) -> CreditEvent:
    return CreditEvent.objects.create(
        credit_code=listing.credit_code,
        unit_name=listing.unit_name,
        kind=kind,
        occurred_on=occurred_on,
        source=kwargs.pop("source", "信用中国"),
        **kwargs,
    )


def test_a_new_credit_event_raises_a_proposal_once(demo):
    listing = unit()
    clean = unit()
    event(listing, K.DISHONEST_JUDGMENT_DEBTOR)

    first = recheck_credit(TODAY)
    again = recheck_credit(TODAY)
    later = recheck_credit(TODAY + datetime.timedelta(days=7))

    assert first.counts == {"pairs_checked": 1, "proposals": 1}
    assert again.counts == {"pairs_checked": 0, "proposals": 0}
    assert later.counts == {"pairs_checked": 0, "proposals": 0}
    proposal = RemovalProposal.objects.get()
    assert proposal.listing == listing and proposal.source == RemovalProposal.Source.CREDIT
    assert (proposal.ground, proposal.article) == ("negative_list", "第十八条(一)")
    assert "失信被执行人：是，要求为否" in proposal.reason and "信用中国" in proposal.reason
    assert not RemovalProposal.objects.filter(listing=clean).exists()
    assert ScheduleMark.objects.filter(kind="credit_check").count() == 1


def test_each_new_event_is_judged_once(demo):
    listing = unit()
    event(listing, K.ACCIDENT_SAFETY, occurred_on=datetime.date(2026, 12, 1))
    recheck_credit(TODAY)

    event(listing, K.TAX_VIOLATION, occurred_on=datetime.date(2027, 3, 1))
    result = recheck_credit(TODAY)

    assert result.counts == {"pairs_checked": 1, "proposals": 1}
    reasons = list(
        RemovalProposal.objects.filter(listing=listing)
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert len(reasons) == 2 and "偷漏税" in reasons[1]


def test_the_ground_follows_the_policy(demo):
    jinan = jinan_unit(level="city")
    dalian = dalian_unit()
    event(jinan, K.DISHONEST_JUDGMENT_DEBTOR)
    event(dalian, K.ACCIDENT_ENVIRONMENT)

    recheck_credit(TODAY)

    assert RemovalProposal.objects.get(listing=jinan).article == "第十九条第6项"
    assert RemovalProposal.objects.get(listing=dalian).ground == "incident"
    assert RemovalProposal.objects.get(listing=dalian).article == "三"
    assert user_inbox(demo["jinan-city"]) == ["移出名单建议（1 家）"]


def test_events_that_no_longer_count_raise_nothing(demo):
    resolved, old, future, removed = unit(), unit(), unit(), unit(status="removed")
    event(resolved, K.ABNORMAL_OPERATIONS, resolved_on=datetime.date(2027, 2, 1))
    event(old, K.ACCIDENT_QUALITY, occurred_on=datetime.date(2024, 4, 15))  # over three years
    event(future, K.DEREGISTERED, occurred_on=datetime.date(2027, 5, 1))
    event(removed, K.DEREGISTERED)

    assert recheck_credit(TODAY).counts == {}
    assert not RemovalProposal.objects.exists()


def test_a_rectified_inspection_problem_is_forgiven_only_where_the_policy_says_so(demo):
    jinan, luoyang = jinan_unit(level="city"), unit()
    for listing in (jinan, luoyang):
        event(listing, K.INSPECTION_PROBLEM, resolved_on=datetime.date(2027, 3, 1))

    result = recheck_credit(TODAY)

    # 济南 第六条5 forgives a rectified problem; 洛阳 第十五条(四) does not.
    assert result.counts == {"pairs_checked": 2, "proposals": 1}
    proposal = RemovalProposal.objects.get()
    assert proposal.listing == luoyang and "不因已整改而免除" in proposal.reason
    assert ScheduleMark.objects.filter(kind="credit_check", listing=jinan).exists()
