"""Time the long documents: a 100,000-row Excel export and the PDF of a 5,000-unit list.

    .venv/bin/python -m bench.documents [--units 5000] [--rows 100000] [--workers 2] [--whole]

The rows are made in memory (no database needed): what is timed is the document machinery the
Celery tasks run, each stage in its own process so that its peak memory is its own:

- ``excel``: ``greenmfg.core.export.write_xlsx`` streaming the rows to a file
  (rustpy-xlsxwriter), and the same rows as CSV for the cost the issue compares it with;
- ``pdf parts``: one worker laying out every part of ``PDF_PART_ROWS`` rows in turn
  (``registry.services.document.render_part_pdf``): its peak is a worker's peak;
- ``pdf parts ×N``: the parts shared by N worker processes, as N Celery workers would;
- ``pdf merge``: pypdf joining the parts and stamping the page numbers of the whole;
- ``pdf whole`` (``--whole``): the old way, every page of the list in one WeasyPrint document.

Each line gives the seconds, the size and the stage's peak resident memory (ru_maxrss).
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


def part_bounds(units: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, units)) for start in range(0, units, size)]


def render_part(bounds: tuple[int, int], units: int, folder: str) -> tuple[str, float]:
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
    return path, peak_mb()


def stage(name: str, args) -> dict:
    """Run one stage in this process; the figures as a dict."""
    setup()
    from django.conf import settings

    started = time.perf_counter()
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
            path, _peak = render_part(bounds, args.units, args.folder)
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
            "size": size,
            "peak": peak_mb(),
            "note": f"{len(parts)} parts, {pages} pages",
        }
    elif name == "pdf whole":
        from registry.services.document import render_rows_pdf

        size = len(render_rows_pdf([row(i) for i in range(args.units)], title="绿色制造名单"))
    else:
        raise SystemExit(f"unknown stage {name}")
    return {"seconds": time.perf_counter() - started, "size": size, "peak": peak_mb()}


def parallel_parts(args) -> dict:
    """The parts shared by ``workers`` processes (as Celery workers would), wall time."""
    setup()
    from django.conf import settings

    size_rows = getattr(settings, "PDF_PART_ROWS", 300)
    folder = tempfile.mkdtemp(prefix="bench-parts-")
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(
            pool.map(
                render_part,
                part_bounds(args.units, size_rows),
                [args.units] * len(part_bounds(args.units, size_rows)),
                [folder] * len(part_bounds(args.units, size_rows)),
            )
        )
    return {
        "seconds": time.perf_counter() - started,
        "size": sum(os.path.getsize(path) for path, _peak in results),
        "peak": max(peak for _path, peak in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--whole", action="store_true", help="also the old one-piece PDF")
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
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'document':<34} {'seconds':>8} {'size (MB)':>10} {'peak RSS (MB)':>14}")
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
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        note = f"  ({result['note']})" if "note" in result else ""
        print(
            f"{label:<34} {result['seconds']:>8.1f} {result['size'] / 1024 / 1024:>10.1f}"
            f" {result['peak']:>14.0f}{note}"
        )


if __name__ == "__main__":
    main()
