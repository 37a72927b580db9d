"""Filters of the annual lists."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Batch
from greenmfg.core.filters import OrderingFilter
from thirdparty.models import AnnualReport, Engagement
from thirdparty.selectors.annual import deadline_passed_batches, latest_only
from thirdparty.services.annual import FIRST_YEAR


class ScopedBatchFilter(django_filters.ModelChoiceFilter):
    """The batches the official follows (their queryset set from the request)."""

    def get_queryset(self, request):
        user = getattr(request, "user", None)
        if user is None:
            return Batch.objects.none()
        return deadline_passed_batches(user=user).order_by("-agency_report_deadline", "-pk")


class AnnualReportFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), min_value=FIRST_YEAR, max_value=2100)
    q = django_filters.CharFilter(label=_("评价机构名称或信用代码"), method="filter_q")
    latest = django_filters.BooleanFilter(
        label=_("仅最新版本"), method="filter_latest", widget=forms.CheckboxInput
    )
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(
            ("submitted_at", "submitted_at"),
            ("year", "year"),
            ("agency__name", "agency"),
        ),
        field_labels={
            "submitted_at": _("报送时间"),
            "year": _("年度"),
            "agency__name": _("评价机构"),
        },
    )

    class Meta:
        model = AnnualReport
        fields = ["year", "q", "latest"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(agency__name__icontains=value) | Q(agency__credit_code__iexact=value.upper())
        )

    def filter_latest(self, queryset, name, value):
        return latest_only(queryset) if value else queryset


class MissingReportFilter(django_filters.FilterSet):
    batch = ScopedBatchFilter(label=_("批次"), empty_label=_("全部已过截止日期的批次"))
    q = django_filters.CharFilter(label=_("评价机构名称或信用代码"), method="filter_q")

    class Meta:
        model = Engagement
        fields = ["batch", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(agency__name__icontains=value) | Q(agency__credit_code__iexact=value.upper())
        )
