"""Excel (.xlsx) downloads of our list tables: exactly the rows the filters and sort select.

A list view names its columns and gets the export for free::

    class PoolListView(OfficialRequiredMixin, FilteredListView):
        export_filename = gettext_lazy("培育库")
        export_title = gettext_lazy("培育库")
        export_columns = [
            Column(gettext_lazy("培育对象"), lambda c: c.organisation.name, width=30),
            Column(gettext_lazy("状态"), lambda c: c.get_status_display()),
        ]

``?export=xlsx`` on the page's URL then answers with the workbook of ``get_queryset()``: the
scoped, filtered and sorted rows of every page. The workbook is written by rustpy-xlsxwriter
(the Rust rust_xlsxwriter behind a Python API) straight to a file, row by row as the queryset
is read in chunks, so memory stays flat: 100,000 rows take about a second.

- A parameter the page's FilterSet does not know, or an invalid filter, is refused with the
  reason (an export must never quietly drop a filter and hand out more rows than asked).
- Up to ``settings.EXPORT_SYNC_MAX_ROWS`` rows (10,000) the workbook is sent at once.
- Above, it is built by Celery (:mod:`greenmfg.core.documents`): the task replays the page's GET
  as its user, so the export runs through the same view, permissions, scope and filters, and
  the user watches the progress page, then downloads. The same export asked for again while it
  is being built (same page, filters, user and scope: :func:`requester_scope`) joins that build.
- Above ``settings.EXPORT_MAX_ROWS`` rows (100,000) it is refused with a message.
"""

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from importlib import import_module
from itertools import chain, islice
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import resolve
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rustpy_xlsxwriter import Format, write_worksheet

from greenmfg.core import clock, documents

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PARAMETER = "export"
EXPORT_FORMAT = "xlsx"
EXPORT_KIND = "xlsx_export"
DEFAULT_MAX_ROWS = 100_000
# Up to this many rows the workbook is written in the request (well under a second); above,
# a Celery task writes it while the user watches the progress page.
DEFAULT_SYNC_MAX_ROWS = 10_000
CHUNK_SIZE = 2000
# Excel stores no time zone: datetimes are written as the wall-clock time of our users.
EXPORT_TIME_ZONE = ZoneInfo("Asia/Shanghai")
SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
# The characters XML 1.0 (and so Excel) refuses: C0 controls other than tab and newlines.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
# Rows read before the columns' formats are chosen (a date column or a datetime column).
SAMPLE_ROWS = 200
# The parameters every exporting page understands besides its filters.
COMMON_PARAMETERS = frozenset({"page", EXPORT_PARAMETER})


@dataclass(frozen=True)
class Column:
    """One column of an export: its Chinese header and how to read the value from a row.

    ``value`` returns a str, number, date, datetime or None (lazy translations are fine);
    ``width`` is in Excel's character units.
    """

    header: str
    value: Callable[[Any], Any]
    width: int = 16


def choice_label(model, field: str) -> Callable[[Any], str]:
    """A column reader giving a choice field's label, as ``row.get_<field>_display()`` does, at
    the cost of a dictionary look-up: Django's ``get_<field>_display`` rebuilds the field's
    choices and translates the label on every call, which took 2.5 s of the 100,000 rows of the
    organisations' export for each such column (the query and the rows themselves: 2 s).

    ``row`` is a ``model`` instance or a row read as values (:func:`export_rows`). The labels are
    kept per value and language, for the life of the process (a few per field).
    """
    choices = model._meta.get_field(field).flatchoices
    labels: dict[tuple, str] = {}

    def read(row) -> str:
        value = getattr(row, field)
        key = (value, _writing_language.get() or get_language())
        label = labels.get(key)
        if label is None:
            if len(labels) > 1000:  # a value outside the choices is shown as itself: bound it
                labels.clear()
            found = dict(choices).get(value, value)
            label = labels[key] = found if found is None else str(found)
        return label

    return read


# The language of the workbook being written: get_language() reads an asgiref Local, 5 µs a
# call, which was a third of a choice column's cost; write_xlsx reads it once.
_writing_language: ContextVar[str | None] = ContextVar("export_language", default=None)


class ValuesRow:
    """One row read with ``values_list``, with the attributes of the model's: ``row.name``,
    ``row.jurisdiction.parent.name`` (a related object is a nested ValuesRow)."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)


def export_rows(queryset, fields: Sequence[str] = ()) -> Iterator[Any]:
    """The rows of ``queryset`` as an export reads them, in chunks.

    With ``fields`` (``values_list`` names, ``jurisdiction__name`` for a related one) the rows
    are read as those values only, as :class:`ValuesRow`, not as model instances: the 100,000
    organisations are read in 0.15 s of CPU instead of 2.1 s. Every column must then read only
    those fields (and :func:`choice_label` for a label).
    """
    if not fields:
        yield from queryset.iterator(chunk_size=CHUNK_SIZE)
        return
    paths = [tuple(field.split("__")) for field in fields]
    flat = all(len(path) == 1 for path in paths)
    for values in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        if flat:
            yield ValuesRow(**dict(zip(fields, values, strict=True)))
            continue
        tree: dict = {}
        for path, value in zip(paths, values, strict=True):
            node = tree
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
        yield _as_row(tree)


def _as_row(tree: dict) -> ValuesRow:
    return ValuesRow(
        **{key: _as_row(value) if isinstance(value, dict) else value for key, value in tree.items()}
    )


def sheet_title(title: str) -> str:
    """``title`` as Excel accepts a sheet name: no ``\\ / ? * [ ] :``, at most 31 characters."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub("", ILLEGAL_CHARACTERS_RE.sub("", str(title)))
    cleaned = cleaned.strip().strip("'").strip()[:SHEET_TITLE_MAX].strip()
    return cleaned or "Sheet1"


def xlsx_filename(filename: str) -> str:
    """``filename`` with the .xlsx suffix, and no path separators or control characters."""
    name = ILLEGAL_CHARACTERS_RE.sub("", str(filename)).replace("/", "-").replace("\\", "-")
    name = name.strip() or "export"
    return name if name.lower().endswith(".xlsx") else f"{name}.xlsx"


def export_max_rows() -> int:
    return getattr(settings, "EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def export_sync_max_rows() -> int:
    """Exports up to this many rows are written in the request; longer ones by Celery."""
    return getattr(settings, "EXPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


def _text(value: str) -> str | None:
    # isprintable() is false for every control character (and a few spaces): only then the
    # regular expression, which costs ten times more, looks for what XML refuses.
    if not value.isprintable():
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value or None


def _same(value: Any) -> Any:
    return value


# The common types of a cell, by exact type: one dictionary look-up instead of a chain of
# isinstance() for each of the million cells of a large export.
_FAST = {str: _text, int: _same, float: _same, bool: _same, type(None): _same, date: _same}


def _value(value: Any) -> Any:
    """``value`` as the writer takes it: local wall-clock datetimes, text without controls.

    Text is written as an inline string, never a formula: "=HYPERLINK(…)" typed as a name stays
    text (rustpy-xlsxwriter writes formulas only for ``formula_columns``, which we never use).
    """
    fast = _FAST.get(type(value))
    if fast is not None:
        return fast(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, EXPORT_TIME_ZONE).replace(tzinfo=None)
        # Whole seconds: Excel keeps a float of days, which would round the microseconds.
        return value.replace(microsecond=0)
    if isinstance(value, bool | int | float | date):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return _text(str(value))


def _headers(columns: Sequence[Column]) -> list[str]:
    """The header texts, made unique (the writer keys each row by its header)."""
    headers: list[str] = []
    for column in columns:
        header = ILLEGAL_CHARACTERS_RE.sub("", str(column.header)) or "-"
        candidate, number = header, 2
        while candidate in headers:
            candidate, number = f"{header}（{number}）", number + 1
        headers.append(candidate)
    return headers


def write_xlsx(
    target,
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    progress: Callable[[int], None] | None = None,
    every: int = 5000,
) -> int:
    """Write ``rows`` to ``target`` (a path) as a one-sheet workbook; the number of rows.

    The headers are bold and frozen in row 1, each column has its width, dates read as
    yyyy-mm-dd and datetimes as yyyy-mm-dd hh:mm (北京时间). rustpy-xlsxwriter streams the rows
    to the file in its constant-memory mode: ``rows`` is read once, one row at a time, so
    memory stays flat whatever the count. ``progress(count)`` is told every ``every`` rows.
    """
    headers = _headers(columns)
    readers = [column.value for column in columns]
    written = 0

    def records() -> Iterator[dict]:
        nonlocal written
        for row in rows:
            written += 1
            if progress is not None and written % every == 0:
                progress(written)
            yield {header: _value(read(row)) for header, read in zip(headers, readers, strict=True)}

    # The labels of choice_label in the workbook's language, read once for all its rows.
    language = _writing_language.set(get_language())
    try:
        stream = records()
        sample = list(islice(stream, SAMPLE_ROWS))
        formats = {}
        for header in headers:
            kinds = {type(record[header]) for record in sample if record[header] is not None}
            if kinds and kinds <= {date}:
                formats[header] = Format().set_num_format(DATE_FORMAT)
            elif datetime in kinds:
                formats[header] = Format().set_num_format(DATETIME_FORMAT)
        write_worksheet(
            chain(sample, stream) if sample else [dict.fromkeys(headers)],
            os.fspath(target),
            sheet_name=sheet_title(title),
            freeze_row=1,
            datetime_format=DATETIME_FORMAT,
            header_format=Format().set_bold().set_align("vcenter").set_text_wrap(),
            column_widths=[column.width for column in columns],
            column_formats=formats,
        )
    finally:
        _writing_language.reset(language)
    return written


def _attachment_headers(filename: str) -> dict:
    return {
        "Content-Disposition": content_disposition_header(
            as_attachment=True, filename=xlsx_filename(filename)
        ),
        "Cache-Control": "private, no-store",
    }


def xlsx_response(
    *, filename: str, title: str, columns: Sequence[Column], rows: Iterable[Any]
) -> HttpResponse:
    """A download of ``rows`` as a one-sheet workbook (see :func:`write_xlsx`).

    For the short exports answered in the request: the workbook is written to a temporary file,
    then sent. ``rows`` is read once, one row at a time (pass ``queryset.iterator(chunk_size=...)``
    for large querysets); each column's ``value`` is called with the row.
    """
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = os.path.join(folder, "export.xlsx")
        write_xlsx(path, title=title, columns=columns, rows=rows)
        with open(path, "rb") as workbook:
            content = workbook.read()
    return HttpResponse(
        content, content_type=XLSX_CONTENT_TYPE, headers=_attachment_headers(filename)
    )


def wants_export(request) -> bool:
    return request.GET.get(EXPORT_PARAMETER) == EXPORT_FORMAT


def export_url(request) -> str:
    """The current page's URL with its filters and sort, every page, as an .xlsx download."""
    query = request.GET.copy()
    query.pop("page", None)
    query[EXPORT_PARAMETER] = EXPORT_FORMAT
    return f"{request.path}?{query.urlencode()}"


def _back_url(request) -> str:
    query = request.GET.copy()
    query.pop(EXPORT_PARAMETER, None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _refuse(request, text: str) -> HttpResponse:
    messages.error(request, text)
    return redirect(_back_url(request))


def unknown_filters(names: Iterable[str], filterset, *, extra: Iterable[str] = ()) -> list[str]:
    """The parameter ``names`` that ``filterset`` (and the page, ``extra``) does not know."""
    known = set(COMMON_PARAMETERS) | set(extra)
    for name, declared in filterset.filters.items():
        known.add(name)
        # A range filter reads name_after/name_before, name_min/name_max …
        field = declared.field
        for suffix in getattr(getattr(field, "widget", None), "suffixes", ()) or ():
            known.add(f"{name}_{suffix}" if suffix else name)
    return sorted(name for name in set(names) if name not in known)


def _label(filterset, name: str) -> str:
    field = filterset.form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


def filter_refusal(
    filterset, *, names: Iterable[str], extra: Iterable[str] = (), action: str = ""
) -> str | None:
    """Why a document of ``filterset``'s rows is refused, or None: a parameter among ``names``
    that the FilterSet does not know, or an invalid filter value.

    The one check of every document asked for with a list's filters (an Excel export, the
    名单's PDF): a document must never quietly drop a filter and hold more rows than asked.
    ``action`` says what is refused (导出, 生成 PDF).
    """
    action = action or _("导出")
    unknown = unknown_filters(names, filterset, extra=extra)
    if unknown:
        return _(
            "无法%(action)s：筛选条件“%(names)s”不存在。请返回列表页面，"
            "使用页面上的筛选条件后再%(action)s。"
        ) % {"action": action, "names": "、".join(unknown)}
    if filterset.is_bound and not filterset.is_valid():
        problems = "；".join(
            f"{_label(filterset, name)}：{'、'.join(str(error) for error in errors)}"
            for name, errors in filterset.form.errors.items()
        )
        return _("无法%(action)s：筛选条件有误（%(problems)s）。请修改后再%(action)s。") % {
            "action": action,
            "problems": problems,
        }
    return None


def export_params(request) -> dict[str, list[str]]:
    """The page's parameters as the export keeps them (every value of each, page dropped)."""
    return {key: request.GET.getlist(key) for key in sorted(request.GET) if key != "page"}


def export_queryset(
    request,
    queryset,
    *,
    columns: Sequence[Column],
    filename: str,
    title: str,
    filterset=None,
    extra_params: Iterable[str] = (),
    fields: Sequence[str] = (),
) -> HttpResponse:
    """The export of ``queryset`` (already scoped, filtered and sorted), or a refusal.

    With ``fields`` the rows are read as those values only (:func:`export_rows`).

    - a parameter ``filterset`` does not know, or an invalid one, is refused with the reason;
    - above ``settings.EXPORT_MAX_ROWS`` rows the user is asked to narrow the filters;
    - above ``settings.EXPORT_SYNC_MAX_ROWS`` rows a Celery task writes the workbook and the
      user is sent to its progress page; the same export asked again meanwhile (same page,
      filters and user) joins that build;
    - otherwise the workbook is written now and sent.
    """
    job = getattr(request, "export_document", None)
    if job is not None:  # the Celery task replaying this page: write the file it asked for
        request.export_written = write_xlsx(
            request.export_target,
            title=str(title),
            columns=columns,
            rows=export_rows(queryset, fields),
            progress=request.export_progress,
        )
        return HttpResponse(status=204)
    if filterset is not None:
        refusal = filter_refusal(filterset, names=request.GET, extra=extra_params)
        if refusal is not None:
            return _refuse(request, refusal)
    limit = export_max_rows()
    count = queryset.count()
    if count > limit:
        return _refuse(
            request,
            _(
                "符合条件的记录共 %(count)d 条，超过单次导出上限 %(limit)d 条。"
                "请先缩小筛选范围，再导出 Excel。"
            )
            % {"count": count, "limit": limit},
        )
    stem = str(filename).removesuffix(".xlsx")
    if count > export_sync_max_rows():
        document = request_export(request, title=stem, rows=count)
        return redirect("document-status", token=document.token)
    today = timezone.localdate(clock.now(), EXPORT_TIME_ZONE)
    return xlsx_response(
        filename=f"{stem}-{today:%Y%m%d}.xlsx",
        title=str(title),
        columns=columns,
        rows=export_rows(queryset, fields),
    )


def requester_scope(user) -> tuple | None:
    """What decides the rows a user's export holds: who asks, their role and their jurisdiction.

    Part of an export's key, so that two requests share a build only when they would write the
    same rows for the same reader. The user is in it because an export is shown to the user who
    asked for it only (:mod:`greenmfg.core.document_views`): a colleague with the same scope
    cannot open another's document, and some lists (an enterprise's own applications) differ by
    organisation, not jurisdiction. The role and jurisdiction are in it because a user moved to
    another bureau, or given another role, while their export is queued must not be handed the
    rows of their former scope: their next request is a new build.
    """
    if user is None or not user.is_authenticated:
        return None
    jurisdiction = user.jurisdiction
    return (
        user.pk,
        str(user.effective_role),
        user.organisation_id,
        jurisdiction.pk if jurisdiction is not None else None,
    )


def request_export(request, *, title: str, rows: int):
    """Queue the export of this page (its path, filters and the user's scope) for Celery."""
    params = export_params(request)
    user = request.user if request.user.is_authenticated else None
    return documents.request_document(
        kind=EXPORT_KIND,
        key=documents.document_key(EXPORT_KIND, request.path, params, requester_scope(user)),
        title=title,
        params={"path": request.path, "query": params},
        rows=rows,
        extension="xlsx",
        user=user,
        back_url=_back_url(request),
    )


def replay_request(document, *, target: str, progress: Callable[[int], None]) -> HttpRequest:
    """The GET of the page that asked for ``document``, as its user, for the task to replay.

    The view runs as it did in the request (login, permission mixins, scope, filters and sort),
    so the task exports exactly what the page would have, through the same code.
    """
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = document.params["path"]
    query = QueryDict(mutable=True)
    for key, values in document.params.get("query", {}).items():
        query.setlist(key, values)
    request.GET = query
    # A host the site accepts, should the view build an absolute address.
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if "*" not in h), "localhost")
    request.META = {
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": query.urlencode(),
        "HTTP_HOST": host,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "PATH_INFO": request.path,
    }
    request.user = document.created_by if document.created_by_id else AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request._messages = default_storage(request)
    request.export_document = document
    request.export_target = target
    request.export_progress = progress
    return request


def build_export(document, progress, folder: str) -> str:
    """The Celery build of an export: replay the page's GET, which writes the workbook."""
    target = os.path.join(folder, "export.xlsx")
    total = max(document.rows, 1)

    def told(count: int) -> None:
        progress(
            5 + 90 * count // total,
            _("已写入 %(count)d / %(total)d 行") % {"count": count, "total": document.rows},
        )

    progress(2, _("查询数据"))
    request = replay_request(document, target=target, progress=told)
    match = resolve(request.path)
    response = match.func(request, *match.args, **match.kwargs)
    if getattr(request, "export_written", None) is None:
        raise documents.DocumentError(
            _("导出未能生成（页面返回 %(status)d），请返回列表页面重新导出。")
            % {"status": getattr(response, "status_code", 0)}
        )
    document.rows = request.export_written
    document.save(update_fields=["rows"])
    return target


def register() -> None:
    documents.register_builder(EXPORT_KIND, documents.Builder(build=build_export))


class ExcelExportMixin:
    """``?export=xlsx`` answers with the workbook of ``get_queryset()`` (every page).

    A view opts in by naming ``export_columns`` (a list of :class:`Column`) and
    ``export_filename``/``export_title``; the page then gets ``export_url`` in its context
    for ``{% include "includes/export_link.html" %}``. Put the mixin after the permission
    mixins, so that they have refused whoever may not see the list before it answers.

    A view with a FilterSet (``self.filterset``, set by ``get_queryset``) has parameters it
    does not know refused; ``export_extra_params`` names any other parameter the page reads.
    """

    export_columns: Sequence[Column] | None = None
    export_filename: str = ""
    export_title: str = ""
    export_extra_params: Sequence[str] = ()
    # Set: the rows are read as these values only, not as model instances (export_rows).
    export_fields: Sequence[str] = ()

    def export_enabled(self) -> bool:
        return bool(self.export_columns)

    def get(self, request, *args, **kwargs):
        if self.export_enabled() and wants_export(request):
            return self.export_response()
        return super().get(request, *args, **kwargs)

    def export_response(self) -> HttpResponse:
        title = self.export_title or self.export_filename or _("导出")
        queryset = self.get_queryset()
        return export_queryset(
            self.request,
            queryset,
            columns=self.export_columns,
            filename=self.export_filename or title,
            title=title,
            filterset=getattr(self, "filterset", None),
            extra_params=self.export_extra_params,
            fields=self.export_fields,
        )

    def get_context_data(self, **kwargs):
        if self.export_enabled():
            kwargs.setdefault("export_url", export_url(self.request))
        return super().get_context_data(**kwargs)
