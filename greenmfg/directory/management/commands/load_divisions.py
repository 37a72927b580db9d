"""manage.py load_divisions: the national division tree (see greenmfg/directory/data/divisions)."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from greenmfg.directory.loaders import (
    DIVISIONS_AS_OF,
    DIVISIONS_CSV,
    DIVISIONS_SOURCE,
    divisions_load,
)


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Load every province, city and county-level division (GB/T 2260 code and name) from the "
        "vendored dataset. Idempotent: renames, code changes, moves and withdrawals are recorded "
        "as history; functional zones are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DIVISIONS_CSV, help="adcodes CSV")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=DIVISIONS_AS_OF,
            help="the dataset's date (YYYY-MM-DD)",
        )
        parser.add_argument("--source", default=DIVISIONS_SOURCE, help="the dataset's name")
        parser.add_argument(
            "--recoded",
            action="append",
            default=[],
            metavar="OLD:NEW",
            help="an announced code change, when the names do not show it (repeatable)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report the changes, write nothing"
        )

    def handle(self, *args, file, as_of, source, recoded, dry_run, verbosity, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            mapping = dict(item.split(":", 1) for item in recoded)
        except ValueError as error:
            raise CommandError("--recoded takes OLD:NEW, e.g. 410381:410307") from error
        started = time.monotonic()
        try:
            with transaction.atomic():
                report = divisions_load(path=file, as_of=as_of, source=source, recoded=mapping)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        if verbosity > 1:
            for line in report.details:
                self.stdout.write(line)
        self.stdout.write(
            f"{'(dry run) ' if dry_run else ''}{file.name} as of {as_of}: "
            f"{report.changes} changes ({report.created} created, {report.renamed} renamed, "
            f"{report.recoded} recoded, {report.moved} moved, {report.withdrawn} withdrawn, "
            f"{report.restored} restored), {report.unchanged} unchanged, "
            f"{time.monotonic() - started:.1f} s"
        )
