"""Forms and filters of the complaints (举报), shared by the pages and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.core.forms import HtmlDateInput
from registry.models import Complaint
from registry.selectors.complaint import complaintable_agencies, complaintable_listings
from registry.services import complaint as services

REQUIRED_CHOICE = _("请选择。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ListingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        code = f"（{obj.credit_code}）" if obj.credit_code else ""
        return (
            f"{obj.unit_name}{code} · {obj.get_level_display()}{obj.get_unit_type_display()}"
            f" · {obj.year} · {obj.jurisdiction.name}"
        )


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        code = f"（{obj.credit_code}）" if obj.credit_code else ""
        return f"{obj.name}{code} · {obj.jurisdiction.name}"


class ComplaintForm(forms.Form):
    """实名举报 (洛阳 第二十一条, 济南 第二十一条): who is complained about, who complains, what
    and the evidence. The listed units are many: the page offers those a search found (and the
    one chosen), never the whole list."""

    subject = forms.ChoiceField(
        label=_("举报对象"),
        choices=Complaint.Subject.choices,
        widget=forms.RadioSelect,
        initial=Complaint.Subject.LISTING,
        error_messages={"required": _("请选择举报对象。")},
    )
    listing = ListingChoiceField(
        label=_("被举报的名单单位"),
        queryset=complaintable_listings(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("所选单位不在有效的名单中，请重新查找。")},
    )
    channel = forms.ChoiceField(
        label=_("受理部门"),
        choices=services.CHANNELS,
        widget=forms.RadioSelect,
        initial=services.CHANNEL_COUNTY,
        required=False,
        help_text=_("可向单位所在县区工业和信息化主管部门或市工业和信息化局举报。"),
    )
    agency = AgencyChoiceField(
        label=_("被举报的第三方评价机构"),
        queryset=complaintable_agencies().order_by("name", "pk"),
        required=False,
        empty_label=_("（请选择）"),
        error_messages={"invalid_choice": _("所选机构不是在册的第三方评价机构。")},
    )
    name = forms.CharField(
        label=_("举报人姓名"),
        max_length=50,
        error_messages={"required": services.MISSING_IDENTITY["name"]},
    )
    id_or_organisation = forms.CharField(
        label=_("身份证号或工作单位"),
        max_length=100,
        error_messages={"required": services.MISSING_IDENTITY["id_or_organisation"]},
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        error_messages={"required": services.MISSING_IDENTITY["phone"]},
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("选填。"))
    content = forms.CharField(
        label=_("举报事项"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "写明被举报对象相关信息在真实性、准确性等方面存在的问题及事实依据（至少 20 个字）。"
        ),
        error_messages={"required": services.CONTENT_TOO_SHORT},
    )
    evidence = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("PDF、JPG 或 PNG，每个不超过 10 MB，最多 5 个；仅受理部门可查看，不公开。"),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        # Only the units found (and the one chosen) are offered, never the whole list.
        field = self.fields["listing"]
        field.widget.choices = [(c.pk, field.label_from_instance(c)) for c in self.candidates]

    def clean(self):
        data = super().clean()
        files = data.get("evidence") or []
        too_many = services.evidence_count_error(len(files))
        if too_many:
            self.add_error("evidence", too_many)
        errors = services.filing_errors(
            subject=data.get("subject", ""),
            listing=data.get("listing"),
            agency=data.get("agency"),
            channel=data.get("channel") or services.CHANNEL_COUNTY,
            name=data.get("name", "") or "",
            id_or_organisation=data.get("id_or_organisation", "") or "",
            phone=data.get("phone", "") or "",
            email=data.get("email", "") or "",
            content=data.get("content", "") or "",
        )
        for field, messages in errors.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, messages)
        if not data.get("channel"):
            data["channel"] = services.CHANNEL_COUNTY
        return data


class ListingSearchForm(forms.Form):
    q = forms.CharField(
        label=_("查找名单单位"),
        max_length=100,
        required=False,
        help_text=_("输入单位名称中的字词或统一社会信用代码"),
    )


class VerifyForm(forms.Form):
    comment = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("选填，内部记录，不告知举报人。"),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("核实结论"), choices=Complaint.Outcome.choices, widget=forms.RadioSelect
    )
    outcome_note = forms.CharField(
        label=_("处理意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("核实情况和处理意见，将在举报查询页面告知举报人。"),
        error_messages={"required": _("请填写处理意见，将告知举报人。")},
    )
    rectification_deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=HtmlDateInput(),
        help_text=_("责令限期整改时必填，须晚于今天。"),
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.OUTCOMES_BY_SUBJECT[complaint.subject]
        self.fields["outcome"].choices = [
            (value, label) for value, label in Complaint.Outcome.choices if value in allowed
        ]


class TrackingForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=16)
