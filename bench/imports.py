"""Benchmark of the listing import (issue 18.2): 10,000 rows previewed and applied in < 10 s each.

    DATABASE_URL=postgres://root@127.0.0.1:5432/imports_bench \\
        .venv/bin/python -m bench.imports --rows 10000

On a PostgreSQL database (it migrates it and loads the demo directory when empty) the script
writes a workbook of ``--rows`` new units spread over the counties of 洛阳 (city and provincial
lists, a tenth of them design products), then times, as the 洛阳 city official: the upload and
preview (read, parse, check, store the run), the apply (one transaction: organisations,
listings, history entries, audit rows, counts), and the same file again (all unchanged, nothing
written). It runs the services in-process (no Celery) so that the figures are theirs.
"""

from __future__ import annotations

import argparse
import io
import os
import time


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenmfg.settings.base")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    # The services in-process: the figures are the import's, not a worker's.
    settings.IMPORT_ASYNC_ROWS = 10**9


def workbook(rows: int, counties: list[str], serial: int) -> bytes:
    from openpyxl import Workbook

    from greenmfg.directory.credit_code import with_check_character
    from registry.services.imports import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([column.header for column in COLUMNS])
    for n in range(rows):
        design = n % 10 == 0
        county = counties[n % len(counties)]
        sheet.append(
            [
                f"基准导入{serial}-{n}有限公司",
                with_check_character(f"91{county}MB{serial % 100:02d}{n:05d}"),
                "省级" if n % 3 == 0 else "市级",
                "绿色设计产品" if design else "绿色工厂",
                "2024",
                "洛工信〔2024〕88号",
                "2024-06-30",
                county,
                "电机" if design else "",
                f"YE3-{n}" if design else "",
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    options = parser.parse_args()
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from greenmfg.accounts.models import User
    from greenmfg.core.imports.services import import_apply, import_upload
    from greenmfg.directory.credit_code import with_check_character
    from greenmfg.directory.models import Jurisdiction, Organisation

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="admin").exists():
        call_command("seed_demo", "--directory-only", stdout=io.StringIO())
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    official = User.objects.get(username="luoyang-city")
    counties = list(
        Jurisdiction.objects.filter(parent__key="410300", level="county")
        .exclude(code="")
        .values_list("code", flat=True)
    )
    # A fresh set of credit codes per run: the first serial whose codes are not taken yet.
    serial = next(
        n
        for n in range(100)
        if not Organisation.objects.filter(
            credit_code=with_check_character(f"91{counties[0]}MB{n:02d}00000")
        ).exists()
    )
    content = workbook(options.rows, counties, serial)
    print(f"workbook: {options.rows} rows, {len(content) / 1024 / 1024:.1f} MB")

    def timed(label, action):
        started = time.perf_counter()
        result = action()
        print(f"{label:<28} {time.perf_counter() - started:6.2f} s")
        return result

    def upload():
        return import_upload(
            kind="listings", uploaded=SimpleUploadedFile("bench.xlsx", content), actor=official
        )

    run = timed("upload + preview", upload)
    print(f"  new {run.new}, matched {run.matched}, unchanged {run.unchanged}, errors {run.errors}")
    run = timed("apply", lambda: import_apply(run=run, actor=official, keep_good_rows=True))
    print(f"  written {run.written}")
    again = timed("same file: upload + preview", upload)
    print(f"  unchanged {again.unchanged} of {again.rows}")
    again = timed("same file: apply", lambda: import_apply(run=again, actor=official))
    print(f"  written {again.written}")


if __name__ == "__main__":
    main()
