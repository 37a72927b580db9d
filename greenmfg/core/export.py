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
scoped, filtered and sorted rows of every page. The workbook is written in openpyxl's
write-only mode while the rows are read in chunks, so memory stays bounded; exports above
``settings.EXPORT_MAX_ROWS`` rows are refused with a message rather than built in the request.
"""

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from greenmfg.core import clock

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PARAMETER = "export"
EXPORT_FORMAT = "xlsx"
DEFAULT_MAX_ROWS = 100_000
CHUNK_SIZE = 2000
# Excel stores no time zone: datetimes are written as the wall-clock time of our users.
EXPORT_TIME_ZONE = ZoneInfo("Asia/Shanghai")
SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column of an export: its Chinese header and how to read the value from a row.

    ``value`` returns a str, number, date, datetime or None (lazy translations are fine);
    ``width`` is in Excel's character units.
    """

    header: str
    value: Callable[[Any], Any]
    width: int = 16


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


def _cell(worksheet, value: Any) -> Cell | None:
    """A cell for ``value``: local wall-clock datetimes, date formats, text never a formula."""
    if value is None:
        return None
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, EXPORT_TIME_ZONE).replace(tzinfo=None)
        # Whole seconds: Excel keeps a float of days, which would round the microseconds.
        cell = WriteOnlyCell(worksheet, value.replace(microsecond=0))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, bool | int | float | Decimal | time):
        return WriteOnlyCell(worksheet, value)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(worksheet, text)
    # A name typed as "=HYPERLINK(…)" stays text, never a formula Excel would run.
    cell.data_type = "s"
    return cell


def xlsx_response(
    *, filename: str, title: str, columns: Sequence[Column], rows: Iterable[Any]
) -> HttpResponse:
    """A download of ``rows`` as a one-sheet workbook: the headers (bold, frozen) in row 1.

    ``rows`` is read once, one row at a time (pass ``queryset.iterator(chunk_size=...)`` for
    large querysets); each column's ``value`` is called with the row.
    """
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet_title(title))
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"

    headers = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, ILLEGAL_CHARACTERS_RE.sub("", str(column.header)))
        cell.font = HEADER_FONT
        cell.alignment = HEADER_ALIGNMENT
        headers.append(cell)
    worksheet.append(headers)
    for row in rows:
        worksheet.append([_cell(worksheet, column.value(row)) for column in columns])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(
        buffer.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=xlsx_filename(filename)
            ),
            "Cache-Control": "private, no-store",
        },
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


def export_queryset(
    request, queryset, *, columns: Sequence[Column], filename: str, title: str
) -> HttpResponse:
    """The export of ``queryset`` (already scoped, filtered and sorted), or a refusal.

    Above ``settings.EXPORT_MAX_ROWS`` rows the user is sent back to the list with a message
    asking to narrow the filters, rather than building a huge file in the request.
    """
    limit = export_max_rows()
    count = queryset.count()
    if count > limit:
        messages.error(
            request,
            _(
                "符合条件的记录共 %(count)d 条，超过单次导出上限 %(limit)d 条。"
                "请先缩小筛选范围，再导出 Excel。"
            )
            % {"count": count, "limit": limit},
        )
        return redirect(_back_url(request))
    stem = str(filename).removesuffix(".xlsx")
    today = timezone.localdate(clock.now(), EXPORT_TIME_ZONE)
    return xlsx_response(
        filename=f"{stem}-{today:%Y%m%d}.xlsx",
        title=str(title),
        columns=columns,
        rows=queryset.iterator(chunk_size=CHUNK_SIZE),
    )


class ExcelExportMixin:
    """``?export=xlsx`` answers with the workbook of ``get_queryset()`` (every page).

    A view opts in by naming ``export_columns`` (a list of :class:`Column`) and
    ``export_filename``/``export_title``; the page then gets ``export_url`` in its context
    for ``{% include "includes/export_link.html" %}``. Put the mixin after the permission
    mixins, so that they have refused whoever may not see the list before it answers.
    """

    export_columns: Sequence[Column] | None = None
    export_filename: str = ""
    export_title: str = ""

    def export_enabled(self) -> bool:
        return bool(self.export_columns)

    def get(self, request, *args, **kwargs):
        if self.export_enabled() and wants_export(request):
            return self.export_response()
        return super().get(request, *args, **kwargs)

    def export_response(self) -> HttpResponse:
        title = self.export_title or self.export_filename or _("导出")
        return export_queryset(
            self.request,
            self.get_queryset(),
            columns=self.export_columns,
            filename=self.export_filename or title,
            title=title,
        )

    def get_context_data(self, **kwargs):
        if self.export_enabled():
            kwargs.setdefault("export_url", export_url(self.request))
        return super().get_context_data(**kwargs)
