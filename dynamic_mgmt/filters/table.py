"""Filters of the table lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from dynamic_mgmt.models import AnnualTable, FilingWindow
from dynamic_mgmt.selectors.table import FILING_STATES
from greenmfg.core.filters import IdFilter, OrderingFilter, YearFilter
from greenmfg.directory.models import Jurisdiction, Level
from registry.filters.public import RegionFilter
from registry.selectors.listing import listings_in_subtree


class WindowFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=gettext_lazy("填报年度"), min_value=2000, max_value=2100
    )
    level = django_filters.ChoiceFilter(label=gettext_lazy("名单层级"), choices=Level.choices)
    ordering = OrderingFilter(
        label=gettext_lazy("排序"),
        fields=(("year", "year"), ("deadline", "deadline")),
        field_labels={"year": gettext_lazy("年度"), "deadline": gettext_lazy("截止日期")},
    )

    class Meta:
        model = FilingWindow
        fields = ["year", "level"]


class TableFilter(django_filters.FilterSet):
    """The API's filter of tables."""

    year = YearFilter(label=gettext_lazy("年度"))
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=AnnualTable.Status.choices
    )
    late = django_filters.BooleanFilter(label=gettext_lazy("逾期填报"))
    listing = IdFilter(label=gettext_lazy("名单单位"))
    window = IdFilter(label=gettext_lazy("填报期"))
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("名单层级"), field_name="listing__level", choices=Level.choices
    )

    class Meta:
        model = AnnualTable
        fields = ["year", "status", "late", "listing", "window", "level"]


class OverviewFilter(django_filters.FilterSet):
    """Filters of the officials' overview. The year is chosen before (it decides the windows
    and the tables the rows are annotated with); it is here so the form shows it."""

    year = django_filters.NumberFilter(
        label=gettext_lazy("填报年度"), min_value=2000, max_value=2100, method="keep"
    )
    window = django_filters.ChoiceFilter(
        label=gettext_lazy("填报期"), field_name="window_id", choices=()
    )
    level = django_filters.ChoiceFilter(label=gettext_lazy("名单层级"), choices=Level.choices)
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("填报情况"), choices=list(FILING_STATES.items())
    )
    region = RegionFilter(
        label=gettext_lazy("地区"),
        empty_label=gettext_lazy("全部地区"),
        queryset=Jurisdiction.objects.none(),
        method="in_region",
    )
    q = django_filters.CharFilter(label=gettext_lazy("单位名称或信用代码"), method="search")
    ordering = OrderingFilter(
        label=gettext_lazy("排序"),
        fields=(
            ("jurisdiction__path", "region"),
            ("unit_name", "name"),
            ("window_deadline", "deadline"),
            ("table_filed_at", "filed_at"),
            ("state", "state"),
        ),
        field_labels={
            "jurisdiction__path": gettext_lazy("地区"),
            "unit_name": gettext_lazy("单位名称"),
            "window_deadline": gettext_lazy("截止日期"),
            "table_filed_at": gettext_lazy("填报时间"),
            "state": gettext_lazy("填报情况"),
        },
    )

    def __init__(self, *args, windows=(), regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["window"].extra["choices"] = [
            (
                str(window.pk),
                f"{window.jurisdiction.name} {window.get_level_display()} "
                f"{window.year}（{window.deadline:%Y-%m-%d} 截止）",
            )
            for window in windows
        ]
        # The user's subtree, chosen level by level (greenmfg/directory/widgets.py).
        if regions is not None:
            self.filters["region"].queryset = regions

    def keep(self, queryset, name, value):
        return queryset

    def in_region(self, queryset, name, value):
        if value is None:
            return queryset
        return listings_in_subtree(queryset, value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(unit_name__icontains=value) | Q(credit_code__iexact=value.upper()))
