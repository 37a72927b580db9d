"""make backup and make restore: an archive restored into a fresh database and storage holds
the same rows in every table and the same bytes in every file (README, "Backup and restore").

Needs PostgreSQL (pg_dump reads committed data from another process, and the restore goes into
a second database). In CI it is there, and the suite refuses to start without it.
"""

import hashlib

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg2 import sql

from applications.services.applications import application_create
from applications.services.documents import document_upload
from greenmfg.core.backup import Database, row_counts, stored_files
from tests.applications.helpers import city_batch, pdf_upload
from tests.conftest import IN_CI
from tests.factories import ListingFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not IN_CI and connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
]


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped at the end."""
    source = Database.from_settings(connection.settings_dict)
    target = Database(
        vendor="postgresql",
        name=f"{source.name}_restore",
        user=source.user,
        password=source.password,
        host=source.host,
        port=source.port,
    )
    maintenance = Database(**{**target.__dict__, "name": "postgres"}).connect()
    maintenance.autocommit = True
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.name))
    with maintenance.cursor() as cursor:
        cursor.execute(drop)
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    yield target
    with maintenance.cursor() as cursor:
        cursor.execute(drop)
    maintenance.close()


def url(database: Database) -> str:
    return (
        f"postgres://{database.user}@{database.host or '127.0.0.1'}:{database.port or 5432}"
        f"/{database.name}"
    )


def sha256s(storage) -> dict[str, str]:
    digests = {}
    for name in stored_files(storage):
        with storage.open(name, "rb") as stored:
            digests[name] = hashlib.sha256(stored.read()).hexdigest()
    return digests


def test_a_backup_restores_every_row_and_every_file(demo, fresh_database, tmp_path):
    applicant = demo["luoyang-enterprise"]
    application = application_create(actor=applicant, batch=city_batch(), unit_type="factory")
    document_upload(
        application=application,
        actor=applicant,
        kind="self_evaluation",
        uploaded_file=pdf_upload(pages=3),
    )
    ListingFactory.create_batch(2)
    storage = storages["default"]
    storage.save("generated/名单公告 2026.pdf", ContentFile(b"%PDF-1.7 not empty"))
    source_rows = row_counts(Database.from_settings(connection.settings_dict))
    source_files = sha256s(storage)
    assert source_rows["applications_documentversion"] == 1
    assert source_rows["registry_listing"] == 2
    # The storage may hold files an earlier module's shared data left in this process (the
    # suite runs in two): they are backed up and restored like these two.
    assert "generated/名单公告 2026.pdf" in source_files
    assert [name for name in source_files if name.startswith(f"applications/{application.pk}/")]

    call_command("backup", output=tmp_path / "backups")
    (archive,) = (tmp_path / "backups").iterdir()
    media = tmp_path / "media"
    call_command("restore", str(archive), database_url=url(fresh_database), media_root=str(media))

    assert row_counts(fresh_database) == source_rows
    assert sha256s(FileSystemStorage(location=media)) == source_files
    with psycopg2.connect(url(fresh_database)) as restored, restored.cursor() as cursor:
        cursor.execute("SELECT original_name, sha256 FROM applications_documentversion")
        ((original_name, sha256),) = cursor.fetchall()
    assert original_name == "自评价报告.pdf"
    assert sha256 in source_files.values()

    # The target is no longer empty: a second restore is refused, then forced.
    with pytest.raises(CommandError, match="not empty"):
        call_command(
            "restore", str(archive), database_url=url(fresh_database), media_root=str(media)
        )
    call_command(
        "restore",
        str(archive),
        database_url=url(fresh_database),
        media_root=str(media),
        force=True,
    )
    assert row_counts(fresh_database) == source_rows
    assert sha256s(FileSystemStorage(location=media)) == source_files
