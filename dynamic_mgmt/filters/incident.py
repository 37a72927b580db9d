"""Filters of the incident lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from dynamic_mgmt.models import Incident
from greenmfg.core.filters import OrderingFilter


class IncidentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Incident.Kind.choices)
    late = django_filters.BooleanFilter(label=_("逾期上报"))
    q = django_filters.CharFilter(
        label=_("单位名称"), field_name="listing__unit_name", lookup_expr="icontains"
    )
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(("occurred_on", "occurred_on"), ("reported_on", "reported_on")),
        field_labels={"occurred_on": _("发生日期"), "reported_on": _("上报日期")},
    )

    class Meta:
        model = Incident
        fields = ["kind", "late", "q"]
