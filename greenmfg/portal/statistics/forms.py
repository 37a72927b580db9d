"""The statistics' filters: a region (a jurisdiction within the reader's scope) and a year.

A bad filter is refused with its reason, never ignored: an unknown region or year, a region
outside the official's jurisdiction, or a parameter the page does not know.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.scoping import can_oversee
from greenmfg.core import clock
from greenmfg.directory.models import Jurisdiction
from greenmfg.directory.widgets import RegionField

# The first lists (绿色制造体系建设, 2016); the year after this one is the last a batch may name.
FIRST_YEAR = 2016
# The parameters besides the filters: the Excel export of one table.
EXPORT_PARAMETERS = frozenset({"export", "table"})


def last_year() -> int:
    return clock.today().year + 1


class StatisticsFilterForm(forms.Form):
    # Chosen level by level below the reader's scope (greenmfg/directory/widgets.py); any key is
    # looked up, so that one outside the scope is refused with its own reason below.
    region = RegionField(
        Jurisdiction.objects.all(),
        label=_("地区（含下级）"),
        required=False,
        error_messages={"invalid_choice": _("未知的地区：%(value)s。请从列表中选择地区。")},
    )
    year = forms.CharField(label=_("年度"), required=False, max_length=10)

    def __init__(self, data, *, root: Jurisdiction, user=None):
        """``root``: the reader's whole scope (the national node for the public); ``user``:
        the official whose jurisdiction bounds the region (None for the public page)."""
        super().__init__(data)
        self.root = root
        self.user = user
        self.region_node: Jurisdiction | None = None
        region = self.fields["region"]
        region.root = root
        region.queryset = Jurisdiction.objects.all()
        region.widget.empty_label = _("全部（本辖区）") if user else _("全国")
        years = range(last_year(), FIRST_YEAR - 1, -1)
        self.fields["year"].widget = forms.Select(
            choices=[("", _("全部年度"))] + [(str(year), f"{year}") for year in years]
        )

    def clean(self):
        cleaned = super().clean()
        unknown = sorted(set(self.data) - set(self.fields) - EXPORT_PARAMETERS)
        if unknown:
            raise forms.ValidationError(
                _("未知的筛选条件：%(names)s。") % {"names": "、".join(unknown)}, code="unknown"
            )
        return cleaned

    def clean_region(self) -> Jurisdiction | None:
        node = self.cleaned_data["region"]
        if node is None:
            return None
        if self.user is not None and not can_oversee(self.user, node):
            raise forms.ValidationError(
                _("「%(name)s」不在您的管辖范围（%(scope)s）内，只能统计本辖区及其下级。")
                % {"name": node.name, "scope": self.root.name},
                code="out_of_scope",
            )
        if not node.path.startswith(self.root.path):
            raise forms.ValidationError(
                _("「%(name)s」不在可统计的范围内。") % {"name": node.name}, code="out_of_scope"
            )
        self.region_node = node
        return node

    def clean_year(self) -> int | None:
        value = self.cleaned_data["year"].strip()
        if not value:
            return None
        first, last = FIRST_YEAR, last_year()
        if not value.isdigit() or not first <= int(value) <= last:
            raise forms.ValidationError(
                _("未知的年度：%(value)s（可选 %(first)d–%(last)d 年）。")
                % {"value": value, "first": first, "last": last},
                code="unknown",
            )
        return int(value)
