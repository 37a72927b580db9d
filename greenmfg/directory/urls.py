from django.urls import path

from greenmfg.directory import views

app_name = "directory"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation-create"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<int:pk>/transition/",
        views.OrganisationTransitionView.as_view(),
        name="organisation-transition",
    ),
    path("register/", views.RegistrationView.as_view(), name="register"),
    path("regions/children/", views.region_children_view, name="region-children"),
    path("regions/zones/", views.FunctionalZoneView.as_view(), name="functional-zones"),
]
