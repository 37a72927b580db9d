"""Keeps the menu's cached counts (greenmfg.portal.navigation) true to the user's own work."""

from django.core.cache import cache

from greenmfg.portal.navigation import counts_cache_key

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class FreshCountsMiddleware:
    """A user who changes something (any unsafe method) gets fresh menu counts on the next
    page: their cached counts are dropped before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and user is not None and user.is_authenticated:
            cache.delete(counts_cache_key(user))
        return self.get_response(request)
