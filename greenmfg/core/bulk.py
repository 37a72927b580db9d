"""Set-based writes for work over many rows: a work list selected once, keyset pages, a
transaction per page, and inserts that build no model instance — ``COPY`` on PostgreSQL,
multi-row ``INSERT … VALUES`` elsewhere.

The nightly sweeps (dynamic_mgmt.schedule) walk 100,000 listed units in bounded memory with
these, and the bulk writers beside the one-row services (greenmfg.audit.services.audit_many,
greenmfg.notifications.bulk.send_notices, dynamic_mgmt.services.removal.propose_many) insert
their rows with :func:`insert_rows`. Nothing here knows an app's models.

- :func:`work_list` selects a sweep's candidates once into a temporary table (one
  ``INSERT … SELECT``), which the sweep then pages through by key and claims from with
  :meth:`WorkList.claim` (``INSERT … SELECT … ON CONFLICT DO NOTHING``): the candidate query,
  with its ``NOT EXISTS`` over the rows the sweep itself is writing, is not run again per page.
- :func:`insert_rows` writes with ``COPY … FROM STDIN`` on PostgreSQL (the ids it returns are
  drawn from the table's sequence first), the multi-row ``INSERT`` on SQLite and with
  ``conflict``.
- :func:`insert_select` writes rows the database builds from a query (``INSERT … SELECT``):
  an audit entry per row just written, a notice per account of a page's units. Nothing goes
  to Python and back but the statement.
- :func:`analyze` refreshes PostgreSQL's statistics after a large write, so the plans of what
  follows do not take a table of 100,000 new rows for an empty one.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from greenmfg.core import clock

# Rows per keyset page: a page's statements stay few and its memory bounded.
CHUNK = 5000
# Bind parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
MAX_PARAMS = 30_000
# Rows from which a write on PostgreSQL is worth an ANALYZE of its table (autovacuum's default
# threshold is 50 rows + 10% of the table, and it comes some time after).
ANALYZE_AFTER = 10_000
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

    On PostgreSQL without ``conflict`` the rows go in with ``COPY`` (:func:`_copy_rows`), and
    what ``returning`` names comes from the ids drawn for them and the values given.
    """
    if not rows:
        return []
    if connection.vendor == "postgresql" and not conflict:
        return _copy_rows(model, rows, returning)
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


def insert_select(
    model,
    source: QuerySet,
    values: dict,
    *,
    returning: Sequence[str] = (),
) -> list[tuple] | int:
    """Insert one row of ``model`` for each row of ``source`` in one ``INSERT … SELECT``:
    ``values`` maps attribute names to expressions over ``source`` (``F("pk")``,
    ``Concat(…)``) or to constants; the other columns take their field's default ("now" for
    auto_now fields). The rows are built by the database: nothing is sent but the query.

    The ``returning`` columns of the rows inserted (PostgreSQL, and SQLite from 3.35), or
    without ``returning`` the number of rows inserted."""
    quote = connection.ops.quote_name
    meta = model._meta
    now = clock.now()
    selected = {}
    for column in meta.concrete_fields:
        if column.primary_key and column.attname not in values:
            continue
        if column.attname in values:
            value = values[column.attname]
        else:
            auto = getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
            value = now if auto else column.get_default()
        if not hasattr(value, "resolve_expression"):
            value = Value(value, output_field=column)
        selected[column] = value
    # Named by position: the SELECT lists them in the order given (Django 5.2 keeps it).
    aliases = {f"insert_{number}": value for number, value in enumerate(selected.values())}
    query = source.order_by().values(**aliases).query
    sql, params = query.get_compiler(source.db).as_sql()
    statement = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(column.column) for column in selected)}) {sql}"
    )
    if returning:
        statement += " RETURNING " + ", ".join(
            quote(meta.get_field(name).column) for name in returning
        )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if returning:
            return [tuple(row) for row in cursor.fetchall()]
        return cursor.rowcount


def keys_in(keys: Sequence[int]) -> RawSQL:
    """``keys`` as a subquery of one parameter (``pk__in=keys_in(ids)``): an array on
    PostgreSQL, a JSON list on SQLite. Thousands of ids in an ``IN (%s, %s, …)`` list are
    thousands of parameters to send, bind and plan."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(keys),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(keys)),))


# --- PostgreSQL: COPY ----------------------------------------------------------------------------


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def _copy_text(value) -> str:
    """One value in COPY's text format (NULL is ``\\N``; backslash, tab and line ends escaped)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


def _copy_texts(values: Sequence) -> list[str]:
    """:func:`_copy_text` of a column's values, with the common kinds inline (this loop is
    most of the Python time of a sweep's write)."""
    found = []
    append = found.append
    special = _COPY_SPECIAL.search
    for value in values:
        kind = type(value)
        if kind is str:
            append(value.translate(_COPY_ESCAPES) if special(value) else value)
        elif kind is int:
            append(str(value))
        else:
            append(_copy_text(value))
    return found


def _copy_rows(model, rows: Sequence[dict], returning: Sequence[str]) -> list[tuple]:
    """:func:`insert_rows` on PostgreSQL without conflict handling: draw the ids from the
    table's sequence in one statement, then ``COPY`` the rows, ids included, from a buffer
    written in COPY's text format. A ``COPY`` parses no statement and binds no parameter: it
    is the fastest way into a table, the bound the nightly sweeps are measured against."""
    quote = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    fields = [column for column in meta.concrete_fields if not column.primary_key]
    now = clock.now()
    defaults = {}
    for column in fields:
        auto = getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
        defaults[column.attname] = now if auto else column.get_default()
    with connection.cursor() as cursor:
        # The ids are drawn only when they are asked for (an audit entry's are not): the rows
        # then take them from the table's default.
        with_ids = pk.name in returning or pk.attname in returning
        table: list = []
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(meta.db_table), pk.column, len(rows)],
            )
            ids = [pk_value for (pk_value,) in cursor.fetchall()]
            ids.sort()  # in the order the rows are given, as RETURNING would
            table.append([str(pk_value) for pk_value in ids])
        else:
            ids = [None] * len(rows)
        given = set(itertools.chain.from_iterable(rows))  # the keys of every row
        for column in fields:
            name = column.attname
            if isinstance(column, models.JSONField):

                def convert(value, encoder=column.encoder):
                    return _copy_text(json.dumps(value, cls=encoder))

            elif isinstance(column, PREPARED_FIELDS):

                def convert(value, column=column):
                    return _copy_text(column.get_db_prep_save(value, connection))

            else:
                convert = None
            default = defaults[name]
            if name not in given:  # the same for every row: written once
                text = (
                    _copy_text(default) if convert is None or default is None else convert(default)
                )
                table.append(itertools.repeat(text, len(rows)))
                continue
            values = [row.get(name, default) for row in rows]
            if convert is None:
                table.append(_copy_texts(values))
                continue
            # A page's rows often share one value (an audit entry's data): converted once.
            converted: dict[int, str] = {}
            texts = []
            for value in values:
                key = id(value)
                if key not in converted:
                    converted[key] = "\\N" if value is None else convert(value)
                texts.append(converted[key])
            table.append(texts)
        buffer = io.StringIO("\n".join(map("\t".join, zip(*table, strict=True))) + "\n")
        columns = ", ".join(quote(column.column) for column in [pk, *fields][1 - with_ids :])
        cursor.cursor.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", buffer)
    if not returning:
        return []
    names = [meta.get_field(name).attname for name in returning]
    found = []
    for pk_value, row in zip(ids, rows, strict=True):
        found.append(
            tuple(
                pk_value if name == pk.attname else (row[name] if name in row else defaults[name])
                for name in names
            )
        )
    return found


def analyze(*models_written) -> None:
    """Refresh the planner's statistics of these models' tables (PostgreSQL; elsewhere
    nothing): after a sweep has written tens of thousands of rows into them, so what reads
    them next is not planned for the tables as they were."""
    if connection.vendor != "postgresql" or not models_written:
        return
    quote = connection.ops.quote_name
    tables = ", ".join(dict.fromkeys(quote(model._meta.db_table) for model in models_written))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


# --- the work list of a sweep ---------------------------------------------------------------------


class WorkList:
    """The keys of a sweep's candidates, selected once into a temporary table of this
    database session (see :func:`work_list`)."""

    def __init__(self, table: str, size: int):
        self.table = table
        self.size = size
        # The keys of the page last claimed (:meth:`claim`, :meth:`claimed`), and its bounds.
        self.page_table = f"{table}_page"
        self.bounds: tuple[int, int] | None = None

    def pages(self, size: int | None = None) -> Iterator[list[int]]:
        """The keys in ascending pages of ``size`` (:data:`CHUNK`), keyset over the table's
        primary key."""
        size = size or CHUNK
        last = None
        while True:
            with connection.cursor() as cursor:
                if last is None:
                    cursor.execute(f"SELECT id FROM {self.table} ORDER BY id LIMIT %s", [size])
                else:
                    cursor.execute(
                        f"SELECT id FROM {self.table} WHERE id > %s ORDER BY id LIMIT %s",
                        [last, size],
                    )
                keys = [key for (key,) in cursor.fetchall()]
            if not keys:
                return
            yield keys
            last = keys[-1]

    def page_keys(self, page: Sequence[int]) -> RawSQL:
        """The keys of ``page`` as a subquery (``field__in=work.page_keys(page)``): the
        page's bounds are its only parameters."""
        return RawSQL(
            f"SELECT id FROM {self.table} WHERE id >= %s AND id <= %s", (page[0], page[-1])
        )

    def claim(self, model, column: str, values: dict, page: Sequence[int]) -> list[int]:
        """Insert one row of ``model`` for each key of ``page`` (into its ``column``, the other
        columns from ``values`` and their defaults), skipping the rows its unique constraints
        already hold (``INSERT … SELECT … ON CONFLICT DO NOTHING``); the keys this statement
        inserted, which are the caller's to act on. The rows are built by the database from
        the work list: nothing is sent but the page's bounds.

        The keys claimed are also kept in the work list's page table until the next claim:
        :meth:`claimed` names them in a subquery, for the page's set-based writes."""
        quote = connection.ops.quote_name
        meta = model._meta
        target = meta.get_field(column)
        now = clock.now()
        names, params = [], []
        for field in meta.concrete_fields:
            if field.primary_key or field is target:
                continue
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            value = values.get(field.attname, now if auto else field.get_default())
            names.append(quote(field.column))
            params.append(field.get_db_prep_save(value, connection))
        columns = ", ".join([quote(target.column), *names])
        selected = ", ".join(["id", *(["%s"] * len(names))])
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"SELECT {selected} FROM {self.table} WHERE id >= %s AND id <= %s "
            f"ON CONFLICT DO NOTHING RETURNING {quote(target.column)}"
        )
        params = [*params, page[0], page[-1]]
        self.bounds = (page[0], page[-1])
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.page_table}")
            if connection.vendor == "postgresql":
                # The claim and the page table in one statement (a data-modifying WITH).
                cursor.execute(
                    f"WITH claimed (id) AS ({sql}) "
                    f"INSERT INTO {self.page_table} (id) SELECT id FROM claimed RETURNING id",
                    params,
                )
                keys = sorted(key for (key,) in cursor.fetchall())
                # Its statistics: the page's writes join it to tables of 100,000 rows, and a
                # table the planner knows nothing of is planned as three times larger, with
                # hash joins over whole tables.
                cursor.execute(f"ANALYZE {self.page_table}")
                return keys
            cursor.execute(sql, params)
            keys = sorted(key for (key,) in cursor.fetchall())
            for start in range(0, len(keys), MAX_PARAMS):
                part = keys[start : start + MAX_PARAMS]
                cursor.execute(
                    f"INSERT INTO {self.page_table} (id) VALUES " + ", ".join(["(%s)"] * len(part)),
                    part,
                )
            return keys

    def claimed(self) -> RawSQL:
        """The keys the last :meth:`claim` inserted, as a subquery
        (``listing_id__in=work.claimed()``): no parameter at all."""
        return RawSQL(f"SELECT id FROM {self.page_table}", ())

    def claimed_q(self, field: str = "pk") -> Q:
        """``field`` among the keys the last :meth:`claim` inserted (:meth:`claimed`) and
        within its page's bounds, which let the planner read an index on ``field`` over the
        page's range only. The bounds are those of the claim before the call: call it again
        after the next claim."""
        if self.bounds is None:
            raise RuntimeError("Nothing claimed yet from this work list.")
        low, high = self.bounds
        return Q(**{f"{field}__in": self.claimed(), f"{field}__gte": low, f"{field}__lte": high})


@contextmanager
def work_list(queryset: QuerySet) -> Iterator[WorkList]:
    """Select the primary keys of ``queryset`` once, into a temporary table that lives as long
    as the ``with`` block (in the database session, across the page transactions), and yield
    its :class:`WorkList`. Memory stays bounded (the keys stay in the database), and the
    candidate query runs once however many pages follow."""
    table = f"work_{uuid.uuid4().hex[:16]}"
    sql, params = queryset.order_by().values_list("pk").query.get_compiler(queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (id bigint PRIMARY KEY)")
        cursor.execute(f"CREATE TEMPORARY TABLE {table}_page (id bigint PRIMARY KEY)")
        cursor.execute(f"INSERT INTO {table} (id) {sql}", params)
        size = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    try:
        yield WorkList(table, size)
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(f"DROP TABLE IF EXISTS {table}_page")
        except DatabaseError:
            # The connection is gone (the table with it) or its transaction already failed:
            # the temporary table ends with the session.
            pass
