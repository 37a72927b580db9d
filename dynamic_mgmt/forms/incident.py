"""Forms and filters of the incidents (事故事件), shared by the pages and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_mgmt.models import Incident
from greenmfg.core import clock
from greenmfg.core.forms import HtmlDateInput
from greenmfg.core.widgets import SearchPickerField


def listing_label(obj) -> str:
    """As the change report's listing choices read."""
    return (
        f"{obj.unit_name} · {obj.get_level_display()}{obj.get_unit_type_display()}"
        f" · {obj.year} · {obj.document_number}"
    )


class ListingPickerField(SearchPickerField):
    """The listings an official may record at, searched by unit name or 统一社会信用代码
    (dynamic_mgmt:incident-listing-search) once there are too many for a list."""

    def __init__(self, **kwargs):
        super().__init__(
            search_url="dynamic_mgmt:incident-listing-search",
            name_field="unit_name",
            code_field="credit_code",
            noun=_("名单单位"),
            **kwargs,
        )

    def label_from_instance(self, obj) -> str:
        return listing_label(obj)


class IncidentForm(forms.Form):
    listing = ListingPickerField(label=_("名单单位"), queryset=None)
    kind = forms.ChoiceField(label=_("类别"), choices=Incident.Kind.choices)
    occurred_on = forms.DateField(label=_("发生日期"), widget=HtmlDateInput())
    reported_on = forms.DateField(
        label=_("上报日期"),
        widget=HtmlDateInput(),
        help_text=_(
            "洛阳：事故发生后3日内报市工信局（第十七条）；济南：实时上报（第十八条，按当日或次日计）。"
        ),
    )
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, listings, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("reported_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = listings
