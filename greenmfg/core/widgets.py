"""A search picker for choice fields too large for a <select> (organisations, listings).

A scope with at most ``PICKER_LIMIT`` choices is still offered as a plain <select>. Above that the
field renders a text input (``<name>_query``) and a hidden id (``<name>``):

- with JavaScript (static/js/search_picker.js) the input asks the field's JSON search endpoint for
  at most ``PICKER_LIMIT`` matches and fills the hidden id with the one the user picks;
- without it, the user types a name or 统一社会信用代码 and the form resolves it: one match is
  taken, none or several is a Chinese error that keeps what was typed (several are then offered
  as a short <select> of the matches).

Whatever is posted, the chosen id is looked up in the field's queryset, so an id outside the
user's scope is refused exactly as a ModelChoiceField refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.forms.utils import flatatt
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PICKER_LIMIT = 20


@dataclass(frozen=True)
class PickerValue:
    """What the browser posted: the hidden id and the typed text (None when not posted)."""

    pk: str | None
    text: str | None


@dataclass
class PickerState:
    """What the widget renders, prepared by the field (which knows the queryset)."""

    pk: object = None
    text: str = ""
    options: list[tuple[object, str]] | None = None  # small scope: a plain <select>
    matches: list[tuple[object, str]] = field(default_factory=list)  # several typed matches


def text_matches(queryset: QuerySet, text: str, *, name_field: str, code_field: str) -> QuerySet:
    """The choices a typed text names: its 统一社会信用代码, else its exact name, else names
    containing it."""
    text = text.strip()
    if not text:
        return queryset.none()
    # Codes are stored upper-case and names are Chinese: plain equality keeps the indexes usable.
    code = text.replace(" ", "").replace("-", "").upper()
    by_code = queryset.filter(**{code_field: code})
    if len(code) == 18 and by_code.exists():
        return by_code
    by_name = queryset.filter(**{name_field: text})
    if by_name.exists():
        return by_name
    return queryset.filter(**{f"{name_field}__icontains": text})


def search_response(
    request, queryset: QuerySet, *, name_field: str, code_field: str, label
) -> JsonResponse:
    """The JSON answer of a picker's search endpoint: at most ``PICKER_LIMIT`` matches of ``q``
    by name (prefix or contained) or credit code (prefix), in the caller's scoped queryset."""
    text = request.GET.get("q", "").strip()[:100]
    matches = queryset
    if text:
        matches = queryset.filter(
            Q(**{f"{name_field}__icontains": text})
            | Q(**{f"{code_field}__startswith": text.upper()})
        )
    rows = list(matches.order_by(name_field, "pk")[: PICKER_LIMIT + 1])
    return JsonResponse(
        {
            "results": [{"id": obj.pk, "label": label(obj)} for obj in rows[:PICKER_LIMIT]],
            "more": len(rows) > PICKER_LIMIT,
        }
    )


class SearchPickerInput(forms.Widget):
    """Renders a PickerState; see the module docstring."""

    search_url: str = ""

    class Media:
        js = ["js/search_picker.js"]

    def value_from_datadict(self, data, files, name):
        return PickerValue(
            pk=data.get(f"{name}_choice") or data.get(name), text=data.get(f"{name}_query")
        )

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_query" not in data

    def render(self, name, value, attrs=None, renderer=None):
        state = value if isinstance(value, PickerState) else PickerState(pk=value)
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.get("id") or f"id_{name}"
        attrs["id"] = input_id
        if state.options is not None:
            return self._select(name, attrs, state.options, state.pk, empty=True)
        listbox = f"{input_id}_listbox"
        status = f"{input_id}_status"
        described = " ".join(filter(None, [attrs.pop("aria-describedby", ""), status]))
        text_attrs = {
            **attrs,
            "type": "text",
            "name": f"{name}_query",
            "value": state.text or "",
            "role": "combobox",
            "autocomplete": "off",
            "aria-autocomplete": "list",
            "aria-expanded": "false",
            "aria-controls": listbox,
            "aria-describedby": described,
            "placeholder": gettext("输入名称或统一社会信用代码搜索"),
        }
        parts = [
            format_html("<input{}>", flatatt(text_attrs)),
            format_html(
                '<input type="hidden" name="{}" value="{}" data-picker-value>',
                name,
                "" if state.pk is None else state.pk,
            ),
            format_html('<ul id="{}" role="listbox" class="picker-list" hidden></ul>', listbox),
            format_html(
                '<small id="{}" class="help picker-status" aria-live="polite">{}</small>',
                status,
                gettext("请输入名称或统一社会信用代码，从搜索结果中选择；也可直接输入后提交。"),
            ),
        ]
        if state.matches:
            choice_id = f"{input_id}_choice"
            parts.append(
                format_html(
                    '<label for="{}" class="picker-choice-label">{}</label>',
                    choice_id,
                    gettext("从匹配结果中选择"),
                )
            )
            parts.append(
                self._select(
                    f"{name}_choice",
                    {"id": choice_id, "data-picker-choice": ""},
                    state.matches,
                    None,
                    empty=True,
                )
            )
        return format_html(
            '<div class="search-picker" data-search-picker data-url="{}">{}</div>',
            reverse(self.search_url) if self.search_url else "",
            format_html_join("", "{}", ((part,) for part in parts)),
        )

    @staticmethod
    def _select(name, attrs, options, selected, *, empty):
        rows = [("", "---------")] if empty else []
        rows += options
        selected = "" if selected is None else str(selected)
        return format_html(
            "<select{}>{}</select>",
            flatatt({"name": name, **attrs}),
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (pk, " selected" if str(pk) == selected and selected else "", label)
                    for pk, label in rows
                ),
            ),
        )


class SearchPickerField(forms.ModelChoiceField):
    """A ModelChoiceField that never lists more than ``PICKER_LIMIT`` choices on the page.

    ``search_url``: the url name of the field's JSON search endpoint (see ``search_response``);
    ``name_field`` / ``code_field``: what a typed text is matched against; ``noun``: what a choice
    is called in the errors (单位, 名单单位).
    """

    widget = SearchPickerInput
    default_error_messages = {
        "invalid_choice": _("所选项不在可选范围内，请重新选择。"),
        "not_found": _("没有与「%(text)s」相符的%(noun)s，请检查名称或统一社会信用代码。"),
        "ambiguous": _(
            "有多个%(noun)s与「%(text)s」相符，请从匹配结果中选择，或输入统一社会信用代码。"
        ),
    }

    def __init__(
        self, *, search_url: str, name_field: str, code_field: str, noun, queryset=None, **kwargs
    ):
        self.name_field = name_field
        self.code_field = code_field
        self.noun = noun
        super().__init__(queryset=queryset, **kwargs)
        self.widget.search_url = search_url

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.search_url = self.widget.search_url
        return result

    # --- looking up --------------------------------------------------------------------------

    def _by_pk(self, pk) -> Model | None:
        if isinstance(pk, Model):
            pk = pk.pk
        try:
            return self.queryset.filter(pk=pk).first()
        except (ValueError, TypeError, ValidationError):
            return None

    def matches(self, text: str) -> QuerySet:
        return text_matches(
            self.queryset, text, name_field=self.name_field, code_field=self.code_field
        )

    def _describes(self, obj: Model, text: str) -> bool:
        return (
            text == self.label_from_instance(obj) or self.matches(text).filter(pk=obj.pk).exists()
        )

    # --- cleaning ----------------------------------------------------------------------------

    def to_python(self, value):
        if isinstance(value, PickerValue):
            pk, text = value.pk, (value.text or "").strip()
        else:
            pk, text = value, ""
        if pk in self.empty_values and not text:
            return None
        if pk not in self.empty_values:
            obj = self._by_pk(pk)
            if obj is not None and (not text or self._describes(obj, text)):
                return obj
            if not text:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        found = list(self.matches(text)[:2])
        params = {"text": text, "noun": self.noun}
        if not found:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params=params)
        if len(found) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params=params)
        return found[0]

    def validate(self, value):
        forms.Field.validate(self, value)

    def has_changed(self, initial, data):
        initial_pk = getattr(initial, "pk", initial)
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        return str(getattr(chosen, "pk", "") or "") != str(initial_pk or "")

    # --- rendering ---------------------------------------------------------------------------

    def prepare_value(self, value):
        if isinstance(value, PickerState):
            return value
        small = list(self.queryset[: PICKER_LIMIT + 1])
        if isinstance(value, PickerValue):
            pk, text = value.pk, value.text
        else:
            pk, text = getattr(value, "pk", value), None
        if len(small) <= PICKER_LIMIT:
            options = [(obj.pk, self.label_from_instance(obj)) for obj in small]
            if pk in self.empty_values and text:
                try:
                    pk = getattr(self.to_python(value), "pk", None)
                except ValidationError:
                    pk = None
            return PickerState(pk=pk, options=options)
        state = PickerState()
        obj = None if pk in self.empty_values else self._by_pk(pk)
        text = (text or "").strip()
        if obj is not None and (not text or self._describes(obj, text)):
            state.pk = obj.pk
            state.text = text or self.label_from_instance(obj)
            return state
        state.text = text
        if text:
            found = list(self.matches(text)[:PICKER_LIMIT])
            if len(found) > 1:
                state.matches = [(o.pk, self.label_from_instance(o)) for o in found]
        return state
