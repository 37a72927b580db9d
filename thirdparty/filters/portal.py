"""Filters of the portal lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Batch, UnitType
from greenmfg.core.filters import OrderingFilter
from greenmfg.directory.models import Organisation
from thirdparty.models import Engagement
from thirdparty.selectors.portal import engaged_agencies, engagement_batches

REPORT_CHOICES = (("uploaded", _("已上传")), ("missing", _("未上传")))


COUNTED_CHOICES = (("true", _("计入")), ("false", _("不计入")))


class EngagementFilter(django_filters.FilterSet):
    """For the officials' list and the API. The batch and agency choices are those of the
    user's own engagements."""

    q = django_filters.CharFilter(label=_("申报单位"), method="filter_q")
    agency = django_filters.ModelChoiceFilter(
        label=_("评价机构"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY),
    )
    batch = django_filters.ModelChoiceFilter(label=_("批次"), queryset=Batch.objects.all())
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    unit_type = django_filters.ChoiceFilter(
        label=_("申报类型"), field_name="application__unit_type", choices=UnitType.choices
    )
    application_status = django_filters.ChoiceFilter(
        label=_("申报状态"), field_name="application__status", choices=Application.Status.choices
    )
    status = django_filters.ChoiceFilter(label=_("委托状态"), choices=Engagement.Status.choices)
    counted = django_filters.ChoiceFilter(
        label=_("计入项目上限"), choices=COUNTED_CHOICES, method="filter_counted"
    )
    report = django_filters.ChoiceFilter(
        label=_("第三方评价报告"), choices=REPORT_CHOICES, method="filter_report"
    )
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(
            ("created_at", "created_at"),
            ("application__organisation__name", "applicant"),
            ("agency__name", "agency"),
            ("year", "year"),
            ("application__status", "application_status"),
            ("report_uploaded_at", "report_uploaded_at"),
        ),
        field_labels={
            "created_at": _("委托时间"),
            "application__organisation__name": _("申报单位"),
            "agency__name": _("评价机构"),
            "year": _("年度"),
            "application__status": _("申报状态"),
            "report_uploaded_at": _("报告上传时间"),
        },
    )

    class Meta:
        model = Engagement
        fields = [
            "q",
            "agency",
            "batch",
            "year",
            "unit_type",
            "application_status",
            "status",
            "counted",
            "report",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["batch"].queryset = engagement_batches(user=request.user)
            self.filters["agency"].queryset = engaged_agencies(user=request.user)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(application__organisation__name__icontains=value)
            | Q(application__organisation__credit_code=value.upper())
        )

    def filter_counted(self, queryset, name, value):
        return queryset.filter(counted=value == "true")

    def filter_report(self, queryset, name, value):
        uploaded = Q(report_version__isnull=False)
        return queryset.filter(uploaded if value == "uploaded" else ~uploaded)


class PortalEngagementFilter(EngagementFilter):
    """The agency's own list: no agency to choose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("agency", None)
