from django.urls import path

from greenmfg.portal.statistics import api, views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.official_statistics, name="official"),
    path("tongji/", views.public_statistics, name="public"),
]

# Gathered under /api/v1/ (and its unversioned alias) by greenmfg/urls.py.
api_patterns = [
    path("statistics/", api.OfficialStatisticsView.as_view(), name="api-statistics"),
    path("statistics/public/", api.PublicStatisticsView.as_view(), name="api-statistics-public"),
]
