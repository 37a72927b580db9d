"""Filters of the cultivation pool page, shared with the API so both filter the same way.

Every query starts from a county's pool (``candidate_county_status`` index, which the status
filter completes); the target year has its own index; the direction narrows a county's few
hundred rows at most. The search matches the name, or the credit code exactly (unique index).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import CultivationCandidate, UnitType
from greenmfg.core.filters import OrderingFilter
from greenmfg.directory.credit_code import normalise


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("单位名称或信用代码"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CultivationCandidate.Status.choices
    )
    target_unit_type = django_filters.ChoiceFilter(label=_("培育方向"), choices=UnitType.choices)
    target_year = django_filters.NumberFilter(label=_("目标年度"), min_value=2000, max_value=2100)
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(
            ("target_year", "target_year"),
            ("organisation__name", "name"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        ),
        field_labels={
            "target_year": _("目标年度"),
            "organisation__name": _("单位名称"),
            "created_at": _("入库时间"),
            "updated_at": _("更新时间"),
        },
    )

    class Meta:
        model = CultivationCandidate
        fields = ["q", "status", "target_unit_type", "target_year"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organisation__name__icontains=value) | Q(organisation__credit_code=normalise(value))
        )
