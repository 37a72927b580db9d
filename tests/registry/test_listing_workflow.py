"""名单的一扇门: every change of a listing — listed, renamed, boundary or scope changed, under
re-review, re-reviewed, extended, removed — is an event of one table (registry.workflow),
taken through one door (registry.services.listing.listing_transition, or its set-based twin for the
nightly sweeps), which refuses what the table does not allow and writes one history entry
and one audit row per change."""

import datetime

import pytest

from greenmfg.accounts.roles import Role
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from registry import workflow as w
from registry.models import Listing, ListingEvent
from registry.services.listing import listing_transition, listings_transition_many
from tests.factories import ListingFactory

S = Listing.Status
OFFICIALS = {
    Role.COUNTY_OFFICIAL,
    Role.CITY_OFFICIAL,
    Role.PROVINCE_OFFICIAL,
    Role.NATIONAL_OFFICIAL,
    Role.SYSADMIN,
}
ROLES = [*Role.values, w.SERVICE]
IN_FORCE = (S.ACTIVE, S.UNDER_REVIEW)
# (state, event) -> (target, roles, sweep only): the whole table, written out by hand.
EXPECTED = {
    (w.NEW, w.LIST): (S.ACTIVE, OFFICIALS, False),
    # 导入: only through the import (registry.services.imports), never a button of its own.
    (w.NEW, w.IMPORT): (S.ACTIVE, OFFICIALS, True),
    **{(s, w.RENAME): (s, OFFICIALS, False) for s in IN_FORCE},
    **{(s, w.CHANGE_BOUNDARY): (s, OFFICIALS, False) for s in IN_FORCE},
    **{(s, w.CHANGE_SCOPE): (s, OFFICIALS, False) for s in IN_FORCE},
    (S.ACTIVE, w.START_RE_REVIEW): (S.UNDER_REVIEW, OFFICIALS | {w.SERVICE}, False),
    (S.UNDER_REVIEW, w.START_RE_REVIEW): (S.UNDER_REVIEW, {w.SERVICE}, True),
    **{(s, w.PASS_RE_REVIEW): (S.ACTIVE, OFFICIALS, False) for s in IN_FORCE},
    **{(s, w.EXTEND): (S.ACTIVE, OFFICIALS, False) for s in IN_FORCE},
    **{(s, w.FAIL_RE_REVIEW): (S.UNDER_REVIEW, OFFICIALS, False) for s in IN_FORCE},
    **{(s, w.REMOVE): (S.REMOVED, OFFICIALS, False) for s in IN_FORCE},
}
CASES = [(state, event, role) for state in w.STATES for event in w.EVENT_KINDS for role in ROLES]


# --- the table, without a database ---------------------------------------------------------------


@pytest.mark.parametrize(("state", "event", "role"), CASES)
def test_the_listing_table_allows_exactly_the_listed_state_event_and_role(state, event, role):
    """Each (state, event, role) leads where the table says, or is refused in Chinese."""
    expected = EXPECTED.get((state, event))
    if expected is not None and role in expected[1]:
        transition = w.listing_workflow.resolve(
            state=state, action=event, role=role, comment="理由", service="sweep"
        )
        assert transition.target == expected[0]
        assert transition.by_service == expected[2]
        return
    error = NotPermitted if expected is not None else DomainError
    with pytest.raises(error) as refused:
        w.listing_workflow.resolve(
            state=state, action=event, role=role, comment="理由", service="sweep"
        )
    assert "不能执行" in str(refused.value) or "无权执行" in str(refused.value)


def test_nothing_follows_a_removal():
    """已移出 is final: the table has no event from it."""
    assert w.listing_workflow.available(S.REMOVED, Role.SYSADMIN) == []
    assert not [t for t in w.listing_workflow.transitions if t.source == S.REMOVED]


def test_every_event_writes_a_history_entry_of_its_kind():
    assert set(w.EVENT_KINDS) == {t.action for t in w.listing_workflow.transitions}
    assert set(w.EVENT_KINDS.values()) == set(ListingEvent.Kind.values)


def test_the_sweep_starts_a_re_review_only_when_sent_by_a_sweep():
    """The start recorded on an open re-review is the sweep's, never taken by itself."""
    with pytest.raises(DomainError, match="不能单独办理"):
        w.listing_workflow.resolve(state=S.UNDER_REVIEW, action=w.START_RE_REVIEW, role=w.SERVICE)


# --- the door ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_door_refuses_to_rename_a_removed_listing_in_chinese():
    listing = ListingFactory(removed=True, unit_name="旧名称有限公司")

    with pytest.raises(DomainError) as refused:
        listing_transition(
            listing=listing,
            event=w.RENAME,
            actor=listing.created_by,
            unit_name="新名称有限公司",
        )

    assert str(refused.value) == "当前状态为「已移出」，不能执行「名称变更」。"
    listing.refresh_from_db()
    assert listing.unit_name == "旧名称有限公司"
    assert not listing.events.exists()
    assert not AuditEntry.objects.filter(object_id=str(listing.pk)).exists()


@pytest.mark.django_db
def test_the_door_refuses_a_role_the_table_does_not_name():
    listing = ListingFactory()
    with pytest.raises(NotPermitted, match="无权执行「移出名单」"):
        listing_transition(listing=listing, event=w.REMOVE, actor=None, comment="理由")
    listing.refresh_from_db()
    assert listing.status == S.ACTIVE


@pytest.mark.django_db
def test_each_change_writes_one_history_entry_and_one_audit_row():
    listing = ListingFactory()
    actor = listing.created_by
    day = listing.listed_on

    renamed = listing_transition(
        listing=listing,
        event=w.RENAME,
        actor=actor,
        on=day,
        old_value=listing.unit_name,
        new_value="新名称有限公司",
        unit_name="新名称有限公司",
    )
    started = listing_transition(listing=listing, event=w.START_RE_REVIEW, actor=actor, on=day)
    removed = listing_transition(
        listing=listing,
        event=w.REMOVE,
        actor=actor,
        on=day,
        comment="复审未通过",
        document_number="洛工信〔2026〕9号",
        removed_on=day,
    )

    listing.refresh_from_db()
    assert (listing.unit_name, listing.status, listing.removed_on) == (
        "新名称有限公司",
        S.REMOVED,
        day,
    )
    assert [e.kind for e in listing.events.order_by("id")] == [
        "name_change",
        "re_review",
        "removed",
    ]
    trail = AuditEntry.objects.filter(object_id=str(listing.pk)).order_by("id")
    assert [(a.action, a.from_state, a.to_state) for a in trail] == [
        ("name_change", S.ACTIVE, S.ACTIVE),
        ("re_review", S.ACTIVE, S.UNDER_REVIEW),
        ("removed", S.UNDER_REVIEW, S.REMOVED),
    ]
    assert [a.data["event"] for a in trail] == [renamed.pk, started.pk, removed.pk]
    assert trail.last().comment == removed.reason == "复审未通过"


@pytest.mark.django_db
def test_the_sweeps_bulk_door_writes_the_same_rows_as_the_door():
    """N listings at once: the same history entries and audit rows as one at a time."""
    day = datetime.date(2026, 6, 30)
    one = ListingFactory()
    many = [ListingFactory(), ListingFactory(), ListingFactory(status=S.UNDER_REVIEW)]
    removed = ListingFactory(removed=True)

    listing_transition(
        listing=one,
        event=w.START_RE_REVIEW,
        actor=None,
        on=day,
        comment="三年期满",
        new_value="启动复审",
        service="test",
    )
    changed = listings_transition_many(
        event=w.START_RE_REVIEW,
        reasons={listing.pk: "三年期满" for listing in [*many, removed]},
        on=day,
        new_value="启动复审",
        service="test",
    )

    assert changed == [listing.pk for listing in many]
    assert set(Listing.objects.filter(pk__in=changed).values_list("status", flat=True)) == {
        S.UNDER_REVIEW
    }
    assert not removed.events.exists()

    def history(listing):
        event = listing.events.get()
        return (event.kind, event.occurred_on, event.new_value, event.reason, event.created_by)

    def audit(listing):
        row = AuditEntry.objects.get(object_id=str(listing.pk))
        data = {key: value for key, value in row.data.items() if key not in ("event", "from_label")}
        return (
            row.object_repr == str(listing),
            row.actor_id,
            row.actor_name,
            row.actor_role,
            row.action,
            row.action_label,
            row.to_state,
            row.comment,
            data,
        )

    assert {history(listing) for listing in many} == {history(one)}
    for listing in many:
        assert audit(listing) == audit(one)
        row = AuditEntry.objects.get(object_id=str(listing.pk))
        assert row.data["event"] == listing.events.get().pk
    # The one already under re-review keeps its state, and says so.
    assert AuditEntry.objects.get(object_id=str(many[2].pk)).from_state == S.UNDER_REVIEW
    assert AuditEntry.objects.get(object_id=str(many[0].pk)).from_state == S.ACTIVE
