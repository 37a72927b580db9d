"""Formal documents as PDF: HTML templates rendered by WeasyPrint, A4, in Chinese.

Every document extends ``templates/pdf/base.html``: the issuing authority's name at the top of
each page, the page number ("第 N 页 共 M 页") and the generation date at the bottom. The CJK font
is Noto Sans/Serif CJK from Debian's ``fonts-noto-cjk`` (installed by scripts/system-deps.sh):
real bold, every character of GB 18030, and the package the CI machine already has; without a
CJK font WeasyPrint silently draws empty boxes, so :func:`cjk_font_available` lets a test say so.
"""

from __future__ import annotations

import shutil
import subprocess

from django.http import HttpResponse
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


def cjk_font_available() -> bool:
    """True when fontconfig knows a font for Chinese (the PDFs would show boxes otherwise)."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    return bool(found.stdout.strip())
