"""Time the long documents: a 100,000-row Excel export and the PDF of a 5,000-unit list.

    .venv/bin/python -m bench.documents [--units 5000] [--rows 100000] [--workers 2] [--whole]
        [--database postgres://postgres@127.0.0.1:5432/<a copy of greenmfg_bench_100k>]

The rows are made in memory (no database needed): what is timed is the document machinery the
Celery tasks run, each stage in its own process so that its peak memory is its own:

- ``excel``: ``greenmfg.core.export.write_xlsx`` streaming the rows to a file
  (rustpy-xlsxwriter), and the same rows as CSV for the cost the issue compares it with;
- ``pdf parts``: one worker laying out every part of ``PDF_PART_ROWS`` rows in turn
  (``registry.services.document.render_part_pdf``): its peak is a worker's peak;
- ``pdf parts ×N``: the parts shared by N worker processes, as N Celery workers would;
- ``pdf merge``: pypdf joining the parts and stamping the page numbers of the whole;
- ``pdf whole`` (``--whole``): the old way, every page of the list in one WeasyPrint document;
- ``excel db`` (``--database``): the organisations' export as the Celery task writes it, from
  a bench database (its first ``--rows`` organisations as the system administrator sees them,
  the page's own columns), and the same rows only read (the query and the model instances), so
  that the split between reading and writing shows.

Each line gives the wall seconds, the CPU seconds of this process (on a loaded machine the
better estimate of a quiet run, though the database's own time is not in it), the size and the
stage's peak resident memory (ru_maxrss). ``pdf parts ×N`` also says which worker process built
which part.
"""

import argparse
import csv
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenmfg.settings.base")
    import django

    django.setup()


def row(index: int) -> dict:
    return {
        "name": f"示范绿色制造企业{index:06d}有限公司",
        "credit_code": f"91410300MA{index:07d}X",
        "unit_type": "绿色工厂",
        "level": "国家级",
        "year": 2026,
        "region": "洛阳市洛龙区",
        "authority": "工业和信息化部",
        "document_number": "工信厅节函〔2026〕88号",
        "listed_on": datetime.date(2026, 11, 27),
        "status": "有效",
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def part_bounds(units: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, units)) for start in range(0, units, size)]


def render_part(bounds: tuple[int, int], units: int, folder: str) -> tuple[str, float, int]:
    setup()
    from registry.services.document import render_part_pdf

    start, end = bounds
    content = render_part_pdf(
        [row(i) for i in range(start, end)],
        title="绿色制造名单",
        offset=start,
        total=units,
        generated_at=None,
    )
    path = os.path.join(folder, f"part-{start:06d}.pdf")
    with open(path, "wb") as file:
        file.write(content)
    return path, peak_mb(), os.getpid()


def stage(name: str, args) -> dict:
    """Run one stage in this process; the figures as a dict."""
    setup()
    from django.conf import settings

    started, cpu = time.perf_counter(), cpu_seconds()
    if name == "excel":
        from greenmfg.core.export import Column, write_xlsx

        columns = [Column(key, (lambda r, k=key: r[k])) for key in row(0)]
        path = os.path.join(args.folder, "export.xlsx")
        write_xlsx(path, title="名单", columns=columns, rows=(row(i) for i in range(args.rows)))
        size = os.path.getsize(path)
    elif name == "csv":
        path = os.path.join(args.folder, "export.csv")
        with open(path, "w", newline="", encoding="utf-8-sig") as file:
            writer = csv.writer(file)
            writer.writerow(list(row(0)))
            for index in range(args.rows):
                writer.writerow(list(row(index).values()))
        size = os.path.getsize(path)
    elif name == "pdf parts":
        size_rows = getattr(settings, "PDF_PART_ROWS", 300)
        size = 0
        for bounds in part_bounds(args.units, size_rows):
            path, _peak, _pid = render_part(bounds, args.units, args.folder)
            size += os.path.getsize(path)
    elif name == "pdf merge":
        from registry.services.document import merge_pdfs

        parts = sorted(
            os.path.join(args.folder, name)
            for name in os.listdir(args.folder)
            if name.startswith("part-")
        )
        path = os.path.join(args.folder, "merged.pdf")
        opened = [open(part, "rb") for part in parts]  # noqa: SIM115 (closed below)
        try:
            pages = merge_pdfs(opened, path)
        finally:
            for file in opened:
                file.close()
        size = os.path.getsize(path)
        return {
            "seconds": time.perf_counter() - started,
            "cpu": cpu_seconds() - cpu,
            "size": size,
            "peak": peak_mb(),
            "note": f"{len(parts)} parts, {pages} pages",
        }
    elif name in ("excel db", "excel db read"):
        return excel_from_database(args, write=name == "excel db")
    elif name == "pdf whole":
        from registry.services.document import render_rows_pdf

        size = len(render_rows_pdf([row(i) for i in range(args.units)], title="绿色制造名单"))
    else:
        raise SystemExit(f"unknown stage {name}")
    return {
        "seconds": time.perf_counter() - started,
        "cpu": cpu_seconds() - cpu,
        "size": size,
        "peak": peak_mb(),
    }


def excel_from_database(args, *, write: bool) -> dict:
    """The organisations' export from ``DATABASE_URL`` (set from --database by the parent)."""
    from greenmfg.accounts.models import User
    from greenmfg.core.export import export_rows, write_xlsx
    from greenmfg.directory.selectors import organisation_list
    from greenmfg.directory.views import OrganisationListView

    user = User.objects.filter(is_superuser=True).first() or User.objects.get(role="sysadmin")
    queryset = organisation_list(user=user).order_by("name", "pk")[: args.rows]
    # As the export reads them: the page's export_fields as values (--instances: model instances).
    rows = export_rows(queryset, () if args.instances else OrganisationListView.export_fields)
    started, cpu = time.perf_counter(), cpu_seconds()
    path = os.path.join(args.folder, "organisations.xlsx")
    if write:
        count = write_xlsx(
            path, title="单位列表", columns=OrganisationListView.export_columns, rows=rows
        )
        size = os.path.getsize(path)
    else:
        count, size = sum(1 for _row in rows), 0
    return {
        "seconds": time.perf_counter() - started,
        "cpu": cpu_seconds() - cpu,
        "size": size,
        "peak": peak_mb(),
        "note": f"{count:,} organisations",
    }


def parallel_parts(args) -> dict:
    """The parts shared by ``workers`` processes (as Celery workers would), wall time."""
    setup()
    from django.conf import settings

    size_rows = getattr(settings, "PDF_PART_ROWS", 300)
    folder = tempfile.mkdtemp(prefix="bench-parts-")
    started, cpu = time.perf_counter(), cpu_seconds()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(
            pool.map(
                render_part,
                part_bounds(args.units, size_rows),
                [args.units] * len(part_bounds(args.units, size_rows)),
                [folder] * len(part_bounds(args.units, size_rows)),
            )
        )
    bounds = part_bounds(args.units, size_rows)
    by_worker: dict[int, list[str]] = {}
    for (start, end), (_path, _peak, pid) in zip(bounds, results, strict=True):
        by_worker.setdefault(pid, []).append(f"{start + 1}–{end}")
    return {
        "seconds": time.perf_counter() - started,
        # The parent waits while the workers lay out: their CPU is not in this figure.
        "cpu": cpu_seconds() - cpu,
        "size": sum(os.path.getsize(path) for path, _peak, _pid in results),
        "peak": max(peak for _path, peak, _pid in results),
        "note": "; ".join(
            f"worker {pid}: rows {', '.join(parts)}" for pid, parts in sorted(by_worker.items())
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--whole", action="store_true", help="also the old one-piece PDF")
    parser.add_argument(
        "--database", help="also the organisations' export from this database (a bench copy)"
    )
    parser.add_argument(
        "--instances", action="store_true", help="read the organisations as model instances"
    )
    parser.add_argument(
        "--only", help="only these stages, comma-separated (excel, csv, pdf, excel db)"
    )
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.stage:  # a child: one stage, its figures on stdout
        result = parallel_parts(args) if args.stage == "pdf parts ×N" else stage(args.stage, args)
        print(json.dumps(result))
        return

    folder = tempfile.mkdtemp(prefix="bench-documents-")
    stages = [
        ("excel", f"Excel, {args.rows:,} rows"),
        ("csv", f"CSV, {args.rows:,} rows"),
        ("pdf parts", f"PDF parts, {args.units:,} units, 1 worker"),
        ("pdf parts ×N", f"PDF parts, {args.workers} workers"),
        ("pdf merge", "PDF merge + page numbers"),
    ]
    if args.whole:
        stages.append(("pdf whole", f"PDF whole (old), {args.units:,}"))
    if args.database:
        stages += [
            ("excel db read", f"organisations, {args.rows:,}: read"),
            ("excel db", f"organisations, {args.rows:,}: Excel"),
        ]
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        stages = [
            (name, label)
            for name, label in stages
            if name in wanted or name.split()[0] in wanted or name.startswith(tuple(wanted))
        ]
    env = {**os.environ, "DATABASE_URL": args.database} if args.database else None
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'document':<34} {'seconds':>8} {'CPU s':>6} {'size (MB)':>10} {'peak RSS (MB)':>14}")
    for name, label in stages:
        command = [
            sys.executable,
            "-m",
            "bench.documents",
            "--stage",
            name,
            "--folder",
            folder,
            "--units",
            str(args.units),
            "--rows",
            str(args.rows),
            "--workers",
            str(args.workers),
            *(["--instances"] if args.instances else []),
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
        result = json.loads(output.strip().splitlines()[-1])
        note = f"  ({result['note']})" if "note" in result else ""
        print(
            f"{label:<34} {result['seconds']:>8.1f} {result['cpu']:>6.1f}"
            f" {result['size'] / 1024 / 1024:>10.1f} {result['peak']:>14.0f}{note}"
        )


if __name__ == "__main__":
    main()
