"""评分模板版本 in the Django admin: administrators add versions (often a copy of a shipped
template with an industry's 基准值 and 引领值) and retire them; a saved version never changes."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from reviews.models import ScoringTemplateVersion
from reviews.scoring_templates import TEMPLATES as BUILT_IN
from reviews.services.template import (
    template_definition_based_on,
    template_version_create,
    template_version_set_active,
)
from reviews.template_format import template_from_dict


class TemplateVersionAddForm(forms.ModelForm):
    based_on = forms.ChoiceField(
        label=_("基于模板"),
        required=False,
        help_text=_("不填写模板内容时，复制所选模板，并使用下面的代码、版本和名称。"),
    )
    new_code = forms.CharField(label=_("模板代码"), max_length=60, required=False)
    new_version = forms.CharField(label=_("版本"), max_length=40, required=False)
    new_title = forms.CharField(label=_("模板名称"), max_length=200, required=False)
    definition = forms.JSONField(
        label=_("模板内容（JSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        help_text=_("结构见 reviews/template_format.py；留空则复制“基于模板”。"),
    )

    class Meta:
        model = ScoringTemplateVersion
        fields = ["notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keys = list(BUILT_IN) + [
            record.key for record in ScoringTemplateVersion.objects.only("code", "version")
        ]
        self.fields["based_on"].choices = [("", "—")] + [(key, key) for key in keys]

    def clean(self):
        data = super().clean()
        definition = data.get("definition")
        if not definition:
            if not (data.get("based_on") and data.get("new_code") and data.get("new_version")):
                raise ValidationError(
                    _("请填写模板内容，或选择“基于模板”并填写新的模板代码和版本。")
                )
            data["definition"] = template_definition_based_on(
                key=data["based_on"],
                code=data["new_code"].strip(),
                version=data["new_version"].strip(),
                title=data.get("new_title", "").strip(),
            )
        try:
            template = template_from_dict(data["definition"])
        except ValueError as error:
            self.add_error("definition", str(error))
            return data
        if (
            template.key in BUILT_IN
            or ScoringTemplateVersion.objects.filter(
                code=template.code, version=template.version
            ).exists()
        ):
            self.add_error(
                "definition", _("评分模板「%(key)s」已存在，请换一个版本。") % {"key": template.key}
            )
        return data


@admin.register(ScoringTemplateVersion)
class ScoringTemplateVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "unit_type", "is_active", "created_at"]
    list_filter = ["unit_type", "is_active"]
    search_fields = ["code", "version", "title"]
    actions = ["retire", "activate"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TemplateVersionAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["based_on", "new_code", "new_version", "new_title", "definition", "notes"]
        return ["key", "title", "unit_type", "is_active", "notes", "structure", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["key", "title", "unit_type", "is_active", "notes", "structure", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire instead: sheets and batches may name the version

    @admin.display(description=_("模板结构"))
    def structure(self, obj):
        template = template_from_dict(obj.definition)
        rows = []
        for group in template.groups:
            rows.append((f"{group.name}（{group.code}）", f"{group.weight}", ""))
            for indicator in group.indicators:
                method = (
                    f"{indicator.baseline} → {indicator.leading} {indicator.unit}"
                    if indicator.is_interpolated
                    else _("人工评分")
                )
                optional = "" if indicator.required else _("（可选）")
                rows.append((f"　{indicator.name}{optional}", f"{indicator.max_points}", method))
        table = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        raw = json.dumps(obj.definition, ensure_ascii=False, indent=2)
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>"
            "<details><summary>JSON</summary><pre>{}</pre></details>",
            _("指标"),
            _("分值"),
            _("计分"),
            table,
            raw,
        )

    def save_model(self, request, obj, form, change):
        if change:  # only the list actions change a saved version
            return
        record = template_version_create(
            actor=request.user,
            definition=form.cleaned_data["definition"],
            notes=form.cleaned_data.get("notes", ""),
        )
        obj.pk = record.pk
        obj.__dict__.update(record.__dict__)

    @admin.action(description=_("停用所选模板版本"))
    def retire(self, request, queryset):
        for record in queryset:
            template_version_set_active(record=record, actor=request.user, active=False)
        messages.success(request, _("已停用所选模板版本。"))

    @admin.action(description=_("启用所选模板版本"))
    def activate(self, request, queryset):
        for record in queryset:
            template_version_set_active(record=record, actor=request.user, active=True)
        messages.success(request, _("已启用所选模板版本。"))
