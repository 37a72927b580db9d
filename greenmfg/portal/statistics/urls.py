from django.urls import path

from greenmfg.portal.statistics import views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.official_statistics, name="official"),
    path("tongji/", views.public_statistics, name="public"),
]
