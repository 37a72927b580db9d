"""The statistics as sections of tables, for the pages and the API alike."""

from django.utils.translation import gettext as _

from greenmfg.core import clock
from greenmfg.portal.statistics import report, selectors

OFFICIAL_PAGE = "statistics:official"
PUBLIC_PAGE = "statistics:public"

Sections = list[tuple[str, list[report.StatTable]]]


def official_sections(*, user, region, place, year) -> Sections:
    """Every figure of the official's page (also the API's), each one grouped query."""
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


def public_sections(*, region, place, year) -> Sections:
    """The published facts only: units on the lists by level, type, year and region."""
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
