"""Queries on the announcements (公告), and their filters shared by the public page, the feeds
and the API, so all three filter the same way.

Everything here is public: an announcement holds only public facts. One dated in the future
(a list published with a later date) appears when its day comes. Kind and year read the
``announcement_kind_recent`` / ``announcement_recent`` indexes; the region is one indexed
prefix match on the jurisdiction's path.
"""

from urllib.parse import urlencode

from django.db.models import QuerySet

from greenmfg.core import clock
from greenmfg.directory.models import Jurisdiction, Level
from registry.filters.announcement import AnnouncementFilter
from registry.models import Announcement

# The regions offered in the page's filter; any jurisdiction's key works in the query string.
REGION_LEVELS = (Level.NATIONAL, Level.PROVINCE, Level.CITY)


def public_announcements() -> QuerySet[Announcement]:
    """Every announcement already published, newest first."""
    return (
        Announcement.objects.filter(published_at__lte=clock.now())
        .select_related("authority", "jurisdiction")
        .order_by("-published_at", "-pk")
    )


def announcement_years() -> list[int]:
    """The years that have announcements (Asia/Shanghai), newest first, in one query."""
    return [
        day.year
        for day in Announcement.objects.filter(published_at__lte=clock.now()).dates(
            "published_at", "year", order="DESC"
        )
    ]


def announcement_regions(*, current: str = "") -> list[Jurisdiction]:
    """The regions offered in the filter (nation, provinces, cities), and ``current`` if it is
    a county chosen through the query string."""
    regions = list(Jurisdiction.objects.filter(level__in=REGION_LEVELS).order_by("path"))
    if current and current not in {region.key for region in regions}:
        regions += list(Jurisdiction.objects.filter(key=current))
    return regions


def filtered_announcements(params) -> tuple[AnnouncementFilter, QuerySet[Announcement]]:
    """The public announcements narrowed by ``params`` (a QueryDict); invalid values are
    ignored by the page and the feeds (the API refuses them)."""
    filterset = AnnouncementFilter(params or None, queryset=public_announcements())
    return filterset, filterset.qs


def filter_querystring(params) -> str:
    """The filters set in ``params`` (empty ones left out), for the page and feed links."""
    return urlencode(
        [(name, params[name]) for name in AnnouncementFilter.Meta.fields if params.get(name)]
    )
