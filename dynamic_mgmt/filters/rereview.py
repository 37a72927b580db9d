"""Filters of the rereview lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from dynamic_mgmt.models import ReReviewCase
from greenmfg.core.filters import OrderingFilter


class ReReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=ReReviewCase.Status.choices
    )
    q = django_filters.CharFilter(label=gettext_lazy("单位名称"), method="filter_q")
    ordering = OrderingFilter(
        label=gettext_lazy("排序"),
        fields=(("due_on", "due_on"), ("decided_at", "decided_at")),
        field_labels={
            "due_on": gettext_lazy("期满日期"),
            "decided_at": gettext_lazy("结论时间"),
        },
    )

    class Meta:
        model = ReReviewCase
        fields = ["status", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(listing__unit_name__icontains=value) | Q(listing__credit_code=value.upper())
        )
