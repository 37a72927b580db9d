"""Filters of the removal lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from dynamic_mgmt import removal_grounds
from greenmfg.core.filters import OrderingFilter
from registry.models import RemovalProposal


def _ground_choices():
    seen = {}
    for grounds in removal_grounds.GROUNDS.values():
        for ground in grounds.values():
            seen.setdefault(ground.code, ground.wording)
    # The indicator ground's wording differs per policy; the filter names it neutrally.
    seen["indicator"] = gettext_lazy("绿色制造关键指标不符合评价要求")
    return sorted(seen.items())


class RemovalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=RemovalProposal.Status.choices
    )
    source = django_filters.ChoiceFilter(
        label=gettext_lazy("来源"), choices=RemovalProposal.Source.choices
    )
    ground = django_filters.ChoiceFilter(label=gettext_lazy("移出情形"), choices=_ground_choices)
    q = django_filters.CharFilter(label=gettext_lazy("单位名称"), method="filter_q")
    ordering = OrderingFilter(
        label=gettext_lazy("排序"),
        fields=(("created_at", "created_at"), ("decided_at", "decided_at")),
        field_labels={
            "created_at": gettext_lazy("提出时间"),
            "decided_at": gettext_lazy("决定时间"),
        },
    )

    class Meta:
        model = RemovalProposal
        fields = ["status", "source", "ground", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(listing__unit_name__icontains=value) | Q(listing__credit_code=value.upper())
        )
