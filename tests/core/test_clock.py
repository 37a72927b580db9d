"""One clock: the portal reads "now" and "today" only through greenmfg.core.clock.

ruff's banned-API rule (TID251) refuses ``timezone.now()``, ``date.today()`` and friends outside
the clock; it cannot tell ``timezone.localdate()`` (today) from ``timezone.localdate(value)`` (a
conversion), so this test does.
"""

import ast
import datetime
from pathlib import Path

import time_machine

from greenmfg.core import clock

ROOT = Path(__file__).resolve().parents[2]
APPS = ["greenmfg", "applications", "reviews", "registry", "dynamic_mgmt", "thirdparty"]


def calls_without_a_value(tree: ast.AST):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"localdate", "localtime"}
            and not node.args
            and not any(keyword.arg == "value" for keyword in node.keywords)
        ):
            yield node.lineno


def test_no_module_reads_the_date_beside_the_clock():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "clock.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}:{line}" for line in calls_without_a_value(tree)]
    assert found == []


def test_today_is_the_date_in_beijing():
    # 23:30 UTC on 6 December is already 7 December in Asia/Shanghai.
    with time_machine.travel(datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)):
        assert clock.today() == datetime.date(2026, 12, 7)
        assert clock.local_now().hour == 7
        assert clock.now().tzinfo is not None
