"""Filters of the batches page, shared with the API so both filter the same way.

Status and year use the ``batch_status_year`` index; the policy narrows what the scope (the
jurisdiction foreign key) and that index have already selected: a bureau opens a few batches
a year.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from applications.models import POLICY_CHOICES, Batch
from greenmfg.core.filters import OrderingFilter


class BatchFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Batch.Status.choices)
    policy = django_filters.ChoiceFilter(label=_("适用政策"), choices=POLICY_CHOICES)
    ordering = OrderingFilter(
        label=_("排序"),
        fields=(
            ("year", "year"),
            ("submission_deadline", "submission_deadline"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "year": _("年度"),
            "submission_deadline": _("网上申报截止时间"),
            "created_at": _("创建时间"),
        },
    )

    class Meta:
        model = Batch
        fields = ["year", "status", "policy"]
