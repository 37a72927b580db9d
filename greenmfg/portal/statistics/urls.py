from django.urls import path

from greenmfg.portal.statistics import api, views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.official_statistics, name="official"),
    path("tongji/", views.public_statistics, name="public"),
    # Before the router's "api/" in greenmfg/urls.py, so these paths are matched here.
    path("api/statistics/", api.OfficialStatisticsView.as_view(), name="api-official"),
    path("api/statistics/public/", api.PublicStatisticsView.as_view(), name="api-public"),
]
