"""Benchmark of the dynamic-management sweeps at scale (issue 7: 100,000 units, bounded memory).

    createdb -h 127.0.0.1 -U postgres greenmfg_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/greenmfg_bench \\
        .venv/bin/python -m bench.deadline_sweep --units 100000

On a fresh PostgreSQL database (it migrates it and loads the demo directory) the script creates
the units with ``bulk_create`` in batches — organisations, one applicant account each, their
city listings spread over the counties of 洛阳, 济南 and 大连, a 2027 filing window per city
(deadline 15 April), filed tables for a share of them (some worse than their 2026 table), and
credit events for a few — then runs each sweep on the date it acts and prints a table: the
rows it touched, the seconds it took and the process's peak memory (max RSS) after it. The
deadline sweep is run twice: the second run shows the idempotent no-op. The target: the deadline
sweep under 10 s at 100,000 units.

The notices' e-mail is not sent: each page's dispatch to Celery is counted instead
(``--send-email`` enqueues it, for a broker with a worker), so the figures are the sweeps' own.

After the deadline sweep the script times a ``COPY`` of the very rows it wrote (the claims,
tables, audit entries, notifications and proposals with ids above those before it) into empty
copies of their tables with the same indexes (``LIKE … INCLUDING ALL``), then again with the
same deferred foreign keys too (checked at the commit, as the sweep's are), and prints both
beside the sweep with the ratios: the target is within 2× of it. The worst
case, every unit late, is ``--filed-share 0``.

To time the sweeps again on the same data without arranging it again (1–2 min at 100,000
units), arrange once into a template database and copy it for each run:

    createdb -h 127.0.0.1 -U postgres sweep_template
    DATABASE_URL=…/sweep_template .venv/bin/python -m bench.deadline_sweep --arrange-only …
    createdb -h 127.0.0.1 -U postgres -T sweep_template sweep_run1
    DATABASE_URL=…/sweep_run1 .venv/bin/python -m bench.deadline_sweep --arranged --steps late
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import resource
import sys
import time

BATCH = 5000
YEAR = 2027
OPENS = datetime.date(YEAR, 3, 1)
DEADLINE = datetime.date(YEAR, 4, 15)
CITIES = ("410300", "370100", "210200")  # 洛阳, 济南, 大连
FILED_SHARE = 0.6  # units that filed on time (--filed-share)
REGRESSING_SHARE = 0.1  # of the filed, worse than last year beyond the tolerance
CREDIT_SHARE = 0.01  # units with a new credit event
VALUES = {
    "energy_per_unit": 100,
    "water_per_unit": 2.5,
    "pollutant_per_unit": 0.8,
    "solid_waste_utilisation_rate": 90,
    "carbon_per_unit": 1.2,
    "renewable_energy_share": 12,
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenmfg.settings.base")
    import django

    django.setup()
    from django.conf import settings

    # As a production worker runs: DEBUG keeps every query's SQL in memory.
    settings.DEBUG = False


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def batches(total: int, size: int = BATCH):
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def arrange(units: int, filed_share: float = FILED_SHARE) -> dict:
    """The rows of the benchmark, in batches (never all of them in memory)."""
    from django.core.management import call_command
    from django.db import transaction

    from applications.models import CreditEvent
    from dynamic_mgmt.models import AnnualTable, FilingWindow
    from greenmfg.accounts.models import User
    from greenmfg.accounts.roles import Role
    from greenmfg.directory.credit_code import with_check_character
    from greenmfg.directory.models import Jurisdiction, Organisation
    from registry.models import Listing

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="admin").exists():
        call_command("seed_demo", "--directory-only", stdout=io.StringIO())
    if Listing.objects.exists():
        sys.exit("The database already has listings: run the benchmark on a fresh database.")
    admin = User.objects.get(username="admin")
    bureaus = {
        key: Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key=key)
        for key in CITIES
    }
    counties = {
        key: list(Jurisdiction.objects.filter(parent__key=key).order_by("key")) for key in CITIES
    }
    for bureau in bureaus.values():
        FilingWindow.objects.create(
            authority=bureau,
            jurisdiction=bureau.jurisdiction,
            level="city",
            year=YEAR,
            opens_on=OPENS,
            deadline=DEADLINE,
            reminder_days=[30, 7, 1],
            citation="基准测试",
            created_by=admin,
        )
    filed_at = datetime.datetime(YEAR, 4, 1, 9, tzinfo=datetime.UTC)
    for chunk in batches(units):
        with transaction.atomic():
            organisations, places = [], []
            for i in chunk:
                city = CITIES[i % len(CITIES)]
                county = counties[city][(i // len(CITIES)) % len(counties[city])]
                division = county.code or county.parent.code
                places.append((city, county))
                organisations.append(
                    Organisation(
                        name=f"基准测试制造企业{i:06d}有限公司",
                        kind=Organisation.Kind.ENTERPRISE,
                        credit_code=with_check_character(f"91{division}BN{i:07d}"),
                        jurisdiction=county,
                    )
                )
            organisations = Organisation.objects.bulk_create(organisations)
            User.objects.bulk_create(
                [
                    User(
                        username=f"bench-{i:06d}",
                        email=f"bench{i:06d}@example.cn",
                        password="!",
                        role=Role.APPLICANT,
                        organisation=organisation,
                    )
                    for i, organisation in zip(chunk, organisations, strict=True)
                ]
            )
            listings = Listing.objects.bulk_create(
                [
                    Listing(
                        organisation=organisation,
                        jurisdiction=county,
                        unit_type="factory",
                        level="city",
                        year=2025,
                        authority=bureaus[city],
                        unit_name=organisation.name,
                        credit_code=organisation.credit_code,
                        document_number="基准〔2025〕1号",
                        listed_on=datetime.date(2025, 6, 30),
                        valid_until=datetime.date(2028, 6, 30) if city == "370100" else None,
                        created_by=admin,
                    )
                    for organisation, (city, county) in zip(organisations, places, strict=True)
                ]
            )
            tables, events = [], []
            for i, listing in zip(chunk, listings, strict=True):
                if i % 100 < filed_share * 100:
                    values = dict(VALUES)
                    if i % 100 < filed_share * REGRESSING_SHARE * 100:
                        values["energy_per_unit"] = 130
                        tables.append(
                            AnnualTable(
                                listing=listing,
                                year=YEAR - 1,
                                indicators=VALUES,
                                status=AnnualTable.Status.FILED,
                                filed_at=filed_at - datetime.timedelta(days=365),
                            )
                        )
                    tables.append(
                        AnnualTable(
                            listing=listing,
                            year=YEAR,
                            indicators=values,
                            status=AnnualTable.Status.FILED,
                            filed_at=filed_at,
                        )
                    )
                if i % round(1 / CREDIT_SHARE) == 0:
                    events.append(
                        CreditEvent(
                            credit_code=listing.credit_code,
                            unit_name=listing.unit_name,
                            kind=CreditEvent.Kind.DISHONEST_JUDGMENT_DEBTOR,
                            occurred_on=datetime.date(YEAR, 1, 10),
                            source="基准测试",
                        )
                    )
            AnnualTable.objects.bulk_create(tables)
            CreditEvent.objects.bulk_create(events)
    return {
        "listings": Listing.objects.count(),
        "filed_tables": AnnualTable.objects.filter(year=YEAR).count(),
        "credit_events": CreditEvent.objects.count(),
    }


# The tables the deadline sweep writes, for the COPY baseline.
WRITTEN = (
    "dynamic_mgmt_schedulemark",
    "dynamic_mgmt_annualtable",
    "audit_auditentry",
    "notifications_notification",
    "registry_removalproposal",
)


def last_ids() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        found = {}
        for table in WRITTEN:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            found[table] = cursor.fetchone()[0]
        return found


def copy_baseline(before: dict[str, int], *, foreign_keys: bool) -> tuple[float, int, str]:
    """Seconds to COPY the rows written since ``before`` (ids above it) into empty copies of
    their tables with the same indexes (and, with ``foreign_keys``, the same deferred foreign
    keys, checked at the commit as the sweep's are), in one transaction; and the number of
    rows, and the CPU it took. The rows are read out first (not timed)."""
    from django.db import connection, transaction

    buffers = {}
    with connection.cursor() as cursor:
        for table, last in before.items():
            buffer = io.StringIO()
            cursor.cursor.copy_expert(
                f"COPY (SELECT * FROM {table} WHERE id > {int(last)} ORDER BY id) TO STDOUT",
                buffer,
            )
            buffers[table] = buffer
            copy = f"bench_copy_{table}"
            cursor.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)")
            if foreign_keys:
                cursor.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [table],
                )
                for number, (definition,) in enumerate(cursor.fetchall()):
                    cursor.execute(
                        f"ALTER TABLE {copy} ADD CONSTRAINT {copy}_fk{number} {definition}"
                    )
    rows = sum(buffer.getvalue().count("\n") for buffer in buffers.values())
    try:
        cpu_before = cpu_seconds()
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for table, buffer in buffers.items():
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY bench_copy_{table} FROM STDIN", buffer)
        seconds = time.perf_counter() - began
        cpu = cpu_text(cpu_before, cpu_seconds())
    finally:
        with connection.cursor() as cursor:
            for table in buffers:
                cursor.execute(f"DROP TABLE IF EXISTS bench_copy_{table}")
    return seconds, rows, cpu


def cpu_seconds() -> tuple[float, float | None]:
    """CPU seconds used so far by this process and by its database backend (read from
    ``/proc`` when the server runs on this machine; else None). Less at the mercy of the other
    work on a shared machine than the wall-clock time: the bench prints both."""
    from django.db import connection

    usage = resource.getrusage(resource.RUSAGE_SELF)
    mine = usage.ru_utime + usage.ru_stime
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return mine, None
    # utime and stime are the 14th and 15th fields, the 12th and 13th after the name.
    return mine, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_text(before, after) -> str:
    mine = after[0] - before[0]
    if before[1] is None or after[1] is None:
        return f"CPU {mine:.2f} s in Python"
    server = after[1] - before[1]
    return f"CPU {mine + server:.2f} s ({mine:.2f} s Python, {server:.2f} s database)"


def load() -> str:
    return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(
    units: int,
    *,
    send_email: bool,
    filed_share: float = FILED_SHARE,
    arranged: bool = False,
    arrange_only: bool = False,
    steps_wanted: tuple[str, ...] = (),
) -> None:
    setup_django()
    from django.db import connection
    from django.urls import reverse

    from dynamic_mgmt import schedule
    from greenmfg.notifications import bulk

    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL=postgres://…")
    dispatched = {"pages": 0, "notifications": 0}
    if not send_email:

        def count_only(ids):
            dispatched["pages"] += 1
            dispatched["notifications"] += len(ids)

        bulk.dispatch_notifications = count_only

    if not arranged:
        started = time.perf_counter()
        made = arrange(units, filed_share)
        setup_seconds = time.perf_counter() - started
        print(
            f"Arranged {made['listings']:,} listings, {made['filed_tables']:,} filed "
            f"{YEAR} tables, {made['credit_events']:,} credit events in {setup_seconds:.1f} s "
            f"(peak RSS {peak_mb():.0f} MB)."
        )
        # A database that has just received 100,000 units has no statistics yet; a live one has
        # them (autovacuum analyses a table within a minute of such a change). Without them the
        # planner joins the sweep's pages to "empty" tables by nested loops over sequential
        # scans: 194 s instead of 13 s for the worst case, measured on 2026-12-07.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        if arrange_only:
            return
    steps = [
        ("windows", OPENS, schedule.open_windows),
        ("reminders", DEADLINE - datetime.timedelta(days=7), schedule.send_reminders),
        ("late (deadline sweep)", DEADLINE + datetime.timedelta(days=1), schedule.mark_late),
        ("late, again (no-op)", DEADLINE + datetime.timedelta(days=1), schedule.mark_late),
        ("indicators", DEADLINE + datetime.timedelta(days=1), schedule.check_indicators),
        ("credit", DEADLINE + datetime.timedelta(days=1), schedule.recheck_credit),
        ("re_reviews (notice)", datetime.date(2028, 4, 1), schedule.re_reviews),
        ("re_reviews (open)", datetime.date(2028, 6, 30), schedule.re_reviews),
    ]
    if steps_wanted:
        steps = [step for step in steps if step[0].split(" ")[0].rstrip(",") in steps_wanted]
    # A worker that has run a task before has its URL conf loaded (the notices' links reverse
    # URLs): the first reverse() imports every app's views, 1-2 s where no bytecode is cached
    # (PYTHONDONTWRITEBYTECODE), which is not the sweep's cost.
    warm = time.perf_counter()
    reverse("dashboard")
    print(f"URL conf loaded before the sweeps in {time.perf_counter() - warm:.2f} s.")
    header = f"{'sweep':<24} {'date':<11} {'seconds':>8} {'peak MB':>8}  {'load':<19} rows"
    print(header)
    print("-" * len(header))
    baseline = None
    for name, day, sweep in steps:
        before = last_ids() if name.startswith("late (") else None
        cpu_before = cpu_seconds()
        began = time.perf_counter()
        result = sweep(day)
        seconds = time.perf_counter() - began
        cpu = cpu_text(cpu_before, cpu_seconds())
        counts = ", ".join(f"{key} {value:,}" for key, value in result.counts.items()) or "—"
        print(
            f"{name:<24} {day.isoformat():<11} {seconds:>8.2f} {peak_mb():>8.0f}  "
            f"{load():<19} {counts}"
        )
        if before is not None:
            bare, rows, bare_cpu = copy_baseline(before, foreign_keys=False)
            keyed, _rows, keyed_cpu = copy_baseline(before, foreign_keys=True)
            baseline = (seconds, rows, bare, keyed, load(), cpu, bare_cpu, keyed_cpu)
    if baseline is not None:
        seconds, rows, bare, keyed, copy_load, cpu, bare_cpu, keyed_cpu = baseline
        print(
            f"Deadline sweep {seconds:.2f} s ({cpu}). A COPY of the same {rows:,} rows into "
            f"copies of their tables ({copy_load}): with their indexes {bare:.2f} s "
            f"({bare_cpu}; the sweep {seconds / bare:.1f}× it); with their indexes and foreign "
            f"keys {keyed:.2f} s ({keyed_cpu}; the sweep {seconds / keyed:.1f}× it). "
            "Target: < 10 s and ≤ 2×."
        )
    if not send_email:
        print(
            f"E-mail not sent: {dispatched['notifications']:,} notifications in "
            f"{dispatched['pages']:,} Celery dispatches (one per page) counted instead."
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100_000, help="listed units to create")
    parser.add_argument(
        "--send-email",
        action="store_true",
        help="enqueue the notices' e-mail on the Celery broker instead of counting it",
    )
    parser.add_argument(
        "--filed-share",
        type=float,
        default=FILED_SHARE,
        help="share of the units that filed on time (0 makes every unit late)",
    )
    parser.add_argument(
        "--arrange-only",
        action="store_true",
        help="create the units (and VACUUM ANALYZE) without running the sweeps: a template",
    )
    parser.add_argument(
        "--arranged",
        action="store_true",
        help="the database already holds the units (a copy of an --arrange-only template)",
    )
    parser.add_argument(
        "--steps",
        default="",
        help="comma-separated sweeps to run (windows, reminders, late, indicators, credit, "
        "re_reviews); all by default",
    )
    args = parser.parse_args(argv)
    run(
        args.units,
        send_email=args.send_email,
        filed_share=args.filed_share,
        arranged=args.arranged,
        arrange_only=args.arrange_only,
        steps_wanted=tuple(step.strip() for step in args.steps.split(",") if step.strip()),
    )


if __name__ == "__main__":
    main()
