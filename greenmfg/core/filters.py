"""What every list's filters share."""

import django_filters
from django.utils.translation import gettext_lazy as _

from greenmfg.core.ids import MAX_ID


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's, with the descending choices labelled in Chinese."""

    descending_fmt = _("%s（降序）")


class IdFilter(django_filters.NumberFilter):
    """A row's id in the query string: a whole number from 1 to the largest id the database
    holds. A bigger one named no row, and SQLite could not even bind it (a 500 before)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year (年度): four digits within the portal's span, refused with the reason otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)
