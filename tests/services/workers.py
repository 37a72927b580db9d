"""What the tests with real services share: their marks, and a Celery worker process started on
the test database (another process, so PostgreSQL, not SQLite's in-memory database)."""

import os
import subprocess
import sys
import time

import pytest
from celery import Celery
from django.db import connection

from tests.conftest import IN_CI, redis_reachable

REDIS_URL = os.environ.get("REDIS_URL", "")

# Run in CI (which refuses to start without PostgreSQL and Redis); elsewhere only with both.
NEEDS_SERVICES = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not IN_CI
        and (
            connection.vendor != "postgresql"
            or not redis_reachable(REDIS_URL or "redis://127.0.0.1:6379")
        ),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
    ),
]


def portal_environment(env=None) -> dict[str, str]:
    """The environment of a portal process (worker, command, script) on the portal's own
    settings: this test's database (its own under xdist) and Redis, so tasks go to the broker,
    not in-process; ``env`` adds to (or overrides) it."""
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "greenmfg.settings.base",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        **(env or {}),
    }


def start_worker(
    queue: str, log, *, env=None, mode: str = "w", name: str | None = None
) -> subprocess.Popen:
    """A solo-pool worker of the portal's app consuming ``queue``, writing to ``log``; ``env``
    adds to (or overrides) the environment it is given; ``name`` (``-n``) tells apart workers
    started side by side."""
    environment = portal_environment(env)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "greenmfg",
            "worker",
            "--pool=solo",
            *(["-n", name] if name else []),
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        env=environment,
        stdout=log.open(mode),
        stderr=subprocess.STDOUT,
    )


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def run_on_worker(queue: str, task: str, **kwargs) -> dict:
    """Send ``task`` to the worker of ``queue`` and wait for its result."""
    client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    return client.send_task(task, kwargs=kwargs, queue=queue).get(timeout=90)


def wait_until(check, timeout: float = 60) -> bool:
    """Whether ``check()`` came true within ``timeout`` seconds (polled every half second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return check()
