"""Pages where bureaus publish industry reference values."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.facts import industry_reference_specs
from applications.filters.industry import IndustryBenchmarkFilter, IndustryReferenceFilter
from applications.forms.applications import FactsForm, IndustryReferenceForm
from applications.models import IndustryBenchmark, IndustryReference
from applications.selectors.benchmarks import industry_benchmark_list, min_sample
from applications.selectors.industry import industry_reference_list
from applications.services.industry import industry_reference_save
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core import clock
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from greenmfg.rules.fact_keys import label


class IndustryReferenceListView(OfficialRequiredMixin, FilteredListView):
    template_name = "applications/industry_list.html"
    context_object_name = "references"
    filterset_class = IndustryReferenceFilter
    export_filename = gettext_lazy("行业参考值")
    export_title = gettext_lazy("行业参考值")

    @staticmethod
    def export_values(reference: IndustryReference) -> str:
        """The values as the page lists them: 「名称：数值单位」, in the order they were saved."""
        specs = {spec.key: spec for spec in industry_reference_specs()}
        return "；".join(
            f"{specs[key].label}：{value}{specs[key].unit}"
            for key, value in reference.values.items()
            if key in specs
        )

    export_columns = [
        Column(gettext_lazy("行业"), lambda r: r.industry, width=24),
        Column(gettext_lazy("年度"), lambda r: r.year, width=10),
        Column(gettext_lazy("发布单位区划"), lambda r: r.jurisdiction.name),
        Column(
            gettext_lazy("参考值"),
            lambda r: IndustryReferenceListView.export_values(r),
            width=60,
        ),
        Column(gettext_lazy("来源"), lambda r: r.source, width=24),
        Column(gettext_lazy("更新人"), lambda r: r.updated_by.display_name),
        Column(gettext_lazy("更新时间"), lambda r: r.updated_at, width=18),
    ]

    def base_queryset(self):
        return industry_reference_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        labels = {spec.key: spec for spec in industry_reference_specs()}
        return super().get_context_data(labels=labels, **kwargs)


def _enough(benchmark: IndustryBenchmark) -> str:
    return _("是") if benchmark.sample_size >= min_sample() else _("否（样本不足）")


class IndustryBenchmarkListView(OfficialRequiredMixin, FilteredListView):
    """对标: the quartiles the portal computed from its green factories' filed tables, for the
    regions the official oversees or sits in; the pre-check uses the city's medians."""

    template_name = "applications/benchmark_list.html"
    context_object_name = "benchmarks"
    filterset_class = IndustryBenchmarkFilter
    export_filename = gettext_lazy("同行业绿色工厂对标值")
    export_title = gettext_lazy("同行业绿色工厂对标值")
    export_columns = [
        Column(gettext_lazy("地区"), lambda b: b.region.name),
        Column(gettext_lazy("行业"), lambda b: b.industry, width=24),
        Column(gettext_lazy("年度"), lambda b: b.year, width=10),
        Column(gettext_lazy("指标"), lambda b: label(b.indicator), width=20),
        Column(gettext_lazy("样本数（家）"), lambda b: b.sample_size, width=12),
        Column(gettext_lazy("下四分位数"), lambda b: b.q1, width=14),
        Column(gettext_lazy("中位数"), lambda b: b.median, width=14),
        Column(gettext_lazy("上四分位数"), lambda b: b.q3, width=14),
        Column(gettext_lazy("可作资格自查参考"), _enough, width=16),
        Column(gettext_lazy("计算时间"), lambda b: b.computed_at, width=18),
    ]

    def base_queryset(self):
        return industry_benchmark_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(minimum=min_sample(), **kwargs)


@login_required
def industry_reference_edit_view(request, pk=None):
    """Create (no pk) or edit a reference of the official's own jurisdiction."""
    if not request.user.is_official:
        raise PermissionDenied(_("行业参考值由工信部门录入。"))
    reference = None
    if pk is not None:
        reference = get_object_or_404(
            industry_reference_list(user=request.user),
            pk=pk,
            jurisdiction=request.user.organisation.jurisdiction,
        )
    initial = (
        {"industry": reference.industry, "year": reference.year, "source": reference.source}
        if reference
        else {"year": clock.today().year}
    )
    form = IndustryReferenceForm(request.POST or None, initial=initial)
    values_form = FactsForm(
        request.POST or None,
        specs=industry_reference_specs(),
        values=reference.values if reference else {},
    )
    if request.method == "POST" and form.is_valid():
        response = act_on_form(
            request,
            values_form,
            lambda: industry_reference_save(
                actor=request.user,
                industry=form.cleaned_data["industry"],
                year=form.cleaned_data["year"],
                source=form.cleaned_data["source"],
                values=values_form.raw_values(),
            ),
            success=lambda saved: (
                _("已保存「%(industry)s」的行业参考值。") % {"industry": saved.industry}
            ),
            redirect_to="applications:industry-list",
        )
        if response:
            return response
    context = {"form": form, "values_form": values_form, "reference": reference}
    if reference:
        context["audit_entries"] = audit_entries_for(subject=reference)[:50]
    return render(request, "applications/industry_form.html", context)


urlpatterns = [
    path("industry-references/", IndustryReferenceListView.as_view(), name="industry-list"),
    path("industry-references/new/", industry_reference_edit_view, name="industry-create"),
    path("industry-references/<int:pk>/", industry_reference_edit_view, name="industry-edit"),
    path("industry-benchmarks/", IndustryBenchmarkListView.as_view(), name="benchmark-list"),
]
