"""The dynamic-management pages. Each module adds its patterns with one include line."""

from django.urls import include, path

from dynamic_mgmt.api import management as management_api
from dynamic_mgmt.api import rereview as rereview_api
from dynamic_mgmt.api import table as table_api

app_name = "dynamic_mgmt"
urlpatterns = [
    path("", include("dynamic_mgmt.views.change")),
    path("", include("dynamic_mgmt.views.incident")),
    path("", include("dynamic_mgmt.views.removal")),
    path("", include("dynamic_mgmt.views.grade")),
    path("", include("dynamic_mgmt.views.table")),
    path("", include("dynamic_mgmt.views.window")),
    path("", include("dynamic_mgmt.views.rereview")),
]

# The app's API viewsets, registered on the one router in greenmfg/urls.py.
api_routes = [
    *table_api.routes,
    *management_api.routes,
    *rereview_api.routes,
]
