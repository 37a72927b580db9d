"""Filters of the industry lists."""

import django_filters
from django.utils.translation import gettext_lazy

from applications.models import IndustryReference


class IndustryReferenceFilter(django_filters.FilterSet):
    industry = django_filters.CharFilter(label=gettext_lazy("行业"), lookup_expr="exact")
    year = django_filters.NumberFilter(label=gettext_lazy("年度"))

    class Meta:
        model = IndustryReference
        fields = ["industry", "year"]
