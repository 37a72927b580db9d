"""Suite-wide set-up.

In CI (``CI=true``) the suite must run against PostgreSQL and Redis: it stops at once, rather
than skip, when either is missing. Locally, with neither, it runs on SQLite and skips only the
tests that need the real services.
"""

import datetime
import io
import os
import socket
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import InMemoryStorage, storages
from django.core.management import call_command

from greenmfg.accounts.models import User
from greenmfg.core.dates import add_years

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# same thread are safe here, as the recipe for browser tests explains.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"


def redis_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2
        ):
            return True
    except OSError:
        return False


# The suite's day. Every test runs on this clock (ticking from 09:30 Beijing time), so that no
# test passes or fails by the date it is run on; a test about a particular day pins its own with
# ``time_machine.travel`` or ``pinned_today``. GREENMFG_TEST_YEARS_AHEAD moves the whole suite
# that many years on (GREENMFG_TEST_TODAY to a given day): .ci/run runs it a second time one
# year ahead, so that a test which passes only near today (a literal date, a period assumed to
# be open) fails the day it is written.
SUITE_TODAY = datetime.date(2026, 12, 7)
BEIJING = ZoneInfo("Asia/Shanghai")


def suite_today() -> datetime.date:
    value = os.environ.get("GREENMFG_TEST_TODAY", "").strip()
    day = datetime.date.fromisoformat(value) if value else SUITE_TODAY
    return add_years(day, int(os.environ.get("GREENMFG_TEST_YEARS_AHEAD") or 0))


def pytest_configure(config):
    day = suite_today()
    time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 30), BEIJING)).start()
    if not IN_CI:
        return
    problems = []
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point at PostgreSQL in CI")
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url or not redis_reachable(redis_url):
        problems.append(f"Redis must be reachable in CI (REDIS_URL={redis_url!r})")
    if not os.path.exists(CHROMIUM):
        problems.append(f"{CHROMIUM} must be installed in CI for the browser journeys")
    if problems:
        pytest.exit("CI services missing: " + "; ".join(problems), returncode=3)


def pytest_report_header(config):
    return f"clock: the suite runs on {suite_today()} (see GREENMFG_TEST_YEARS_AHEAD)"


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",  # Chinese UI language where headless Chromium honours it
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it when run as root)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": BROWSER_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Chinese browser, as our users have (locale, time zone). Headless Chromium still draws
    its file picker's own caption in English; that text is the browser's, not the portal's."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def load_demo_directory() -> None:
    call_command("seed_demo", "--directory-only", stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo directory once into the test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        load_demo_directory()


@pytest.fixture
def demo(db):
    """The demo directory (jurisdictions, organisations, users) as ``make run`` loads it.

    Batches and pool entries are left out so that each test arranges its own. A transactional
    test empties the database when it ends, so the next one loads the directory again.
    """
    if not User.objects.filter(username="admin").exists():
        load_demo_directory()
    return DemoUsers()


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "demo"}


@pytest.fixture(autouse=True)
def _demo_directory(request):
    """Every test that uses the database finds the demo directory, even right after a
    transactional test (a race, a browser journey) emptied the database."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        DB_FIXTURES & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("demo")


class DemoUsers:
    def __getitem__(self, username: str) -> User:
        return User.objects.select_related("organisation__jurisdiction").get(username=username)


@pytest.fixture(autouse=True)
def _empty_file_storage():
    """The files a test stores in memory go with it: database ids are reused after a rollback,
    so a file stored under an id and a checksum by an earlier test would make the storage rename
    the next one."""
    storage = storages["default"]
    if not isinstance(storage, InMemoryStorage):
        yield
        return
    before = set(_stored_files(storage, ""))  # a module's shared data keeps its files
    yield
    for name in set(_stored_files(storage, "")) - before:
        storage.delete(name)


def _stored_files(storage, path: str):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for name in directories:
        yield from _stored_files(storage, f"{path}/{name}" if path else name)
