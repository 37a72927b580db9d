"""manage.py backup: the database and every stored file in one archive (greenmfg/core/backup.py)."""

from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from greenmfg.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a timestamped archive directory under --output: the database (pg_dump's custom "
        "format, or a SQLite copy) and every file of the default storage, with a manifest of "
        "each file's size and SHA-256 and each table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path("var/backups"))

    def handle(self, *args, output: Path, **options):
        try:
            archive = backup(output=output, storage=storages["default"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
