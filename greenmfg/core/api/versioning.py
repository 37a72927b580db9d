"""The API's version in its paths (issue 19.4): ``/api/v1/…`` is the API; the unversioned
``/api/…`` paths of before answer the same during a transition, each response saying so.

An alias response carries ``Deprecation`` (RFC 9745: since when), ``Sunset`` (RFC 8594: the
date after which the alias may stop answering) and ``Link: <…>; rel="successor-version"`` (the
same request under ``/api/v1/``). The alias routes are left out of the schema, which documents
``/api/v1/`` only, and live in a namespace of their own so that ``reverse()`` of an API route's
name gives its ``/api/v1/`` path.
"""

import calendar
import datetime
import functools

from django.urls import URLPattern, URLResolver
from django.utils.http import http_date

VERSION = "v1"
PREFIX = f"api/{VERSION}/"
ALIAS_PREFIX = "api/"
ALIAS_NAMESPACE = "api-unversioned"

# The unversioned paths are deprecated from the day /api/v1/ was introduced...
DEPRECATED_ON = datetime.date(2026, 12, 7)
# ...and answer until the end of this day (UTC); after it they may be removed.
SUNSET_ON = datetime.date(2027, 6, 30)


def _epoch(day: datetime.date, *, end_of_day: bool = False) -> int:
    moment = datetime.datetime.combine(day, datetime.time.max if end_of_day else datetime.time.min)
    return calendar.timegm(moment.timetuple())


DEPRECATION_HEADER = f"@{_epoch(DEPRECATED_ON)}"  # an RFC 9651 Date
SUNSET_HEADER = http_date(_epoch(SUNSET_ON, end_of_day=True))  # an HTTP-date


def successor_path(path: str) -> str:
    """The ``/api/v1/`` path that answers what the unversioned ``path`` answers."""
    return "/" + PREFIX + path.removeprefix("/" + ALIAS_PREFIX)


def _announcing_deprecation(view):
    """``view``, its responses marked as those of a deprecated alias."""

    @functools.wraps(view)
    def alias(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Deprecation"] = DEPRECATION_HEADER
        response["Sunset"] = SUNSET_HEADER
        response["Link"] = f'<{successor_path(request.path)}>; rel="successor-version"'
        return response

    # Left out of the schema (drf-spectacular and DRF skip a view whose schema is None); the
    # attribute is only read by them, the view itself keeps its own initkwargs.
    if hasattr(view, "initkwargs"):
        alias.initkwargs = {**view.initkwargs, "schema": None}
    return alias


def deprecated_aliases(patterns: list) -> list:
    """A copy of ``patterns`` whose views announce their deprecation (see the module's doc)."""
    copies = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            copies.append(
                URLResolver(
                    entry.pattern,
                    deprecated_aliases(entry.url_patterns),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        else:
            copies.append(
                URLPattern(
                    entry.pattern,
                    _announcing_deprecation(entry.callback),
                    entry.default_args,
                    entry.name,
                )
            )
    return copies
