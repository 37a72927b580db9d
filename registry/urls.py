from django.urls import include, path

app_name = "registry"
urlpatterns = [
    path("", include("registry.announcement_views")),
    path("", include("registry.complaint_views")),
    path("", include("registry.public_views")),
    path("", include("registry.document_views")),
    path("", include("registry.history_views")),
    path("", include("registry.pdf_views")),
]
