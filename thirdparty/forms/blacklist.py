"""Forms and filters of the agency blacklist, shared by the pages and the API.

The state filter reads the ``blacklist_agency_end`` index's dates (starts_on, ends_on,
lifted_on) on rows already limited to the official's subtree, which holds a few entries a year.
"""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.core import clock
from greenmfg.core.dates import add_years
from greenmfg.core.forms import HtmlDateInput
from greenmfg.directory.models import Organisation
from thirdparty.services.agencies import BLACKLIST_YEARS

REASON_MIN = 10


def starts_on_refusal(value: datetime.date | None) -> str | None:
    """Why a decision date cannot be used: in the future, or its three years already over."""
    if value is None:
        return None
    today = clock.today()
    if value > today:
        return str(_("决定日期不能晚于今天。"))
    end = add_years(value, BLACKLIST_YEARS)
    if end <= today:
        return str(
            _("自该日期起的 %(years)d 年期限已届满，无须列入。") % {"years": BLACKLIST_YEARS}
        )
    return None


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        code = f"（{obj.credit_code}）" if obj.credit_code else ""
        return f"{obj.name}{code}"


class BlacklistForm(forms.Form):
    """列入黑名单: the agency, the established facts and the evidence."""

    agency = AgencyChoiceField(
        label=_("评价机构"),
        queryset=Organisation.objects.none(),
        empty_label=_("（请选择）"),
        help_text=_("本辖区登记的，或在本辖区承担过评价的第三方评价机构"),
    )
    reason = forms.CharField(
        label=_("列入理由"),
        min_length=REASON_MIN,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("查实的弄虚作假、故意隐瞒等问题（至少 10 个字），将在公示页面公开"),
    )
    evidence = forms.FileField(
        label=_("证据材料"),
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB；仅工信部门可查看，不公开"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    starts_on = forms.DateField(
        label=_("决定日期"),
        required=False,
        widget=HtmlDateInput(),
        help_text=_("不填为今天；自该日起 %(years)d 年内不予采信其评价报告")
        % {"years": BLACKLIST_YEARS},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean_starts_on(self):
        value = self.cleaned_data.get("starts_on")
        refusal = starts_on_refusal(value)
        if refusal:
            raise forms.ValidationError(refusal)
        return value


class LiftForm(forms.Form):
    decision = forms.CharField(
        label=_("提前解除决定"),
        min_length=REASON_MIN,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明解除的决定文号及理由（至少 10 个字）"),
    )
