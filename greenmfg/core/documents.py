"""Long documents off the request: a workbook of 100,000 rows, a PDF of 5,000 units.

A page asks for a document with :func:`request_document`; the user is sent to its progress page
(:mod:`greenmfg.core.document_views`) and downloads it there once it is complete. Celery builds
it (:mod:`greenmfg.core.tasks`), in one of two ways, named by the kind's :class:`Builder`:

- whole: one task writes the file (a workbook is streamed to disk row by row);
- in parts: one task per part of a few hundred rows, which run in parallel on as many workers as
  there are, each part stored on the shared storage; the last part to finish queues the merge.

Each task is retried (``MAX_RETRIES``) on any error; the last failure marks the document failed,
which its progress page says. ``file`` is set only together with ``status = done``, so a
partial file is never offered. Two requests for the same document (the same ``key``: kind,
source, filters and whose scope) while it is queued or being built share one row and one build,
which a partial unique index guarantees even when the two arrive at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greenmfg.core import clock
from greenmfg.core.models import GeneratedDocument, document_path

logger = logging.getLogger(__name__)
Status = GeneratedDocument.Status
IN_FLIGHT = GeneratedDocument.IN_FLIGHT
# A task is tried once and retried this many times before its document is marked failed.
MAX_RETRIES = 2
# Generated documents are deleted, with their files, this many days after they were asked for.
DEFAULT_RETENTION_DAYS = 7

Progress = Callable[[int, str], None]


class DocumentError(Exception):
    """A build that cannot succeed, with the reason in Chinese for the progress page."""


@dataclass(frozen=True)
class Builder:
    """How one kind of document is built: ``build`` whole, or ``parts``/``part``/``merge``.

    - ``build(document, progress, folder)`` writes the file into the local ``folder`` and
      returns its path;
    - ``parts(document)`` says how many parts; ``part(document, index)`` returns the bytes of
      one part; ``merge(document, parts, target, progress)`` joins the opened parts (in order)
      into the local file ``target``.

    ``progress(percent, stage)`` records how far it is, for the progress page. A ``kept`` kind
    (the published list's PDF, built once at publication) is never deleted as expired.
    """

    kept: bool = False
    build: Callable[[GeneratedDocument, Progress, str], str] | None = None
    parts: Callable[[GeneratedDocument], int] | None = None
    part: Callable[[GeneratedDocument, int], bytes] | None = None
    merge: Callable[[GeneratedDocument, Sequence[IO[bytes]], str, Progress], None] | None = None


_builders: dict[str, Builder] = {}


@dataclass
class _Queue:
    build: Callable[[int], object] | None = None
    part: Callable[[int, int], object] | None = None
    merge: Callable[[int], object] | None = None


# How the tasks are started: greenmfg.core.apps registers the Celery tasks here, so this module
# never imports the tasks module that imports it. Unregistered (a bare script), it runs in-process.
_queue = _Queue()


def register_builder(kind: str, builder: Builder) -> None:
    _builders[kind] = builder


def register_queue(
    *, build: Callable[[int], object], part: Callable[[int, int], object], merge: Callable
) -> None:
    _queue.build, _queue.part, _queue.merge = build, part, merge


def document_key(*parts) -> str:
    """The key of a document: the same kind, source, filters and scope give the same key."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def in_flight(key: str) -> GeneratedDocument | None:
    return GeneratedDocument.objects.filter(key=key, status__in=IN_FLIGHT).first()


def latest_done(key: str) -> GeneratedDocument | None:
    return (
        GeneratedDocument.objects.filter(key=key, status=Status.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def request_document(
    *,
    kind: str,
    key: str,
    title: str,
    params: dict,
    rows: int,
    extension: str,
    user=None,
    back_url: str = "",
) -> GeneratedDocument:
    """The document being built for ``key``, or a new one queued once this transaction commits."""
    existing = in_flight(key)
    if existing is not None:
        return existing
    # One transaction for the document and its queued build (the outbox row), so a process
    # that dies after the commit leaves the build to the outbox's flush.
    with transaction.atomic():
        try:
            with transaction.atomic():
                document = GeneratedDocument.objects.create(
                    token=secrets.token_urlsafe(24),
                    key=key,
                    kind=kind,
                    title=str(title)[:200],
                    params=params,
                    rows=rows,
                    extension=extension,
                    back_url=back_url[:500],
                    created_by=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:
            # The same request, a moment earlier, from another worker: join its build.
            existing = in_flight(key)
            if existing is None:
                raise
            return existing
        _start(document.pk)
    return document


def _start(document_id: int) -> None:
    """Start the build once the current transaction commits: the registered queue keeps the
    task in the outbox inside the transaction (greenmfg.core.outbox.enqueue_on_commit)."""
    if _queue.build is None:
        transaction.on_commit(lambda: build_document(document_id))
    else:
        _queue.build(document_id)


def _progress(document_id: int) -> Progress:
    def record(percent: int, stage: str) -> None:
        GeneratedDocument.objects.filter(pk=document_id, status__in=IN_FLIGHT).update(
            status=Status.RUNNING, progress=max(0, min(percent, 99)), stage=stage[:100]
        )

    return record


def _open(document_id: int) -> GeneratedDocument | None:
    """The document if it is still to be built (a retried or late task finds it done)."""
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None or document.status not in IN_FLIGHT:
        return None
    return document


def _finish(document: GeneratedDocument, path: str) -> None:
    """Store the complete file, then mark the document done: the file is never offered before."""
    with open(path, "rb") as content:
        name = default_storage.save(document_path(document, ""), File(content))
    updated = GeneratedDocument.objects.filter(pk=document.pk, status__in=IN_FLIGHT).update(
        file=name,
        status=Status.DONE,
        progress=100,
        stage=_("已完成"),
        error="",
        finished_at=clock.now(),
    )
    if not updated:  # failed or finished meanwhile: this copy is not the document
        default_storage.delete(name)


def build_document(document_id: int) -> str:
    """The build task's body: write a whole document, or queue its parts."""
    document = _open(document_id)
    if document is None:
        return "skipped"
    builder = _builders.get(document.kind)
    if builder is None:
        raise DocumentError(_("未知的文档类别：%(kind)s") % {"kind": document.kind})
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=Status.RUNNING, stage=_("开始生成")
    )
    if builder.build is not None:
        with tempfile.TemporaryDirectory(prefix="document-") as folder:
            path = builder.build(document, _progress(document.pk), folder)
            _finish(document, path)
        return Status.DONE
    total = builder.parts(document)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        parts_total=total,
        parts_done={},
        progress=5,
        stage=_("分 %(total)d 段排版") % {"total": total},
    )
    if total == 0:
        _queue_merge(document.pk)
    for index in range(total):
        if _queue.part is None:
            build_part(document.pk, index)
        else:
            _queue.part(document.pk, index)
    return "parts queued"


def part_name(document: GeneratedDocument, index: int) -> str:
    return f"generated/parts/{document.token}-{index:04d}.{document.extension}"


def worker_name() -> str:
    """The process building a part, as ``host:pid``: a container's host name and its pid tell
    two workers apart, whether two containers or two processes of one machine."""
    return f"{socket.gethostname()}:{os.getpid()}"


def part_file(entry) -> str:
    """The stored name of a built part (``parts_done`` holds ``{"file": …, "worker": …}``; a
    plain name in the rows written before the worker was recorded)."""
    return entry if isinstance(entry, str) else entry["file"]


def part_workers(document: GeneratedDocument) -> dict[int, str]:
    """Which worker built each part so far: ``{index: "host:pid"}``."""
    return {
        int(index): entry.get("worker", "") if isinstance(entry, dict) else ""
        for index, entry in document.parts_done.items()
    }


def build_part(document_id: int, index: int) -> str:
    """One part's task body: build it, store it, and queue the merge after the last one."""
    document = _open(document_id)
    if document is None or str(index) in document.parts_done:
        return "skipped"
    builder = _builders[document.kind]
    content = builder.part(document, index)
    with tempfile.TemporaryFile() as buffer:
        buffer.write(content)
        buffer.seek(0)
        name = default_storage.save(part_name(document, index), File(buffer))
    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if locked is None or locked.status not in IN_FLIGHT or str(index) in locked.parts_done:
            default_storage.delete(name)
            return "skipped"
        locked.parts_done[str(index)] = {"file": name, "worker": worker_name()}
        done, total = len(locked.parts_done), locked.parts_total
        locked.status = Status.RUNNING
        locked.progress = 5 + 85 * done // max(total, 1)
        locked.stage = _("已排版 %(done)d / %(total)d 段") % {"done": done, "total": total}
        locked.save(update_fields=["parts_done", "status", "progress", "stage"])
    logger.info("Document %s: part %s of %s built by %s", document_id, index, total, worker_name())
    if done == total:
        _queue_merge(document_id)
    return "built"


def _queue_merge(document_id: int) -> None:
    if _queue.merge is None:
        merge_document(document_id)
    else:
        _queue.merge(document_id)


def merge_document(document_id: int) -> str:
    """The merge task's body: join the stored parts in order into the document's file."""
    document = _open(document_id)
    if document is None:
        return "skipped"
    if len(document.parts_done) != document.parts_total:
        raise DocumentError(_("文档的部分分段尚未生成。"))
    builder = _builders[document.kind]
    names = [part_file(document.parts_done[str(index)]) for index in range(document.parts_total)]
    progress = _progress(document.pk)
    progress(92, _("合并 %(total)d 段") % {"total": len(names)})
    with tempfile.TemporaryDirectory(prefix="document-") as folder:
        target = os.path.join(folder, f"document.{document.extension}")
        parts = [default_storage.open(name, "rb") for name in names]
        try:
            builder.merge(document, parts, target, progress)
        finally:
            for part in parts:
                part.close()
        _finish(document, target)
    _delete_parts(names)
    logger.info("Document %s: %s parts merged by %s", document_id, len(names), worker_name())
    return Status.DONE


def _delete_parts(names) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # a part left behind costs space, not correctness
            logger.warning("Could not delete the document part %s", name)


def note_retry(document_id: int, *, attempt: int, error: Exception) -> None:
    """Say on the progress page that a try failed and another one is coming."""
    logger.warning("Document %s: attempt %s failed: %r", document_id, attempt, error)
    GeneratedDocument.objects.filter(pk=document_id, status__in=IN_FLIGHT).update(
        attempts=attempt,
        stage=_("第 %(attempt)d 次生成出错，正在重试") % {"attempt": attempt},
        error=str(error)[:1000],
    )


def fail(document_id: int, *, attempts: int, error: Exception) -> None:
    """Mark the document failed after its last try: the progress page tells the user."""
    logger.error("Document %s failed after %s attempts: %r", document_id, attempts, error)
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None:
        return
    GeneratedDocument.objects.filter(pk=document_id, status__in=IN_FLIGHT).update(
        status=Status.FAILED,
        attempts=attempts,
        stage=_("生成失败"),
        error=str(error)[:1000],
        finished_at=clock.now(),
    )
    _delete_parts(part_file(entry) for entry in document.parts_done.values())


def run_with_retries(task, document_id: int, body: Callable[[], str]) -> str:
    """Run a task's ``body``; on an error retry the task (later, on any worker), and after the
    last try mark the document failed (the error is not raised again: the progress page reports
    it). Run in-process (no broker, as in the tests and ``make run``), the retries follow at once.
    """
    attempt = task.request.retries
    while True:
        attempt += 1
        try:
            return body()
        except Exception as error:
            if attempt > MAX_RETRIES:
                fail(document_id, attempts=attempt, error=error)
                return Status.FAILED
            note_retry(document_id, attempt=attempt, error=error)
            if not task.request.is_eager:
                raise task.retry(exc=error, countdown=5 * 2 ** (attempt - 1)) from error


def retention_days() -> int:
    return getattr(settings, "DOCUMENT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def delete_expired_documents(*, batch: int = 500) -> int:
    """Delete the documents asked for more than ``DOCUMENT_RETENTION_DAYS`` ago, with their
    files and any parts left behind; the number deleted. Run nightly by Celery beat.

    Done and failed documents, and those still queued or running after so long (their build is
    dead: a task is killed after ``CELERY_TASK_TIME_LIMIT``): a later request for the same
    document builds it again. Kinds that are ``kept`` (the published list's PDF) stay. A row
    goes only after its files, so a storage that fails keeps it for the next night.
    """
    cutoff = clock.now() - timedelta(days=retention_days())
    kept = sorted(kind for kind, builder in _builders.items() if builder.kept)
    expired = GeneratedDocument.objects.filter(created_at__lt=cutoff).exclude(kind__in=kept)
    deleted = 0
    while True:
        rows = list(expired.order_by("pk").values_list("pk", "file", "parts_done")[:batch])
        if not rows:
            return deleted
        gone = []
        for pk, name, parts in rows:
            try:
                if name:
                    default_storage.delete(name)
                for entry in parts.values():
                    default_storage.delete(part_file(entry))
            except Exception:  # any storage error (S3's are not OSError): tried again tomorrow
                logger.exception("Could not delete the files of expired document %s", pk)
                continue
            gone.append(pk)
        deleted += GeneratedDocument.objects.filter(pk__in=gone).delete()[0]
        if len(gone) < len(rows):  # some files could not go: try them again tomorrow
            return deleted
