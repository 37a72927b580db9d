import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Batch, UnitType
from applications.selectors.batches import batch_list


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("单位名称或信用代码"), method="filter_q")
    batch = django_filters.ModelChoiceFilter(label=_("批次"), queryset=Batch.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Application.Status.choices)
    unit_type = django_filters.ChoiceFilter(label=_("申报类型"), choices=UnitType.choices)
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("submitted_at", "submitted_at"),
            ("updated_at", "updated_at"),
            ("organisation__name", "name"),
        ),
        field_labels={
            "submitted_at": _("提交时间"),
            "updated_at": _("更新时间"),
            "organisation__name": _("单位名称"),
        },
    )

    class Meta:
        model = Application
        fields = ["q", "batch", "status", "unit_type"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["batch"].queryset = batch_list(user=request.user)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organisation__name__icontains=value) | Q(organisation__credit_code=value.upper())
        )
