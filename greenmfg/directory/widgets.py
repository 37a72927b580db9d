"""A cascading region picker: province → city → county, for a jurisdiction tree of any size.

A single <select> of every jurisdiction is unusable once the national tree (about 3,400 nodes)
is loaded. The picker renders one <select> per level along the chosen node's path — the children
of the scope's root, then the children of each chosen node — so a page holds a few dozen options
whatever the tree's size, in three queries.

Every <select> has the field's name. The browser posts the chain (``region=410000&region=410300&
region=``) and the field keeps the deepest value whose ancestors are the values before it: after
the user changes the province without JavaScript, the old city no longer lies under it and the
new province is taken. A program (the API, a bookmarked URL) posts one key, as before.

With JavaScript (static/js/region_picker.js) a change removes the deeper selects and asks
``directory:region-children`` for the new node's children, so the next level appears at once;
without it, the next level appears after 查询.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from greenmfg.directory.models import Jurisdiction, Level

LEVEL_PROMPTS = {
    Level.PROVINCE: _("省级"),
    Level.CITY: _("市级"),
    Level.COUNTY: _("县（区）级"),
}
# Below a county: the functional zones it runs.
ZONE_PROMPT = _("功能区")


def children_prompt(parent_level: str, child_level: str) -> str:
    """The label of the <select> that offers a node's children."""
    if parent_level == Level.COUNTY:
        return str(ZONE_PROMPT)
    return str(LEVEL_PROMPTS.get(child_level, ""))


@dataclass(frozen=True)
class RegionLevel:
    """One <select>: the node whose children it offers, its options, the chosen key."""

    parent: Jurisdiction
    options: list[tuple[str, str]]
    chosen: str
    prompt: str


class RegionPickerWidget(forms.Widget):
    template_name = "directory/widgets/region_picker.html"

    def __init__(self, attrs=None, *, empty_label=None):
        super().__init__(attrs)
        self.empty_label = empty_label or _("全部地区")
        self.levels: list[RegionLevel] = []
        # The script asks for administrative divisions only (no 功能区), for a picker whose
        # choices are never zones (greenmfg.directory.forms.FunctionalZoneForm).
        self.divisions_only = False

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            values = data.getlist(name)
        else:
            value = data.get(name)
            values = value if isinstance(value, list | tuple) else [value]
        return [value for value in values if value] or None

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        return value

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (TEMPLATES), not the form renderer's own engine, which knows
        # only the apps' widget templates.
        context = self.get_context(name, value, self.build_attrs(self.attrs, attrs))
        return mark_safe(render_to_string(self.template_name, context))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["levels"] = [
            {
                "id": base_id if index == 0 else f"{base_id}_{index}",
                "options": level.options,
                "chosen": level.chosen,
                "empty": self.empty_label
                if index == 0
                else _("全部（%(name)s）") % {"name": level.parent.name},
                "prompt": level.prompt,
            }
            for index, level in enumerate(self.levels)
        ]
        children_url = reverse("directory:region-children")
        if self.divisions_only:
            children_url += f"?kind={Jurisdiction.Kind.ADMIN.value}"
        context["widget"]["children_url"] = children_url
        return context


class RegionField(forms.ModelChoiceField):
    """A jurisdiction of ``queryset`` (a subtree) chosen with :class:`RegionPickerWidget`.

    The value is the node's ``key``; a key outside the queryset is refused as a
    ModelChoiceField refuses it.
    """

    widget = RegionPickerWidget
    default_error_messages = {
        "invalid_choice": _("所选地区不存在或不在您的辖区内：%(value)s"),
        "incomplete": _("「%(place)s」不可选，请继续选择下一级。"),
    }

    def __init__(self, queryset, *, empty_label=None, root=None, browse=None, **kwargs):
        """``root``: the node whose children the first select offers (default: the shallowest
        node of ``queryset``), for a form that checks the scope itself.

        ``browse``: when only some nodes may be chosen (``queryset``: cities and counties), the
        nodes the picker walks through to reach them (a province). A chain ending on such a node
        is refused (``incomplete``) and rendered again with it chosen, so that without
        JavaScript the next level appears beside the refusal; a last value outside ``browse`` is
        refused rather than passed over for its parent."""
        kwargs.pop("to_field_name", None)
        super().__init__(queryset, empty_label=empty_label, to_field_name="key", **kwargs)
        self.widget.empty_label = empty_label or self.widget.empty_label
        self.root = root
        self.browse = browse
        self.partial: Jurisdiction | None = None

    def walked(self):
        """The nodes the picker offers and resolves: ``browse`` if given, else the choices."""
        return self.queryset if self.browse is None else self.browse

    def to_python(self, value):
        if value in self.empty_values:
            return None
        keys = [value] if isinstance(value, str) else [str(v) for v in value if v]
        keys = [key.strip()[:20] for key in keys if key.strip()][:6]
        if not keys:
            return None
        self.partial = None
        found = {node.key: node for node in self.walked().filter(key__in=keys)}
        if self.browse is not None and keys[-1] not in found:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": keys[-1]},
            )
        # The deepest value whose ancestors are the values chosen before it.
        for index in range(len(keys) - 1, -1, -1):
            node = found.get(keys[index])
            if node is not None and all(key in node.path.split("/") for key in keys[:index]):
                if self.browse is not None and not self.queryset.filter(pk=node.pk).exists():
                    self.partial = node
                    raise ValidationError(
                        self.error_messages["incomplete"],
                        code="incomplete",
                        params={"place": node.name},
                    )
                return node
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": keys[-1]}
        )

    def prepare_levels(self, chosen: Jurisdiction | None) -> None:
        """The selects to render: the children of the scope's root, then of each chosen node."""
        root = self.root or (
            self.walked().order_by("path").only("pk", "key", "name", "path", "level").first()
        )
        if root is None:
            self.widget.levels = []
            return
        chain = []
        if chosen is not None and chosen.path.startswith(root.path) and chosen.pk != root.pk:
            keys = chosen.path.strip("/").split("/")
            below_root = keys[keys.index(root.key) + 1 :]
            by_key = {
                node.key: node
                for node in Jurisdiction.objects.filter(key__in=below_root).only(
                    "pk", "key", "name", "path", "level"
                )
            }
            chain = [by_key[key] for key in below_root if key in by_key]
        parents = [root, *chain]
        children: dict[int, list[Jurisdiction]] = {node.pk: [] for node in parents}
        # Withdrawn divisions are not offered, except one already chosen (an old filter, a
        # record made before the change), which stays selected.
        for child in (
            self.walked()
            .filter(parent__in=[node.pk for node in parents])
            .filter(Q(active=True) | Q(pk__in=[node.pk for node in chain]))
            .only("pk", "key", "name", "parent_id", "level")
            .order_by("key")
        ):
            children[child.parent_id].append(child)
        levels = []
        for index, parent in enumerate(parents):
            options = children[parent.pk]
            if not options:
                break
            chosen_key = chain[index].key if index < len(chain) else ""
            levels.append(
                RegionLevel(
                    parent=parent,
                    options=[(node.key, node.name) for node in options],
                    chosen=chosen_key,
                    prompt=children_prompt(parent.level, options[0].level),
                )
            )
        self.widget.levels = levels

    def get_bound_field(self, form, field_name):
        return RegionBoundField(form, self, field_name)


class RegionBoundField(forms.BoundField):
    """Prepares the picker's levels from the chosen node when the field is rendered."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        chosen = None
        if self.form.is_bound:
            if self.name not in self.form.errors:  # validates the form once, if not yet
                chosen = self.form.cleaned_data.get(self.name)
            else:  # a node on the way (RegionField browse): the next level is shown
                chosen = self.field.partial
        else:
            initial = self.value()
            if isinstance(initial, Jurisdiction):
                chosen = initial
            elif initial:
                chosen = self.field.walked().filter(key=initial).first()
        self.field.prepare_levels(chosen)
        return super().as_widget(widget, attrs, only_initial)
