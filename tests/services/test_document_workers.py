"""Scale-out (issue 16.5): one long list's PDF, its parts built by two real Celery workers side by
side and merged into one document.

Two worker processes read their own queue on Redis and share one PostgreSQL database and one
file storage (a folder both see, as the bucket of docker-compose.yml). The build task splits the
list into parts; each part records the worker (``host:pid``) that built it.

Needs PostgreSQL and Redis, like test_celery_worker.py; in CI both are there.
"""

import io
import os
import time
import uuid

import pytest
from celery import Celery
from django.core.files.storage import FileSystemStorage
from pypdf import PdfReader

from greenmfg.core import documents
from greenmfg.core.models import GeneratedDocument
from registry.services import document as services
from tests.factories import ListingFactory, OrganisationFactory
from tests.services.workers import NEEDS_SERVICES, start_worker, stop_worker, wait_until

# Its own Redis database by default (the probe below and the workers share it).
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
UNITS, PART_ROWS = 8, 2

pytestmark = NEEDS_SERVICES


@pytest.fixture
def two_workers(tmp_path):
    """Two Celery worker processes on a queue of this test's own; their shared storage."""
    queue = f"test-documents-{uuid.uuid4().hex[:8]}"
    env = {
        "REDIS_URL": REDIS_URL,
        # Tasks the workers queue (the parts, the merge) go to this queue too.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "GREENMFG_VAR_DIR": str(tmp_path / "var"),
        "GREENMFG_DEMO_CLOCK": "false",
        "PDF_PART_ROWS": str(PART_ROWS),
        "PDF_STREAM_MAX_ROWS": str(PART_ROWS),
    }
    logs = [tmp_path / f"worker{number}.log" for number in (1, 2)]
    processes = [
        start_worker(queue, log, env=env, name=f"w{number}-{queue}@%h")
        for number, log in enumerate(logs, start=1)
    ]
    wait_until(lambda: all(" ready." in log.read_text() for log in logs), timeout=120)
    yield queue, FileSystemStorage(location=tmp_path / "var" / "media"), logs
    for process in processes:
        stop_worker(process)
    for log in logs:
        print(log.name, log.read_text()[-3000:])


def test_two_workers_build_the_parts_of_one_list_pdf_and_it_is_merged(demo, two_workers):
    queue, storage, logs = two_workers
    assert all(" ready." in log.read_text() for log in logs), "a worker did not start"
    county = demo["luoyang-enterprise"].organisation.jurisdiction
    for index in range(UNITS):
        ListingFactory(
            organisation=OrganisationFactory(jurisdiction=county, name=f"两个工人{index:02d}公司"),
            unit_type="factory",
            level="city",
            year=2025,
            authority=demo["luoyang-city"].organisation,
            document_number="洛工信〔2025〕37号",
            created_by=demo["luoyang-city"],
        )
    document = GeneratedDocument.objects.create(
        token=f"workers-{uuid.uuid4().hex[:12]}",
        key=documents.document_key(services.LIST_PDF, queue),
        kind=services.LIST_PDF,
        title="绿色制造名单",
        params={"region": "410300", "ordering": "unit_name"},
        rows=UNITS,
        extension="pdf",
    )

    Celery("probe", broker=REDIS_URL, set_as_current=False).send_task(
        "greenmfg.core.tasks.task_build_document", args=[document.pk], queue=queue
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in ("done", "failed"):
            break
        time.sleep(1)

    assert document.status == "done", document.error or document.stage
    assert document.parts_total == UNITS // PART_ROWS
    built_by = documents.part_workers(document)
    print("which worker built which part:", built_by)
    assert sorted(built_by) == list(range(UNITS // PART_ROWS))
    assert len(set(built_by.values())) == 2, built_by
    with storage.open(document.file.name, "rb") as merged:
        reader = PdfReader(io.BytesIO(merged.read()))
    body = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert len(reader.pages) >= UNITS // PART_ROWS
    assert all(f"两个工人{index:02d}公司" in body for index in range(UNITS))
    assert f"共 {len(reader.pages)} 页" in body
    # The parts are gone once merged; only the whole document is offered.
    assert not any(storage.exists(documents.part_file(e)) for e in document.parts_done.values())
