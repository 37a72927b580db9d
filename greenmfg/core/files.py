"""Serving stored files: only ever as a private attachment, after the caller's permission check.

A stored file is served under a name built from its checked type, never from the uploader's
name: ``poly.pdf.html`` holding a PDF is served as ``poly.pdf``. The uploader's name gives only
the stem (its own extensions dropped) and is otherwise kept for display.
"""

import logging
import re
import unicodedata

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The extension each type we check and keep is served under (uploads and imports alike).
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/csv": "csv",
}
# What a served stem ends with that looks like an extension (".html", ".pdf", ".tar"…):
# dropped, every one of them, so none of the uploader's extensions comes before ours.
_TRAILING_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
# Path separators, quotes and characters Windows refuses in a file name.
_UNSAFE = re.compile(r'[\\/:*?"<>|]+')
STEM_MAX_LENGTH = 100


def download_name(name: str, *, content_type: str) -> str:
    """The name to serve a stored file under: the stem of ``name``, then the checked type's
    extension (``.bin`` for a type we do not know, never the uploader's)."""
    extension = EXTENSIONS.get(content_type.split(";")[0].strip().lower(), "bin")
    stem = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem = _UNSAFE.sub("_", stem).strip(" .")
    while (shorter := _TRAILING_EXTENSION.sub("", stem)) != stem:
        stem = shorter.rstrip(" .")
    stem = stem[:STEM_MAX_LENGTH].rstrip(" .") or "file"
    return f"{stem}.{extension}"


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """``field_file`` as an attachment of ``content_type`` (the checked type), named by
    ``download_name`` from ``filename`` (the uploader's name for it)."""
    try:
        content = field_file.open("rb")
    except FileNotFoundError:
        # The record is there but its file is not (storage lost or moved): say so, not a 500.
        logger.error("Stored file missing: %s", field_file.name)
        raise Http404(_("文件不存在或已被移除，请联系系统管理员。")) from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=download_name(filename, content_type=content_type),
        content_type=content_type,
    )
    # Never sniffed into something executable, never kept by a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
