"""Filters of the change lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dynamic_mgmt.models import ChangeReport
from greenmfg.core.filters import OrderingFilter


class ChangeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ChangeReport.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("变更类别"), choices=ChangeReport.Kind.choices)
    late = django_filters.BooleanFilter(label=_("逾期上报"))
    q = django_filters.CharFilter(label=_("单位名称"), method="filter_q")
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(("reported_on", "reported_on"), ("due_on", "due_on")),
        field_labels={"reported_on": _("上报日期"), "due_on": _("应上报截止日期")},
    )

    class Meta:
        model = ChangeReport
        fields = ["status", "kind", "late", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(listing__unit_name__icontains=value)
            | Q(old_value__icontains=value)
            | Q(new_value__icontains=value)
        )
