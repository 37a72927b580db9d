from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.directory.credit_code import normalise, validate_credit_code
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.directory.widgets import RegionField


class JurisdictionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Jurisdiction) -> str:
        parent = f"{obj.parent.name} · " if obj.parent_id else ""
        return f"{parent}{obj.name}"


class CreditCodeField(forms.CharField):
    default_validators = [validate_credit_code]

    def to_python(self, value):
        return normalise(super().to_python(value))


class OrganisationForm(forms.Form):
    """An official registers an organisation in their jurisdiction."""

    name = forms.CharField(label=_("单位名称"), max_length=200)
    kind = forms.ChoiceField(label=_("单位类别"), choices=Organisation.Kind.choices)
    department = forms.ChoiceField(
        label=_("部门类别"),
        choices=[("", _("（非征求意见部门不填）")), *Organisation.Department.choices],
        required=False,
    )
    credit_code = CreditCodeField(
        label=_("统一社会信用代码"),
        required=False,
        help_text=_("18 位，企业、园区和第三方评价机构必填"),
    )
    jurisdiction = JurisdictionChoiceField(
        label=_("所属区划"), queryset=Jurisdiction.objects.none()
    )
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions


class RegistrationForm(forms.Form):
    """An enterprise, park or evaluation agency registers itself and its first account."""

    kind = forms.ChoiceField(
        label=_("单位类别"),
        choices=[
            (Organisation.Kind.ENTERPRISE, Organisation.Kind.ENTERPRISE.label),
            (Organisation.Kind.PARK, Organisation.Kind.PARK.label),
            (Organisation.Kind.AGENCY, Organisation.Kind.AGENCY.label),
        ],
    )
    name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = CreditCodeField(label=_("统一社会信用代码"), help_text=_("18 位，见营业执照"))
    # Chosen level by level (province → city → county): with the national tree loaded a single
    # list would hold some 3,400 places. Any active place is accepted here; the service refuses
    # one of the wrong level for the kind (REGISTRATION_LEVELS) with its reason.
    jurisdiction = RegionField(
        label=_("所在区划"),
        queryset=Jurisdiction.objects.filter(active=True),
        empty_label=_("请选择省份"),
        help_text=_(
            "企业和园区选择所在县（区）或功能区；第三方评价机构选择办公场所所在的市或县（区）"
        ),
        error_messages={"invalid_choice": _("所选地区不存在或已撤销：%(value)s")},
    )
    address = forms.CharField(label=_("地址"), max_length=300)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    full_name = forms.CharField(label=_("账号使用人姓名"), max_length=50)
    username = forms.CharField(label=_("用户名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于接收审核结果和找回密码"))
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput(render_value=True))
    password_confirm = forms.CharField(
        label=_("确认密码"), widget=forms.PasswordInput(render_value=True)
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", _("两次输入的密码不一致。"))
        return data


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FunctionalZoneForm(forms.Form):
    """An official adds a 功能区/先导区 under a city or a county of their jurisdiction.

    The parent is chosen level by level (RegionField): with the national tree loaded a single
    list would hold some 3,000 cities and counties. ``parents`` are the choices; ``browse`` the
    places walked through to reach them (the provinces of the scope); ``root`` the place whose
    children the first select offers.
    """

    parent = RegionField(
        label=_("所属市或县（区）"),
        queryset=Jurisdiction.objects.none(),
        empty_label=_("请选择"),
        help_text=_(
            "选到市即设在市之下（与县（区）同级）；再选县（区）则设在该县（区）之下，"
            "由该县（区）管理。"
        ),
        error_messages={
            "invalid_choice": _("所选地区不是您可设功能区的市或县（区）：%(value)s"),
            "incomplete": _("功能区须设在市或县（区）之下：请在「%(place)s」之下继续选择。"),
        },
    )
    name = forms.CharField(
        label=_("功能区名称"),
        max_length=100,
        help_text=_("如：洛阳高新技术产业开发区、某县经济开发区"),
    )

    def __init__(self, *args, parents, browse, root=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        field.queryset = parents
        field.browse = browse
        field.root = root
        # No zone is set under another: the script's next level leaves the zones out too.
        field.widget.divisions_only = True
