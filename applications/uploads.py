"""Checking uploaded files by their content, not their name."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

REPORT_MAX_BYTES = 20 * 1024 * 1024
SUPPORTING_MAX_BYTES = 10 * 1024 * 1024

# Magic numbers of what we accept.
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}


class CheckedFile:
    """An upload that passed the checks, read once, ready to be stored under its checksum."""

    def __init__(
        self,
        *,
        original_name: str,
        content: bytes,
        extension: str,
        content_type: str,
        sha256: str,
        pages: int | None,
    ):
        self.original_name = original_name
        self.content = content
        self.extension = extension
        self.content_type = content_type
        self.sha256 = sha256
        self.pages = pages
        self.size = len(content)

    def store(self, field_file) -> None:
        """Save the content into ``field_file`` (not yet the row) under a name of no user input."""
        field_file.save(f"{self.sha256}.{self.extension}", ContentFile(self.content), save=False)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_upload(uploaded, *, pdf_only: bool, max_bytes: int) -> CheckedFile:
    """Read the upload once, refuse what is empty, too big or not what it claims to be."""
    name = getattr(uploaded, "name", "") or ""
    if uploaded.size == 0:
        raise ValidationError(
            _("文件「%(name)s」是空文件（0 字节），请重新选择。") % {"name": name}, code="empty"
        )
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("文件「%(name)s」大小为 %(size)s，超过 %(limit)s 的上限。")
            % {"name": name, "size": _megabytes(uploaded.size), "limit": _megabytes(max_bytes)},
            code="too_big",
        )
    content = b"".join(uploaded.chunks())
    kind = next((value for magic, value in SIGNATURES.items() if content.startswith(magic)), None)
    if kind is None or (pdf_only and kind[0] != "pdf"):
        expected = _("PDF 文件") if pdf_only else _("PDF、JPG 或 PNG 文件")
        raise ValidationError(
            _("文件「%(name)s」的内容不是%(expected)s，请上传%(expected)s。")
            % {"name": name, "expected": expected},
            code="wrong_type",
        )
    pages = None
    if kind[0] == "pdf":
        try:
            pages = len(PdfReader(io.BytesIO(content)).pages)
        except (PdfReadError, ValueError, KeyError, TypeError) as error:
            raise ValidationError(
                _("文件「%(name)s」不是完整有效的 PDF（%(error)s），请重新导出后上传。")
                % {"name": name, "error": type(error).__name__},
                code="broken_pdf",
            ) from None
        if pages == 0:
            raise ValidationError(
                _("PDF 文件「%(name)s」没有页面。") % {"name": name}, code="broken_pdf"
            )
    return CheckedFile(
        original_name=name[:255] or "file",
        content=content,
        extension=kind[0],
        content_type=kind[1],
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
    )
