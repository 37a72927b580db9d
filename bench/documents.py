"""Time the large documents: the PDF of a 5,000-unit list and a 100,000-row Excel export.

    .venv/bin/python -m bench.documents [--units 5000] [--rows 100000]

The rows are made in memory (no database needed): what is timed is the document machinery —
WeasyPrint's layout of the list template, and openpyxl's write-only workbook through
``greenmfg.core.export.xlsx_response`` — which is what the Celery task and the export views run.
"""

import argparse
import datetime
import os
import resource
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenmfg.settings.base")
    import django

    django.setup()
    from greenmfg.core.export import Column, xlsx_response
    from registry.services.document import render_rows_pdf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

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

    results = []
    started = time.perf_counter()
    pdf = render_rows_pdf([row(i) for i in range(args.units)], title="绿色制造名单")
    results.append((f"PDF, {args.units:,} units", time.perf_counter() - started, len(pdf)))

    columns = [Column(key, (lambda r, k=key: r[k])) for key in row(0)]
    started = time.perf_counter()
    response = xlsx_response(
        filename="bench", title="bench", columns=columns, rows=(row(i) for i in range(args.rows))
    )
    results.append(
        (f"Excel, {args.rows:,} rows", time.perf_counter() - started, len(response.content))
    )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'document':<24} {'seconds':>8} {'size (MB)':>10}")
    for name, seconds, size in results:
        print(f"{name:<24} {seconds:>8.1f} {size / 1024 / 1024:>10.1f}")
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
