"""The form of the 批量办理 pages: the selected applications, a comment and the step."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reviews.services.bulk import clean_ids

CONFIRM, EXECUTE = "confirm", "execute"


class IdListField(forms.Field):
    """Checkbox values as a list of application ids. Which ids the user may act on is the
    service's question (each one is answered in the result), not the form's."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return value

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                clean_ids(value)
            except ValidationError as error:
                raise ValidationError(error.message_dict["applications"]) from None

    def clean(self, value):
        value = super().clean(value)
        return clean_ids(value) if value else []


class BulkForm(forms.Form):
    """One bulk action on the selected applications; ``step`` is confirm, then execute."""

    applications = IdListField(
        label=_("选择申报"), error_messages={"required": _("请至少选择一项申报。")}
    )
    action = forms.ChoiceField(choices=(), widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    step = forms.ChoiceField(
        choices=((CONFIRM, CONFIRM), (EXECUTE, EXECUTE)), initial=CONFIRM, widget=forms.HiddenInput
    )

    def __init__(self, *args, actions: dict[str, dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        self.fields["action"].choices = [(key, spec["label"]) for key, spec in actions.items()]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        spec = self.actions.get(action) if action else None
        if spec and spec.get("needs_comment") and not (data.get("comment") or "").strip():
            self.add_error("comment", _("「%(action)s」须填写理由。") % {"action": spec["label"]})
        return data

    @property
    def selected(self) -> list[int]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["applications"]
        raw = self.data.getlist("applications") if self.is_bound else []
        ids = []
        for value in raw:
            if str(value).isdigit() and int(value) not in ids:
                ids.append(int(value))
        return ids
