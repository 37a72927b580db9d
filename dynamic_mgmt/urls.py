"""The dynamic-management pages. Each module adds its patterns with one include line."""

from django.urls import include, path

app_name = "dynamic_mgmt"
urlpatterns = [
    path("", include("dynamic_mgmt.change_views")),
    path("", include("dynamic_mgmt.incident_views")),
    path("", include("dynamic_mgmt.removal_views")),
    path("", include("dynamic_mgmt.grade_views")),
    path("", include("dynamic_mgmt.table_views")),
    path("", include("dynamic_mgmt.window_views")),
    path("", include("dynamic_mgmt.rereview_views")),
]
