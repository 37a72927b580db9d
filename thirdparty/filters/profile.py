"""Filters of the profile lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenmfg.core.filters import OrderingFilter
from greenmfg.directory.models import Organisation
from thirdparty.models import AgencyProfile

NOT_STARTED = "none"


STATUS_CHOICES = ((NOT_STARTED, _("未填报")), *AgencyProfile.Status.choices)


QUALIFIED_CHOICES = (("yes", _("符合")), ("no", _("不符合")))


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("审核状态"), choices=STATUS_CHOICES, method="filter_status"
    )
    qualified = django_filters.ChoiceFilter(
        label=_("资质条件"), choices=QUALIFIED_CHOICES, method="filter_qualified"
    )
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("jurisdiction__path", "jurisdiction"),
            ("agency_profile__submitted_at", "submitted_at"),
            ("green_staff_count", "green_staff"),
        ),
        field_labels={
            "name": _("名称"),
            "jurisdiction__path": _("区划"),
            "agency_profile__submitted_at": _("提交时间"),
            "green_staff_count": _("专职评价人员数"),
        },
    )

    class Meta:
        model = Organisation
        fields = ["q", "status", "qualified"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code=value.upper()))

    def filter_status(self, queryset, name, value):
        if value == NOT_STARTED:
            return queryset.filter(agency_profile__isnull=True)
        return queryset.filter(agency_profile__status=value)

    def filter_qualified(self, queryset, name, value):
        return queryset.filter(qualified=value == "yes")
