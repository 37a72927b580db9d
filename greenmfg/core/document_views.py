"""A long document's progress page and its download (see greenmfg.core.documents).

A document asked for by a signed-in user (an official's export of the records in their scope)
is shown to that user only; one asked for on the public site (the 名单's PDF or workbook) to
whoever holds its unguessable token. The file is served only once the document is complete.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from greenmfg.core.files import private_file_response
from greenmfg.core.models import GeneratedDocument

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def visible_document(request, token: str, **filters) -> GeneratedDocument:
    document = get_object_or_404(GeneratedDocument, token=token, **filters)
    if document.created_by_id is not None and document.created_by_id != request.user.pk:
        raise Http404(_("文档不存在。"))
    return document


def document_status_view(request, token):
    document = visible_document(request, token)
    return render(request, "documents/status.html", {"document": document})


def document_file_view(request, token):
    document = visible_document(request, token, status=GeneratedDocument.Status.DONE)
    stamp = timezone.localtime(document.finished_at).strftime("%Y%m%d")
    return private_file_response(
        document.file,
        filename=f"{document.title}-{stamp}.{document.extension}",
        content_type=CONTENT_TYPES.get(document.extension, "application/octet-stream"),
    )


urlpatterns = [
    path("documents/<str:token>/", document_status_view, name="document-status"),
    path("documents/<str:token>/file/", document_file_view, name="document-file"),
]
