"""Filters of the expert lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenmfg.core.filters import IdFilter, OrderingFilter
from reviews.models import ExpertAssignment, ExpertField, ExpertMembership

IN_POOL_CHOICES = (("true", _("在库")), ("false", _("已移出")))


class ExpertPoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名"), method="filter_q")
    field = django_filters.ChoiceFilter(label=_("专业领域"), choices=ExpertField.choices)
    is_active = django_filters.ChoiceFilter(
        label=_("在库状态"), choices=IN_POOL_CHOICES, method="filter_is_active"
    )
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(
            ("expert__full_name", "name"),
            ("field", "field"),
            ("active_from", "active_from"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "expert__full_name": _("姓名"),
            "field": _("专业领域"),
            "active_from": _("入库年度"),
            "created_at": _("入库时间"),
        },
    )

    class Meta:
        model = ExpertMembership
        fields = ["q", "field", "is_active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(expert__full_name__icontains=value) | Q(expert__username__iexact=value)
        )

    def filter_is_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "true")


class AssignmentFilter(django_filters.FilterSet):
    """For the experts' task page and the assignments API."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=ExpertAssignment.Status.choices)
    application = IdFilter(label=_("申报"), field_name="application_id")
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(("assigned_at", "assigned_at"),),
        field_labels={"assigned_at": _("分配时间")},
    )

    class Meta:
        model = ExpertAssignment
        fields = ["status", "application"]


class TaskFilter(AssignmentFilter):
    """What an expert filters their own tasks by (withdrawn ones are never listed)."""

    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[
            (value, label)
            for value, label in ExpertAssignment.Status.choices
            if value != ExpertAssignment.Status.WITHDRAWN
        ],
    )

    application = None  # one's own tasks are few: no need to look one up by number

    class Meta(AssignmentFilter.Meta):
        fields = ["status"]
