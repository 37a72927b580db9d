"""greenmfg.core.bulk, as the nightly sweeps use it: rows written set-based (``COPY`` on
PostgreSQL, multi-row ``INSERT`` on SQLite) read back exactly as given, with the ids they were
given; a work list selected once, paged and claimed once."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from dynamic_mgmt.models import ScheduleMark
from greenmfg.audit.models import AuditEntry
from greenmfg.audit.services import audit_query
from greenmfg.core import bulk
from greenmfg.notifications.models import Notification
from registry.models import Listing
from tests.registry.test_public_lists import make_listing

pytestmark = pytest.mark.django_db

AWKWARD = "制表\t换行\n回车\r反斜杠\\N 和 \\t 与 'quotes' \"double\" %s %(x)s"


def test_rows_come_back_exactly_as_written_with_the_ids_returned(demo):
    user = demo["luoyang-county"]
    # A content type's id is whatever this database gave it (a transactional test before this
    # one, in the same process, may have flushed and re-created them).
    content_type_id = ContentType.objects.get_for_model(Listing).pk
    data = {"text": AWKWARD, "path": "C:\\temp\\n", "n": [1, 2.5, None, True]}
    rows = [
        {
            "content_type_id": content_type_id,
            "object_id": str(n),
            "object_repr": f"{AWKWARD} {n}",
            "actor_name": "系统",
            "action": "mark_late",
            "action_label": "逾期未填报",
            "comment": "" if n else AWKWARD,
            "data": data,
        }
        for n in range(3)
    ]

    found = bulk.insert_rows(AuditEntry, rows, returning=("id", "object_id"))

    assert [object_id for _pk, object_id in found] == ["0", "1", "2"]
    entries = AuditEntry.objects.filter(pk__in=[pk for pk, _ in found]).order_by("pk")
    assert [entry.pk for entry in entries] == [pk for pk, _ in found]
    for n, entry in enumerate(entries):
        assert entry.object_repr == f"{AWKWARD} {n}"
        assert entry.comment == ("" if n else AWKWARD)
        assert entry.data == data
        assert entry.actor_id is None and entry.actor_role == "" and entry.from_state == ""
        assert entry.at is not None
    # The sequence goes on past the ids drawn: the next single insert does not collide.
    later = AuditEntry.objects.create(content_type_id=content_type_id, object_id="x", action="a")
    assert later.pk > max(pk for pk, _ in found)

    notes = bulk.insert_rows(
        Notification,
        [
            {"recipient_id": user.pk, "subject": "甲", "body": AWKWARD, "status": "queued"},
            {"recipient_id": user.pk, "subject": "乙", "body": "", "read_at": None},
        ],
        returning=("id", "status"),
    )
    assert [status for _pk, status in notes] == ["queued", Notification.Status.QUEUED]
    first = Notification.objects.get(pk=notes[0][0])
    assert first.body == AWKWARD and first.sent_at is None and first.attempts == 0


def test_a_datetime_and_a_date_keep_their_instant(demo):
    listing = make_listing(county="410311")
    when = datetime.datetime(2027, 4, 16, 1, 2, 3, 456789, tzinfo=datetime.UTC)
    row = {"kind": "late", "listing_id": listing.pk, "key": "2027", "created_at": when}
    [(pk,)] = bulk.insert_rows(ScheduleMark, [row])
    assert ScheduleMark.objects.get(pk=pk).created_at == when


def test_a_work_list_pages_its_keys_and_claims_each_once(demo, monkeypatch):
    listings = [make_listing(county="410311") for _ in range(5)]
    ids = sorted(listing.pk for listing in listings)
    monkeypatch.setattr(bulk, "CHUNK", 2)

    with bulk.work_list(Listing.objects.filter(pk__in=ids)) as work:
        assert work.table in temporary_tables()
        assert work.size == 5
        pages = list(work.pages())
        assert pages == [ids[:2], ids[2:4], ids[4:]]
        values = {"kind": "late", "key": "2027"}
        ScheduleMark.objects.create(listing_id=ids[1], **values)
        assert work.claim(ScheduleMark, "listing", values, pages[0]) == [ids[0]]
        assert work.claim(ScheduleMark, "listing", values, pages[0]) == []
        assert work.claim(ScheduleMark, "listing", values, pages[1]) == ids[2:4]
        table = work.table

    assert ScheduleMark.objects.filter(kind="late", key="2027").count() == 4
    assert table not in temporary_tables()


def temporary_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
            return {name for (name,) in cursor.fetchall()}
        return set(connection.introspection.table_names(cursor))


def test_analyze_runs_on_postgresql_and_is_nothing_elsewhere(demo):
    bulk.analyze(ScheduleMark, Notification)
    bulk.analyze()


def test_the_claimed_keys_of_a_page_are_a_subquery_with_its_bounds(demo, monkeypatch):
    listings = [make_listing(county="410311") for _ in range(5)]
    ids = sorted(listing.pk for listing in listings)
    monkeypatch.setattr(bulk, "CHUNK", 3)
    values = {"kind": "late", "key": "2027"}
    ScheduleMark.objects.create(listing_id=ids[1], **values)

    with bulk.work_list(Listing.objects.filter(pk__in=ids)) as work:
        first, second = work.pages()
        assert work.claim(ScheduleMark, "listing", values, first) == [ids[0], ids[2]]
        assert claimed(work) == [ids[0], ids[2]]
        assert work.claim(ScheduleMark, "listing", values, second) == ids[3:]
        assert claimed(work) == ids[3:]
        # Claimed again: nothing, and the page's subquery names nothing.
        assert work.claim(ScheduleMark, "listing", values, second) == []
        assert claimed(work) == []


def claimed(work) -> list[int]:
    # The bounds are those of the last claim when claimed_q is called.
    return sorted(Listing.objects.filter(work.claimed_q("pk")).values_list("pk", flat=True))


def test_rows_built_by_the_database_from_a_query(demo):
    user = demo["luoyang-county"]
    listings = [make_listing(county="410311") for _ in range(3)]
    ids = [listing.pk for listing in listings]
    source = Listing.objects.filter(pk__in=bulk.keys_in(ids[:2]))

    made = bulk.insert_select(
        Notification,
        source,
        {
            "recipient_id": user.pk,
            "subject": AWKWARD[:200],
            "body": Concat(Value("单位："), F("unit_name"), output_field=TextField()),
        },
        returning=("id", "status"),
    )
    assert len(made) == 2 and {status for _pk, status in made} == {"queued"}
    notes = Notification.objects.filter(pk__in=[pk for pk, _ in made])
    assert sorted(notes.values_list("body", flat=True)) == sorted(
        f"单位：{listing.unit_name}" for listing in listings[:2]
    )
    assert all(note.subject == AWKWARD[:200] and note.created_at for note in notes)

    written = audit_query(
        source,
        text=F("unit_name"),
        action="mark_late",
        action_label="逾期未填报",
        data={"text": AWKWARD},
    )
    entries = AuditEntry.objects.filter(action="mark_late")
    assert written == 2 and entries.count() == 2
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(map(str, ids[:2]))
    assert {entry.data["text"] for entry in entries} == {AWKWARD}
    assert {entry.actor_name for entry in entries} == {"系统"}
