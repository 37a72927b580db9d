"""Forms of the officials' listing page: the history commands of registry.services.history."""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenmfg.core import clock
from greenmfg.core.forms import HtmlDateInput
from registry.models import Listing, ListingEvent
from registry.services.history import CHANGE_KINDS, RE_REVIEW_OUTCOMES

NAME_MAX = Listing._meta.get_field("unit_name").max_length
VALUE_MAX = ListingEvent._meta.get_field("new_value").max_length
DOCUMENT_MAX = ListingEvent._meta.get_field("document_number").max_length


class _EventForm(forms.Form):
    occurred_on = forms.DateField(label=_("日期"), initial=clock.today, widget=HtmlDateInput())
    document_number = forms.CharField(label=_("文号"), max_length=DOCUMENT_MAX, required=False)
    reason = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NameChangeForm(_EventForm):
    prefix = "name"
    field_order = ["new_name", "occurred_on", "document_number", "reason"]

    new_name = forms.CharField(
        label=_("变更后的单位名称"),
        max_length=NAME_MAX,
        help_text=_("名单显示新名称，原名称作为曾用名保留在变动记录中。"),
    )


class ChangeForm(_EventForm):
    prefix = "change"
    field_order = ["kind", "old_value", "new_value", "occurred_on", "document_number", "reason"]

    kind = forms.ChoiceField(
        label=_("变更事项"),
        choices=[(kind.value, kind.label) for kind in CHANGE_KINDS],
        widget=forms.RadioSelect,
    )
    old_value = forms.CharField(label=_("变更前"), max_length=VALUE_MAX, required=False)
    new_value = forms.CharField(label=_("变更后"), max_length=VALUE_MAX)


class ReReviewForm(_EventForm):
    prefix = "review"
    field_order = ["outcome", "occurred_on", "valid_until", "document_number", "reason"]

    outcome = forms.ChoiceField(
        label=_("复审事项"),
        choices=list(RE_REVIEW_OUTCOMES.items()),
        widget=forms.RadioSelect,
    )
    valid_until = forms.DateField(
        label=_("新的有效期至"),
        required=False,
        widget=HtmlDateInput(),
        help_text=_("仅复审通过时填写；不填则有固定期限的名单自原期满日起顺延一个周期。"),
    )
