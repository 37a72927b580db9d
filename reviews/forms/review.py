from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.core.forms import HtmlDateInput
from reviews.checklists import checklist_for
from reviews.models import OpinionRequest


class CountyReviewForm(forms.Form):
    rank = forms.IntegerField(label=_("本县（区）排序"), min_value=1, required=False)
    notes = forms.CharField(
        label=_("初审意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, unit_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = checklist_for(unit_type)
        for item in self.items:
            self.fields[f"check_{item.code}"] = forms.BooleanField(label=item.text, required=False)

    def checklist(self) -> dict[str, bool]:
        return {
            item.code: self.cleaned_data.get(f"check_{item.code}", False) for item in self.items
        }


class OpinionRequestForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("征求意见部门"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=_("回复期限"), required=False, widget=HtmlDateInput())
    message = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments


class OpinionAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("意见"), choices=OpinionRequest.Answer.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("提出异议须写明理由"),
    )
    attachments = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，每个不超过 10 MB；可选择多个文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
