"""URLs that fail, for the 500 page and the API's 500 problem document."""

from django.urls import path


def broken(request):
    raise RuntimeError("a failure for the test")


urlpatterns = [path("broken/", broken), path("api/broken/", broken)]
# As the portal's own URLconf (greenmfg/urls.py) names it.
handler500 = "greenmfg.core.views.server_error"
