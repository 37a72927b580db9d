"""Serving stored files: only ever as a private attachment, after the caller's permission check."""

import logging

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    try:
        content = field_file.open("rb")
    except FileNotFoundError:
        # The record is there but its file is not (storage lost or moved): say so, not a 500.
        logger.error("Stored file missing: %s", field_file.name)
        raise Http404(_("文件不存在或已被移除，请联系系统管理员。")) from None
    response = FileResponse(
        content, as_attachment=True, filename=filename, content_type=content_type
    )
    # Never sniffed into something executable, never kept by a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
