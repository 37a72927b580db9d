"""名单 PDF: small lists stream at once; long ones are built in the background with progress.

The progress page and the download are the shared ones of greenmfg.core.document_views; the
registry's own addresses (/mingdan/documents/<token>/) stay for the links already given out.
"""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _

from greenmfg.core import clock
from greenmfg.core.document_views import document_file_view, document_status_view
from greenmfg.core.pdf import pdf_response
from registry.services import document as services


def list_pdf_view(request):
    params = {key: value for key, value in request.GET.items() if key not in ("page", "export")}
    refusal = services.filter_refusal(params)
    if refusal is not None:
        return HttpResponse(refusal, status=400, content_type="text/plain; charset=utf-8")
    queryset = services.filtered_listings(params)
    count = queryset.count()
    title = _("绿色制造名单")
    if count <= services.stream_limit():
        content = services.render_list_pdf(queryset, title=title)
        stamp = clock.today().strftime("%Y%m%d")
        return pdf_response(content, filename=f"绿色制造名单-{stamp}")
    document = services.document_request(params=params, title=title, rows=count, user=None)
    return redirect("document-status", token=document.token)


urlpatterns = [
    path("mingdan/pdf/", list_pdf_view, name="list-pdf"),
    path("mingdan/documents/<str:token>/", document_status_view, name="document-status"),
    path("mingdan/documents/<str:token>/file/", document_file_view, name="document-file"),
]
