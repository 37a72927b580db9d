"""Formal documents as PDF: HTML templates rendered by WeasyPrint, A4, in Chinese.

Every document extends ``templates/pdf/base.html``: the issuing authority's name at the top of
each page, the page number ("第 N 页 共 M 页") and the generation date at the bottom. The CJK font
is Noto Sans/Serif CJK from Debian's ``fonts-noto-cjk`` (installed by scripts/system-deps.sh):
real bold, every character of GB 18030, and the package the CI machine already has; without a
CJK font WeasyPrint silently draws empty boxes, so :func:`cjk_font_available` lets a test say so.
"""

from __future__ import annotations

import io
import shutil
import subprocess

from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from greenmfg.core import clock

PDF_CONTENT_TYPE = "application/pdf"


def render_pdf(template: str, context: dict, *, title: str, authority: str = "") -> bytes:
    """The PDF of ``template`` (which extends pdf/base.html) with the document's ``title``."""
    from weasyprint import HTML  # imported here: loading pango is slow and only PDFs need it

    html = render_to_string(
        template,
        {
            **context,
            "document_title": title,
            "document_authority": authority,
            "generated_at": clock.local_now(),
        },
    )
    return HTML(string=html, base_url=None).write_pdf()


# The page number of a merged document, placed where pdf/base.html places it.
PAGE_NUMBER_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4 %(orientation)s; margin: 22mm 18mm 20mm 18mm;
  @bottom-right { content: "第 " counter(page) " 页 共 " counter(pages) " 页";
    font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif;
    font-size: 8.5pt; color: #555; } }
div { page-break-after: always; height: 1px; } div:last-child { page-break-after: auto; }
</style></head><body>%(pages)s</body></html>"""


def number_pages(writer, *, landscape: bool = False) -> None:
    """Stamp "第 N 页 共 M 页" on every page of the pypdf ``writer`` (a document merged from
    parts, each of which was laid out without page numbers: none knew the whole's count)."""
    from pypdf import PdfReader
    from weasyprint import HTML

    count = len(writer.pages)
    if count == 0:
        return
    html = PAGE_NUMBER_HTML % {
        "orientation": "landscape" if landscape else "portrait",
        "pages": "<div></div>" * count,
    }
    stamps = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
        # merge_page writes the joined content uncompressed: four times the size otherwise.
        page.compress_content_streams()


def pdf_response(content: bytes, *, filename: str, inline: bool = True) -> HttpResponse:
    name = filename if filename.lower().endswith(".pdf") else f"{filename}.pdf"
    return HttpResponse(
        content,
        content_type=PDF_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=not inline, filename=name
            ),
            "Cache-Control": "private, no-store",
        },
    )


def stored_pdf_response(field_file, *, filename: str, inline: bool = True) -> FileResponse:
    """A stored PDF (built once, e.g. at publication), streamed from the storage as it is read."""
    name = filename if filename.lower().endswith(".pdf") else f"{filename}.pdf"
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=name,
        content_type=PDF_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def cjk_font_available() -> bool:
    """True when fontconfig knows a font for Chinese (the PDFs would show boxes otherwise)."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    return bool(found.stdout.strip())
