"""Filters of the grade lists."""

import django_filters
from django.utils.translation import gettext_lazy

from dynamic_mgmt.models import GreenGrade
from greenmfg.core.filters import OrderingFilter
from greenmfg.directory.models import Level


class GradeFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("名单层级"), field_name="listing__level", choices=Level.choices
    )
    industry = django_filters.CharFilter(label=gettext_lazy("行业"), lookup_expr="icontains")
    grade = django_filters.ChoiceFilter(
        label=gettext_lazy("等级"), choices=GreenGrade.Grade.choices
    )
    bottom_five = django_filters.BooleanFilter(label=gettext_lazy("位于后5%"))
    flagged = django_filters.BooleanFilter(
        label=gettext_lazy("连续三年位于后5%"), method="filter_flagged"
    )
    ordering = OrderingFilter(
        label=gettext_lazy("排序"),
        fields=(("year", "year"), ("rank", "rank"), ("score", "score")),
        field_labels={
            "year": gettext_lazy("年度"),
            "rank": gettext_lazy("排名"),
            "score": gettext_lazy("综合指数"),
        },
    )

    class Meta:
        model = GreenGrade
        fields = ["year", "level", "industry", "grade", "bottom_five", "flagged"]

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(basis__bottom_three_years=True)
        return queryset.exclude(basis__bottom_three_years=True)
