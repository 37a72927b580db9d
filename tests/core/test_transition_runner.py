"""The one transition runner (greenmfg.core.transitions.run_transition), shown on a complaint:
the row is locked and re-read, the table and the guards may refuse before anything is written,
the trail keeps the states and their names, and the effects run once, after the commit."""

from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError
from greenmfg.core.transitions import run_transition
from registry.models import Complaint
from registry.workflow import complaint_workflow
from tests.registry.test_complaint_filing import (  # noqa: F401 - autouse: clears rate limits
    _fresh_rate_limits,
    file_complaint,
    listed_unit,
)

pytestmark = pytest.mark.django_db


def verify(complaint, actor, **hooks):
    with transaction.atomic():
        return run_transition(
            workflow=complaint_workflow,
            instance=complaint,
            action="verify",
            actor=actor,
            **hooks,
        )


def trail(complaint, action):
    return AuditEntry.objects.filter(object_id=str(complaint.pk), action=action)


def test_the_runner_locks_the_row_and_reads_it_again(demo):
    complaint = file_complaint(listed_unit())
    stale = Complaint.objects.get(pk=complaint.pk)
    stale.status = Complaint.Status.CLOSED  # a stale copy must not decide the transition
    original = QuerySet.select_for_update

    with mock.patch.object(
        QuerySet, "select_for_update", autospec=True, side_effect=original
    ) as lock:
        row = verify(stale, demo["luoyang-county"])

    lock.assert_called_once()
    assert lock.call_args.kwargs == {"of": ("self",)}
    assert row.status == Complaint.Status.VERIFYING
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.VERIFYING


def test_an_action_the_table_refuses_changes_nothing_and_writes_no_audit_row(demo):
    complaint = file_complaint(listed_unit())

    with pytest.raises(DomainError) as refused, transaction.atomic():
        run_transition(
            workflow=complaint_workflow,
            instance=complaint,
            action="close",
            actor=demo["luoyang-county"],
            comment="已核实",
        )

    assert refused.value.code == "invalid_transition"
    assert "不能执行「办结」" in refused.value.message
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.RECEIVED
    assert not trail(complaint, "close").exists()


def test_a_guards_refusal_is_raised_with_its_message_and_nothing_is_written(demo):
    complaint = file_complaint(listed_unit())
    effect = mock.Mock()

    def not_yet(row, *, transition, actor, comment):
        return ["该单位的名单尚在复核中"]

    with pytest.raises(DomainError) as refused:
        verify(complaint, demo["luoyang-county"], guards=[not_yet], effects=[effect])

    assert refused.value.code == "transition_refused"
    assert refused.value.message == "暂不能开始核实：该单位的名单尚在复核中"
    assert refused.value.reasons == ["该单位的名单尚在复核中"]
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.RECEIVED
    assert not trail(complaint, "verify").exists()
    effect.assert_not_called()


def test_the_audit_row_keeps_both_states_and_their_names(demo):
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())

    def take_up(row, transition):
        row.handled_by = county

    verify(
        complaint,
        county,
        comment="  现场核实  ",
        before_save=take_up,
        update_fields=["handled_by"],
        audit_comment="现场核实",
        audit_data={"visit": True},
    )

    entry = trail(complaint, "verify").get()
    assert (entry.from_state, entry.to_state) == ("received", "verifying")
    assert entry.action_label == "开始核实"
    assert entry.comment == "现场核实"
    assert entry.data == {"visit": True, "from_label": "已受理", "to_label": "核实中"}
    assert entry.actor == county
    assert Complaint.objects.get(pk=complaint.pk).handled_by == county


def test_the_effects_run_once_after_the_commit(demo, django_capture_on_commit_callbacks):
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())
    effect = mock.Mock()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = verify(complaint, county, effects=[effect])
        effect.assert_not_called()

    assert len(callbacks) >= 1
    effect.assert_called_once()
    assert effect.call_args.args == (row,)
    assert effect.call_args.kwargs["actor"] == county
    assert effect.call_args.kwargs["transition"].target == Complaint.Status.VERIFYING


def test_effects_kept_in_the_transaction_run_with_the_change(demo):
    """on_commit=False: where a service has always written its notices with the change."""
    complaint = file_complaint(listed_unit())
    effect = mock.Mock()

    verify(complaint, demo["luoyang-county"], effects=[effect], on_commit=False)

    effect.assert_called_once()


def test_the_audit_row_may_name_its_action_as_the_trail_always_has(demo):
    """audit_action: a 复审 case's trail names the conclusion by the state it reaches."""
    complaint = file_complaint(listed_unit())

    verify(complaint, demo["luoyang-county"], audit_action="taken_up", action_label="受理核实")

    assert not trail(complaint, "verify").exists()
    entry = trail(complaint, "taken_up").get()
    assert (entry.action_label, entry.from_state, entry.to_state) == (
        "受理核实",
        "received",
        "verifying",
    )


def test_the_audit_row_may_be_written_on_another_records_trail(demo):
    """audit_subject: a step shown on another record's page (a score sheet's submission is on
    the application's trail); the comment may be read from the saved row."""
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())
    listing = complaint.listing

    verify(
        complaint,
        county,
        audit_subject=lambda row: row.listing,
        audit_comment=lambda row: f"核实：{row.tracking_code}",
    )

    on = AuditEntry.objects.filter(action="verify")
    assert not on.filter(content_type=ContentType.objects.get_for_model(Complaint)).exists()
    entry = on.get(content_type=ContentType.objects.get_for_model(listing), object_id=listing.pk)
    assert entry.comment == f"核实：{complaint.tracking_code}"
    assert (entry.from_state, entry.to_state) == ("received", "verifying")
