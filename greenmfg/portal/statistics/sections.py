"""The statistics as sections of tables, for the pages and the API alike.

The figures read a whole jurisdiction (the nation's: every listing, application and annual
table; 300–400 ms at 100,000 units), so each answer is kept in the cache for
``STATISTICS_CACHE_SECONDS`` (10 minutes), shared by the users who see the same scope (same
role and bureau) and the public; the pages say how old the figures may be.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from greenmfg.core import clock
from greenmfg.portal.statistics import report, selectors

OFFICIAL_PAGE = "statistics:official"
PUBLIC_PAGE = "statistics:public"

Sections = list[tuple[str, list[report.StatTable]]]


def _cached(parts: tuple, build) -> Sections:
    seconds = getattr(settings, "STATISTICS_CACHE_SECONDS", 0)
    if not seconds:
        return build()
    parts = (*parts, clock.today().isoformat(), get_language())
    key = "statistics:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    sections = cache.get(key)
    if sections is None:
        sections = build()
        cache.set(key, sections, seconds)
    return sections


def official_sections(*, user, region, place, year) -> Sections:
    """Every figure of the official's page (also the API's), each one grouped query; cached
    per scope (the user's role and bureau decide what they may count)."""
    parts = (
        "official",
        user.effective_role,
        user.organisation_id,
        getattr(region, "key", None),
        place.key,
        year,
    )
    return _cached(
        parts, lambda: _official_sections(user=user, region=region, place=place, year=year)
    )


def public_sections(*, region, place, year) -> Sections:
    """The published facts only: units on the lists by level, type, year and region."""
    parts = ("public", getattr(region, "key", None), place.key, year)
    return _cached(parts, lambda: _public_sections(region=region, place=place, year=year))


def _official_sections(*, user, region, place, year) -> Sections:
    listings = selectors.listings_in_region(selectors.official_listings(user=user), region)
    applications = selectors.in_region(
        selectors.official_applications(user=user), region, field="jurisdiction"
    )
    children = selectors.children_of(place)
    sections = [
        (
            _("名单单位"),
            [
                *report.listing_tables(
                    selectors.listing_counts(listings, year=year), prefix="stat"
                ),
                report.region_table(
                    selectors.counts_by_child(listings, children, year=year),
                    children,
                    prefix="stat",
                    page=OFFICIAL_PAGE,
                    year=year,
                ),
            ],
        ),
        (
            _("申报与评审"),
            report.application_tables(
                selectors.applications_by_state(applications, year=year),
                selectors.score_bands(applications, year=year),
            ),
        ),
        (
            _("动态管理"),
            [
                report.filing_table(
                    selectors.filing_counts(
                        user=user,
                        region=region,
                        year=year or clock.today().year,
                        today=clock.today(),
                    )
                ),
                report.grade_table(selectors.grade_counts(listings, year=year)),
            ],
        ),
        (
            _("关键指标趋势"),
            report.trend_tables(selectors.indicator_trends(listings, year=year)),
        ),
    ]
    return sections


def _public_sections(*, region, place, year) -> Sections:
    listings = selectors.listings_in_region(selectors.published_listings(), region)
    children = selectors.children_of(place)
    sections = [
        (
            _("名单单位"),
            [
                *report.listing_tables(selectors.listing_counts(listings, year=year), prefix="pub"),
                report.region_table(
                    selectors.counts_by_child(listings, children, year=year),
                    children,
                    prefix="pub",
                    page=PUBLIC_PAGE,
                    year=year,
                ),
            ],
        )
    ]
    return sections
