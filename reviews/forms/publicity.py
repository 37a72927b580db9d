from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.core import clock
from greenmfg.core.forms import HtmlDateInput
from reviews.models import Objection
from reviews.services.publicity import OBJECTION_ERRORS


class PublicityStartForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200)
    contact = forms.CharField(
        label=_("受理异议联系方式"),
        max_length=200,
        help_text=_("电话、通讯地址或电子邮箱，将在公示页面显示。"),
    )
    notice = forms.CharField(
        label=_("公示说明"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    applications = forms.ModelMultipleChoiceField(
        label=_("拟列入名单的申报"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项评审通过的申报。")},
    )

    def __init__(self, *args, passed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = passed
        self.fields["applications"].label_from_instance = lambda a: str(a)


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["name", "organisation_or_id", "phone", "email", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            field: {"required": message} for field, message in OBJECTION_ERRORS.items()
        }
        help_texts = {
            "organisation_or_id": _("异议须实名提出，匿名异议不予受理。"),
            "email": _("选填。填写后处理结果将同时告知。"),
        }


class ObjectionDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结论"),
        choices=[("1", _("异议成立（移出公示名单）")), ("0", _("异议不成立"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PublishForm(forms.Form):
    document_number = forms.CharField(label=_("名单发文文号"), max_length=100)
    published_on = forms.DateField(
        label=_("发布日期"),
        initial=clock.today,
        widget=HtmlDateInput(),
    )


class TrackingForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=16)
