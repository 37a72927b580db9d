"""Forms and filters of the change reports (变更), shared by the pages and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_mgmt.models import ChangeDocument, ChangeReport
from greenmfg.core.forms import HtmlDateInput


class ListingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return (
            f"{obj.unit_name} · {obj.get_level_display()}{obj.get_unit_type_display()}"
            f" · {obj.year} · {obj.document_number}"
        )


class ChangeReportForm(forms.Form):
    listing = ListingChoiceField(label=_("名单"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("变更类别"), choices=ChangeReport.Kind.choices)
    old_value = forms.CharField(
        label=_("变更前"),
        max_length=300,
        required=False,
        help_text=_("名称变更可不填，默认为名单上的名称"),
    )
    new_value = forms.CharField(label=_("变更后"), max_length=300)
    formalities_on = forms.DateField(
        label=_("办理完相关手续日期"),
        widget=HtmlDateInput(),
        help_text=_(
            "洛阳：办理完相关手续后1个月内上报（第十九条）；"
            "济南：30个工作日内上报（第二十条）。逾期上报将被标注。"
        ),
    )
    description = forms.CharField(
        label=_("变更说明"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("变更的内容、原因，以及对绿色制造水平的影响"),
    )

    attachment = forms.FileField(
        label=_("证明材料（可选）"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB；再评价时的修正后的评价报告在变更报告页上传"),
    )

    def __init__(self, *args, listings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = listings


class ChangeDocumentForm(forms.Form):
    """The unit uploads a file to its change report; ``kinds`` are those it may upload now."""

    kind = forms.ChoiceField(label=_("材料类型"), choices=ChangeDocument.Kind.choices)
    file = forms.FileField(
        label=_("文件"),
        help_text=_(
            "修正后的评价报告：PDF，不超过 20 MB；证明材料：PDF、JPG 或 PNG，不超过 10 MB。"
            "再次上传为新版本，原版本保留。"
        ),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in ChangeDocument.Kind.choices if value in kinds
        ]
