"""名单查询: the published lists for everyone (no login), a unit's page, and the open data.

/mingdan/ lists the listed units with the filters of :class:`registry.filters.public.
ListingFilter` (shared with the JSON API); ``?export=csv`` and ``?export=xlsx`` on the same URL
download exactly the filtered, sorted rows of every page.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenmfg.core import clock
from greenmfg.core.export import (
    CHUNK_SIZE,
    EXPORT_TIME_ZONE,
    Column,
    export_url,
    filter_refusal,
)
from greenmfg.core.lists import FilteredListView
from registry.filters.public import ListingFilter
from registry.selectors.public import (
    NO_TERM,
    pending_removals_for,
    public_listings,
    region_name,
    unit_page,
)

CSV_FORMAT = "csv"
PUBLIC_PAGE_SIZE = 25
EXPORT_NAME = gettext_lazy("绿色制造名单")
# A cell starting with one of these would run as a formula when the CSV is opened in Excel.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

LISTING_COLUMNS = [
    Column(gettext_lazy("单位名称"), lambda x: x.unit_name, 36),
    Column(gettext_lazy("统一社会信用代码"), lambda x: x.credit_code, 22),
    Column(gettext_lazy("类型"), lambda x: x.get_unit_type_display(), 16),
    Column(gettext_lazy("产品名称"), lambda x: x.product_name, 20),
    Column(gettext_lazy("名单层级"), lambda x: x.get_level_display(), 12),
    Column(gettext_lazy("年度"), lambda x: x.year, 8),
    Column(gettext_lazy("发布单位"), lambda x: x.authority.name, 28),
    Column(gettext_lazy("所在地区"), region_name, 18),
    Column(gettext_lazy("发文文号"), lambda x: x.document_number, 24),
    Column(gettext_lazy("发布日期"), lambda x: x.listed_on, 12),
    Column(gettext_lazy("有效期至"), lambda x: x.valid_until or NO_TERM, 12),
    Column(gettext_lazy("状态"), lambda x: x.get_status_display(), 10),
    Column(gettext_lazy("移出日期"), lambda x: x.removed_on, 12),
]


class _Echo:
    """A file for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # Open data is read in Excel: text is kept as text, never run as a formula.
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_lines(columns: Sequence[Column], rows: Iterable) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells Excel the file is UTF-8, so the Chinese reads correctly.
    yield ("\ufeff" + writer.writerow([str(column.header) for column in columns])).encode()
    for row in rows:
        yield writer.writerow([_csv_value(column.value(row)) for column in columns]).encode()


def csv_response(*, filename: str, columns: Sequence[Column], queryset) -> StreamingHttpResponse:
    """A streamed CSV download of ``queryset``, read in chunks: memory stays bounded."""
    today = timezone.localdate(clock.now(), EXPORT_TIME_ZONE)
    return StreamingHttpResponse(
        csv_lines(columns, queryset.iterator(chunk_size=CHUNK_SIZE)),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=f"{filename}-{today:%Y%m%d}.csv"
            ),
        },
    )


def csv_url(request) -> str:
    return export_url(request).replace("export=xlsx", f"export={CSV_FORMAT}")


class PublicListView(FilteredListView):
    """The listed units of every level, for everyone."""

    template_name = "registry/public_list.html"
    context_object_name = "listings"
    filterset_class = ListingFilter
    paginate_by = PUBLIC_PAGE_SIZE
    export_columns = LISTING_COLUMNS
    export_filename = EXPORT_NAME
    export_title = EXPORT_NAME

    def base_queryset(self):
        return public_listings()

    def get(self, request, *args, **kwargs):
        if request.GET.get("export"):
            queryset = self.get_queryset()
            # The exports' one check: an unknown filter is refused too, never dropped.
            refusal = filter_refusal(self.filterset, names=request.GET, action=_("下载"))
            if refusal is not None:
                return HttpResponse(refusal, status=400, content_type="text/plain; charset=utf-8")
            if request.GET["export"] == CSV_FORMAT:
                return csv_response(
                    filename=str(EXPORT_NAME), columns=LISTING_COLUMNS, queryset=queryset
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(csv_url=csv_url(self.request), **kwargs)


def public_unit_view(request, pk):
    """A unit's page: its listings on every level together, their history, announcements."""
    unit = unit_page(organisation_id=pk)
    if unit is None:
        raise Http404(_("该单位不在已发布的绿色制造名单中。"))
    # Only officials over the unit's place see that a removal is pending on a standing listing.
    pending = pending_removals_for(user=request.user, listings=unit.listings)
    for listing in unit.listings:
        listing.pending_removal_id = pending.get(listing.pk)
    return render(request, "registry/public_unit.html", {"unit": unit, "pending": pending})


urlpatterns = [
    path("mingdan/", PublicListView.as_view(), name="public-list"),
    path("mingdan/units/<int:pk>/", public_unit_view, name="public-unit"),
]
