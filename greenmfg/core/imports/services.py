"""Preview and apply an import: the one door every kind of import goes through.

:func:`import_upload` checks and stores the file, records it on the audit trail, and previews
it (a dry run: nothing but the run is written). :func:`import_apply` writes it, all or nothing:
it checks every row again inside the apply's transaction (what changed since the preview
counts) and writes nothing while a row is in error, unless the user chose explicitly to keep
the good rows. Above ``IMPORT_ASYNC_ROWS`` rows both run in Celery and the run's page shows
the progress.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.imports.files import CheckedImportFile, check_import_file, read_rows
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.spec import (
    WRITES,
    CellError,
    Importer,
    Outcome,
    Progress,
    Row,
    RowResult,
)

logger = logging.getLogger(__name__)
State = ImportRun.State
DEFAULT_ASYNC_ROWS = 2000
# How many rows in error a refusal names before "…".
NAMED_ERRORS = 5

_importers: dict[str, Importer] = {}


@dataclass
class _Queue:
    preview: Callable[[int], object] | None = None
    apply: Callable[[int, bool], object] | None = None


# Set by greenmfg.core.imports.tasks.register (CoreConfig.ready); unset, runs in-process.
_queue = _Queue()


def register_importer(importer: Importer) -> None:
    _importers[importer.kind] = importer


def register_queue(*, preview: Callable[[int], object], apply: Callable[[int, bool], object]):
    _queue.preview, _queue.apply = preview, apply


def importer_for(kind: str) -> Importer:
    try:
        return _importers[kind]
    except KeyError:
        raise DomainError(
            _("未知的导入类别：%(kind)s。") % {"kind": kind}, code="unknown_kind"
        ) from None


def async_threshold() -> int:
    return getattr(settings, "IMPORT_ASYNC_ROWS", DEFAULT_ASYNC_ROWS)


def _audit_data(run: ImportRun, **extra) -> dict:
    return {
        "kind": run.kind,
        "file": run.original_name,
        "sha256": run.sha256,
        "size": run.size,
        "rows": run.rows,
        **extra,
    }


def import_upload(*, kind: str, uploaded, actor) -> ImportRun:
    """Check, store and preview one file. A file that cannot be read at all (not xlsx/CSV, a
    GB18030 CSV, over 20 MB, a wrong header) raises ``ValidationError`` and nothing is kept."""
    importer = importer_for(kind)
    if not importer.allowed(actor):
        raise NotPermitted(_("您无权执行「%(title)s」。") % {"title": importer.title})
    checked = check_import_file(uploaded)
    rows = read_rows(checked, importer.columns)
    if not rows:
        raise ValidationError(_("文件中只有表头，没有数据行。"), code="no_rows")
    queued = len(rows) > async_threshold() and _queue.preview is not None
    with transaction.atomic():
        run = ImportRun(kind=kind, rows=len(rows))
        run.fill_from(checked, uploaded_by=actor)
        run.save()
        audit_record(
            subject=run,
            actor=actor,
            action="import_upload",
            action_label=_("上传导入文件"),
            data=_audit_data(run),
        )
        if queued:  # kept with the run (the outbox): checked once this transaction commits
            _queue.preview(run.pk)
    if not queued:
        run_preview(run.pk, rows=rows)
        run.refresh_from_db()
    return run


def _checked_file(run: ImportRun) -> CheckedImportFile:
    with run.file.open("rb") as stored:
        content = stored.read()
    return CheckedImportFile(
        original_name=run.original_name,
        content=content,
        extension=run.extension,
        content_type=run.content_type,
        sha256=run.sha256,
    )


# The rows read from a file, kept for its apply: the content is addressed by its checksum (and
# the columns read), so a cached copy is never stale; a miss reads the file again.
ROWS_CACHE_SECONDS = 6 * 3600


def _rows_key(importer: Importer, sha256: str) -> str:
    columns = "|".join(f"{column.key}:{'/'.join(column.names())}" for column in importer.columns)
    digest = hashlib.sha256(columns.encode()).hexdigest()[:16]
    return f"imports:rows:{importer.kind}:{sha256}:{digest}"


def _keep_rows(importer: Importer, sha256: str, rows: list[Row]) -> None:
    try:
        cache.set(
            _rows_key(importer, sha256),
            [(row.number, row.raw, row.refused) for row in rows],
            ROWS_CACHE_SECONDS,
        )
    except Exception:  # a cache down or full only costs the apply a second read
        logger.warning("Import rows not cached", exc_info=True)


def _rows_of(importer: Importer, run: ImportRun) -> list[Row]:
    try:
        kept = cache.get(_rows_key(importer, run.sha256))
    except Exception:
        kept = None
    if kept is not None:
        return [Row(number=number, raw=dict(raw), refused=refused) for number, raw, refused in kept]
    return read_rows(_checked_file(run), importer.columns)


def progress_key(run_id: int) -> str:
    return f"imports:progress:{run_id}"


def _progress(run_id: int, start: int, span: int, *, in_transaction: bool = False) -> Progress:
    """Record how far a run is. Inside the apply's transaction the row's update would be seen
    by no one until the end, so the figure goes to the cache, which the run's page reads."""

    def record(percent: int) -> None:
        value = min(start + span * max(0, min(percent, 100)) // 100, 99)
        if in_transaction:
            with contextlib.suppress(Exception):  # progress is a courtesy, never a failure
                cache.set(progress_key(run_id), value, ROWS_CACHE_SECONDS)
        else:
            ImportRun.objects.filter(pk=run_id).update(progress=value)

    return record


def run_progress(run: ImportRun) -> int:
    """The run's progress as its page shows it (an apply's is in the cache)."""
    if run.state == State.APPLYING:
        with contextlib.suppress(Exception):
            return max(run.progress, cache.get(progress_key(run.pk)) or 0)
    return run.progress


def parse_rows(importer: Importer, rows: list[Row]) -> list[RowResult]:
    """Each row's cells through their column's parser: one result per row refused here (the
    first cell in error), none for a row that parsed (its ``values`` are set)."""
    refused = []
    label_key = getattr(importer, "label_key", "")
    for row in rows:
        label = row.raw.get(label_key, "") if label_key else ""
        if row.refused is not None:
            column, reason = row.refused
            refused.append(
                RowResult(row.number, Outcome.ERROR, label=label, column=column, reason=reason)
            )
            continue
        for column in importer.columns:
            text = row.raw.get(column.key, "")
            if not text:
                if column.required:
                    refused.append(
                        RowResult(
                            row.number,
                            Outcome.ERROR,
                            label=label,
                            column=column.header,
                            reason=_("必填项为空。"),
                        )
                    )
                    break
                row.values[column.key] = None
                continue
            try:
                row.values[column.key] = column.parse(text)
            except CellError as error:
                refused.append(
                    RowResult(
                        row.number,
                        Outcome.ERROR,
                        label=label,
                        column=column.header,
                        reason=error.message,
                    )
                )
                break
        else:
            continue
        row.values.clear()
    return refused


def check_rows(importer: Importer, rows: list[Row], *, actor, progress: Progress):
    """Every row's result, in row order: parsed by the framework, then checked by the importer
    (which sees only the rows that parsed). Writes nothing."""
    refused = parse_rows(importer, rows)
    bad = {result.row for result in refused}
    parsed = [row for row in rows if row.number not in bad]
    checked = importer.check(parsed, actor=actor, progress=progress)
    return sorted([*refused, *checked], key=lambda result: result.row)


# The fields _store_results sets, saved by the preview and by the apply.
RESULT_FIELDS = ["results", "new", "matched", "unchanged", "errors"]


def _store_results(run: ImportRun, results: list[RowResult]) -> None:
    counts = dict.fromkeys(Outcome.values, 0)
    for result in results:
        counts[str(result.outcome)] += 1
    run.results = [result.as_dict() for result in results]
    run.new = counts[Outcome.NEW]
    run.matched = counts[Outcome.MATCHED]
    run.unchanged = counts[Outcome.UNCHANGED]
    run.errors = counts[Outcome.ERROR]


def run_preview(run_id: int, *, rows: list[Row] | None = None) -> None:
    """The dry run (in the request, or the Celery task's body)."""
    run = ImportRun.objects.select_related("uploaded_by").get(pk=run_id)
    importer = importer_for(run.kind)
    ImportRun.objects.filter(pk=run_id).update(state=State.CHECKING, progress=1)
    try:
        if rows is None:
            rows = read_rows(_checked_file(run), importer.columns)
        _keep_rows(importer, run.sha256, rows)
        results = check_rows(
            importer, rows, actor=run.uploaded_by, progress=_progress(run_id, 1, 98)
        )
    except Exception as error:
        _fail(run_id, error)
        raise
    _store_results(run, results)
    run.state = State.PREVIEWED
    run.progress = 100
    with transaction.atomic():
        run.save(update_fields=[*RESULT_FIELDS, "state", "progress"])
        audit_record(
            subject=run,
            actor=run.uploaded_by,
            action="import_preview",
            action_label=_("导入预检"),
            data=_audit_data(
                run, new=run.new, matched=run.matched, unchanged=run.unchanged, errors=run.errors
            ),
        )


def _fail(run_id: int, error: Exception) -> None:
    message = getattr(error, "message", None) or "; ".join(getattr(error, "messages", []))
    ImportRun.objects.filter(pk=run_id).update(
        state=State.FAILED, error=str(message or _("处理出错，请联系系统管理员。"))[:2000]
    )


def _errors_named(results) -> str:
    rows = [str(result["row"]) for result in results if result["outcome"] == Outcome.ERROR]
    named = "、".join(rows[:NAMED_ERRORS])
    return named + ("……" if len(rows) > NAMED_ERRORS else "")


def import_apply(*, run: ImportRun, actor, keep_good_rows: bool = False) -> ImportRun:
    """Write the previewed file: all or nothing, unless ``keep_good_rows`` says explicitly to
    write the rows without error and leave the others."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.uploaded_by_id != actor.pk:
            raise NotPermitted(_("只有上传该文件的用户可以执行导入。"))
        if run.state != State.PREVIEWED:
            raise DomainError(
                _("该文件当前状态为「%(state)s」，不能导入。") % {"state": run.get_state_display()},
                code="not_previewed",
            )
        if run.errors and not keep_good_rows:
            raise DomainError(
                _(
                    "有 %(errors)d 行存在错误（第 %(rows)s 行），未写入任何数据。请修改后重新上传，"
                    "或明确选择「仅导入无错误的 %(good)d 行」。"
                )
                % {"errors": run.errors, "rows": _errors_named(run.results), "good": run.good_rows},
                code="rows_in_error",
            )
        run.state = State.APPLYING
        run.keep_good_rows = keep_good_rows
        run.progress = 0
        run.save(update_fields=["state", "keep_good_rows", "progress"])
        queued = run.rows > async_threshold() and _queue.apply is not None
        if queued:  # kept with the run (the outbox): applied once this transaction commits
            _queue.apply(run.pk, keep_good_rows)
    if not queued:
        try:
            run_apply(run.pk, keep_good_rows=keep_good_rows)
        finally:
            run.refresh_from_db()
    return run


def _serialise(kind: str) -> None:
    """Imports of one kind apply one at a time (two files naming the same new unit must not
    both create it); on SQLite a write transaction is already exclusive."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(kind.encode())])


def run_apply(run_id: int, *, keep_good_rows: bool) -> None:
    """The apply (in the request, or the Celery task's body): one transaction."""
    run = ImportRun.objects.select_related("uploaded_by").get(pk=run_id)
    importer = importer_for(run.kind)
    actor = run.uploaded_by
    try:
        rows = _rows_of(importer, run)
        with transaction.atomic():
            _serialise(run.kind)
            results = check_rows(
                importer, rows, actor=actor, progress=_progress(run_id, 0, 40, in_transaction=True)
            )
            errors = sum(result.is_error for result in results)
            if errors and not keep_good_rows:
                _store_results(run, results)
                raise DomainError(
                    _(
                        "导入时重新核对发现 %(errors)d 行存在错误（第 %(rows)s 行），"
                        "未写入任何数据。请查看预检结果。"
                    )
                    % {"errors": errors, "rows": _errors_named(run.results)},
                    code="rows_in_error",
                )
            by_number = {result.row: result for result in results}
            good = [row for row in rows if by_number[row.number].outcome in WRITES]
            written = importer.write(
                good,
                [by_number[row.number] for row in good],
                actor=actor,
                run=run,
                progress=_progress(run_id, 40, 59, in_transaction=True),
            )
            _store_results(run, results)
            run.state = State.APPLIED
            run.progress = 100
            run.written = written
            run.applied_by = actor
            run.applied_at = clock.now()
            run.error = ""
            run.save(
                update_fields=[
                    *RESULT_FIELDS,
                    "state",
                    "progress",
                    "written",
                    "applied_by",
                    "applied_at",
                    "error",
                ]
            )
            audit_record(
                subject=run,
                actor=actor,
                action="import_apply",
                action_label=_("执行导入"),
                data=_audit_data(
                    run,
                    new=run.new,
                    matched=run.matched,
                    unchanged=run.unchanged,
                    errors=run.errors,
                    written=written,
                    keep_good_rows=keep_good_rows,
                ),
            )
    except DomainError as error:
        # Back to the preview with what the apply found: the user reads it and decides again.
        ImportRun.objects.filter(pk=run_id).update(
            state=State.PREVIEWED,
            error=error.message,
            results=run.results,
            new=run.new,
            matched=run.matched,
            unchanged=run.unchanged,
            errors=run.errors,
        )
        raise
    except Exception as error:
        _fail(run_id, error)
        raise
