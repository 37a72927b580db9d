import pytest
from django.db import connection, transaction

from greenmfg.audit.models import AuditEntry
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.audit.services import audit_record
from greenmfg.core.errors import DomainError
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    organisation = OrganisationFactory()
    return audit_record(
        subject=organisation,
        actor=UserFactory(full_name="王芳"),
        action="approve",
        action_label="审核通过",
        from_state="pending",
        to_state="active",
        comment="同意",
        state_labels={"pending": "待审核", "active": "正常"},
    )


def test_record_keeps_who_when_what(entry):
    assert entry.actor_name == "王芳"
    assert entry.at is not None
    assert (entry.from_state, entry.to_state, entry.comment) == ("pending", "active", "同意")
    assert entry.data["to_label"] == "正常"
    assert list(audit_entries_for(subject=entry.subject)) == [entry]


def test_entry_cannot_be_changed(entry):
    entry.comment = "改写"
    with pytest.raises(DomainError):
        entry.save()
    with pytest.raises(DomainError):
        AuditEntry.objects.filter(pk=entry.pk).update(comment="改写")


def test_entry_cannot_be_deleted(entry):
    with pytest.raises(DomainError):
        entry.delete()
    with pytest.raises(DomainError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_raw_update(entry):
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET comment = 'x' WHERE id = %s", [entry.pk])
