"""Benchmark of the main pages and API endpoints at national scale (issue 9).

    createdb -h 127.0.0.1 -U postgres greenmfg_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/greenmfg_bench
    .venv/bin/python manage.py generate_data --units 100000 --password 'Lvse-2026!'
    .venv/bin/python -m bench.pages --load

(``make bench`` does all three on a new database.) For each page it prints, in a Markdown table:

- the median and 95th-percentile time of a request through Django's whole stack (middleware,
  session, view, template or serializer; no network), over ``--requests`` requests after a warm-up;
- the number of queries the request runs;
- the raw SQL time of the same request: every SELECT it ran, executed again straight on the
  database cursor and fetched, summed — the lower bound no page can beat;
- page time ÷ raw time.

With ``--load`` it then starts gunicorn (``--workers``, sync workers, DEBUG off) on 127.0.0.1 and
drives a few of the pages with wrk for ``--duration`` seconds each over ``--connections``
connections, printing requests per second and the latency percentiles. wrk, gunicorn and
PostgreSQL share the same cores, so the throughput is that of the whole machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

TARGET_MEDIAN_MS = 50
TARGET_P95_MS = 150
TARGET_RATIO = 5
TARGET_QUERIES = 15


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenmfg.settings.base")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    # The public API's throttle (60 requests a minute from one address) would answer the
    # timed requests with 429: the benchmark measures the page, not the throttle.
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.allow_request = lambda self, request, view: True


@dataclass(frozen=True)
class Page:
    name: str
    user: str | None  # a demo username, or None for a visitor
    path: str
    load: bool = False  # also driven through gunicorn with wrk
    baseline: bool = False  # the stack's floor, not a page held to the targets


def pages() -> list[Page]:
    """The pages, with the sample rows they open picked from the generated data."""
    from applications.models import Application
    from registry.models import Listing

    # An application of 洛阳 (洛龙区 where it has one) under or after the expert review.
    candidates = Application.objects.filter(
        batch__jurisdiction__key="410300",
        status__in=[Application.Status.EXPERT_REVIEW, Application.Status.PASSED],
    ).order_by("pk")
    application = candidates.filter(jurisdiction__key="410311").first() or candidates.first()
    listing = (
        Listing.objects.filter(jurisdiction__key="410311", status=Listing.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    if application is None or listing is None:
        sys.exit("No generated data: run `manage.py generate_data` on this database first.")
    return [
        # The floor: the stack's own cost (middleware and one SELECT 1; no session, no template).
        Page("基线：健康检查", None, "/healthz", load=True, baseline=True),
        Page("名单查询：按名称搜索", None, "/mingdan/?q=精密机械", load=True),
        Page("名单查询：按地区、层级", None, "/mingdan/?region=410300&level=city&year=2024"),
        Page("名单查询：单位页", None, f"/mingdan/units/{listing.organisation_id}/"),
        Page("公开名单 API：搜索", None, "/api/public/listings/?q=精密机械"),
        Page("县（区）工作台（待办）", "luoyang-county", "/dashboard/", load=True),
        Page("县（区）申报列表（收件箱）", "luoyang-county", "/applications/?status=submitted"),
        Page("县（区）申报 API", "luoyang-county", "/api/applications/?status=submitted"),
        Page("专家评审任务列表", "luoyang-expert", "/experts/tasks/", load=True),
        Page("专家评审分配 API", "luoyang-expert", "/api/assignments/"),
        Page("申报详情（市级）", "luoyang-city", f"/applications/{application.pk}/", load=True),
        Page("申报详情 API", "luoyang-city", f"/api/applications/{application.pk}/"),
        Page("名单管理（市级）", "luoyang-city", "/registry/listings/?level=city"),
        Page("名单 API（市级）", "luoyang-city", "/api/listings/?level=city", load=True),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Measure:
    page: Page
    median_ms: float
    p95_ms: float
    queries: int
    raw_ms: float

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.raw_ms if self.queries else None

    @property
    def misses(self) -> list[str]:
        misses = []
        if self.page.baseline:
            return misses
        if self.median_ms > TARGET_MEDIAN_MS:
            misses.append("median")
        if self.p95_ms > TARGET_P95_MS:
            misses.append("p95")
        if self.ratio is not None and self.ratio > TARGET_RATIO:
            misses.append("×raw")
        if self.queries > TARGET_QUERIES:
            misses.append("queries")
        return misses


def client_for(username: str | None):
    from django.test import Client

    from greenmfg.accounts.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


DECLARE = re.compile(r"^DECLARE .*? CURSOR .*?FOR (SELECT .*)$", re.DOTALL)


def raw_sql_ms(statements: list[str], repeat: int) -> float:
    """The median time of running the page's SELECTs straight on the driver's cursor."""
    from django.db import connection

    selects = []
    for sql in statements:
        # A server-side cursor's query (QuerySet.iterator()) is timed as the SELECT it declares.
        declared = DECLARE.match(sql)
        sql = declared.group(1) if declared else sql
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            selects.append(sql)
    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def run():
        for sql in selects:
            cursor.execute(sql)
            cursor.fetchall()

    run()  # warm
    return statistics.median(timed(run, repeat))


def measure(page: Page, repeat: int) -> Measure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(page.user)

    def get():
        response = client.get(page.path)
        if response.status_code != 200:
            sys.exit(f"{page.path} as {page.user or 'a visitor'}: HTTP {response.status_code}")
        return response

    for _ in range(3):
        get()
    times = timed(get, repeat)
    with CaptureQueriesContext(connection) as captured:
        get()
    statements = [query["sql"] for query in captured.captured_queries]
    return Measure(
        page=page,
        median_ms=statistics.median(times),
        p95_ms=percentile(times, 0.95),
        queries=len(statements),
        raw_ms=raw_sql_ms(statements, repeat),
    )


def table(measures: list[Measure]) -> str:
    lines = [
        "| 页面 | 用户 | 路径 | 中位数 ms | p95 ms | 查询数 | 原始 SQL ms | 倍数 | 未达标 |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        lines.append(
            f"| {m.page.name} | {m.page.user or '访客'} | `{m.page.path}` | {m.median_ms:.1f} "
            f"| {m.p95_ms:.1f} | {m.queries} | {m.raw_ms:.2f} "
            f"| {'—' if m.ratio is None else f'{m.ratio:.1f}×'} "
            f"| {', '.join(m.misses) or '—'} |"
        )
    return "\n".join(lines)


# Load through gunicorn ----------------------------------------------------------------------


def session_cookie(username: str | None) -> str | None:
    if not username:
        return None
    client = client_for(username)
    return client.cookies["sessionid"].value


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "greenmfg.settings.base",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    process = subprocess.Popen(
        [
            gunicorn,
            "greenmfg.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not start")


WRK_LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNITS_MS = {"us": 0.001, "ms": 1, "s": 1000}


def wrk(url: str, *, cookie: str | None, connections: int, duration: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = {
        share: float(value) * UNITS_MS[unit] for share, value, unit in WRK_LATENCY.findall(output)
    }
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50": latency.get("50"),
        "p90": latency.get("90"),
        "p99": latency.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def load(selected: list[Page], *, port: int, workers: int, connections: int, duration: int) -> str:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")
    process = start_gunicorn(port, workers)
    lines = [
        f"gunicorn {workers} sync workers, wrk 2 threads × {connections} connections, "
        f"{duration} s each:",
        "",
        "| 页面 | 请求/秒 | p50 ms | p90 ms | p99 ms | 非 2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    try:
        for page in selected:
            result = wrk(
                f"http://127.0.0.1:{port}{quote(page.path, safe='/?=&')}",
                cookie=session_cookie(page.user),
                connections=connections,
                duration=duration,
            )
            lines.append(
                f"| {page.name} | {result['rps']:.0f} | {result['p50']:.1f} "
                f"| {result['p90']:.1f} | {result['p99']:.1f} | {result['errors']} |"
            )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--load", action="store_true", help="also load-test through gunicorn")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from applications.models import Application
    from registry.models import Listing

    print(
        f"{connection.vendor}: {Listing.objects.count():,} listings, "
        f"{Application.objects.count():,} applications\n"
    )
    selected = pages()
    measures = [measure(page, args.requests) for page in selected]
    print(table(measures))
    pages_only = [m for m in measures if not m.page.baseline]
    missing = [m for m in pages_only if m.misses]
    print(f"\n{len(pages_only) - len(missing)} of {len(pages_only)} pages meet every target.")
    if args.load:
        print()
        print(
            load(
                [page for page in selected if page.load],
                port=args.port,
                workers=args.workers,
                connections=args.connections,
                duration=args.duration,
            )
        )


if __name__ == "__main__":
    main()
