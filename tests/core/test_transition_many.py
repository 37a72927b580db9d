"""The set-based runner (greenmfg.core.transitions.run_transition_many), shown on listings as the
nightly sweeps move them: one statement per state left, one insert of audit rows, the same rows
the one-row runner writes, and the rows the table does not allow left alone."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from greenmfg.audit.models import AuditEntry
from greenmfg.core.transitions import run_transition, run_transition_many
from registry.models import Listing
from registry.workflow import SERVICE, START_RE_REVIEW, listing_workflow
from tests.registry.test_complaint_filing import (  # noqa: F401 - autouse: clears rate limits
    _fresh_rate_limits,
    listed_unit,
)

pytestmark = pytest.mark.django_db

S = Listing.Status
COMPARED = ("action", "action_label", "from_state", "to_state", "comment", "data", "actor_name")


def start_re_review(listings, **options):
    with transaction.atomic():
        return run_transition_many(
            workflow=listing_workflow,
            # What str(row) reads for the trail is joined, as a sweep's page does.
            queryset=Listing.objects.filter(
                pk__in=[listing.pk for listing in listings]
            ).select_related("organisation"),
            action=START_RE_REVIEW,
            service="test_sweep",
            role=SERVICE,
            **options,
        )


def trail(listing):
    return list(AuditEntry.objects.filter(object_id=str(listing.pk), action=START_RE_REVIEW))


def test_each_state_moves_as_the_table_says_and_the_rest_is_left_alone(demo):
    active, reviewing, removed = (
        listed_unit(status=S.ACTIVE),
        listed_unit(status=S.UNDER_REVIEW),
        listed_unit(status=S.REMOVED),
    )

    moved = start_re_review([removed, reviewing, active], comment="三年期满")

    assert [item.row.pk for item in moved] == sorted([active.pk, reviewing.pk])
    assert {item.row.pk: (item.from_state, item.row.status) for item in moved} == {
        active.pk: (S.ACTIVE, S.UNDER_REVIEW),
        reviewing.pk: (S.UNDER_REVIEW, S.UNDER_REVIEW),
    }
    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert (statuses[active.pk], statuses[reviewing.pk], statuses[removed.pk]) == (
        S.UNDER_REVIEW,
        S.UNDER_REVIEW,
        S.REMOVED,
    )
    [entry] = trail(active)
    assert (entry.from_state, entry.to_state, entry.comment) == (
        S.ACTIVE,
        S.UNDER_REVIEW,
        "三年期满",
    )
    assert (entry.actor_id, entry.actor_name, entry.actor_role) == (None, "系统", "")
    assert entry.data == {
        "from_label": listing_workflow.state_label(S.ACTIVE),
        "to_label": listing_workflow.state_label(S.UNDER_REVIEW),
    }
    assert len(trail(reviewing)) == 1  # a step that keeps the state is still on the trail
    assert trail(removed) == []


def test_its_audit_rows_are_those_of_the_one_row_runner(demo):
    one, many = listed_unit(), listed_unit()
    with transaction.atomic():
        run_transition(
            workflow=listing_workflow,
            instance=one,
            action=START_RE_REVIEW,
            actor=None,
            role=SERVICE,
            comment="三年期满",
            audit_data={"reason": "term"},
        )

    start_re_review([many], comment="三年期满", audit_data={"reason": "term"})

    [by_one], [by_many] = trail(one), trail(many)
    assert {f: getattr(by_one, f) for f in COMPARED} == {f: getattr(by_many, f) for f in COMPARED}
    assert by_many.object_repr == str(Listing.objects.get(pk=many.pk))
    assert by_many.content_type_id == by_one.content_type_id


def test_comments_per_row_hooks_and_the_audit_words_are_the_callers(demo):
    first, second = listed_unit(), listed_unit()
    seen = []

    start_re_review(
        [first, second],
        comment={first.pk: "第一家", second.pk: "第二家"},
        before_audit=lambda moved: seen.extend(item.row.pk for item in moved),
        action_label="三年期满，启动复审",
        audit_action="re_review",
        audit_data=lambda item: {"was": item.from_state},
    )

    assert seen == sorted([first.pk, second.pk])
    entries = AuditEntry.objects.filter(action="re_review", object_id__in=[first.pk, second.pk])
    assert sorted(entries.values_list("comment", flat=True)) == ["第一家", "第二家"]
    assert {entry.action_label for entry in entries} == {"三年期满，启动复审"}
    assert {entry.data["was"] for entry in entries} == {S.ACTIVE}


def test_a_page_costs_the_same_statements_whatever_its_size(demo):
    small = [listed_unit() for _ in range(2)]
    large = [listed_unit() for _ in range(6)]

    counts = []
    for listings in (small, large):
        with CaptureQueriesContext(connection) as queries:
            start_re_review(listings)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert Listing.objects.filter(status=S.UNDER_REVIEW).count() >= 8


def test_changes_go_in_the_same_update(demo):
    listing = listed_unit()
    start_re_review([listing], changes={"document_number": "洛工信〔2026〕1号"})

    listing.refresh_from_db()
    assert (listing.status, listing.document_number) == (S.UNDER_REVIEW, "洛工信〔2026〕1号")


def test_it_runs_only_inside_a_transaction(demo):
    listing = listed_unit()
    outside = mock.Mock(in_atomic_block=False)  # the test itself runs in a transaction
    with (
        mock.patch("greenmfg.core.transitions.transaction.get_connection", return_value=outside),
        pytest.raises(RuntimeError, match=r"transaction\.atomic"),
    ):
        run_transition_many(
            workflow=listing_workflow,
            queryset=Listing.objects.filter(pk=listing.pk),
            action=START_RE_REVIEW,
            service="test_sweep",
            role=SERVICE,
        )
    assert Listing.objects.get(pk=listing.pk).status == S.ACTIVE
    assert trail(listing) == []
