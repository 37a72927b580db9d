"""Forms of the agencies' qualification pages, and the agency list's filter (shared with the
API, so both filter the same way).

The forms check the shape of what is typed (required fields, lengths, codes); the services
check the rest, and their refusals come back onto the same fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from greenmfg.core import clock
from greenmfg.directory.forms import CreditCodeField
from thirdparty.models import ExperienceRecord, RelatedEntity, StaffField, TitleLevel
from thirdparty.services.profile import FIRST_EXPERIENCE_YEAR, validate_resident_id


class ResidentIdField(forms.CharField):
    """居民身份证号码: 18 characters with its check character (the service checks it again)."""

    def to_python(self, value):
        return (super().to_python(value) or "").replace(" ", "").upper()

    def validate(self, value):
        super().validate(value)
        if value:
            validate_resident_id(value)


class ProfileForm(forms.Form):
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    legal_representative_id = ResidentIdField(
        label=_("法定代表人身份证号码"),
        max_length=30,
        required=False,
        help_text=_(
            "18 位居民身份证号码，用于核对同一法定代表人的机构（洛阳 第二十条）；"
            "仅审核部门可见，且部分隐去"
        ),
    )
    office_address = forms.CharField(label=_("办公地址"), max_length=300, required=False)
    independent_legal_entity = forms.BooleanField(
        label=_("本机构在中华人民共和国境内注册并具有独立法人资格，具有开展相关评价的经验和能力"),
        required=False,
    )
    has_fixed_office = forms.BooleanField(
        label=_("具有固定的办公场所及开展评价工作的办公条件"), required=False
    )
    has_finance_system = forms.BooleanField(label=_("具有健全的财务管理制度"), required=False)
    staff_compliance = forms.BooleanField(
        label=_("本机构人员遵守国家法律法规和评价程序，熟悉绿色制造相关政策和标准规范"),
        required=False,
    )
    evaluation_capability = forms.BooleanField(
        label=_("具备开展绿色工厂、绿色工业园区、绿色供应链等领域评价的能力"), required=False
    )

    DECLARATION_FIELDS = (
        "independent_legal_entity",
        "has_fixed_office",
        "has_finance_system",
        "staff_compliance",
        "evaluation_capability",
    )

    def declaration_fields(self):
        return [self[name] for name in self.DECLARATION_FIELDS]

    def detail_fields(self):
        return [
            self[name]
            for name in ("legal_representative", "legal_representative_id", "office_address")
        ]


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    full_time = forms.BooleanField(label=_("专职"), required=False, initial=True)
    title_level = forms.ChoiceField(label=_("职称级别"), choices=TitleLevel.choices)
    field = forms.ChoiceField(
        label=_("专业领域"),
        choices=StaffField.choices,
        help_text=_("能源、环境、生态、低碳、生命周期评价的高级职称人员计入 5 人要求"),
    )
    green_evaluation = forms.BooleanField(label=_("从事绿色评价工作"), required=False, initial=True)


class ExperienceForm(forms.Form):
    kind = forms.ChoiceField(label=_("业绩类别"), choices=ExperienceRecord.Kind.choices)
    title = forms.CharField(label=_("项目名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=FIRST_EXPERIENCE_YEAR)
    led = forms.BooleanField(label=_("本机构主导（不勾选为参与）"), required=False)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = clock.today().year
        year = self.fields["year"]
        year.widget.attrs["max"] = this_year
        year.validators.append(lambda value: _not_after(value, this_year))
        year.help_text = _("近五年（%(first)d—%(last)d 年，含今年）的业绩计入资质条件") % {
            "first": this_year - 4,
            "last": this_year,
        }
        year.error_messages["min_value"] = _("业绩年度不能早于 %(year)d 年。") % {
            "year": FIRST_EXPERIENCE_YEAR
        }


def _not_after(value, this_year):
    if value is not None and value > this_year:
        raise ValidationError(
            _("业绩年度不能晚于今年（%(year)d 年）。") % {"year": this_year}, code="future"
        )


class RelatedEntityForm(forms.Form):
    name = forms.CharField(label=_("关联单位名称"), max_length=200)
    credit_code = CreditCodeField(label=_("统一社会信用代码"), help_text=_("18 位，见营业执照"))
    relation = forms.ChoiceField(label=_("关联关系"), choices=RelatedEntity.Relation.choices)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("审核结论"),
        choices=(("approve", _("审核通过")), ("return", _("退回修改"))),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("退回时须写明理由"),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)
