from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from applications.api import applications as applications_api
from applications.api import batches as batches_api
from applications.api import credit as credit_api
from applications.api import industry as industry_api
from applications.api import pool as pool_api
from dynamic_mgmt import dm_api as dynamic_dm_api
from dynamic_mgmt import rereview_api as dynamic_rereview_api
from dynamic_mgmt import table_api as dynamic_table_api
from greenmfg.accounts.api import MeView, ObtainTokenView
from greenmfg.accounts.views import LoginView
from greenmfg.core import views as core_views
from greenmfg.directory.api import JurisdictionViewSet, OrganisationViewSet
from greenmfg.portal import views as portal_views
from registry import announcement_api as registry_announcement_api
from registry import complaint_api as registry_complaint_api
from registry import registry_api as registry_listing_api
from reviews import api as reviews_api
from reviews import bulk_api as reviews_bulk_api
from reviews import expert_api as reviews_expert_api
from reviews import phase_api as reviews_phase_api
from reviews import promotion_api as reviews_promotion_api
from reviews import publicity_api as reviews_publicity_api
from reviews import round_api as reviews_round_api
from reviews import sheet_api as reviews_sheet_api
from reviews import template_api as reviews_template_api
from thirdparty import annual_api as thirdparty_annual_api
from thirdparty import blacklist_api as thirdparty_blacklist_api
from thirdparty import engagement_api as thirdparty_engagement_api
from thirdparty import profile_api as thirdparty_profile_api

admin.site.site_header = "绿色制造名单管理平台 · 系统管理"
admin.site.site_title = "绿色制造名单管理平台"

router = DefaultRouter()
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("organisations", OrganisationViewSet, basename="organisation")
for module in (
    applications_api,
    batches_api,
    credit_api,
    industry_api,
    pool_api,
    reviews_api,
    reviews_sheet_api,
    reviews_expert_api,
    reviews_phase_api,
    reviews_publicity_api,
    reviews_promotion_api,
    reviews_round_api,
    reviews_template_api,
    reviews_bulk_api,
    thirdparty_engagement_api,
    thirdparty_blacklist_api,
    thirdparty_annual_api,
    thirdparty_profile_api,
    registry_announcement_api,
    registry_complaint_api,
    registry_listing_api,
    dynamic_table_api,
    dynamic_dm_api,
    dynamic_rereview_api,
):
    for prefix, viewset, basename in module.routes:
        router.register(prefix, viewset, basename=basename)

api_patterns = [
    path("", include(router.urls)),
    path("me/", MeView.as_view(), name="api-me"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("dashboard/", portal_views.dashboard, name="dashboard"),
    path("notifications/", core_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", core_views.notification_read, name="notification-read"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("greenmfg.directory.urls")),
    path("", include("applications.urls")),
    path("", include("reviews.views")),
    path("", include("thirdparty.urls")),
    path("", include("registry.urls")),
    path("", include("dynamic_mgmt.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "greenmfg.core.views.page_not_found"
