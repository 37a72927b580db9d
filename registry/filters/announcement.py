"""Filters of the announcement lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from greenmfg.directory.models import Jurisdiction
from registry.models import Announcement


class AnnouncementFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Announcement.Kind.choices)
    region = django_filters.CharFilter(
        label=_("地区"),
        method="filter_region",
        help_text=_("区划标识（如 410300）：该区划及其下级区划的公告"),
    )
    year = django_filters.NumberFilter(
        label=_("年度"), method="filter_year", min_value=2000, max_value=2100
    )

    # The chosen region's name, once filtered (the feeds' titles show it).
    region_name = ""

    class Meta:
        model = Announcement
        fields = ["kind", "region", "year"]

    def filter_region(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        region = Jurisdiction.objects.filter(key=value).values_list("path", "name").first()
        if region is None:
            return queryset.none()
        path, self.region_name = region
        return queryset.filter(jurisdiction__path__startswith=path)

    def filter_year(self, queryset, name, value):
        # The year in the portal's time zone (USE_TZ: a range on published_at, indexed).
        return queryset.filter(published_at__year=int(value))
