"""Forms and filters of the expert pool, the experts' tasks and their conflict declarations.

The filters are shared by the pages and the API, so both filter the same way. The pool filter
starts from one authority's pool (the ``expert_pool_lookup`` index: authority, in-pool flag,
field); the name search narrows those few hundred rows at most. The task filter uses the
``assignment_inbox`` index (expert, status).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.credit_code import normalise
from greenmfg.directory.models import Organisation
from reviews.models import ExpertField
from reviews.selectors.expert import CONFLICT_KINDS


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        organisation = obj.organisation.name if obj.organisation_id else _("无单位")
        return f"{obj.display_name}（{organisation}）"


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class MembershipForm(forms.Form):
    """Add an expert to the pool (with ``experts``) or edit a member (without)."""

    authority = AuthorityChoiceField(
        label=_("专家库所属部门"), queryset=Organisation.objects.none()
    )
    expert = ExpertChoiceField(
        label=_("专家"),
        queryset=User.objects.none(),
        help_text=_("角色为“评审专家”且尚未入库的账号"),
    )
    field = forms.ChoiceField(label=_("专业领域"), choices=ExpertField.choices)
    title = forms.CharField(label=_("职称"), max_length=50)
    active_from = forms.IntegerField(label=_("入库年度"), min_value=2000, max_value=2100)
    active_until = forms.IntegerField(
        label=_("截止年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("不填表示长期有效"),
    )

    def __init__(self, *args, experts=None, authorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if experts is None:
            del self.fields["expert"]
        else:
            self.fields["expert"].queryset = experts
        if authorities is None:
            del self.fields["authority"]
        else:
            self.fields["authority"].queryset = authorities


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    """The manual assignment: the service decides whether the chosen expert may serve."""

    expert = forms.ModelChoiceField(label=_("专家"), queryset=User.objects.filter(role=Role.EXPERT))


class ConflictForm(forms.Form):
    """An organisation among one's assignments, or any by its credit code."""

    organisation = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("您评审任务中的申报单位和第三方评价机构"),
    )
    credit_code = forms.CharField(
        label=_("或输入统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("其他企业、园区或第三方评价机构"),
    )
    reason = forms.CharField(
        label=_("利益冲突原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：近三年曾在该单位任职、为其提供咨询服务、存在亲属关系等"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        code = normalise(data.get("credit_code") or "")
        if organisation and code:
            raise forms.ValidationError(_("请选择单位或输入信用代码，二者择一。"))
        if code:
            found = Organisation.objects.filter(credit_code=code, kind__in=CONFLICT_KINDS).first()
            if found is None:
                self.add_error(
                    "credit_code",
                    _("未找到统一社会信用代码为 %(code)s 的企业、园区或第三方评价机构。")
                    % {"code": code},
                )
            data["organisation"] = found
        elif not organisation:
            raise forms.ValidationError(_("请选择单位或输入统一社会信用代码。"))
        return data
