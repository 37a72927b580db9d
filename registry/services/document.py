"""The registry's long PDFs: a filtered public list (名单), and the published list (名单公告).

A list of a few hundred units is rendered in the request. A longer one (the 5,000 units of a
national list) becomes a :class:`~greenmfg.core.models.GeneratedDocument` built by Celery in
parts of ``PDF_PART_ROWS`` rows (300): each part is a task that lays out its rows with
WeasyPrint, so a worker holds one part's pages, never the whole document's, and several workers
build parts side by side. The merge joins them with pypdf and stamps the page numbers of the
whole document ("第 N 页 共 M 页") that no part could know.

The published list's PDF is built once, when the list is published (:func:`queue_published_list`,
called by :func:`registry.services.announcement.announce_list`), and stored: its download reads
the stored file.
"""

import io
import math
from collections.abc import Sequence

from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenmfg.core import clock, documents, export
from greenmfg.core.models import GeneratedDocument
from greenmfg.core.pdf import number_pages, render_pdf
from greenmfg.directory.models import Level
from registry.filters.public import ListingFilter
from registry.selectors.listing import listings_of_batch
from registry.selectors.public import public_listings, region_name
from reviews.models import Publicity

LIST_PDF = "listing_pdf"
PUBLISHED_LIST_PDF = "published_list_pdf"
# Parameters of the list page that are not filters of the PDF.
PAGE_PARAMETERS = ("export", "page")


def stream_limit() -> int:
    """Lists up to this many rows are rendered in the request; longer ones in the background."""
    return getattr(settings, "PDF_STREAM_MAX_ROWS", 300)


def part_rows() -> int:
    """How many rows one part (one Celery task) of a long list's PDF lays out."""
    return getattr(settings, "PDF_PART_ROWS", 300)


def _list_filter(params: dict) -> ListingFilter:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if key not in PAGE_PARAMETERS:
            query[key] = value
    return ListingFilter(query or None, queryset=public_listings())


def filter_refusal(params: dict) -> str | None:
    """Why the PDF of the list with ``params`` is refused (an unknown or invalid filter): the
    exports' one check (:func:`greenmfg.core.export.filter_refusal`)."""
    return export.filter_refusal(
        _list_filter(params), names=params, extra=PAGE_PARAMETERS, action=_("生成 PDF")
    )


def filtered_listings(params: dict):
    """The listings the public list shows with ``params`` (no filter: the units on the list)."""
    listing_filter = _list_filter(params)
    if listing_filter.is_bound and not listing_filter.is_valid():
        return public_listings().none()
    return listing_filter.qs


def _rows(queryset):
    for listing in queryset.iterator(chunk_size=2000):
        yield {
            "name": listing.unit_name,
            "credit_code": listing.credit_code,
            "unit_type": listing.get_unit_type_display(),
            "level": listing.get_level_display(),
            "year": listing.year,
            "region": region_name(listing),
            "authority": listing.authority.name,
            "document_number": listing.document_number,
            "listed_on": listing.listed_on,
            "status": listing.get_status_display(),
        }


def render_list_pdf(queryset, *, title: str, progress=lambda percent, stage: None) -> bytes:
    """The list's PDF in one piece (a short list); ``progress(percent, stage)`` at each stage."""
    progress(5, _("整理名单数据"))
    return render_rows_pdf(list(_rows(queryset)), title=title, progress=progress)


def render_rows_pdf(rows: list[dict], *, title: str, progress=lambda percent, stage: None) -> bytes:
    from weasyprint import HTML

    progress(25, _("排版（%(count)d 家单位）") % {"count": len(rows)})
    html = render_to_string(
        "pdf/listing_table.html",
        {
            "rows": rows,
            "document_title": title,
            "document_authority": _("绿色制造名单管理平台"),
            "generated_at": clock.local_now(),
        },
    )
    document = HTML(string=html).render()
    progress(85, _("写入 PDF（%(pages)d 页）") % {"pages": len(document.pages)})
    content = document.write_pdf()
    progress(100, _("已完成"))
    return content


def render_part_pdf(
    rows: list[dict], *, title: str, offset: int, total: int, generated_at
) -> bytes:
    """One part of a long list: its rows numbered from ``offset + 1``, the title and the count
    on the first part only, and no page numbers (the merge stamps those of the whole)."""
    from weasyprint import HTML

    html = render_to_string(
        "pdf/listing_table_part.html",
        {
            "rows": rows,
            "offset": offset,
            "total": total,
            "first": offset == 0,
            "document_title": title,
            "document_authority": _("绿色制造名单管理平台"),
            "generated_at": generated_at,
        },
    )
    return HTML(string=html).write_pdf()


def merge_pdfs(parts: Sequence, target, *, landscape: bool = True, progress=None) -> int:
    """Join the PDFs ``parts`` (files or bytes, in order) into ``target`` with the page numbers
    of the whole; the number of pages."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part) if isinstance(part, bytes) else part))
    if progress is not None:
        progress(95, _("编排页码（%(pages)d 页）") % {"pages": len(writer.pages)})
    number_pages(writer, landscape=landscape)
    writer.write(target)
    return len(writer.pages)


# --- the long list, built by Celery in parts ---------------------------------------------------


def document_request(*, params: dict, title: str, rows: int, user=None) -> GeneratedDocument:
    """The PDF of the filtered list, queued (or the same one already being built)."""
    params = {key: value for key, value in params.items() if key not in PAGE_PARAMETERS}
    query = QueryDict(mutable=True)
    query.update(params)
    back = reverse("registry:public-list")
    return documents.request_document(
        kind=LIST_PDF,
        # The public list is the same for everyone: one build per set of filters.
        key=documents.document_key(LIST_PDF, params),
        title=title,
        params=params,
        rows=rows,
        extension="pdf",
        user=user,
        back_url=f"{back}?{query.urlencode()}" if params else back,
    )


def _list_parts(document: GeneratedDocument) -> int:
    count = filtered_listings(document.params).count()
    GeneratedDocument.objects.filter(pk=document.pk).update(rows=count)
    document.rows = count
    return math.ceil(count / part_rows())


def _list_part(document: GeneratedDocument, index: int) -> bytes:
    size = part_rows()
    offset = index * size
    queryset = filtered_listings(document.params)[offset : offset + size]
    return render_part_pdf(
        list(_rows(queryset)),
        title=document.title,
        offset=offset,
        total=document.rows,
        generated_at=timezone.localtime(document.created_at),
    )


def _list_merge(document: GeneratedDocument, parts, target: str, progress) -> None:
    if not parts:  # no unit matches: the one page that says so
        parts = [render_part_pdf([], title=document.title, offset=0, total=0, generated_at=None)]
    merge_pdfs(parts, target, progress=progress)


# --- 名单公告: built once at publication, stored ------------------------------------------------


def published_list_key(publicity_id: int) -> str:
    return documents.document_key(PUBLISHED_LIST_PDF, publicity_id)


def published_list_title(batch) -> str:
    return _("%(year)d年度%(level)s绿色制造名单") % {
        "year": batch.year,
        "level": Level(batch.level).label,
    }


def render_published_list(publicity) -> bytes:
    """The published list (公告): the document number, its date and the listed units by type."""
    listings = (
        listings_of_batch(batch_id=publicity.batch_id)
        .select_related("jurisdiction__parent")
        .order_by("unit_type", "unit_name", "pk")
    )
    groups: dict[str, list[dict]] = {}
    for listing in listings:
        groups.setdefault(listing.get_unit_type_display(), []).append(
            {"listing": listing, "region": region_name(listing)}
        )
    batch = publicity.batch
    return render_pdf(
        "pdf/published_list.html",
        {"publicity": publicity, "batch": batch, "groups": groups.items()},
        title=published_list_title(batch),
        authority=batch.authority.name,
    )


def stored_published_list(publicity_id: int) -> GeneratedDocument | None:
    """The published list's PDF stored at publication, once it is complete (None before)."""
    return documents.latest_done(published_list_key(publicity_id))


def queue_published_list(publicity, *, rows: int = 0) -> GeneratedDocument | None:
    """Build and store the published list's PDF once this transaction commits (once only)."""
    key = published_list_key(publicity.pk)
    if documents.latest_done(key) is not None:
        return None
    return documents.request_document(
        kind=PUBLISHED_LIST_PDF,
        key=key,
        title=_("名单公告-%(title)s") % {"title": publicity.batch.title},
        params={"publicity": publicity.pk},
        rows=rows,
        extension="pdf",
        back_url=reverse("reviews:public-publicity-detail", args=[publicity.pk]),
    )


def _build_published_list(document: GeneratedDocument, progress, folder: str) -> str:
    publicity = Publicity.objects.select_related("batch__authority").get(
        pk=document.params["publicity"], status=Publicity.Status.PUBLISHED
    )
    progress(10, _("排版名单公告"))
    path = f"{folder}/published-list.pdf"
    with open(path, "wb") as target:
        target.write(render_published_list(publicity))
    return path


def register_builders() -> None:
    """How the registry's documents are built (called by RegistryConfig.ready)."""
    documents.register_builder(
        LIST_PDF, documents.Builder(parts=_list_parts, part=_list_part, merge=_list_merge)
    )
    # The published list's PDF is the stored record of the 公告: never deleted as expired.
    documents.register_builder(
        PUBLISHED_LIST_PDF, documents.Builder(build=_build_published_list, kept=True)
    )
