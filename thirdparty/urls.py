"""第三方评价机构 pages. Each module of the app contributes its own urlpatterns here."""

from .annual_views import urlpatterns as annual_urls
from .blacklist_views import urlpatterns as blacklist_urls
from .portal_views import urlpatterns as portal_urls
from .profile_views import urlpatterns as profile_urls

app_name = "thirdparty"

urlpatterns = [*portal_urls, *blacklist_urls, *annual_urls, *profile_urls]
