"""The cache on Redis, answering as a miss while Redis is down instead of failing the request.

Every authenticated POST drops the user's menu counts (greenmfg.portal.middleware), so with
Django's own RedisCache a Redis outage turned every write, a submission included, into a 500
before the view ran. Here a connection error or timeout is logged and read as a miss: a page
counts afresh, an upload reads its file twice, a rate limit (the public complaint form, the
API's anonymous throttle) lets the request through until Redis is back.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


# incr of a missing key raises ValueError, which its callers already handle.
MISSING_KEY = object()


def _tolerant(method, on_error):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable, %s skipped: %s", method.__name__, error)
            if on_error is MISSING_KEY:
                raise ValueError("cache unavailable") from error
            return on_error(*args, **kwargs) if callable(on_error) else on_error

    return wrapper


class RedisCache(DjangoRedisCache):
    """Django's RedisCache, every operation read as a miss (or a no-op) while Redis is down."""

    get = _tolerant(DjangoRedisCache.get, lambda key, default=None, version=None: default)
    get_many = _tolerant(DjangoRedisCache.get_many, {})
    has_key = _tolerant(DjangoRedisCache.has_key, False)
    set = _tolerant(DjangoRedisCache.set, None)
    add = _tolerant(DjangoRedisCache.add, False)
    touch = _tolerant(DjangoRedisCache.touch, False)
    delete = _tolerant(DjangoRedisCache.delete, False)
    set_many = _tolerant(DjangoRedisCache.set_many, lambda data, *args, **kwargs: list(data))
    delete_many = _tolerant(DjangoRedisCache.delete_many, None)
    incr = _tolerant(DjangoRedisCache.incr, MISSING_KEY)
    clear = _tolerant(DjangoRedisCache.clear, None)
