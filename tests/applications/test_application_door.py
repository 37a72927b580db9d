"""The application's door (application_transition) runs on the one transition runner: it writes
only the fields a step changes, keeps the submission's stamp, and leaves its trail row."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from applications.services.applications import application_transition
from greenmfg.audit.models import AuditEntry
from tests.applications.test_submission import ready_application

pytestmark = pytest.mark.django_db

S = Application.Status
TABLE = Application._meta.db_table


def updated_columns(queries) -> set[str]:
    """The columns the UPDATEs of the application's table set."""
    columns: set[str] = set()
    for query in queries:
        sql = query["sql"]
        if sql.startswith(f'UPDATE "{TABLE}"'):
            assignments = sql.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
            columns |= set(re.findall(r'"(\w+)" = ', assignments))
    return columns


def test_a_submission_writes_its_state_and_stamp_only(demo, django_capture_on_commit_callbacks):
    application, applicant = ready_application(demo)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks():
        application = application_transition(
            application=application, action="submit", actor=applicant
        )

    # The pre-check, kept in its own transaction, writes its findings before the door.
    door = [q for q in queries if '"submitted_at"' in q["sql"] and q["sql"].startswith("UPDATE")]
    assert len(door) == 1
    assert updated_columns(door) == {"status", "submitted_at", "updated_at"}
    saved = Application.objects.get(pk=application.pk)
    assert saved.status == S.SUBMITTED
    assert saved.submitted_at is not None
    assert saved.submitted_at == application.submitted_at
    entry = AuditEntry.objects.get(object_id=str(application.pk), action="submit")
    assert (entry.from_state, entry.to_state) == (S.DRAFT, S.SUBMITTED)
    assert entry.data["to_label"] == S.SUBMITTED.label


def test_a_return_keeps_the_submission_stamp(demo):
    application, applicant = ready_application(demo)
    submitted = application_transition(application=application, action="submit", actor=applicant)

    with CaptureQueriesContext(connection) as queries:
        returned = application_transition(
            application=application,
            action="return",
            actor=demo["luoyang-county"],
            comment="请补充能效证明",
        )

    assert updated_columns(queries) == {"status", "updated_at"}
    saved = Application.objects.get(pk=application.pk)
    assert (saved.status, saved.submitted_at) == (S.RETURNED, submitted.submitted_at)
    assert returned.status == S.RETURNED
    entry = AuditEntry.objects.get(object_id=str(application.pk), action="return")
    assert (entry.from_state, entry.to_state, entry.comment) == (
        S.SUBMITTED,
        S.RETURNED,
        "请补充能效证明",
    )
