"""第三方评价机构 pages. Each module of the app contributes its own urlpatterns here."""

from thirdparty.api import annual as annual_api
from thirdparty.api import blacklist as blacklist_api
from thirdparty.api import engagement as engagement_api
from thirdparty.api import profile as profile_api
from thirdparty.views.annual import urlpatterns as annual_urls
from thirdparty.views.blacklist import urlpatterns as blacklist_urls
from thirdparty.views.portal import urlpatterns as portal_urls
from thirdparty.views.profile import urlpatterns as profile_urls

app_name = "thirdparty"

urlpatterns = [*portal_urls, *blacklist_urls, *annual_urls, *profile_urls]

# The app's API viewsets, registered on the one router in greenmfg/urls.py.
api_routes = [
    *engagement_api.routes,
    *blacklist_api.routes,
    *annual_api.routes,
    *profile_api.routes,
]
