"""Filters of the credit-data pages, shared with the API so both filter the same way."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import CreditEvent, CreditImport
from greenmfg.core.forms import HtmlDateInput
from greenmfg.directory.credit_code import normalise
from greenmfg.directory.models import Jurisdiction

DATE_INPUT = HtmlDateInput()


class CreditEventFilter(django_filters.FilterSet):
    # credit_code is indexed; kind and the dates narrow a code's events through the
    # (credit_code, kind, occurred_on) unique index.
    credit_code = django_filters.CharFilter(
        label=_("统一社会信用代码"), method="filter_credit_code"
    )
    kind = django_filters.ChoiceFilter(label=_("事件类型"), choices=CreditEvent.Kind.choices)
    occurred_after = django_filters.DateFilter(
        label=_("发生日期自"), field_name="occurred_on", lookup_expr="gte", widget=DATE_INPUT
    )
    occurred_before = django_filters.DateFilter(
        label=_("发生日期至"), field_name="occurred_on", lookup_expr="lte", widget=DATE_INPUT
    )
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("occurred_on", "occurred_on"), ("credit_code", "credit_code")),
        field_labels={
            "occurred_on": _("发生日期（从早到晚）"),
            "-occurred_on": _("发生日期（从晚到早）"),
            "credit_code": _("统一社会信用代码（升序）"),
            "-credit_code": _("统一社会信用代码（降序）"),
        },
    )

    class Meta:
        model = CreditEvent
        fields = ["credit_code", "kind", "occurred_after", "occurred_before"]

    def filter_credit_code(self, queryset, name, value):
        code = normalise(value)
        return queryset.filter(credit_code=code) if code else queryset


class CreditImportFilter(django_filters.FilterSet):
    # Both filters go through a foreign key, and Django indexes every foreign key.
    jurisdiction = django_filters.CharFilter(
        label=_("导入单位区划（含下级）"),
        method="filter_jurisdiction",
        help_text=_("区划标识或代码"),
    )
    mine = django_filters.BooleanFilter(
        label=_("只看我导入的"), method="filter_mine", widget=forms.CheckboxInput
    )
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("imported_at", "imported_at"),),
        field_labels={
            "imported_at": _("导入时间（从早到晚）"),
            "-imported_at": _("导入时间（从晚到早）"),
        },
    )

    class Meta:
        model = CreditImport
        fields = ["jurisdiction", "mine"]

    def filter_jurisdiction(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        node = Jurisdiction.objects.filter(Q(key=value) | Q(code=value)).first()
        if node is None:
            return queryset.none()
        return queryset.filter(jurisdiction__path__startswith=node.path)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(imported_by=user)
