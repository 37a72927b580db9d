"""信用数据: what the imported credit events say about a unit, and the officials' lists.

The rules' negative list asks two kinds of question, and the events answer them differently:

- 名单 (``MEMBERSHIP_KINDS``): "is the unit on the list and not removed?" A listing counts from
  the day it was made until its 移出/整改完成日期, however long ago it began. This is the
  documents' 「且未被移出」 (经营异常名单、严重违法失信名单) and 「未按要求完成整改」.
- 曾列入 (``LOOKBACK_KINDS``): "was the unit on the list at any time in the last three years?"
  失信被执行人 has no 「且未被移出」 in any of the three documents (洛阳 第十五条(六), 济南
  第六条5 and 第八条5, 大连 一), only 近三年: a listing counts when its period, from the day it
  was made to its removal (or still open), overlaps the three years up to ``as_of``, even when
  it has since been removed.
- 事件 (``ONE_OFF_KINDS``): "did this happen in the last three years?" An event counts when it
  occurred within the three years up to and including ``as_of``.

A key is answered only when the credit data says something about it on ``as_of``; otherwise it is
left out and the applicant's own declaration stands. Events dated after ``as_of`` are ignored, so
a check can be re-run as of a past deadline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import CreditEvent, CreditImport
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.core.dates import add_years
from greenmfg.directory.credit_code import normalise

K = CreditEvent.Kind
WINDOW_YEARS = 3  # 近三年
MEMBERSHIP_KINDS = frozenset(
    {
        K.ABNORMAL_OPERATIONS,
        K.SERIOUS_ILLEGAL_DISHONEST,
        K.DISHONEST_JUDGMENT_DEBTOR,
        K.ENERGY_SUPERVISION,
    }
)
# Listings judged by the three-year look-back rather than by 「且未被移出」.
LOOKBACK_KINDS = frozenset({K.DISHONEST_JUDGMENT_DEBTOR})
ONE_OFF_KINDS = frozenset(set(K) - MEMBERSHIP_KINDS)
INSPECTION_RECTIFIED = "inspection_problem_rectified"


@dataclass(frozen=True)
class CreditFact:
    """One negative-list fact as the credit data states it, with where it comes from."""

    value: bool
    source: str
    events: tuple[int, ...]


def window_start(as_of: date) -> date:
    """The first day of the three years up to ``as_of`` (29 February falls back to the 28th)."""
    return add_years(as_of, -WINDOW_YEARS)


def credit_facts(*, credit_code: str, as_of: date) -> dict[str, CreditFact]:
    """The negative-list facts the credit data establishes for a unit on ``as_of`` (one query)."""
    code = normalise(credit_code)
    if not code:
        return {}
    events = (
        CreditEvent.objects.filter(credit_code=code, occurred_on__lte=as_of)
        .filter(Q(kind__in=MEMBERSHIP_KINDS) | Q(occurred_on__gte=window_start(as_of)))
        .select_related("credit_import")
        .order_by("-occurred_on", "-id")
    )
    by_kind: dict[str, list[CreditEvent]] = defaultdict(list)
    for event in events:
        by_kind[event.kind].append(event)

    facts: dict[str, CreditFact] = {}
    for kind, group in by_kind.items():
        if kind in LOOKBACK_KINDS:
            # Removed on or before the window's first day: not listed on any day of it (the
            # removal day itself is off the list, as for the memberships below).
            start = window_start(as_of)
            listed = [event for event in group if not _resolved(event, start)]
            # Listed within the three years: cite those listings. Else the ones that ended before.
            facts[kind] = _fact(bool(listed), listed or group)
        elif kind in MEMBERSHIP_KINDS:
            listed = [event for event in group if not _resolved(event, as_of)]
            # Still listed: cite the open listings. Removed: cite the removals.
            facts[kind] = _fact(bool(listed), listed or group)
        else:
            facts[kind] = _fact(True, group)
    problems = by_kind.get(K.INSPECTION_PROBLEM)
    if problems:
        rectified = all(_resolved(problem, as_of) for problem in problems)
        facts[INSPECTION_RECTIFIED] = _fact(rectified, problems)
    return facts


def counting_events_q(as_of: date) -> Q:
    """The events that count on ``as_of``, as one filter: the set-based form of the readings
    :func:`credit_facts` applies event by event, for sweeps that cannot afford a query per unit.

    A listing of ``MEMBERSHIP_KINDS`` counts while not removed on ``as_of`` (「且未被移出」); a
    失信被执行人 listing (``LOOKBACK_KINDS``) counts when it was still open on any day of the three
    years, so one removed within them still counts; a one-off event counts when it occurred
    within the three years. Nothing dated after ``as_of`` counts.
    """
    start = window_start(as_of)
    lookback = Q(kind__in=LOOKBACK_KINDS) & _open_after(start)
    membership = Q(kind__in=MEMBERSHIP_KINDS - LOOKBACK_KINDS) & _open_after(as_of)
    one_off = Q(kind__in=ONE_OFF_KINDS) & Q(occurred_on__gte=start)
    return Q(occurred_on__lte=as_of) & (lookback | membership | one_off)


def counting_credit_events(*, as_of: date) -> QuerySet[CreditEvent]:
    """Every credit event that counts on ``as_of`` (see :func:`counting_events_q`)."""
    return CreditEvent.objects.filter(counting_events_q(as_of))


def _open_after(day: date) -> Q:
    # The removal day itself is off the list, as in _resolved.
    return Q(resolved_on__isnull=True) | Q(resolved_on__gt=day)


def _resolved(event: CreditEvent, as_of: date) -> bool:
    return event.resolved_on is not None and event.resolved_on <= as_of


def _fact(value: bool, events: list[CreditEvent]) -> CreditFact:
    return CreditFact(
        value=value,
        source=_("信用数据：%(events)s") % {"events": "；".join(map(_describe, events))},
        events=tuple(event.pk for event in events),
    )


def _describe(event: CreditEvent) -> str:
    parts = []
    if event.credit_import_id:
        imported_on = timezone.localdate(event.credit_import.imported_at)
        parts.append(_("%(date)s 导入") % {"date": imported_on.isoformat()})
    parts.append(_("事件日期 %(date)s") % {"date": event.occurred_on.isoformat()})
    if event.resolved_on:
        parts.append(_("移出/整改完成 %(date)s") % {"date": event.resolved_on.isoformat()})
    return f"{event.source}（{'，'.join(parts)}）"


def credit_event_list(*, user) -> QuerySet[CreditEvent]:
    """Credit data is public record, so every official sees all of it; nobody else any."""
    queryset = CreditEvent.objects.select_related("credit_import")
    if user.is_authenticated and (user.is_official or user.is_sysadmin):
        return queryset
    return queryset.none()


def credit_import_list(*, user) -> QuerySet[CreditImport]:
    """The imports made in the official's jurisdiction subtree."""
    return CreditImport.objects.select_related("imported_by", "jurisdiction").filter(
        jurisdiction_q(user, field="jurisdiction")
    )
