"""名单 PDF: small lists stream at once; long ones are built in the background with progress."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from greenmfg.core import clock
from greenmfg.core.files import private_file_response
from greenmfg.core.pdf import pdf_response
from registry.models import GeneratedDocument
from registry.services import document as services


def list_pdf_view(request):
    params = {key: value for key, value in request.GET.items() if key not in ("page", "export")}
    queryset = services.filtered_listings(params)
    count = queryset.count()
    title = _("绿色制造名单")
    if count <= services.stream_limit():
        content = services.render_list_pdf(queryset, title=title)
        stamp = clock.today().strftime("%Y%m%d")
        return pdf_response(content, filename=f"绿色制造名单-{stamp}")
    document = services.document_request(params=params, title=title, rows=count, user=request.user)
    return redirect("registry:document-status", token=document.token)


def document_status_view(request, token):
    document = get_object_or_404(GeneratedDocument, token=token)
    return render(request, "registry/document_status.html", {"document": document})


def document_file_view(request, token):
    document = get_object_or_404(
        GeneratedDocument, token=token, status=GeneratedDocument.Status.DONE
    )
    stamp = timezone.localtime(document.finished_at).strftime("%Y%m%d")
    return private_file_response(
        document.file, filename=f"{document.title}-{stamp}.pdf", content_type="application/pdf"
    )


urlpatterns = [
    path("mingdan/pdf/", list_pdf_view, name="list-pdf"),
    path("mingdan/documents/<str:token>/", document_status_view, name="document-status"),
    path("mingdan/documents/<str:token>/file/", document_file_view, name="document-file"),
]
