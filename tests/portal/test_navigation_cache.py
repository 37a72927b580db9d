"""The menu's counts are cached per user for NAV_COUNTS_SECONDS (one query a minute instead of
one a page), and the user's own change drops them at once."""

import pytest
from django.core.cache import cache

from greenmfg.portal.navigation import counts_cache_key, pending_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_counts(settings):
    settings.NAV_COUNTS_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_the_counts_are_read_once_a_minute(demo, cached_counts, django_assert_num_queries):
    city = demo["luoyang-city"]
    with django_assert_num_queries(1):
        first = pending_counts(city)
    with django_assert_num_queries(0):
        assert pending_counts(city) == first


def test_without_the_setting_every_page_counts(demo, settings, django_assert_num_queries):
    settings.NAV_COUNTS_SECONDS = 0
    city = demo["luoyang-city"]
    pending_counts(city)
    with django_assert_num_queries(1):
        pending_counts(city)


def test_the_users_own_change_drops_them(client, demo, cached_counts):
    city = demo["luoyang-city"]
    client.force_login(city)
    client.get("/dashboard/")
    stale = {"recommended": 99}
    cache.set(counts_cache_key(city), stale, 60)

    client.post("/notifications/", {})  # any change of theirs, whatever its answer

    assert cache.get(counts_cache_key(city)) != stale  # dropped (and counted again if shown)


def test_a_colleagues_change_does_not_touch_them(client, demo, cached_counts):
    city = demo["luoyang-city"]
    stale = {"recommended": 99}
    cache.set(counts_cache_key(city), stale, 60)
    client.force_login(demo["luoyang-county"])

    client.post("/notifications/", {})

    assert cache.get(counts_cache_key(city)) == stale
