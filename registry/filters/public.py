"""Filters of the published lists, shared by the public pages, the downloads and both APIs.

Every filter is served by an index of ``registry_listing``: level, unit type and year by
``listing_level_type_year``; the status by ``listing_status_recent``; the region by
``listing_scope_status`` (the nation's subtree is a prefix match on the indexed
``Jurisdiction.path``, sent as a subquery so the listings are never joined to filter; a
province, a city or a county is one equality on the listing's own province, city or
jurisdiction, served in the list's order by ``listing_province_recent``, ``listing_city_recent``
or ``listing_place_recent``); a year in the list's order by ``listing_year_recent``; the
search by the trigram indexes of migration 0003 on PostgreSQL.
"""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from applications.models import UnitType
from greenmfg.core.filters import OrderingFilter as BaseOrderingFilter
from greenmfg.directory.models import SUBTREE_FIELD, Jurisdiction, Level
from greenmfg.directory.widgets import RegionField
from registry.models import Listing
from registry.selectors.listing import listings_in_subtree

# 在册: the units that hold their listing (a unit under re-review stays on the list).
CURRENT = (Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)
ALL = "all"
STATUS_CHOICES = [
    (Listing.Status.ACTIVE.value, Listing.Status.ACTIVE.label),
    (Listing.Status.UNDER_REVIEW.value, Listing.Status.UNDER_REVIEW.label),
    (Listing.Status.REMOVED.value, Listing.Status.REMOVED.label),
    (ALL, _("全部（含已移出）")),
]
SEARCH_MAX_LENGTH = 100


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(django_filters.ModelChoiceFilter):
    """A node's key (e.g. 410300); the node's whole subtree matches. On a page it is chosen level
    by level (greenmfg/directory/widgets.py), whatever the size of the tree."""

    field_class = RegionField


# Text in the API schema: other models' "status" fields have other choices.
@extend_schema_field(OpenApiTypes.STR)
class StatusFilter(django_filters.ChoiceFilter):
    pass


class OrderingFilter(BaseOrderingFilter):
    """Ordering with the id as the last key, so that pages of equal dates or names never
    overlap."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "-pk" if ordering[-1].startswith("-") else "pk")


# What a fragment of a 统一社会信用代码 may be: digits and Latin letters only.
CREDIT_CODE_FRAGMENT = re.compile(r"^[0-9A-Za-z]+$")


def search_q(value: str) -> Q:
    """A fragment of the unit's listed name or of its credit code.

    A fragment with any other character (a Chinese name) cannot be in a credit code, so only the
    name is searched: with the OR of both columns PostgreSQL's planner prices the two trigram
    scans above a sequential scan, which at 100,000 units is ten times slower.
    """
    value = value.strip()[:SEARCH_MAX_LENGTH]
    by_name = Q(unit_name__icontains=value)
    if CREDIT_CODE_FRAGMENT.match(value):
        return by_name | Q(credit_code__icontains=value)
    return by_name


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("单位名称或信用代码"), method="filter_q", max_length=SEARCH_MAX_LENGTH
    )
    level = django_filters.ChoiceFilter(
        label=_("名单层级"), choices=Level.choices, empty_label=_("全部层级")
    )
    unit_type = django_filters.ChoiceFilter(
        label=_("类型"), choices=UnitType.choices, empty_label=_("全部类型")
    )
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    region = RegionFilter(
        label=_("地区（含下级）"),
        empty_label=_("全部地区"),
        queryset=Jurisdiction.objects.order_by("path"),
        to_field_name="key",
        method="filter_region",
        help_text=_("区划标识，如 410300（洛阳市）"),
    )
    status = StatusFilter(
        label=_("状态"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("在册（有效、复核中）"),
        help_text=_(
            "不填为在册单位（有效、复核中）；active 有效 / under_review 复核中 / "
            "removed 已移出 / all 全部"
        ),
    )
    ordering = OrderingFilter(
        label=_("排序"),
        empty_label=_("默认（最新发布在前）"),
        fields=(("listed_on", "listed_on"), ("unit_name", "unit_name"), ("year", "year")),
        field_labels={"listed_on": _("发布日期"), "unit_name": _("单位名称"), "year": _("年度")},
    )

    class Meta:
        model = Listing
        fields = ["q", "level", "unit_type", "year", "region", "status"]

    @property
    def qs(self):
        """The filtered rows; without a status, the units on the lists (also unfiltered)."""
        if not hasattr(self, "_qs"):
            queryset = super().qs
            if not (self.is_bound and self.form.cleaned_data.get("status")):
                queryset = queryset.filter(status__in=CURRENT)
            self._qs = queryset
        return self._qs

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(search_q(value))

    def filter_region(self, queryset, name, value):
        if value is None:
            return queryset
        if value.level in SUBTREE_FIELD:
            # A county, a city or a province: one equality on the listing's own city or province
            # (a county: its id and its zones'), so its page is read off listing_place_recent,
            # listing_city_recent or listing_province_recent instead of sorting the subtree.
            return listings_in_subtree(queryset, value)
        return queryset.filter(
            jurisdiction__in=Jurisdiction.objects.filter(path__startswith=value.path).values("pk")
        )

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        return queryset.filter(status=value)
