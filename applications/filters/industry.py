"""Filters of the industry lists."""

import django_filters
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from applications.models import IndustryBenchmark, IndustryReference
from applications.selectors.benchmarks import benchmark_regions
from greenmfg.core.filters import YearFilter
from greenmfg.directory.models import Jurisdiction
from greenmfg.directory.widgets import RegionField
from greenmfg.rules.fact_keys import label

# The intensities the portal benchmarks (dynamic_mgmt.services.benchmark.INDICATORS).
BENCHMARK_INDICATORS = ("energy_per_unit", "water_per_unit", "carbon_per_unit")


class IndustryReferenceFilter(django_filters.FilterSet):
    industry = django_filters.CharFilter(label=gettext_lazy("行业"), lookup_expr="exact")
    year = YearFilter(label=gettext_lazy("年度"))

    class Meta:
        model = IndustryReference
        fields = ["industry", "year"]


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(django_filters.ModelChoiceFilter):
    """A node's key (e.g. 410300), chosen level by level on the page
    (greenmfg/directory/widgets.py); the benchmarks of the node and the regions under it."""

    field_class = RegionField


class IndustryBenchmarkFilter(django_filters.FilterSet):
    industry = django_filters.CharFilter(label=gettext_lazy("行业"), lookup_expr="exact")
    year = YearFilter(label=gettext_lazy("年度"))
    indicator = django_filters.ChoiceFilter(
        label=gettext_lazy("指标"), choices=[(key, label(key)) for key in BENCHMARK_INDICATORS]
    )
    region = RegionFilter(
        label=gettext_lazy("地区（含下级）"),
        empty_label=gettext_lazy("全部地区"),
        queryset=Jurisdiction.objects.none(),
        method="in_region",
        help_text=gettext_lazy("区划标识，如 410300（洛阳市）"),
    )

    class Meta:
        model = IndustryBenchmark
        fields = ["industry", "year", "indicator", "region"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The regions whose benchmarks the user may read (selectors.benchmarks), offered from
        # the top of the tree down to the user's own subtree.
        user = getattr(request, "user", None)
        self.filters["region"].queryset = (
            benchmark_regions(user=user) if user is not None else Jurisdiction.objects.none()
        )

    def in_region(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(region__path__startswith=value.path)
