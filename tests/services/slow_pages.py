"""Small, slow sweep pages in a test's worker, so the test can kill it between two pages that
have committed (tests/services/test_sweep_killed_between_pages.py).

Loaded by the worker (tests/services/slow_pages_settings.py names it in CELERY_IMPORTS), it sets
the page size of the sweeps' work lists (greenmfg.core.bulk.CHUNK, read at each sweep as the
in-process tests' monkeypatch does) from SWEEP_PAGE_SIZE, and pauses SWEEP_PAGE_PAUSE seconds
before each page claims its marks: the page before it has then committed, and the open
transaction of the next one has written nothing yet.
"""

import os
import time

from celery.signals import task_prerun
from django.db import connection

from dynamic_mgmt.models import ScheduleMark
from greenmfg.core import bulk

bulk.CHUNK = int(os.environ["SWEEP_PAGE_SIZE"])
PAUSE = float(os.environ.get("SWEEP_PAGE_PAUSE") or 0)
# The claim of a page (greenmfg.core.bulk.WorkList.claim): the first write of its transaction.
CLAIM = f'INSERT INTO "{ScheduleMark._meta.db_table}"'


def pause_before_a_claim(execute, sql, params, many, context):
    if CLAIM in sql and "ON CONFLICT" in sql:
        time.sleep(PAUSE)
    return execute(sql, params, many, context)


@task_prerun.connect
def install_the_pause(**kwargs):
    # A solo-pool worker runs its tasks in this thread, on this thread's connection.
    if PAUSE and pause_before_a_claim not in connection.execute_wrappers:
        connection.execute_wrappers.append(pause_before_a_claim)
