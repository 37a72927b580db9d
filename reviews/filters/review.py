"""Filters of the review lists."""

import django_filters
from django.utils.translation import gettext_lazy

from reviews.models import OpinionRequest


class OpinionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=OpinionRequest.Status.choices
    )

    class Meta:
        model = OpinionRequest
        fields = ["status"]
