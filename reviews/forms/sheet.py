"""The expert's sheet as a form, the on-site check form, and the filters pages and API share."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.core.forms import HtmlDateInput
from reviews.models import ScoreSheet
from reviews.scoring import ScoringTemplate, SheetProblem, format_decimal

MET, UNMET = "met", "unmet"
MET_CHOICES = [(MET, _("满足")), (UNMET, _("不满足"))]


class SheetForm(forms.Form):
    """One field (or three) per row of the template; the service decides what is valid.

    Inputs are text on purpose: a score over its maximum must reach the service, which keeps
    the rest of the sheet and answers with the template's own message.
    """

    comment = forms.CharField(
        label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, template: ScoringTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        for requirement in template.basic_requirements:
            code = requirement.code
            self.fields[f"basic__{code}"] = forms.ChoiceField(
                label=requirement.text,
                choices=MET_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"note__{code}"] = forms.CharField(
                label=_("说明"), required=False, max_length=1000
            )
        for indicator in template.indicators:
            code = indicator.code
            if indicator.is_interpolated:
                self.fields[f"value__{code}"] = forms.CharField(
                    label=indicator.name,
                    required=False,
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                    help_text=_(
                        "填写实测值（%(unit)s）：基准值 %(baseline)s 得 0 分，"
                        "引领值 %(leading)s 得满分 %(max)s 分，其间按比例计分"
                    )
                    % {
                        "unit": indicator.unit or _("无单位"),
                        "baseline": format_decimal(indicator.baseline),
                        "leading": format_decimal(indicator.leading),
                        "max": format_decimal(indicator.max_points),
                    },
                )
            else:
                self.fields[f"points__{code}"] = forms.CharField(
                    label=indicator.name,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={
                            "step": "0.01",
                            "min": "0",
                            "max": format_decimal(indicator.max_points),
                            "inputmode": "decimal",
                        }
                    ),
                    help_text=_("满分 %(max)s 分") % {"max": format_decimal(indicator.max_points)},
                )
            self.fields[f"abstain__{code}"] = forms.BooleanField(label=_("弃权"), required=False)
            self.fields[f"reason__{code}"] = forms.CharField(
                label=_("弃权理由"), required=False, max_length=1000
            )

    @classmethod
    def initial_for(cls, sheet: ScoreSheet | None) -> dict:
        """The form's initial values from a stored sheet."""
        if sheet is None:
            return {}
        initial: dict = {"comment": sheet.comment}
        for code, row in sheet.answers.items():
            met = row.get("met")
            initial[f"basic__{code}"] = MET if met is True else UNMET if met is False else ""
            initial[f"note__{code}"] = row.get("note", "")
        for code, row in sheet.entries.items():
            if "abstain_reason" in row:
                initial[f"abstain__{code}"] = True
                initial[f"reason__{code}"] = row["abstain_reason"]
            initial[f"points__{code}"] = row.get("points", "")
            initial[f"value__{code}"] = row.get("value", "")
        return initial

    def _value(self, name: str):
        if hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name]
        return self.data.get(name, "")

    def to_service(self) -> tuple[dict, dict, str]:
        """``answers``, ``entries`` and ``comment`` as :func:`sheet_save` takes them."""
        answers = {
            requirement.code: {
                "met": {MET: True, UNMET: False}.get(self._value(f"basic__{requirement.code}")),
                "note": self._value(f"note__{requirement.code}") or "",
            }
            for requirement in self.template.basic_requirements
        }
        entries = {}
        for indicator in self.template.indicators:
            code = indicator.code
            if self._value(f"abstain__{code}") in (True, "on", "true", "1"):
                entries[code] = {"abstain_reason": self._value(f"reason__{code}") or ""}
            elif indicator.is_interpolated:
                entries[code] = {"value": self._value(f"value__{code}") or None}
            else:
                entries[code] = {"points": self._value(f"points__{code}") or None}
        return answers, entries, self._value("comment") or ""

    def field_for(self, problem: SheetProblem) -> str | None:
        """The field a problem belongs on (None: the sheet as a whole)."""
        code = problem.code
        for name in (f"basic__{code}", f"points__{code}", f"value__{code}"):
            if name in self.fields:
                if "弃权" in problem.message and f"reason__{code}" in self.fields:
                    return f"reason__{code}"
                return name
        return None

    def add_problems(self, problems: list[SheetProblem]) -> None:
        for problem in problems:
            self.add_error(self.field_for(problem), problem.message)

    def layout(self, points: dict[str, Decimal] | None = None) -> dict:
        """The bound fields grouped as the paper sheet is: basic requirements, then each group."""
        points = points or {}
        basic = [
            {
                "requirement": requirement,
                "met": self[f"basic__{requirement.code}"],
                "note": self[f"note__{requirement.code}"],
            }
            for requirement in self.template.basic_requirements
        ]
        groups = []
        for group in self.template.groups:
            rows = []
            for indicator in group.indicators:
                code = indicator.code
                name = f"value__{code}" if indicator.is_interpolated else f"points__{code}"
                rows.append(
                    {
                        "indicator": indicator,
                        "input": self[name],
                        "abstain": self[f"abstain__{code}"],
                        "reason": self[f"reason__{code}"],
                        "points": points.get(code),
                    }
                )
            groups.append({"group": group, "rows": rows})
        return {"basic": basic, "groups": groups}


class OnsiteCheckForm(forms.Form):
    visited_on = forms.DateField(label=_("核查日期"), widget=HtmlDateInput())
    team = forms.CharField(label=_("核查组成员"), max_length=300)
    findings = forms.CharField(label=_("核查发现"), widget=forms.Textarea(attrs={"rows": 4}))
    passed = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("yes", _("通过")), ("no", _("不通过"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("核查记录附件"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


# --- Filters, shared by the pages and the API. Each is backed by an index of the models. ---
