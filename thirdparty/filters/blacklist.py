"""Filters of the blacklist lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenmfg.core.filters import OrderingFilter
from thirdparty.models import BlacklistEntry
from thirdparty.selectors.blacklist import EXPIRED, IN_FORCE, LIFTED, state_q

STATE_CHOICES = (
    (IN_FORCE, _("有效期内")),
    (EXPIRED, _("已到期")),
    (LIFTED, _("已提前解除")),
)


class BlacklistFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATE_CHOICES, method="filter_state"
    )
    q = django_filters.CharFilter(label=_("评价机构名称或信用代码"), method="filter_q")
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(
            ("starts_on", "starts_on"),
            ("ends_on", "ends_on"),
            ("agency__name", "agency"),
        ),
        field_labels={
            "starts_on": _("起始日期"),
            "ends_on": _("截止日期"),
            "agency__name": _("评价机构"),
        },
    )

    class Meta:
        model = BlacklistEntry
        fields = ["state", "q"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_q(value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(agency__name__icontains=value) | Q(agency__credit_code__iexact=value.upper())
        )
