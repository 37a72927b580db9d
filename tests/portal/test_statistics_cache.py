"""数据统计 answers are cached for STATISTICS_CACHE_SECONDS per scope: the same scope is
counted once, another bureau's or the public's is counted for itself."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenmfg.directory.models import Jurisdiction
from greenmfg.portal.statistics.sections import official_sections, public_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.STATISTICS_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def queries(build) -> int:
    with CaptureQueriesContext(connection) as captured:
        build()
    return len(captured)


def official(user):
    place = Jurisdiction.objects.get(pk=user.organisation.jurisdiction_id)
    return lambda: official_sections(user=user, region=None, place=place, year=None)


def test_a_scope_is_counted_once(demo, cached):
    city = demo["luoyang-city"]
    build = official(city)
    assert queries(build) > 3
    assert queries(build) == 0


def test_another_bureau_is_counted_for_itself(demo, cached):
    official(demo["luoyang-city"])()
    dalian = official(demo["dalian-city"])

    assert queries(dalian) > 3


def test_the_public_figures_are_cached_apart(demo, cached):
    nation = Jurisdiction.objects.get(parent__isnull=True)
    official(demo["luoyang-city"])()

    assert queries(lambda: public_sections(region=None, place=nation, year=None)) > 0


def test_the_pages_say_how_old_the_figures_may_be(client, demo):
    assert "每 10 分钟更新一次" in client.get("/tongji/").content.decode()
