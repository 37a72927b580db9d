"""The daily sweeps of the dynamic management (动态管理), as plain functions of ``today``.

Celery runs them every night (dynamic_mgmt.tasks, the beat schedule in greenmfg/celery.py);
``python manage.py run_schedule --date 2027-04-16`` runs them for any date, so the demo can
move the clock. Each sweep:

- is idempotent: what it did for a unit is claimed in :class:`ScheduleMark` (unique kind,
  listing, key) by ``INSERT … ON CONFLICT DO NOTHING RETURNING``, and the sweep acts only on
  the marks that statement actually created. Running it twice (or two workers at once) sends
  no second reminder and raises no second proposal;
- handles 100,000 listed units in bounded memory: the sweeps over a window's units (windows,
  reminders, late) select their candidates once, into a temporary work list
  (greenmfg.core.bulk.work_list: one ``INSERT … SELECT``), and claim them from it in keyset
  pages of ``CHUNK`` keys (``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``); the others
  walk their candidates in keyset pages (``pk > last ORDER BY pk LIMIT n``,
  greenmfg.core.bulk.keyset_pages). Each page runs in its own transaction, with a constant
  number of set-based statements and no query per unit. Rows the database can build from the
  page's claimed listings (``work.claimed_q()``: a subquery of the keys just claimed, within
  the page's bounds) it builds itself, ``INSERT … SELECT`` (greenmfg.core.bulk.insert_select:
  the late tables, their audit entries, the units' notices); the others are written by
  ``COPY`` on PostgreSQL and multi-row inserts on SQLite (greenmfg.core.bulk.insert_rows). A
  page that fails rolls back with its marks, so a retry picks it up again; after a large write
  the sweep refreshes PostgreSQL's statistics of the tables it wrote (greenmfg.core.bulk.
  analyze);
- writes its audit entries and removal proposals a page at a time, beside their one-row
  writers (greenmfg.audit.services.audit_query and audit_many, dynamic_mgmt.services.removal.
  propose_many);
- sends its notices as in-portal notifications created in bulk, and their e-mail through
  Celery tasks per page after the commit (greenmfg.notifications.bulk.send_notices_query for
  a notice to each unit, send_notices for the bureaus' notices).

The sweeps, in the order the nightly run takes them:

1. :func:`open_windows` — a filing window's first day: notify every unit it covers.
2. :func:`send_reminders` — the reminder days before the deadline (``FilingWindow.
   reminder_days``): remind the units that have not filed.
3. :func:`mark_late` — the day after the deadline (the deadline day itself is on time): the
   units without a filed table are marked late and their county told; under 济南 第十九条第7项
   a late table is at once a ground for removal, under 洛阳 第十八条(二) only with a refused
   on-site check (dynamic_mgmt.services.table.record_onsite_refusal), under the 大连 notice
   not at all.
4. :func:`check_indicators` — each newly filed table against the rules of the unit's policy
   (with the reference values of its application): a key indicator that no longer meets its
   requirement raises a proposal where the policy provides for it, under its own article
   (removal_grounds.INDICATOR_GROUNDS: 洛阳 第十八条(一), 大连 三; 济南 none). A worsening
   against last year within the requirement is a warning on the table pages, never a proposal.
5. :func:`re_reviews` — 济南 第十五条: notify ahead of a term's end, open the re-review case on
   the day (the city decides in dynamic_mgmt.services.rereview).
6. :func:`recheck_credit` — the negative list of the unit's policy against the latest credit
   data (applications.CreditEvent): a unit that now falls under it gets a removal proposal.
7. :func:`benchmarks` — 对标: the quartiles of the green factories' energy, water and carbon
   per unit of product per region and industry, recomputed for the recent years
   (dynamic_mgmt.services.benchmark), which the pre-check compares applicants with.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from applications.models import Application, CreditEvent
from applications.selectors.credit import counting_credit_events, credit_facts
from dynamic_mgmt import indicators as indicator_defs
from dynamic_mgmt.models import AnnualTable, FilingWindow, ReReviewCase, ScheduleMark
from dynamic_mgmt.policy import policy_of_path
from dynamic_mgmt.removal_grounds import Ground, ground, indicator_ground, late_table_ground
from dynamic_mgmt.services.benchmark import recompute_recent
from dynamic_mgmt.services.removal import Proposal, propose_many
from dynamic_mgmt.services.table import SOURCE_LATE, late_reason
from greenmfg.accounts.roles import Role
from greenmfg.accounts.selectors import bureau_users, unit_users
from greenmfg.audit.models import AuditEntry
from greenmfg.audit.services import audit_many, audit_query, audit_record
from greenmfg.core import clock
from greenmfg.core.bulk import (
    ANALYZE_AFTER,
    WorkList,
    analyze,
    insert_rows,
    insert_select,
    keyset_pages,
    page_transaction,
    work_list,
)
from greenmfg.notifications.bulk import Notice, group_notices, send_notices, send_notices_query
from greenmfg.notifications.models import Notification
from greenmfg.rules import UnknownPolicy, UnsupportedUnitType
from greenmfg.rules.registry import get_policy, policy_rules
from registry.models import Listing, RemovalProposal
from registry.services.listing import listings_transition_many
from registry.workflow import START_RE_REVIEW

# A sweep that did not run on the day after a deadline (a server down) catches up this long.
LATE_CATCH_UP_DAYS = 30
# 济南 第十五条: the unit and its county are told this many days before the term ends.
RE_REVIEW_NOTICE_DAYS = getattr(settings, "RE_REVIEW_NOTICE_DAYS", 90)
# A unit is on its list while active or under re-review.
ON_LIST = (Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)

# Marks whose kind ScheduleMark.Kind does not name yet (the column takes any text).
INDICATOR_MARK = "indicator"

SWEEPS = ("windows", "reminders", "late", "indicators", "re_reviews", "credit", "benchmarks")


@dataclass
class SweepResult:
    """What one sweep did on one day, for the command's output and the task's result."""

    sweep: str
    today: datetime.date
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, number: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    def as_dict(self) -> dict:
        return {
            "sweep": self.sweep,
            "today": self.today.isoformat(),
            "counts": dict(self.counts),
            "notes": list(self.notes),
        }


# --- claims and candidates ------------------------------------------------------------------------


def claim(kind: str, pairs: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Create the marks (kind, listing, key) not made before; return the (listing, key) pairs
    this call created. The caller acts on exactly those."""
    return insert_rows(
        ScheduleMark,
        [{"kind": kind, "listing_id": listing_id, "key": key} for listing_id, key in pairs],
        conflict=("kind", "listing", "key"),
        returning=("listing", "key"),
    )


def claim_page(work: WorkList, kind: str, key: str, page: Sequence[int]) -> list:
    """Claim the mark (kind, listing, key) for the listings of a page of a sweep's work list
    (:func:`greenmfg.core.bulk.work_list`), and read the :data:`LISTING_FIELDS` rows of those
    this call claimed: the sweep acts on exactly those (``work.claimed()`` names them to the
    page's set-based writes). Call in the page's transaction."""
    if not work.claim(ScheduleMark, "listing", {"kind": kind, "key": key}, page):
        return []
    # The listings claimed, by the work list's page table (no list of thousands of parameters).
    rows = Listing.objects.filter(work.claimed_q("pk")).order_by("pk")
    return list(rows.values_list("pk", *LISTING_FIELDS))


def _marked(kind: str, key) -> Exists:
    """A listing already has the mark ``kind`` with ``key`` (a value or an expression)."""
    return Exists(ScheduleMark.objects.filter(kind=kind, key=key, listing_id=OuterRef("pk")))


def _filed(year) -> Exists:
    return Exists(
        AnnualTable.objects.filter(
            listing_id=OuterRef("pk"), year=year, status=AnnualTable.Status.FILED
        )
    )


def covered_listings(window: FilingWindow) -> QuerySet[Listing]:
    """The units a filing window governs: on a list of its level, in its jurisdiction's
    subtree, listed by the day it opens — less those under a nearer window of the same level
    and year (a city's own date inside a province's, as dynamic_mgmt.services.window.
    window_for decides)."""
    listings = Listing.objects.filter(
        status__in=ON_LIST,
        level=window.level,
        jurisdiction__path__startswith=window.jurisdiction.path,
        listed_on__lte=window.opens_on,
    )
    nearer = (
        FilingWindow.objects.filter(
            level=window.level,
            year=window.year,
            jurisdiction__path__startswith=window.jurisdiction.path,
        )
        .exclude(jurisdiction_id=window.jurisdiction_id)
        .values_list("jurisdiction__path", flat=True)
    )
    excluded = Q()
    for path in nearer:
        excluded |= Q(jurisdiction__path__startswith=path)
    return listings.exclude(excluded) if excluded else listings


LISTING_FIELDS = (
    "organisation_id",
    "unit_name",
    "jurisdiction_id",
    "authority_id",
    "batch__policy",
    "authority__jurisdiction__path",
    "jurisdiction__path",
)


@dataclass(frozen=True)
class Unit:
    """The columns of a listing a sweep needs, read with the page (no query per unit)."""

    pk: int
    organisation_id: int
    name: str
    jurisdiction_id: int
    authority_id: int
    policy: str

    @classmethod
    def from_row(cls, row) -> Unit:
        pk, organisation_id, name, jurisdiction_id, authority_id, batch_policy, auth_path, path = (
            row[:8]
        )
        policy = batch_policy or _policy_of_paths(auth_path, path)
        return cls(pk, organisation_id, name, jurisdiction_id, authority_id, policy)


@functools.lru_cache(maxsize=4096)
def _policy_of_paths(authority_path: str, path: str) -> str:
    """The policy of a unit without a batch: its authority's city's, else its own city's. A
    page of thousands of units has a few dozen of these pairs."""
    return policy_of_path(authority_path) or policy_of_path(path)


def _analyze_after(result: SweepResult, count: str, *written) -> None:
    """After tens of thousands of new rows (greenmfg.core.bulk.ANALYZE_AFTER), refresh the
    statistics of the tables written: the next sweeps (and the officials' pages) are planned on
    the tables as they now are, not as autovacuum last saw them."""
    if result.counts.get(count, 0) >= ANALYZE_AFTER:
        analyze(*written)


# --- notices --------------------------------------------------------------------------------------


def _my_tables() -> str:
    return _link("dynamic_mgmt:table-mine")


def _link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("dashboard")


def _names_by(units: Iterable[Unit], key: Callable[[Unit], int]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = defaultdict(list)
    for unit in units:
        groups[key(unit)].append(unit.name)
    return groups


def _unit_notices_claimed(work: WorkList, subject: str, body: str, link: str = "") -> int:
    """:func:`_unit_notices` for the units of the page just claimed from ``work``, built by the
    database in one ``INSERT … SELECT`` (greenmfg.notifications.bulk.send_notices_query): one
    notice to each applicant account of each unit, ``body`` naming ``%(unit)s``; the count."""
    marker = "\x00"
    parts = (body % {"unit": marker}).split(marker)
    pieces: list = [Value(parts[0])]
    for part in parts[1:]:
        pieces += [F("unit_name"), Value(part)]
    recipients = Listing.objects.filter(
        work.claimed_q("pk"),
        organisation__users__is_active=True,
        organisation__users__role=Role.APPLICANT,
    )
    return send_notices_query(
        recipients,
        recipient=F("organisation__users__id"),
        email="organisation__users__email",
        subject=subject,
        body=Concat(*pieces, output_field=TextField()) if len(pieces) > 1 else pieces[0],
        link=link,
    )


def _unit_notices(units: Sequence[Unit], subject: str, body: str, link: str = "") -> list[Notice]:
    """One notice to each applicant account of each unit; ``body`` may name ``%(unit)s``."""
    users = unit_users(unit.organisation_id for unit in units)
    return [
        Notice(user_id, email, subject, body % {"unit": unit.name}, link)
        for unit in units
        for user_id, email in users.get(unit.organisation_id, ())
    ]


def _county_notices(units: Sequence[Unit], subject: str, body: str, link: str = "") -> list[Notice]:
    """One notice per county (the bureau of the units' jurisdiction) naming its units;
    ``subject`` and ``body`` may use ``%(count)d`` and ``%(names)s``."""
    groups = _names_by(units, lambda unit: unit.jurisdiction_id)
    return group_notices(groups, bureau_users(jurisdiction_ids=groups), subject, body, link)


def _authority_notices(
    units: Sequence[Unit], subject: str, body: str, link: str = ""
) -> list[Notice]:
    """As :func:`_county_notices`, to the officials of the bureau that published the list."""
    groups = _names_by(units, lambda unit: unit.authority_id)
    return group_notices(groups, bureau_users(organisation_ids=groups), subject, body, link)


def _proposal(unit: Unit, source: str, rule: Ground, reason: str) -> Proposal:
    """A proposal for removal_services.propose_many, from the columns read with the page."""
    return Proposal(unit.pk, unit.name, unit.authority_id, source, rule, reason)


# --- 1. open the windows --------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return value.strftime("%Y-%m-%d")


def open_windows(today: datetime.date) -> SweepResult:
    """Windows whose first day has come (and whose deadline has not passed): notify every unit
    they cover, once, and record the window as opened."""
    result = SweepResult("windows", today)
    windows = FilingWindow.objects.filter(
        opens_on__lte=today, deadline__gte=today, opened_at__isnull=True
    ).select_related("jurisdiction")
    for window in windows:
        key = str(window.year)
        candidates = covered_listings(window).exclude(_marked(ScheduleMark.Kind.WINDOW_OPEN, key))
        subject = _("%(year)d年度动态管理表开始填报") % {"year": window.year}
        body = _(
            "%%(unit)s：%(year)d年度动态管理表已开放填报，请于 %(deadline)s 前在平台填报本单位"
            "关键指标并提交。%(citation)s"
        ) % {
            "year": window.year,
            "deadline": _day(window.deadline),
            "citation": window.citation.replace("%", "%%"),
        }
        with work_list(candidates) as work:
            for page in work.pages():
                with page_transaction():
                    values = {"kind": ScheduleMark.Kind.WINDOW_OPEN, "key": key}
                    claimed = work.claim(ScheduleMark, "listing", values, page)
                    result.add("units_notified", len(claimed))
                    if claimed:
                        sent = _unit_notices_claimed(work, subject, body, _my_tables())
                        result.add("notifications", sent)
        with page_transaction():
            locked = FilingWindow.objects.select_for_update().get(pk=window.pk)
            if locked.opened_at is None:
                locked.opened_at = clock.now()
                locked.save(update_fields=["opened_at"])
                audit_record(
                    subject=locked,
                    actor=None,
                    action="open",
                    action_label=_("开放填报并通知名单单位"),
                    data={"on": today.isoformat()},
                )
                result.add("windows_opened")
                result.notes.append(str(locked))
    _analyze_after(result, "units_notified", ScheduleMark, Notification)
    return result


# --- 2. reminders ---------------------------------------------------------------------------------


def reminder_due(window: FilingWindow, today: datetime.date) -> int | None:
    """The reminder (days before the deadline) due on ``today``: the latest whose day has come
    and not gone past the deadline, so a missed night is caught up once; None for none."""
    days_left = (window.deadline - today).days
    if days_left < 0:
        return None
    due = [
        int(n)
        for n in window.reminder_days or ()
        if int(n) >= days_left
        and window.deadline - datetime.timedelta(days=int(n)) >= window.opens_on
    ]
    return min(due) if due else None


def send_reminders(today: datetime.date) -> SweepResult:
    """On the reminder days of each open window, remind the units that have not filed: once
    per (unit, year:days)."""
    result = SweepResult("reminders", today)
    windows = FilingWindow.objects.filter(
        opened_at__isnull=False, opens_on__lte=today, deadline__gte=today
    ).select_related("jurisdiction")
    for window in windows:
        n = reminder_due(window, today)
        if n is None:
            continue
        key = f"{window.year}:{n}"
        candidates = (
            covered_listings(window)
            .exclude(_filed(window.year))
            .exclude(_marked(ScheduleMark.Kind.REMINDER, key))
        )
        days_left = (window.deadline - today).days
        subject = (
            _("动态管理表填报提醒：距截止还有 %(days)d 天") % {"days": days_left}
            if days_left
            else _("动态管理表填报提醒：今天截止")
        )
        body = _(
            "%%(unit)s：%(year)d年度动态管理表将于 %(deadline)s 截止填报，贵单位尚未提交，"
            "请尽快填报。逾期未填报将按动态管理有关规定处理。"
        ) % {"year": window.year, "deadline": _day(window.deadline)}
        with work_list(candidates) as work:
            for page in work.pages():
                with page_transaction():
                    values = {"kind": ScheduleMark.Kind.REMINDER, "key": key}
                    claimed = work.claim(ScheduleMark, "listing", values, page)
                    result.add("units_reminded", len(claimed))
                    if claimed:
                        sent = _unit_notices_claimed(work, subject, body, _my_tables())
                        result.add("notifications", sent)
        result.notes.append(f"{window}: {key}")
    _analyze_after(result, "units_reminded", ScheduleMark, Notification)
    return result


# --- 3. late tables -------------------------------------------------------------------------------


def mark_late(today: datetime.date) -> SweepResult:
    """From the day after a deadline: mark the units without a filed table late (their table,
    made if missing, stays a draft), tell them and their county, and open a removal proposal
    where the unit's policy makes a late table a ground on its own (济南 第十九条第7项)."""
    result = SweepResult("late", today)
    windows = FilingWindow.objects.filter(
        deadline__lt=today,
        deadline__gte=today - datetime.timedelta(days=LATE_CATCH_UP_DAYS),
    ).select_related("jurisdiction")
    for window in windows:
        year, key = window.year, str(window.year)
        candidates = (
            covered_listings(window)
            .exclude(_filed(year))
            .exclude(_marked(ScheduleMark.Kind.LATE, key))
        )
        with work_list(candidates) as work:
            for page in work.pages():
                with page_transaction():
                    units = [
                        Unit.from_row(row)
                        for row in claim_page(work, ScheduleMark.Kind.LATE, key, page)
                    ]
                    if not units:
                        continue
                    _late_page(window, work, units, result)
        result.notes.append(f"{window}: {_('截止')} {_day(window.deadline)}")
    _analyze_after(
        result, "units_late", ScheduleMark, AnnualTable, AuditEntry, Notification, RemovalProposal
    )
    return result


def _late_page(window: FilingWindow, work: WorkList, units: list[Unit], result: SweepResult):
    """The writes of a page of late units (``units``, the listings just claimed from ``work``),
    set-based over the work list's page table: their tables updated or made, an audit entry
    for each, their notices and the proposals their policy provides for."""
    year = window.year
    tables = AnnualTable.objects.filter(work.claimed_q("listing_id"), year=year)
    # A refused on-site check recorded before the deadline passed makes a late table a ground
    # under 洛阳 第十八条(二); the other existing tables are drafts, updated in place.
    refused = dict(
        tables.filter(onsite_refused_on__isnull=False).values_list(
            "listing_id", "onsite_refused_on"
        )
    )
    tables.update(late=True, status=AnnualTable.Status.DRAFT, updated_at=clock.now())
    missing = Listing.objects.filter(work.claimed_q("pk")).exclude(
        Exists(AnnualTable.objects.filter(listing_id=OuterRef("pk"), year=year))
    )
    made = insert_select(
        AnnualTable,
        missing,
        {"listing_id": F("pk"), "window_id": window.pk, "year": year, "late": True},
    )
    result.add("units_late", len(units))
    result.add("tables_created", made)
    audit_query(
        tables,
        text=Concat(F("listing__unit_name"), Value(f" {year}"), output_field=CharField()),
        action="mark_late",
        action_label=_("逾期未填报"),
        data={"window": window.pk, "deadline": window.deadline.isoformat()},
    )
    deadline = _day(window.deadline)
    sent = _unit_notices_claimed(
        work,
        _("%(year)d年度动态管理表逾期未填报") % {"year": year},
        _(
            "%%(unit)s：%(year)d年度动态管理表已于 %(deadline)s 截止填报，贵单位未按时提交，"
            "已记为逾期填报。请尽快补报，并配合主管部门的现场复核。"
        )
        % {"year": year, "deadline": deadline},
        _my_tables(),
    )
    notices = _county_notices(
        units,
        _("逾期未填报动态管理表的名单单位（%%(count)d 家，%(year)d年度）") % {"year": year},
        _(
            "%(year)d年度动态管理表已于 %(deadline)s 截止，本辖区以下 %%(count)d 家名单单位"
            "未按时提交，已记为逾期：%%(names)s。单位不配合现场复核的，请在平台记录。"
        )
        % {"year": year, "deadline": deadline},
        _link("dynamic_mgmt:table-overview"),
    )
    result.add("notifications", sent + send_notices(notices))
    proposals = []
    reasons: dict[tuple, str] = {}  # the same few sentences for thousands of units
    for unit in units:
        refused_on = refused.get(unit.pk)
        rule = late_table_ground(unit.policy, onsite_refused=refused_on is not None)
        if rule is not None:
            if (rule, refused_on) not in reasons:
                reasons[rule, refused_on] = late_reason(
                    year, window.deadline, rule, refused_on=refused_on
                )
            proposals.append(_proposal(unit, SOURCE_LATE, rule, reasons[rule, refused_on]))
    result.add(
        "proposals",
        len(propose_many(proposals, action_label=_("逾期未填报动态管理表，建议移出名单"))),
    )


# --- 4. indicators --------------------------------------------------------------------------------


# The reference value a key indicator is held to where the unit's policy has no rule for it
# (first one present wins), and whether the indicator must stay at or below it.
REFERENCE_LIMITS: dict[str, tuple[tuple[str, ...], bool]] = {
    "energy_per_unit": (("energy_quota_per_unit", "industry_avg_energy_per_unit"), True),
    "carbon_per_unit": (("industry_avg_carbon_per_unit",), True),
    "pollutant_per_unit": (("industry_avg_pollutant_per_unit",), True),
    "solid_waste_utilisation_rate": (("industry_avg_solid_waste_utilisation_rate",), False),
}


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def indicator_shortfalls(
    *, policy: str, unit_type: str, values: dict, application_facts: dict
) -> list[str]:
    """The key indicators of a filed table that no longer meet their requirement, each as a
    sentence with its numbers: the table's indicators as facts (dynamic_mgmt.indicators.
    facts_from) over the reference values and declarations of the unit's application, through
    every rule of the unit's policy that reads them (a rule that fails with all its facts known
    is a shortfall, cited by its own article); an indicator no rule of the policy reads is held
    to its reference value (:data:`REFERENCE_LIMITS`) where the application had one.

    Only the requirement counts: a worsening against last year within it is not a shortfall
    (dynamic_mgmt.indicators.worsenings shows it as a warning).
    """
    found: list[str] = []
    table_facts = indicator_defs.facts_from(unit_type, values)
    facts = {**application_facts, **table_facts}
    judged: set[str] = set()
    try:
        rules = policy_rules(policy, unit_type) if policy else ()
    except (UnknownPolicy, UnsupportedUnitType):
        rules = ()
    for rule in rules:
        if not set(rule.reads) & set(table_facts):
            continue
        finding = rule(facts)
        read = set(rule.reads) & set(table_facts)
        # A rule that decided on other facts (大连 一(一) on the declaration, for want of the
        # region's figures), or could not decide, has not judged the table's: they are still
        # held to their reference value below.
        judged.update(read & set(finding.values))
        if not finding.passed and not finding.missing_facts and not finding.advisory:
            found.append(
                _("%(message)s（%(citation)s）")
                % {"message": finding.message, "citation": finding.citation}
            )
    for key, value in table_facts.items():
        if key in judged or key not in REFERENCE_LIMITS:
            continue
        limits, at_most = REFERENCE_LIMITS[key]
        number = _number(value)
        limit_key = next((k for k in limits if _number(facts.get(k)) is not None), None)
        if number is None or limit_key is None:
            continue
        limit = _number(facts[limit_key])
        if (number > limit) if at_most else (number < limit):
            item = next(
                (i for i in indicator_defs.indicators_for(unit_type) if i.fact_key == key), None
            )
            label = str(item.label) if item else key
            found.append(
                _("%(label)s %(value)s %(verb)s申报时的参考值 %(limit)s")
                % {
                    "label": label,
                    "value": indicator_defs.format_number(number),
                    "verb": _("高于") if at_most else _("低于"),
                    "limit": indicator_defs.format_number(limit),
                }
            )
    return found


def indicator_reason(*, policy: str, year: int, shortfalls: Sequence[str]) -> str:
    """The proposal's reason: the shortfalls and the ground of the unit's own policy (its
    document and article), never another city's."""
    rule = indicator_ground(policy)
    try:
        document = get_policy(policy).title
    except UnknownPolicy:
        document = ""
    return _(
        "%(year)d年度动态管理表关键指标不符合要求：%(items)s。依据%(document)s%(article)s：%(wording)s。"
    ) % {
        "year": year,
        "items": "；".join(shortfalls),
        "document": f"《{document}》" if document else "",
        "article": rule.article,
        "wording": rule.wording,
    }


def check_indicators(today: datetime.date) -> SweepResult:
    """Every filed table not compared yet, once per (unit, year): where the unit's policy
    provides a ground for it (removal_grounds.indicator_ground), a key indicator that no longer
    meets its requirement raises a proposal under that policy's article. Under a policy without
    one (济南) the table is marked compared and nothing is raised."""
    result = SweepResult("indicators", today)
    compared = Exists(
        ScheduleMark.objects.filter(
            kind=INDICATOR_MARK,
            listing_id=OuterRef("listing_id"),
            key=Cast(OuterRef("year"), output_field=CharField()),
        )
    )
    tables = AnnualTable.objects.filter(
        status=AnnualTable.Status.FILED, listing__status__in=ON_LIST
    ).exclude(compared)
    fields = (
        "listing_id",
        "year",
        "indicators",
        "listing__unit_type",
        "listing__application_id",
        *(f"listing__{name}" for name in LISTING_FIELDS),
    )
    for rows in keyset_pages(tables, fields):
        with page_transaction():
            claimed = set(claim(INDICATOR_MARK, ((row[1], str(row[2])) for row in rows)))
            rows = [row for row in rows if (row[1], str(row[2])) in claimed]
            if not rows:
                continue
            result.add("tables_compared", len(rows))
            units = [(row, Unit.from_row((row[1], *row[6:]))) for row in rows]
            # Only the policies that provide for it are judged (and read their applications).
            units = [(row, unit) for row, unit in units if indicator_ground(unit.policy)]
            applications = {
                pk: {
                    **(reference or {}),
                    **{k: v for k, v in (declared or {}).items() if v is not None},
                }
                for pk, reference, declared in Application.objects.filter(
                    pk__in={row[5] for row, _unit in units if row[5]}
                ).values_list("pk", "reference_facts", "facts")
            }
            proposals = []
            for row, unit in units:
                _pk, _listing_id, year, values, unit_type, application_id = row[:6]
                shortfalls = indicator_shortfalls(
                    policy=unit.policy,
                    unit_type=unit_type,
                    values=values or {},
                    application_facts=applications.get(application_id, {}),
                )
                if shortfalls:
                    rule = indicator_ground(unit.policy)
                    reason = indicator_reason(policy=unit.policy, year=year, shortfalls=shortfalls)
                    source = RemovalProposal.Source.INDICATOR
                    proposals.append(_proposal(unit, source, rule, reason))
            result.add(
                "proposals",
                len(propose_many(proposals, action_label=_("关键指标不符合要求，提出移出建议"))),
            )
    return result


# --- 5. Jinan's three-year re-reviews -------------------------------------------------------------


RE_REVIEW_FIELDS = (*LISTING_FIELDS, "valid_until")


def re_reviews(today: datetime.date) -> SweepResult:
    """济南 第十五条: tell the unit and its county :data:`RE_REVIEW_NOTICE_DAYS` days before its
    term ends (once per term), and on the day open the re-review case (once per term): the
    unit goes under re-review until the city extends or ends it."""
    result = SweepResult("re_reviews", today)
    horizon = today + datetime.timedelta(days=RE_REVIEW_NOTICE_DAYS)
    ahead = Listing.objects.filter(
        status__in=ON_LIST, valid_until__gt=today, valid_until__lte=horizon
    ).exclude(
        _marked(
            ScheduleMark.Kind.RE_REVIEW_NOTICE,
            Cast(OuterRef("valid_until"), output_field=CharField()),
        )
    )
    for rows in keyset_pages(ahead, RE_REVIEW_FIELDS):
        with page_transaction():
            claimed = set(
                claim(ScheduleMark.Kind.RE_REVIEW_NOTICE, ((r[0], r[8].isoformat()) for r in rows))
            )
            picked = [row for row in rows if (row[0], row[8].isoformat()) in claimed]
            result.add("units_notified", len(picked))
            result.add("notifications", send_notices(_re_review_notices(picked, opening=False)))

    due = Listing.objects.filter(status__in=ON_LIST, valid_until__lte=today).exclude(
        Exists(
            ReReviewCase.objects.filter(listing_id=OuterRef("pk"), due_on=OuterRef("valid_until"))
        )
    )
    for rows in keyset_pages(due, RE_REVIEW_FIELDS):
        with page_transaction():
            _open_cases(rows, today, result)
    return result


def _open_cases(rows, today: datetime.date, result: SweepResult) -> None:
    created = insert_rows(
        ReReviewCase,
        [{"listing_id": row[0], "due_on": row[8]} for row in rows],
        conflict=("listing", "due_on"),
        returning=("id", "listing"),
    )
    if not created:
        return
    case_of = {listing_id: case_id for case_id, listing_id in created}
    picked = [row for row in rows if row[0] in case_of]
    listings_transition_many(
        event=START_RE_REVIEW,
        reasons={
            row[0]: _("有效期至 %(date)s，三年期满，启动复审（济南 第十五条）。")
            % {"date": _day(row[8])}
            for row in picked
        },
        on=today,
        new_value=_("启动复审"),
        service="re_reviews",
    )
    audit_many(
        ReReviewCase,
        [(case_of[row[0]], f"{row[2]} {_day(row[8])}") for row in picked],
        action="open",
        action_label=_("三年期满，启动复审"),
        to_state=ReReviewCase.Status.OPEN,
        state_labels=dict(ReReviewCase.Status.choices),
    )
    result.add("cases_opened", len(picked))
    notices = _re_review_notices(picked, opening=True)
    units = [Unit.from_row(row) for row in picked]
    notices += _authority_notices(
        units,
        _("三年期满复审（%(count)d 家）"),
        _("以下 %(count)d 家名单单位三年期满，已启动复审，请作出延长或移出的结论：%(names)s。"),
        _link("dynamic_mgmt:rereview-list"),
    )
    result.add("notifications", send_notices(notices))


def _re_review_notices(rows, *, opening: bool) -> list[Notice]:
    """The unit's and its county's notices of a term's end (ahead, or on the day)."""
    notices: list[Notice] = []
    by_end: dict[datetime.date, list[Unit]] = defaultdict(list)
    for row in rows:
        by_end[row[8]].append(Unit.from_row(row))
    for end, units in by_end.items():
        facts = {"date": _day(end)}
        if opening:
            subject = _("名单有效期已满，启动复审")
            body = (
                _(
                    "%%(unit)s：贵单位名单有效期至 %(date)s，三年期满，"
                    "已启动复审（济南 第十五条）。请配合主管部门复审。"
                )
                % facts
            )
            county_subject = _("三年期满复审已启动（%%(count)d 家，有效期至 %(date)s）") % facts
            county_body = (
                _("本辖区以下 %%(count)d 家名单单位有效期至 %(date)s，已启动复审：%%(names)s。")
                % facts
            )
        else:
            subject = _("名单有效期将于 %(date)s 届满") % facts
            body = (
                _(
                    "%%(unit)s：贵单位名单有效期至 %(date)s，期满后将进行复审（济南 第十五条），"
                    "请提前做好准备。"
                )
                % facts
            )
            county_subject = _("名单单位三年期满提示（%%(count)d 家，有效期至 %(date)s）") % facts
            county_body = (
                _("本辖区以下 %%(count)d 家名单单位有效期至 %(date)s，期满后复审：%%(names)s。")
                % facts
            )
        link = _link("dynamic_mgmt:rereview-list") if opening else _link("dashboard")
        notices += _unit_notices(units, subject, body)
        notices += _county_notices(units, county_subject, county_body, link)
    return notices


# --- 6. credit re-check ---------------------------------------------------------------------------

# 济南 第十九条 names the grounds of the credit data one by one; the others cite their list.
JINAN_CREDIT_GROUNDS = {
    CreditEvent.Kind.DEREGISTERED: "not_operating",
    CreditEvent.Kind.ABNORMAL_OPERATIONS: "not_operating",
    CreditEvent.Kind.SERIOUS_ILLEGAL_DISHONEST: "not_operating",
    CreditEvent.Kind.DISHONEST_JUDGMENT_DEBTOR: "dishonest",
    CreditEvent.Kind.ENERGY_SUPERVISION: "energy_supervision",
    CreditEvent.Kind.REMOVED_FROM_LIST: "removed_elsewhere",
    CreditEvent.Kind.INSPECTION_PROBLEM: "inspection",
}
# 大连 三: accidents and tax evasion found after listing.
DALIAN_CREDIT_GROUNDS = {
    CreditEvent.Kind.ACCIDENT_SAFETY: "incident",
    CreditEvent.Kind.ACCIDENT_CYBER: "incident",
    CreditEvent.Kind.ACCIDENT_QUALITY: "incident",
    CreditEvent.Kind.ACCIDENT_ENVIRONMENT: "incident",
    CreditEvent.Kind.TAX_VIOLATION: "incident",
}


def credit_ground(policy: str, kind: str) -> Ground | None:
    specific = {"jinan-2024": JINAN_CREDIT_GROUNDS, "dalian-2022-national": DALIAN_CREDIT_GROUNDS}
    code = specific.get(policy, {}).get(kind, "negative_list")
    return ground(policy, code) or ground(policy, "negative_list")


def live_credit_events(today: datetime.date) -> QuerySet[CreditEvent]:
    """The events that count on ``today``, read as the application pre-check reads them
    (applications.selectors.credit.counting_credit_events): a listing not removed by then, a
    失信被执行人 listing open on any day of the last three years even if since removed (洛阳
    第十五条(六), 济南 第六条5, 大连 一 say only 近三年), or a one-off event of the three years."""
    return counting_credit_events(as_of=today)


def recheck_credit(today: datetime.date) -> SweepResult:
    """Every credit event that counts today against the units on a list with its credit code:
    the negative-list rules of the unit's policy that read it are run again on the credit
    facts (applications.selectors.credit.credit_facts); a failed rule raises a proposal, once
    per (unit, credit event)."""
    result = SweepResult("credit", today)
    listed = Listing.objects.filter(status__in=ON_LIST, credit_code=OuterRef("credit_code"))
    events = live_credit_events(today).filter(Exists(listed))
    for rows in keyset_pages(events, ("credit_code", "kind")):
        with page_transaction():
            kinds = {pk: (code, kind) for pk, code, kind in rows}
            units = Listing.objects.filter(
                status__in=ON_LIST, credit_code__in={code for code, _kind in kinds.values()}
            ).values_list("credit_code", "unit_type", "pk", *LISTING_FIELDS)
            by_code: dict[str, list[tuple[str, Unit]]] = defaultdict(list)
            for code, unit_type, *row in units:
                by_code[code].append((unit_type, Unit.from_row(row)))
            pairs = [
                (unit.pk, str(event_id))
                for event_id, (code, _kind) in kinds.items()
                for _type, unit in by_code[code]
            ]
            claimed = claim(ScheduleMark.Kind.CREDIT_CHECK, pairs)
            result.add("pairs_checked", len(claimed))
            proposals = _credit_proposals(claimed, kinds, by_code, today)
            result.add(
                "proposals",
                len(propose_many(proposals, action_label=_("信用数据复核，建议移出名单"))),
            )
    return result


def _credit_proposals(claimed, kinds, by_code, today) -> list[Proposal]:
    """The proposals of the claimed (unit, event) pairs: credit facts once per unit."""
    units = {
        unit.pk: (unit_type, unit, code)
        for code, items in by_code.items()
        for unit_type, unit in items
    }
    facts_of: dict[int, dict] = {}
    proposals = []
    for listing_id, event_key in claimed:
        unit_type, unit, code = units[listing_id]
        _code, kind = kinds[int(event_key)]
        if listing_id not in facts_of:
            facts_of[listing_id] = credit_facts(credit_code=code, as_of=today)
        credit = facts_of[listing_id]
        facts = {key: fact.value for key, fact in credit.items()}
        try:
            rules = policy_rules(unit.policy, unit_type) if unit.policy else ()
        except (UnknownPolicy, UnsupportedUnitType):
            rules = ()
        failed = [
            finding
            for finding in (rule(facts) for rule in rules if kind in rule.reads)
            if not finding.passed and not finding.missing_facts
        ]
        rule_ground = credit_ground(unit.policy, kind)
        if not failed or rule_ground is None:
            continue
        source = credit[kind].source if kind in credit else ""
        reason = _("信用数据复核：%(findings)s。%(source)s。依据%(article)s：%(wording)s。") % {
            "findings": "；".join(f"{f.message}（{f.citation}）" for f in failed),
            "source": source,
            "article": rule_ground.article,
            "wording": rule_ground.wording,
        }
        proposals.append(_proposal(unit, RemovalProposal.Source.CREDIT, rule_ground, reason))
    return proposals


# --- 对标 ---------------------------------------------------------------------------------------


def benchmarks(today: datetime.date) -> SweepResult:
    """The quartiles of the green factories' intensities per region and industry, recomputed
    for the recent years from the filed tables (dynamic_mgmt.services.benchmark)."""
    result = SweepResult("benchmarks", today)
    for run in recompute_recent(today=today):
        result.add("tables", run.tables)
        result.add("benchmarks", run.rows)
    return result


# --- all of them ----------------------------------------------------------------------------------

RUNNERS: dict[str, Callable[[datetime.date], SweepResult]] = {
    "windows": open_windows,
    "reminders": send_reminders,
    "late": mark_late,
    "indicators": check_indicators,
    "re_reviews": re_reviews,
    "credit": recheck_credit,
    "benchmarks": benchmarks,
}


def run_all(today: datetime.date, *, only: Iterable[str] | None = None) -> list[SweepResult]:
    """Every sweep (or those named) for ``today``, in the nightly order."""
    wanted = list(only) if only else list(SWEEPS)
    return [RUNNERS[name](today) for name in SWEEPS if name in wanted]
