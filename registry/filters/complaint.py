"""Filters of the complaint lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenmfg.core.filters import OrderingFilter
from registry.models import Complaint


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=Complaint.Status.choices)
    outcome = django_filters.ChoiceFilter(label=_("核实结论"), choices=Complaint.Outcome.choices)
    subject = django_filters.ChoiceFilter(
        label=_("举报对象类别"), choices=Complaint.Subject.choices
    )
    q = django_filters.CharFilter(label=_("查询码或被举报对象"), method="filter_q")
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(("created_at", "created_at"), ("closed_at", "closed_at")),
        field_labels={"created_at": _("举报时间"), "closed_at": _("办结时间")},
    )

    class Meta:
        model = Complaint
        fields = ["status", "outcome", "subject", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(tracking_code=value.upper())
            | Q(listing__unit_name__icontains=value)
            | Q(agency__name__icontains=value)
        )
