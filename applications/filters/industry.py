"""Filters of the industry lists."""

import django_filters
from django.utils.translation import gettext_lazy

from applications.models import IndustryBenchmark, IndustryReference
from greenmfg.rules.fact_keys import label

# The intensities the portal benchmarks (dynamic_mgmt.services.benchmark.INDICATORS).
BENCHMARK_INDICATORS = ("energy_per_unit", "water_per_unit", "carbon_per_unit")


class IndustryReferenceFilter(django_filters.FilterSet):
    industry = django_filters.CharFilter(label=gettext_lazy("行业"), lookup_expr="exact")
    year = django_filters.NumberFilter(label=gettext_lazy("年度"))

    class Meta:
        model = IndustryReference
        fields = ["industry", "year"]


class IndustryBenchmarkFilter(django_filters.FilterSet):
    industry = django_filters.CharFilter(label=gettext_lazy("行业"), lookup_expr="exact")
    year = django_filters.NumberFilter(label=gettext_lazy("年度"))
    indicator = django_filters.ChoiceFilter(
        label=gettext_lazy("指标"), choices=[(key, label(key)) for key in BENCHMARK_INDICATORS]
    )
    region = django_filters.CharFilter(
        label=gettext_lazy("地区"), field_name="region__name", lookup_expr="exact"
    )

    class Meta:
        model = IndustryBenchmark
        fields = ["industry", "year", "indicator", "region"]
