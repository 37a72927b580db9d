"""Set-based writes for work over many rows: keyset pages, a transaction per page, and
multi-row ``INSERT … VALUES`` that builds no model instance.

The nightly sweeps (dynamic_mgmt.schedule) walk 100,000 listed units in bounded memory with
these, and the bulk writers beside the one-row services (greenmfg.audit.services.audit_many,
greenmfg.notifications.bulk.send_notices, dynamic_mgmt.services.removal.propose_many) insert
their rows with :func:`insert_rows`. Nothing here knows an app's models.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models, transaction
from django.db.models import QuerySet

from greenmfg.core import clock

# Rows per keyset page: a page's statements stay few and its memory bounded.
CHUNK = 5000
# Bind parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
MAX_PARAMS = 30_000
# Fields whose Python value the driver cannot take as is.
PREPARED_FIELDS = (
    models.JSONField,
    models.DateTimeField,
    models.DateField,
    models.DecimalField,
    models.UUIDField,
)


@contextmanager
def page_transaction() -> Iterator[None]:
    """One page of a sweep, in a transaction that on PostgreSQL commits without waiting for its
    WAL to reach the disk (``synchronous_commit`` off for this transaction only).

    A page writes thousands of rows, and waiting for their flush took a tenth of a second per
    page (about 1 s of the deadline sweep over 100,000 units). What a crash could lose is the
    last pages committed in the previous fraction of a second: a caller that claims its work in
    the same transaction (an idempotent sweep) does those pages again on the next run.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def keyset_pages(queryset: QuerySet, fields: Sequence[str], size: int = CHUNK) -> Iterator[list]:
    """Keyset pages of ``queryset`` as tuples (pk, *fields): bounded memory, and safe with a
    transaction per page (a server-side cursor would not survive the commits)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def insert_rows(
    model,
    rows: Sequence[dict],
    *,
    returning: Sequence[str] = ("id",),
    conflict: Sequence[str] = (),
) -> list[tuple]:
    """Insert ``rows`` (dicts of attribute names; the rest take their field's default, "now"
    for auto_now fields) in multi-row ``INSERT … VALUES`` statements and return the
    ``returning`` columns of the rows inserted, in order.

    With ``conflict``, ``ON CONFLICT (…) DO NOTHING``: only the rows this statement created
    come back (PostgreSQL, and SQLite from 3.35), which is how a sweep claims its work. Unlike
    ``bulk_create`` it builds no model instance — at 100,000 rows that is most of the time.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [column for column in meta.concrete_fields if not column.primary_key]
    now = clock.now()
    defaults, prepare = {}, {}
    for column in fields:
        auto = getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
        defaults[column.attname] = now if auto else column.get_default()
        if isinstance(column, PREPARED_FIELDS):
            prepare[column.attname] = column.get_db_prep_save
    names = [column.attname for column in fields]

    def quoted(name: str) -> str:
        return quote(meta.get_field(name).column)

    tail = ""
    if conflict:
        tail += f" ON CONFLICT ({', '.join(map(quoted, conflict))}) DO NOTHING"
    if returning:
        tail += f" RETURNING {', '.join(map(quoted, returning))}"
    head = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(column.column) for column in fields)}) VALUES "
    )
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, MAX_PARAMS // len(fields))
    found: list[tuple] = []
    prepared: dict[tuple[str, int], object] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            params = []
            for row in part:
                for name in names:
                    value = row[name] if name in row else defaults[name]
                    if value is not None and name in prepare:
                        # A page's rows often share one value (an audit entry's data).
                        key = (name, id(value))
                        if key not in prepared:
                            prepared[key] = prepare[name](value, connection)
                        value = prepared[key]
                    params.append(value)
            cursor.execute(head + ", ".join([placeholders] * len(part)) + tail, params)
            if returning:
                found.extend(tuple(row) for row in cursor.fetchall())
    return found
