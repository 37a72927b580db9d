"""Forms and filters of the 动态管理表 and 填报期 pages (the filters are shared with the API)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.filters.batches import OrderingFilter
from dynamic_mgmt.indicators import format_number, indicators_for
from dynamic_mgmt.models import AnnualTable, FilingWindow
from dynamic_mgmt.selectors.table import FILING_STATES
from dynamic_mgmt.services.table import NOTES_MAX
from greenmfg.core.forms import HtmlDateInput
from greenmfg.directory.models import Jurisdiction, Level, Organisation


class TableForm(forms.Form):
    """One box per key indicator of the unit type, and the notes. The boxes are text, so a
    wrong entry comes back as typed, with the service's message beside it."""

    def __init__(self, *args, unit_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators_for(unit_type)
        for item in self.indicators:
            help_parts = [str(item.help_text)] if item.help_text else []
            if item.kind == "choice":
                field = forms.ChoiceField(
                    label=item.label,
                    required=False,
                    choices=[("", _("请选择"))] + [(code, name) for code, name in item.choices],
                )
            else:
                field = forms.CharField(
                    label=item.label,
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                )
                help_parts.append(
                    _("单位：百分比；填写 0 到 100 之间的数值")
                    if item.kind == "percent"
                    else _("单位：%(unit)s；不能为负数") % {"unit": item.unit}
                )
                help_parts.append(_("数值越低越好") if item.lower_is_better else _("数值越高越好"))
            field.help_text = "；".join(help_parts)
            self.fields[item.key] = field
        self.fields["notes"] = forms.CharField(
            label=gettext_lazy("说明"),
            required=False,
            max_length=NOTES_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=gettext_lazy("指标口径、变化原因等（选填）"),
        )

    @staticmethod
    def initial_from(table: AnnualTable | None) -> dict:
        if table is None:
            return {}
        initial = {
            key: format_number(value) if isinstance(value, int | float) else value
            for key, value in table.indicators.items()
        }
        initial["notes"] = table.notes
        return initial

    def indicator_values(self) -> dict:
        return {item.key: self.cleaned_data.get(item.key, "") for item in self.indicators}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("附件"),
        help_text=gettext_lazy("PDF、JPG 或 PNG，单个文件不超过 10 MB，每份表最多 10 个"),
    )


class WindowForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=gettext_lazy("设置单位"), queryset=Organisation.objects.none()
    )
    jurisdiction = forms.ModelChoiceField(
        label=gettext_lazy("适用范围"),
        queryset=Jurisdiction.objects.none(),
        required=False,
        help_text=gettext_lazy("默认为本单位所在区划（含全部下级）"),
    )
    level = forms.ChoiceField(label=gettext_lazy("名单层级"), choices=Level.choices)
    year = forms.IntegerField(label=gettext_lazy("填报年度"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=gettext_lazy("开始填报日期"), widget=HtmlDateInput())
    deadline = forms.DateField(
        label=gettext_lazy("填报截止日期"),
        widget=HtmlDateInput(),
        help_text=gettext_lazy("截止日当天填报视为按时；次日起仍可填报，但记为逾期。"),
    )
    reminder_days = forms.CharField(
        label=gettext_lazy("截止前提醒（天）"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("正整数，多个用逗号分隔，如 30,7,1"),
    )
    citation = forms.CharField(
        label=gettext_lazy("依据"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("如 洛阳市管理办法第十六条（每年4月15日前）"),
    )

    def __init__(self, *args, authorities=None, jurisdictions=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if authorities is None:
            del self.fields["authority"]
        else:
            self.fields["authority"].queryset = authorities
        if jurisdictions is None:
            del self.fields["jurisdiction"]
        else:
            self.fields["jurisdiction"].queryset = jurisdictions
        if locked:
            for name in ("level", "year"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("名单层级和年度设置后不能修改。")


# --- filters -----------------------------------------------------------------------------------


class WindowFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=gettext_lazy("填报年度"), min_value=2000, max_value=2100
    )
    level = django_filters.ChoiceFilter(label=gettext_lazy("名单层级"), choices=Level.choices)
    ordering = OrderingFilter(
        label=gettext_lazy("排序"),
        fields=(("year", "year"), ("deadline", "deadline")),
        field_labels={"year": gettext_lazy("年度"), "deadline": gettext_lazy("截止日期")},
    )

    class Meta:
        model = FilingWindow
        fields = ["year", "level"]


class TableFilter(django_filters.FilterSet):
    """The API's filter of tables."""

    year = django_filters.NumberFilter(label=gettext_lazy("年度"))
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=AnnualTable.Status.choices
    )
    late = django_filters.BooleanFilter(label=gettext_lazy("逾期填报"))
    listing = django_filters.NumberFilter(label=gettext_lazy("名单单位"))
    window = django_filters.NumberFilter(label=gettext_lazy("填报期"))
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("名单层级"), field_name="listing__level", choices=Level.choices
    )

    class Meta:
        model = AnnualTable
        fields = ["year", "status", "late", "listing", "window", "level"]


class OverviewFilter(django_filters.FilterSet):
    """Filters of the officials' overview. The year is chosen before (it decides the windows
    and the tables the rows are annotated with); it is here so the form shows it."""

    year = django_filters.NumberFilter(
        label=gettext_lazy("填报年度"), min_value=2000, max_value=2100, method="keep"
    )
    window = django_filters.ChoiceFilter(
        label=gettext_lazy("填报期"), field_name="window_id", choices=()
    )
    level = django_filters.ChoiceFilter(label=gettext_lazy("名单层级"), choices=Level.choices)
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("填报情况"), choices=list(FILING_STATES.items())
    )
    region = django_filters.ChoiceFilter(label=gettext_lazy("地区"), choices=(), method="in_region")
    q = django_filters.CharFilter(label=gettext_lazy("单位名称或信用代码"), method="search")
    ordering = OrderingFilter(
        label=gettext_lazy("排序"),
        fields=(
            ("jurisdiction__path", "region"),
            ("unit_name", "name"),
            ("window_deadline", "deadline"),
            ("table_filed_at", "filed_at"),
            ("state", "state"),
        ),
        field_labels={
            "jurisdiction__path": gettext_lazy("地区"),
            "unit_name": gettext_lazy("单位名称"),
            "window_deadline": gettext_lazy("截止日期"),
            "table_filed_at": gettext_lazy("填报时间"),
            "state": gettext_lazy("填报情况"),
        },
    )

    def __init__(self, *args, windows=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["window"].extra["choices"] = [
            (
                str(window.pk),
                f"{window.jurisdiction.name} {window.get_level_display()} "
                f"{window.year}（{window.deadline:%Y-%m-%d} 截止）",
            )
            for window in windows
        ]
        self.filters["region"].extra["choices"] = [(region.key, region.name) for region in regions]
        self._regions = {region.key: region for region in regions}

    def keep(self, queryset, name, value):
        return queryset

    def in_region(self, queryset, name, value):
        region = self._regions.get(value)
        if region is None:
            return queryset
        return queryset.filter(jurisdiction__path__startswith=region.path)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(unit_name__icontains=value) | Q(credit_code__iexact=value.upper()))
