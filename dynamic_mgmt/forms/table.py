"""Forms and filters of the 动态管理表 and 填报期 pages (the filters are shared with the API)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_mgmt.indicators import format_number, indicators_for
from dynamic_mgmt.models import AnnualTable
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
