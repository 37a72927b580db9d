"""Serving stored files: only ever as a private attachment, after the caller's permission check."""

from django.http import FileResponse


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    # Never sniffed into something executable, never kept by a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
