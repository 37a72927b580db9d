"""Backup and restore: the database and every stored file, in one directory.

An archive is a directory named by its time (``greenmfg-20261207-093000``) holding:

- ``database.dump``: PostgreSQL's ``pg_dump --format=custom``, or ``database.sqlite3``, a copy
  made with SQLite's online backup API (consistent while the portal runs);
- ``files/``: every file of the default storage, read through Django's storage API, so the same
  code copies a local ``var/media`` and an S3 bucket;
- ``manifest.json``: each file's path, size and SHA-256, and each table's row count.

A restore goes into an empty database and an empty storage (``--force`` to overwrite), then
checks every file's SHA-256 and every table's row count against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg2
from django.core.files import File
from django.core.files.storage import Storage
from django.db import connection
from django.utils import timezone
from psycopg2 import sql

from greenmfg.core import clock

MANIFEST = "manifest.json"
FILES_DIR = "files"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Database:
    """Where a database is: its vendor and libpq's connection parameters (or SQLite's file)."""

    vendor: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Database:
        engine = settings_dict["ENGINE"]
        vendor = "postgresql" if "postgresql" in engine else "sqlite" if "sqlite" in engine else ""
        if not vendor:
            raise BackupError(f"unsupported database engine: {engine}")
        return cls(
            vendor=vendor,
            name=str(settings_dict["NAME"]),
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls.from_settings(dj_database_url.parse(url))

    def libpq_args(self) -> list[str]:
        args = []
        for flag, value in (("-h", self.host), ("-p", self.port), ("-U", self.user)):
            if value:
                args += [flag, value]
        return args

    def libpq_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self):
        if self.vendor == "sqlite":
            return sqlite3.connect(self.name)
        return psycopg2.connect(
            dbname=self.name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
        )


def table_names(database: Database) -> list[str]:
    return sorted(row_counts(database))


def row_counts(database: Database) -> dict[str, int]:
    """Every table's row count, by introspection (Django's tables and any other)."""
    with _closing(database.connect()) as conn:
        return _count_rows(conn.cursor(), database)


def _count_rows(cursor, database: Database) -> dict[str, int]:
    counts = {}
    if database.vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    for name in sorted(row[0] for row in cursor.fetchall()):
        if database.vendor == "sqlite":
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
        else:
            cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(name)))
        counts[name] = cursor.fetchone()[0]
    return counts


def _pg_dump(database: Database, path: Path) -> dict[str, int]:
    """Dump the database and count its rows in one snapshot, so the counts match the dump
    while the portal goes on writing."""
    with _closing(database.connect()) as conn:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        cursor = conn.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        rows = _count_rows(cursor, database)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                *("--file", str(path)),
                *database.libpq_args(),
                database.name,
            ],
            env=database.libpq_env(),
        )
        conn.rollback()
    return rows


def stored_files(storage: Storage, path: str = ""):
    """Every file name in a storage, walking its directories (S3 prefixes too)."""
    directories, files = storage.listdir(path)
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for name in sorted(directories):
        yield from stored_files(storage, f"{path}/{name}" if path else name)


def _copy_hashing(source, target) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def backup(*, output: Path, storage: Storage) -> Path:
    """Write a new archive directory under ``output`` and return its path."""
    database = Database.from_settings(connection.settings_dict)
    archive = Path(output) / f"greenmfg-{timezone.localtime(clock.now()):%Y%m%d-%H%M%S}"
    if archive.exists():
        raise BackupError(f"{archive} already exists")
    (archive / FILES_DIR).mkdir(parents=True)

    if database.vendor == "postgresql":
        rows = _pg_dump(database, archive / PG_DUMP)
        database_file = PG_DUMP
    else:
        if database.name in ("", ":memory:") or database.name.startswith("file:memorydb"):
            raise BackupError("an in-memory SQLite database cannot be backed up")
        with (
            _closing(database.connect()) as source,
            _closing(sqlite3.connect(archive / SQLITE_COPY)) as target,
        ):
            source.backup(target)
        database_file = SQLITE_COPY
        rows = row_counts(Database(vendor="sqlite", name=str(archive / SQLITE_COPY)))

    files = []
    for name in stored_files(storage):
        target_path = archive / FILES_DIR / name
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(target_path, "wb") as target:
            size, sha256 = _copy_hashing(source, target)
        files.append({"path": name, "size": size, "sha256": sha256})

    manifest = {
        "created_at": timezone.localtime(clock.now()).isoformat(),
        "database": {
            "vendor": database.vendor,
            "file": database_file,
            "rows": rows,
        },
        "files": files,
    }
    (archive / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return archive


@dataclass
class RestoreReport:
    rows: dict[str, int]
    files: int
    bytes: int


def restore(*, archive: Path, database: Database, storage: Storage, force: bool) -> RestoreReport:
    """Restore an archive into ``database`` and ``storage``, then verify both."""
    archive = Path(archive)
    try:
        manifest = json.loads((archive / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{archive} has no {MANIFEST}") from None
    if manifest["database"]["vendor"] != database.vendor:
        raise BackupError(
            f"the archive holds a {manifest['database']['vendor']} database,"
            f" the target is {database.vendor}"
        )
    if not force:
        if database.vendor == "postgresql" or Path(database.name).exists():
            tables = table_names(database)
            if tables:
                raise BackupError(
                    f"the database {database.name} is not empty ({len(tables)} tables);"
                    " restore into an empty one, or pass --force"
                )
        try:
            existing = next(stored_files(storage), None)
        except FileNotFoundError:  # a local folder not made yet
            existing = None
        if existing is not None:
            raise BackupError(
                f"the storage is not empty ({existing}); restore into an empty one, or pass --force"
            )

    dump = archive / manifest["database"]["file"]
    if database.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                *(("--clean", "--if-exists") if force else ()),
                *database.libpq_args(),
                *("--dbname", database.name),
                str(dump),
            ],
            env=database.libpq_env(),
        )
    else:
        with _closing(sqlite3.connect(dump)) as source, _closing(database.connect()) as target:
            source.backup(target)

    total = 0
    for entry in manifest["files"]:
        name = entry["path"]
        if force and storage.exists(name):
            storage.delete(name)
        with open(archive / FILES_DIR / name, "rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise BackupError(f"the storage stored {name} as {saved}")
        with storage.open(name, "rb") as stored:
            size, sha256 = _copy_hashing(stored, _Discard())
        if (size, sha256) != (entry["size"], entry["sha256"]):
            raise BackupError(f"{name}: restored {size} bytes, SHA-256 {sha256} ≠ the manifest")
        total += size

    rows = row_counts(database)
    expected = manifest["database"]["rows"]
    differing = {
        table: (expected.get(table), rows.get(table))
        for table in set(expected) | set(rows)
        if expected.get(table) != rows.get(table)
    }
    if differing:
        raise BackupError(f"row counts differ from the manifest (expected, restored): {differing}")
    return RestoreReport(rows=rows, files=len(manifest["files"]), bytes=total)


class _Discard:
    def write(self, chunk: bytes) -> None:
        pass


class _closing:
    """``contextlib.closing`` that also closes sqlite3 connections (their ``with`` only commits)."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc):
        self.conn.close()


def _run(command: list[str], *, env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
