"""Benchmark of every page and API endpoint of every role, at two sizes (issues 9 and 16).

    make bench                                   # generates both databases, then runs this
    .venv/bin/python -m bench.pages \\
        --size 10k=greenmfg_bench_10k --size 100k=greenmfg_bench_100k --markdown [--load]

The pages are not listed by hand: ``bench.discover`` draws every argument-free page and API
route from the URL conf (lists and the rest), and each is requested as one user of every role
and as a visitor. A role that is not answered 200 skips the page, and the bench says which.
Each database (``--size LABEL=DBNAME``, smallest first) is measured in its own process, then:

- median and 95th percentile of a request through Django's whole stack (middleware, session,
  view, template or serializer; no network), over ``--requests`` requests after a warm-up (fewer
  when a page is slow: at least 5, stopping after ``--budget`` seconds);
- the number of queries, and the raw SQL time: the request's SELECTs executed again straight on
  the driver's cursor and fetched — the lower bound no page can beat;
- the growth of the median from the smallest to the largest size;
- EXPLAIN of every SELECT: a Seq Scan on a table whose ``pg_class.reltuples`` is over 10,000 is
  named (the page's query does not use an index there).

Targets (issue 16), at the largest size, checked by the exit status (1 when a page misses):
median < 50 ms, p95 < 150 ms, at most 15 queries, and growth ≤ 1.5× for a paginated page.
``--strict-index`` makes a large Seq Scan a miss too.

With ``--load`` it then starts gunicorn (``--workers``, sync workers, DEBUG off) on the largest
database and drives a few pages with wrk for ``--duration`` seconds each.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import quote

TARGET_MEDIAN_MS = 50
TARGET_P95_MS = 150
TARGET_QUERIES = 15
TARGET_GROWTH = 1.5
LARGE_TABLE_ROWS = 10_000

# One user of every role (the demo users that `generate_data` loads with `seed_demo`), and the
# visitor. A role missing here fails the run: a new role cannot be forgotten either.
VISITOR = "visitor"
ROLE_USERS: dict[str, str | None] = {
    VISITOR: None,
    "applicant": "luoyang-listed",
    "agency_staff": "luoyang-agency",
    "county_official": "luoyang-county",
    "city_official": "luoyang-city",
    "province_official": "",  # the province user over 洛阳, looked up
    "national_official": "nation",
    "expert": "luoyang-expert",
    "department_official": "luoyang-env",
    "sysadmin": "admin",
}

# Pages that gunicorn + wrk drive with --load: (path, role).
LOAD_PAGES = [
    ("/healthz", VISITOR),
    ("/mingdan/?q=精密机械", VISITOR),
    ("/dashboard/", "county_official"),
    ("/experts/tasks/", "expert"),
    ("/api/listings/?level=city", "city_official"),
    ("/organisations/", "national_official"),
]


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
    # A role's 403 is an answer here, not an error to log with its traceback.
    import logging

    for name in ("django.request", "django.security"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    _watch_paginators()


# A view that builds a Paginator is a paginated list (DRF's page-number pagination builds one too).
_paginated = [False]


def _watch_paginators() -> None:
    from django.core.paginator import Paginator

    original = Paginator.__init__

    def init(self, *args, **kwargs):
        _paginated[0] = True
        original(self, *args, **kwargs)

    Paginator.__init__ = init


def check_roles() -> None:
    from greenmfg.accounts.roles import Role

    missing = {role.value for role in Role} - set(ROLE_USERS)
    if missing:
        sys.exit(f"bench.pages: no user for the roles {sorted(missing)}: add them to ROLE_USERS")


def role_users() -> dict[str, object]:
    """The user of each role (None for the visitor); roles without a user are left out."""
    from greenmfg.accounts.models import User

    check_roles()
    users: dict[str, object] = {}
    for role, username in ROLE_USERS.items():
        if role == VISITOR:
            users[role] = None
            continue
        same_role = User.objects.filter(role=role, is_active=True).order_by("username")
        user = same_role.filter(username=username).first() if username else None
        if user is None and role == "province_official":
            user = same_role.filter(organisation__jurisdiction__key="410000").first()
        user = user or same_role.first()
        if user is not None:
            users[role] = user
    return users


@dataclass
class Request:
    key: str  # what the row is called across sizes: the path, or a sample's label
    path: str
    role: str
    kind: str  # list, page or detail
    view: str = ""


def samples() -> list[Request]:
    """Pages with an argument, picked from the generated data (the issue 9 bench's)."""
    from applications.models import Application
    from registry.models import Listing

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
    found = []
    if listing is not None:
        found.append(
            Request(
                "/mingdan/units/<unit>/",
                f"/mingdan/units/{listing.organisation_id}/",
                VISITOR,
                "detail",
            )
        )
    if application is not None:
        found.append(
            Request(
                "/applications/<pk>/", f"/applications/{application.pk}/", "city_official", "detail"
            )
        )
        found.append(
            Request(
                "/api/applications/<pk>/",
                f"/api/applications/{application.pk}/",
                "city_official",
                "detail",
            )
        )
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Row:
    key: str
    path: str
    role: str
    user: str
    kind: str
    status: int
    paginated: bool = False
    median_ms: float = 0.0
    p95_ms: float = 0.0
    samples: int = 0
    queries: int = 0
    raw_ms: float = 0.0
    seq_scans: list[str] = field(default_factory=list)
    view: str = ""
    error: str = ""


def client_for(user):
    from django.test import Client

    # A page that fails answers 500 here and is reported, instead of ending the run.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def timed(call: Callable[[], object], repeat: int, budget_s: float) -> list[float]:
    times: list[float] = []
    started_all = time.perf_counter()
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
        if len(times) >= 5 and time.perf_counter() - started_all > budget_s:
            break
    return times


DECLARE = re.compile(r"^DECLARE .*? CURSOR .*?FOR (SELECT .*)$", re.DOTALL)


def selects_of(statements: list[str]) -> list[str]:
    selects = []
    for sql in statements:
        # A server-side cursor's query (QuerySet.iterator()) is timed as the SELECT it declares.
        declared = DECLARE.match(sql)
        sql = declared.group(1) if declared else sql
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            selects.append(sql)
    return selects


def raw_sql_ms(selects: list[str], repeat: int) -> float:
    """The median time of running the page's SELECTs straight on the driver's cursor."""
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def run():
        for sql in selects:
            cursor.execute(sql)
            cursor.fetchall()

    run()  # warm
    return statistics.median(timed(run, repeat, 1.0))


_reltuples: dict[str, float] = {}


def large_seq_scans(selects: list[str]) -> list[str]:
    """The tables over LARGE_TABLE_ROWS rows that the SELECTs' plans read with a Seq Scan."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        if not _reltuples:
            cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind IN ('r', 'p')")
            _reltuples.update(cursor.fetchall())
        found: dict[str, float] = {}
        for sql in selects:
            try:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            except Exception:  # a statement EXPLAIN cannot take is not judged
                continue
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            stack = [plan[0]["Plan"]]
            while stack:
                node = stack.pop()
                stack.extend(node.get("Plans", []))
                table = node.get("Relation Name")
                if node.get("Node Type") == "Seq Scan" and table:
                    rows = _reltuples.get(table, 0)
                    if rows > LARGE_TABLE_ROWS:
                        found[table] = rows
    return [f"{table} ({rows:,.0f})" for table, rows in sorted(found.items())]


def measure(request: Request, user, repeat: int, budget_s: float) -> Row:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user)
    row = Row(
        key=request.key,
        path=request.path,
        role=request.role,
        user=getattr(user, "username", "") or "",
        kind=request.kind,
        status=0,
        view=request.view,
    )
    _paginated[0] = False
    response = client.get(request.path)
    row.status = response.status_code
    if response.status_code != 200:
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            row.error = f"{exc_info[0].__name__}: {exc_info[1]}"[:300]
        return row
    row.paginated = _paginated[0]
    if row.paginated and row.kind == "page":
        row.kind = "list"

    def get():
        client.get(request.path)

    get()  # warm
    times = timed(get, repeat, budget_s)
    with CaptureQueriesContext(connection) as captured:
        get()
    selects = selects_of([query["sql"] for query in captured.captured_queries])
    row.median_ms = statistics.median(times)
    row.p95_ms = percentile(times, 0.95)
    row.samples = len(times)
    row.queries = len(captured.captured_queries)
    row.raw_ms = raw_sql_ms(selects, min(repeat, 10))
    row.seq_scans = large_seq_scans(selects)
    return row


def requests_to_time() -> list[Request]:
    from bench.discover import VARIANTS, discover

    targets, _ = discover()
    found = []
    for target in targets:
        kind = "list" if target.list_view else "page"
        found.append(Request(target.path, target.path, "", kind, target.view))
        for query in VARIANTS.get(target.path, []):
            path = f"{target.path}?{query}"
            found.append(Request(path, path, "", kind, target.view))
    return found


def measure_database(repeat: int, budget_s: float, only: str | None, log) -> dict:
    from django.db import connection

    from greenmfg.accounts.models import User

    users = role_users()
    rows: list[Row] = []
    discovered = requests_to_time()
    for role, user in users.items():
        for request in discovered:
            if only and only not in request.path:
                continue
            request = Request(request.key, request.path, role, request.kind, request.view)
            rows.append(measure(request, user, repeat, budget_s))
            log(rows[-1])
    for request in samples():
        if only and only not in request.path:
            continue
        if request.role in users:
            rows.append(measure(request, users[request.role], repeat, budget_s))
            log(rows[-1])
    return {
        "vendor": connection.vendor,
        "database": connection.settings_dict["NAME"],
        "units": User.objects.filter(username__startswith="unit-").count(),
        "roles": {role: getattr(user, "username", None) for role, user in users.items()},
        "rows": [asdict(row) for row in rows],
    }


# The run over several sizes -----------------------------------------------------------------


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    return base.rsplit("/", 1)[0] + "/" + name


def measure_size(label: str, name: str, args) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, "-m", "bench.pages", "--measure-into", out]
    command += ["--requests", str(args.requests), "--budget", str(args.budget)]
    if args.only:
        command += ["--only", args.only]
    started = time.perf_counter()
    print(f"== {label}: {name}", file=sys.stderr, flush=True)
    subprocess.run(command, env={**os.environ, "DATABASE_URL": database_url(name)}, check=True)
    with open(out, encoding="utf-8") as handle:
        result = json.load(handle)
    os.unlink(out)
    result["label"] = label
    result["seconds"] = time.perf_counter() - started
    return result


@dataclass
class Combined:
    key: str
    role: str
    user: str
    kind: str
    paginated: bool
    rows: dict[str, dict]  # label -> row
    large: dict  # the largest size's row
    growth: float | None

    @property
    def raw_growth(self) -> float | None:
        """The raw SQL's growth: the same ratio, less moved by the machine's load."""
        small = next(iter(self.rows.values()))
        if small is self.large or small["status"] != 200 or not small["raw_ms"]:
            return None
        return self.large["raw_ms"] / small["raw_ms"]

    @property
    def misses(self) -> list[str]:
        row = self.large
        misses = []
        if row["median_ms"] >= TARGET_MEDIAN_MS:
            misses.append("median")
        if row["p95_ms"] >= TARGET_P95_MS:
            misses.append("p95")
        if row["queries"] > TARGET_QUERIES:
            misses.append("queries")
        if self.paginated and self.growth is not None and self.growth > TARGET_GROWTH:
            misses.append("growth")
        return misses


def combine(results: list[dict]) -> tuple[list[Combined], dict[str, dict[str, int]]]:
    """The rows answered 200 at the largest size, and (key -> role -> status) of the others."""
    labels = [result["label"] for result in results]
    by_key: dict[tuple[str, str], dict[str, dict]] = {}
    for result in results:
        for row in result["rows"]:
            by_key.setdefault((row["key"], row["role"]), {})[result["label"]] = row
    combined, skipped = [], {}
    for (key, role), rows in by_key.items():
        large = rows.get(labels[-1])
        if large is None or large["status"] != 200:
            status = large["status"] if large else 0
            skipped.setdefault(key, {})[role] = status
            continue
        small = rows.get(labels[0])
        growth = None
        if len(labels) > 1 and small and small["status"] == 200 and small["median_ms"]:
            growth = large["median_ms"] / small["median_ms"]
        combined.append(
            Combined(
                key=key,
                role=role,
                user=large["user"],
                kind=large["kind"],
                paginated=large["paginated"],
                rows=rows,
                large=large,
                growth=growth,
            )
        )
    return combined, skipped


def md_table(combined: list[Combined], labels: list[str]) -> str:
    small, large = labels[0], labels[-1]
    several = len(labels) > 1
    head = ["页面", "角色", "类型"]
    if several:
        head.append(f"{small} 中位数 ms")
    head += [f"{large} 中位数 ms", "p95 ms", "查询数", "原始 SQL ms"]
    if several:
        head += ["增长", "SQL 增长"]
    head += ["顺序扫描（大表）", "未达标"]
    lines = ["| " + " | ".join(head) + " |"]
    aligns = ["---" if i < 3 else "---:" for i in range(len(head) - 2)] + ["---", "---"]
    lines.append("|" + "|".join(aligns) + "|")
    for c in combined:
        row = c.large
        kind = c.kind + (" ·分页" if c.paginated else "")
        cells = [f"`{c.key}`", f"{c.role}", kind]
        if several:
            first = c.rows.get(small)
            cells.append(f"{first['median_ms']:.1f}" if first and first["status"] == 200 else "—")
        cells += [
            f"{row['median_ms']:.1f}",
            f"{row['p95_ms']:.1f}",
            str(row["queries"]),
            f"{row['raw_ms']:.1f}",
        ]
        if several:
            cells.append("—" if c.growth is None else f"{c.growth:.2f}×")
            cells.append("—" if c.raw_growth is None else f"{c.raw_growth:.1f}×")
        cells += [", ".join(row["seq_scans"]) or "—", ", ".join(c.misses) or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def text_table(combined: list[Combined], labels: list[str]) -> str:
    small, large = labels[0], labels[-1]
    lines = [
        f"{'page':<48} {'role':<19} {'kind':<5} {small + ' ms':>9} {large + ' ms':>9} "
        f"{'p95':>7} {'q':>3} {'raw':>7} {'growth':>6}  seq scans / misses"
    ]
    for c in combined:
        row = c.large
        first = c.rows.get(small)
        lines.append(
            f"{c.key[:48]:<48} {c.role:<19} {c.kind[:4] + ('*' if c.paginated else ''):<5} "
            f"{(first['median_ms'] if first and first['status'] == 200 else 0):9.1f} "
            f"{row['median_ms']:9.1f} {row['p95_ms']:7.1f} {row['queries']:3d} "
            f"{row['raw_ms']:7.1f} {(c.growth or 0):6.2f}  "
            f"{', '.join(row['seq_scans'])} {'MISS ' + ','.join(c.misses) if c.misses else ''}"
        )
    return "\n".join(lines)


def skipped_table(skipped: dict[str, dict[str, int]]) -> str:
    lines = ["| 页面 | 不能打开的角色（HTTP 状态） |", "|---|---|"]
    for key, roles in sorted(skipped.items()):
        text = ", ".join(f"{role} {status}" for role, status in roles.items())
        lines.append(f"| `{key}` | {text} |")
    return "\n".join(lines)


def summary(results: list[dict], combined: list[Combined]) -> str:
    lines = []
    for result in results:
        rows = result["rows"]
        opened = [row for row in rows if row["status"] == 200]
        per_role: dict[str, int] = {}
        for row in opened:
            per_role[row["role"]] = per_role.get(row["role"], 0) + 1
        lines.append(
            f"{result['label']}: {result['database']}, {result['units']:,} units, "
            f"{len(opened)} of {len(rows)} requests opened, {result['seconds']:.0f} s; "
            "per role: " + ", ".join(f"{role} {n}" for role, n in per_role.items())
        )
    missing = [c for c in combined if c.misses]
    lines.append(
        f"{len(combined) - len(missing)} of {len(combined)} page × role rows meet every target "
        f"(median < {TARGET_MEDIAN_MS} ms, p95 < {TARGET_P95_MS} ms, ≤ {TARGET_QUERIES} queries, "
        f"growth ≤ {TARGET_GROWTH}× when paginated)."
    )
    seq = [c for c in combined if c.large["seq_scans"]]
    lines.append(f"{len(seq)} rows read a table over {LARGE_TABLE_ROWS:,} rows with a Seq Scan.")
    return "\n".join(lines)


# Load through gunicorn ----------------------------------------------------------------------


def session_cookie(user) -> str | None:
    if user is None:
        return None
    return client_for(user).cookies["sessionid"].value


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
        "p50": latency.get("50", 0.0),
        "p90": latency.get("90", 0.0),
        "p99": latency.get("99", 0.0),
        "errors": int(errors.group(1)) if errors else 0,
    }


def load(*, port: int, workers: int, connections: int, duration: int) -> str:
    """Run in the process of the largest size (DATABASE_URL set to it)."""
    if not shutil.which("wrk"):
        return "wrk is not installed (apt-get install wrk): no load phase."
    users = role_users()
    process = start_gunicorn(port, workers)
    lines = [
        f"gunicorn {workers} sync workers, wrk 2 threads × {connections} connections, "
        f"{duration} s each:",
        "",
        "| 页面 | 角色 | 请求/秒 | p50 ms | p90 ms | p99 ms | 非 2xx |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    try:
        for path, role in LOAD_PAGES:
            result = wrk(
                f"http://127.0.0.1:{port}{quote(path, safe='/?=&')}",
                cookie=session_cookie(users.get(role)),
                connections=connections,
                duration=duration,
            )
            lines.append(
                f"| `{path}` | {role} | {result['rps']:.0f} | {result['p50']:.1f} "
                f"| {result['p90']:.1f} | {result['p99']:.1f} | {result['errors']} |"
            )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    return "\n".join(lines)


def parse_sizes(values: list[str]) -> list[tuple[str, str]]:
    sizes = []
    for value in values:
        label, _, name = value.partition("=")
        sizes.append((label, name or label))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size",
        action="append",
        default=[],
        metavar="LABEL=DBNAME",
        help="a database to measure, smallest first (default: DATABASE_URL's, alone)",
    )
    parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=1.5, help="seconds of timing per page")
    parser.add_argument("--only", help="only the paths containing this text")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", help="also write the combined results to this file")
    parser.add_argument("--from-json", help="print the tables of a run saved with --json")
    parser.add_argument("--worst", type=int, help="only the N rows with the slowest median")
    parser.add_argument("--strict-index", action="store_true", help="a large Seq Scan misses")
    parser.add_argument("--load", action="store_true", help="also load-test through gunicorn")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--measure-into", help=argparse.SUPPRESS)
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure_into or args.load_only:  # one size, in this process
        setup_django()
        if args.load_only:
            print(
                load(
                    port=args.port,
                    workers=args.workers,
                    connections=args.connections,
                    duration=args.duration,
                )
            )
            return 0

        def log(row: Row) -> None:
            if row.status == 200:
                note = f"{row.median_ms:7.1f} ms {row.queries:3d} q"
            else:
                note = f"HTTP {row.status} {row.error}"
            print(f"  {row.role:<19} {row.path[:70]:<70} {note}", file=sys.stderr, flush=True)

        result = measure_database(args.requests, args.budget, args.only, log)
        with open(args.measure_into, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False)
        return 0

    sizes = parse_sizes(args.size)
    if not sizes and not args.from_json:
        current = os.environ.get("DATABASE_URL", "")
        sizes = [("db", current.rsplit("/", 1)[-1] if current else "default")]
        if not current:
            sys.exit("Set DATABASE_URL or give --size LABEL=DBNAME.")
    started = time.perf_counter()
    if args.from_json:
        with open(args.from_json, encoding="utf-8") as handle:
            results = json.load(handle)
    else:
        results = [measure_size(label, name, args) for label, name in sizes]
    labels = [result["label"] for result in results]
    combined, skipped = combine(results)
    combined.sort(key=lambda c: (c.key, c.role))
    if args.worst:
        combined.sort(key=lambda c: -c.large["median_ms"])
        combined = combined[: args.worst]
    print()
    print(md_table(combined, labels) if args.markdown else text_table(combined, labels))
    print()
    if args.markdown and not args.worst:
        print(skipped_table(skipped))
        print()
    if not args.worst:
        print(summary(results, combined))
        print(f"Timed in {time.perf_counter() - started:.0f} s.")
    if args.json and not args.from_json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, ensure_ascii=False, indent=1)
    if args.load and not args.from_json:
        print()
        command = [sys.executable, "-m", "bench.pages", "--load-only"]
        command += ["--port", str(args.port), "--workers", str(args.workers)]
        command += ["--connections", str(args.connections), "--duration", str(args.duration)]
        env = {**os.environ, "DATABASE_URL": database_url(sizes[-1][1])}
        subprocess.run(command, env=env, check=True)
    failing = [c for c in combined if c.misses or (args.strict_index and c.large["seq_scans"])]
    errors = sorted(
        f"{key} ({role})"
        for key, roles in skipped.items()
        for role, status in roles.items()
        if status >= 500
    )
    if errors:
        print(f"\n{len(errors)} requests failed with a server error: " + ", ".join(errors))
    return 1 if failing or errors else 0


if __name__ == "__main__":
    sys.exit(main())
