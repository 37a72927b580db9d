"""The 评审设置 form: the fields parse what was typed; the service judges the values.

Numbers carry no bounds here on purpose, so that a value out of range reaches the service and
comes back with its own message next to the field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Batch
from greenmfg.core.errors import DomainError
from greenmfg.core.forms import HtmlDateInput, add_service_errors
from greenmfg.rules import UNIT_TYPES
from reviews.scoring import AGGREGATION_METHODS
from reviews.services.phase import (
    EXPERTS_MAX,
    EXPERTS_MIN,
    PUBLICITY_MAX,
    PUBLICITY_MIN,
    REVIEW_SETTINGS,
    template_choices,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = HtmlDateInput()
TEMPLATE_PREFIX = "template__"


class ReviewSettingsForm(forms.Form):
    experts_per_application = forms.IntegerField(
        label=gettext_lazy("每项申报专家人数"),
        widget=forms.NumberInput(attrs={"min": EXPERTS_MIN, "max": EXPERTS_MAX}),
        help_text=gettext_lazy("1 至 15 人；“去掉最高分和最低分后平均”至少 3 人。"),
    )
    aggregation = forms.ChoiceField(
        label=gettext_lazy("得分计算方式"), choices=list(AGGREGATION_METHODS.items())
    )
    scoring_open = forms.BooleanField(
        label=gettext_lazy("专家评分开放"),
        required=False,
        help_text=gettext_lazy("关闭后，专家不能打开、保存或提交评分表。"),
    )
    scoring_deadline = forms.DateField(
        label=gettext_lazy("专家评分截止日期"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("截止日当天仍可提交评分；留空为不设。"),
    )
    experts_see_others = forms.BooleanField(
        label=gettext_lazy("专家可见他人评分"),
        required=False,
        help_text=gettext_lazy("专家提交本人评分后，可以看到同一申报其他专家的总分。"),
    )
    recommendations_open = forms.BooleanField(
        label=gettext_lazy("接收推荐"),
        required=False,
        help_text=gettext_lazy("县（区）推荐、下级推荐至本批次是否开放。"),
    )
    recommendation_deadline = forms.DateTimeField(
        label=gettext_lazy("推荐截止时间"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=gettext_lazy("北京时间；留空为不设。"),
    )
    applicants_may_edit = forms.BooleanField(
        label=gettext_lazy("申报单位可修改退回的申报"),
        required=False,
        help_text=gettext_lazy("关闭后，被退回的申报不能再修改和重新提交。"),
    )
    publicity_days = forms.IntegerField(
        label=gettext_lazy("公示期（天）"),
        widget=forms.NumberInput(attrs={"min": PUBLICITY_MIN, "max": PUBLICITY_MAX}),
        help_text=gettext_lazy("1 至 60 天；国家级名单的公示期为 15 天。"),
    )

    # How the page groups the fields (the template fields come first, one per unit type).
    SECTIONS = (
        (
            gettext_lazy("专家评分"),
            (
                "experts_per_application",
                "aggregation",
                "scoring_open",
                "scoring_deadline",
                "experts_see_others",
            ),
        ),
        (
            gettext_lazy("推荐与修改"),
            ("recommendations_open", "recommendation_deadline", "applicants_may_edit"),
        ),
        (gettext_lazy("公示"), ("publicity_days",)),
    )

    def __init__(self, *args, batch: Batch, submitted_sheets: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        current = batch.scoring_templates or {}
        self.template_fields = []
        for unit_type, templates in template_choices(batch=batch).items():
            choices = [("", _("默认（最新版本）") if templates else _("尚无评分模板"))]
            choices += [(t.key, f"{t.title}（{t.key}）") for t in templates]
            key = current.get(unit_type)
            if key and key not in {t.key for t in templates}:
                choices.append((key, _("%(key)s（模板不存在，请重新选择）") % {"key": key}))
            name = TEMPLATE_PREFIX + unit_type
            self.fields[name] = forms.ChoiceField(
                label=_("%(type)s评分模板") % {"type": UNIT_TYPES.get(unit_type, unit_type)},
                choices=choices,
                required=False,
                initial=key or "",
            )
            self.template_fields.append(name)
        self.locked = submitted_sheets > 0
        if self.locked:
            note = _("已有 %(count)d 份评分表提交，不能修改。") % {"count": submitted_sheets}
            for name in [*self.template_fields, "experts_per_application"]:
                self.fields[name].disabled = True
                self.fields[name].help_text = note

    @classmethod
    def initial_for(cls, batch: Batch) -> dict:
        initial = {field: getattr(batch, field) for field in REVIEW_SETTINGS}
        if batch.recommendation_deadline is not None:
            # The input shows minutes: seconds would make an untouched deadline look changed.
            initial["recommendation_deadline"] = batch.recommendation_deadline.replace(
                second=0, microsecond=0
            )
        return initial

    def sections(self):
        """(title, bound fields) for the page, the templates in the first section."""
        first_title, first_fields = self.SECTIONS[0]
        yield first_title, [self[name] for name in (*self.template_fields, *first_fields)]
        for title, names in self.SECTIONS[1:]:
            yield title, [self[name] for name in names]

    def to_changes(self) -> dict:
        """The service's keyword arguments: the fields the user changed on the page.

        Leaving the others out keeps a value someone else saved meanwhile, and a deadline
        stored with seconds, as they are.
        """
        data, changed = self.cleaned_data, set(self.changed_data)
        changes = {field: data[field] for field in REVIEW_SETTINGS if field in changed}
        if not self.locked and changed & set(self.template_fields):
            # Entries for a type the batch no longer accepts are kept as they are.
            templates = {
                unit_type: key
                for unit_type, key in (self.batch.scoring_templates or {}).items()
                if TEMPLATE_PREFIX + unit_type not in self.fields
            }
            for name in self.template_fields:
                if data.get(name):
                    templates[name.removeprefix(TEMPLATE_PREFIX)] = data[name]
            changes["scoring_templates"] = templates
        return changes

    def add_service_errors(self, error: ValidationError | DomainError) -> None:
        """The service's refusals next to their fields; the templates' next to the first one."""
        target = self.template_fields[0] if self.template_fields else None
        if isinstance(error, DomainError) and error.field == "scoring_templates":
            self.add_error(target, error.message)
            return
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            messages = error.message_dict
            for message in messages.pop("scoring_templates", []):
                self.add_error(target, message)
            if not messages:
                return
            error = ValidationError(messages)
        add_service_errors(self, error)
