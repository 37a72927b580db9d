"""Forms of the applicant's and the county's application pages.

The fact fields do not validate on their own: ``applications.facts.clean_fact`` is the one
validator, called by the service for the page and the API alike, and its messages are put back
on these fields. That way a wrong value never throws away the others.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import APPLICANT_KIND_BY_UNIT_TYPE, Application, Batch, Document, UnitType
from greenmfg.directory.models import Organisation
from greenmfg.rules import FactSpec
from greenmfg.rules.reports import evaluation_for

BOOL_CHOICES = [("", _("未填写")), ("true", _("是")), ("false", _("否"))]


def _fact_field(spec: FactSpec) -> forms.Field:
    help_parts = []
    if spec.articles:
        help_parts.append(_("依据：") + "、".join(spec.articles))
    if spec.required_when:
        help_parts.append(_("仅当前一项为“是”时需要填写"))
    common = {
        "label": spec.label,
        "required": False,
        "help_text": "；".join(str(p) for p in help_parts),
    }
    if spec.kind == "bool":
        return forms.ChoiceField(choices=BOOL_CHOICES, widget=forms.RadioSelect, **common)
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[("", _("请选择")), *spec.choices], **common)
    attrs = (
        {"inputmode": "decimal", "class": "number"} if spec.kind in ("number", "percentage") else {}
    )
    if spec.unit:
        attrs["data-unit"] = spec.unit
        common["label"] = f"{spec.label}（{spec.unit}）"
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


def _as_initial(spec: FactSpec, value):
    if value is None:
        return ""
    if spec.kind == "bool":
        return "true" if value else "false"
    return value


class FactsForm(forms.Form):
    """One field per fact, in the policy's order, each tagged with its group heading."""

    def __init__(self, *args, specs: list[FactSpec], values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = specs
        for spec in specs:
            field = _fact_field(spec)
            field.group = spec.group
            field.initial = _as_initial(spec, values.get(spec.key))
            self.fields[spec.key] = field

    def raw_values(self) -> dict:
        return {key: self.data.get(key, "") for key in self.fields if key in self.data}

    def groups(self):
        """(heading, [bound fields]) in order, for fieldsets."""
        grouped: dict[str, list] = {}
        for name in self.fields:
            grouped.setdefault(self.fields[name].group, []).append(self[name])
        return list(grouped.items())


class ApplicationMetaForm(forms.Form):
    industry = forms.CharField(
        label=_("所属行业"),
        max_length=100,
        required=False,
        help_text=_("与工信部门发布的行业参考值的行业名称一致时，自动带入行业平均水平"),
    )
    product_name = forms.CharField(label=_("产品名称"), max_length=200, required=False)
    evaluation_mode = forms.ChoiceField(
        label=_("评价方式"), choices=Application.EvaluationMode.choices, widget=forms.RadioSelect
    )
    agency = forms.ModelChoiceField(
        label=_("第三方评价机构"),
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.AGENCY, status=Organisation.Status.ACTIVE
        ),
        required=False,
        empty_label=_("（自评价不选）"),
    )
    # 大连 二: the agency evaluating must not have helped write the self-evaluation.
    self_evaluation_helper = forms.ModelChoiceField(
        label=_("协助编写自评价报告的机构"),
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.AGENCY, status=Organisation.Status.ACTIVE
        ),
        required=False,
        empty_label=_("（本单位独立编写）"),
        help_text=_(
            "如有第三方机构协助编写自评价报告，请选择；该机构不能再承担本申报的第三方评价"
            "（大连 二：评价机构须与自我评价活动保持独立）。"
        ),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        if application.unit_type != UnitType.DESIGN_PRODUCT:
            del self.fields["product_name"]
        # Only the modes the batch's policy allows (洛阳 第十一条, 济南 第九条, 大连 一).
        evaluation = evaluation_for(application.batch.policy, application.unit_type)
        self.fields["evaluation_mode"].choices = [
            (mode, label)
            for mode, label in Application.EvaluationMode.choices
            if mode in evaluation.modes
        ]
        self.fields["evaluation_mode"].help_text = evaluation.wording
        if not evaluation.allows(Application.EvaluationMode.THIRD_PARTY):
            del self.fields["agency"]
            del self.fields["self_evaluation_helper"]
        # Active agencies only, plus the one already named (an agency deactivated since is not
        # dropped silently by the next save; the submission check explains why it is refused).
        for name in ("agency", "self_evaluation_helper"):
            current = getattr(application, f"{name}_id", None)
            if name in self.fields and current is not None:
                self.fields[name].queryset = Organisation.objects.filter(
                    Q(status=Organisation.Status.ACTIVE) | Q(pk=current),
                    kind=Organisation.Kind.AGENCY,
                )


class ApplicationCreateForm(forms.Form):
    batch = forms.ModelChoiceField(label=_("申报批次"), queryset=Batch.objects.none())
    unit_type = forms.ChoiceField(label=_("申报类型"), choices=UnitType.choices)
    product_name = forms.CharField(
        label=_("产品名称"), max_length=200, required=False, help_text=_("申报绿色设计产品时填写")
    )

    def __init__(self, *args, batches, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches
        if organisation is not None:
            # Only what some offered batch takes and this kind of unit applies for: a park is
            # never offered 绿色设计产品, nor a 济南 batch design products (its 办法 has none).
            offered = {unit_type for batch in batches for unit_type in batch.unit_types}
            self.fields["unit_type"].choices = [
                (code, label)
                for code, label in UnitType.choices
                if code in offered and APPLICANT_KIND_BY_UNIT_TYPE[code] == organisation.kind
            ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=Document.Kind.choices)
    title = forms.CharField(
        label=_("材料名称"),
        max_length=200,
        required=False,
        help_text=_("证明材料须填写名称；报告无需填写"),
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_("评价报告仅限 PDF（不超过 20 MB）；证明材料可为 PDF、JPG、PNG（不超过 10 MB）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CommentForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IndustryReferenceForm(forms.Form):
    industry = forms.CharField(
        label=_("行业"), max_length=100, help_text=_("与申报中“所属行业”一致，如：水泥制造")
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=_("数据来源"), max_length=200, required=False, help_text=_("如：行业协会统计公报")
    )
