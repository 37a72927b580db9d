"""Large documents built in the background: the PDF of a filtered public list.

A list of a few hundred units streams at once; a longer one (the 5,000 units of a national
list) becomes a :class:`GeneratedDocument` that a Celery task builds while the user watches its
progress, then downloads. Rendering runs in stages whose progress is recorded as it goes:
gathering the rows, laying out the pages (WeasyPrint's ``render``), writing the PDF.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from greenmfg.core import clock
from registry.filters.public import ListingFilter
from registry.models import GeneratedDocument
from registry.selectors.public import public_listings, region_name

LIST_PDF = "listing_pdf"

# How a requested document gets built once its row is committed: the Celery task registers
# itself here (registry.apps.RegistryConfig.ready), so the service never imports the task that
# imports it. Without a registration (a script that set up no app), it is built in-process.
_build_queue: Callable[[int], object] | None = None


def register_build_queue(queue: Callable[[int], object]) -> None:
    """Set how :func:`document_request` starts the build of a document (by its id)."""
    global _build_queue
    _build_queue = queue


def _queue_build(document_id: int) -> None:
    if _build_queue is None:
        document_build(document_id)
    else:
        _build_queue(document_id)


def stream_limit() -> int:
    """Lists up to this many rows are rendered in the request; longer ones in the background."""
    return getattr(settings, "PDF_STREAM_MAX_ROWS", 300)


def filtered_listings(params: dict):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if key not in ("export", "page"):
            query[key] = value
    listing_filter = ListingFilter(query or None, queryset=public_listings())
    return listing_filter.qs if listing_filter.is_valid() else public_listings().none()


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
    """The list's PDF; ``progress(percent, stage)`` is told each stage as it starts."""
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


def document_request(*, params: dict, title: str, rows: int, user=None) -> GeneratedDocument:
    """Queue the PDF of the filtered list; the task starts once this transaction commits."""
    document = GeneratedDocument.objects.create(
        token=secrets.token_urlsafe(24),
        kind=LIST_PDF,
        title=title,
        params=params,
        rows=rows,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    transaction.on_commit(lambda: _queue_build(document.pk))
    return document


def document_build(document_id: int) -> GeneratedDocument:
    """Build a queued document (the Celery task's body), recording progress as it goes."""
    document = GeneratedDocument.objects.get(pk=document_id)
    if document.status == GeneratedDocument.Status.DONE:
        return document  # a retried task does not build it twice

    def progress(percent: int, stage: str) -> None:
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=GeneratedDocument.Status.RUNNING, progress=percent, stage=stage
        )

    try:
        content = render_list_pdf(
            filtered_listings(document.params), title=document.title, progress=progress
        )
    except Exception as error:
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=GeneratedDocument.Status.FAILED,
            error=str(error)[:1000],
            finished_at=clock.now(),
        )
        raise
    document.refresh_from_db()
    document.file.save(f"{document.token}.pdf", ContentFile(content), save=False)
    document.status = GeneratedDocument.Status.DONE
    document.progress = 100
    document.stage = _("已完成")
    document.finished_at = clock.now()
    document.save(update_fields=["file", "status", "progress", "stage", "finished_at"])
    return document
