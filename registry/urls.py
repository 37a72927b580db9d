from django.urls import include, path

from registry.api import announcement as announcement_api
from registry.api import complaint as complaint_api
from registry.api import imports as imports_api
from registry.api import listing as listing_api

app_name = "registry"
urlpatterns = [
    path("", include("registry.views.announcement")),
    path("", include("registry.views.complaint")),
    path("", include("registry.views.public")),
    path("", include("registry.views.document")),
    path("", include("registry.views.imports")),
    path("", include("registry.views.history")),
    path("", include("registry.views.pdf")),
]

# The app's API viewsets, registered on the one router in greenmfg/urls.py.
api_routes = [
    *announcement_api.routes,
    *complaint_api.routes,
    *imports_api.routes,
    *listing_api.routes,
]
