"""manage.py restore: an archive of manage.py backup into an empty database and storage."""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from greenmfg.core.backup import BackupError, Database, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by manage.py backup into an empty database and an empty "
        "storage (--force overwrites), then check every file's SHA-256 and every table's row "
        "count against the archive's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--database-url",
            help="the database to restore into (default: the portal's own, DATABASE_URL)",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="restore the files into this folder (default: the portal's own storage)",
        )
        parser.add_argument("--force", action="store_true", help="restore into a non-empty target")

    def handle(self, *args, archive: Path, database_url, media_root, force, **options):
        database = (
            Database.from_url(database_url)
            if database_url
            else Database.from_settings(connection.settings_dict)
        )
        storage = FileSystemStorage(location=media_root) if media_root else storages["default"]
        # Our own connection would hold the target open (and SQLite's file locked).
        connection.close()
        try:
            report = restore(archive=archive, database=database, storage=storage, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for table, count in sorted(report.rows.items()):
            self.stdout.write(f"{table}\t{count}")
        self.stdout.write(
            f"{sum(report.rows.values())} rows in {len(report.rows)} tables; "
            f"{report.files} files ({report.bytes} bytes), every SHA-256 as in the manifest"
        )
