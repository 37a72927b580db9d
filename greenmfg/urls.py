from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

import applications.urls as applications_urls
import dynamic_mgmt.urls as dynamic_mgmt_urls
import registry.urls as registry_urls
import reviews.urls as reviews_urls
import thirdparty.urls as thirdparty_urls
from greenmfg.accounts.api import MeView, ObtainTokenView
from greenmfg.accounts.api import import_routes as staff_import_routes
from greenmfg.accounts.views import LoginView, PasswordResetView
from greenmfg.core import views as core_views
from greenmfg.core.api import versioning
from greenmfg.core.api.docs_pages import RedocPage, SwaggerPage
from greenmfg.directory.api import JurisdictionViewSet, OrganisationViewSet
from greenmfg.portal import views as portal_views
from greenmfg.portal.statistics import urls as statistics_urls

admin.site.site_header = "绿色制造名单管理平台 · 系统管理"
admin.site.site_title = "绿色制造名单管理平台"

router = DefaultRouter()
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("organisations", OrganisationViewSet, basename="organisation")
for routes in (
    applications_urls.api_routes,
    reviews_urls.api_routes,
    thirdparty_urls.api_routes,
    registry_urls.api_routes,
    dynamic_mgmt_urls.api_routes,
    staff_import_routes,
):
    for prefix, viewset, basename in routes:
        router.register(prefix, viewset, basename=basename)

api_patterns = [
    path("", include(router.urls)),
    *statistics_urls.api_patterns,
    path("me/", MeView.as_view(), name="api-me"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerPage.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocPage.as_view(url_name="api-schema"), name="api-redoc"),
]

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("dashboard/", portal_views.dashboard, name="dashboard"),
    path("notifications/", core_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", core_views.notification_read, name="notification-read"),
    path("", include("greenmfg.core.document_views")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("greenmfg.accounts.urls")),
    path("", include("greenmfg.directory.urls")),
    path("", include("applications.urls")),
    path("", include("reviews.urls")),
    path("", include("thirdparty.urls")),
    path("", include("registry.urls")),
    path("", include("dynamic_mgmt.urls")),
    path("", include("greenmfg.portal.statistics.urls")),
    # The API is versioned in its paths: /api/v1/…, the names of its routes resolve there. The
    # unversioned /api/… paths of before answer too until versioning.SUNSET_ON, each response
    # saying so (Deprecation, Sunset); they are left out of the schema.
    path(versioning.PREFIX, include(api_patterns)),
    path(
        versioning.ALIAS_PREFIX,
        include((versioning.deprecated_aliases(api_patterns), versioning.ALIAS_NAMESPACE)),
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "greenmfg.core.views.bad_request"
handler404 = "greenmfg.core.views.page_not_found"
handler500 = "greenmfg.core.views.server_error"
