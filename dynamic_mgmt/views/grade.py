"""企业绿码 pages: the officials' list of a year's grades, and a unit's grades over the years."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_mgmt.filters.grade import GradeFilter
from dynamic_mgmt.models import GreenGrade
from dynamic_mgmt.services import grade as services
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from registry.models import Listing


def _flagged(grade: GreenGrade) -> str:
    return _("是") if (grade.basis or {}).get("bottom_three_years") else _("否")


class GradeListView(LoginRequiredMixin, FilteredListView):
    template_name = "dynamic_mgmt/grade_list.html"
    context_object_name = "grades"
    filterset_class = GradeFilter
    export_filename = gettext_lazy("企业绿码")
    export_title = gettext_lazy("企业绿码")
    export_columns = [
        Column(gettext_lazy("年度"), lambda g: g.year, width=8),
        Column(gettext_lazy("单位名称"), lambda g: g.listing.unit_name, width=32),
        Column(gettext_lazy("所在区划"), lambda g: g.listing.jurisdiction.name, width=14),
        Column(gettext_lazy("名单层级"), lambda g: g.listing.get_level_display(), width=10),
        Column(gettext_lazy("行业"), lambda g: g.industry, width=20),
        Column(gettext_lazy("等级"), lambda g: g.grade, width=8),
        Column(gettext_lazy("排名"), lambda g: g.rank, width=8),
        Column(gettext_lazy("参评数"), lambda g: g.of, width=8),
        Column(gettext_lazy("综合指数"), lambda g: g.score, width=10),
        Column(gettext_lazy("位于后5%"), lambda g: _("是") if g.bottom_five else _("否"), width=10),
        Column(gettext_lazy("连续三年位于后5%"), _flagged, width=14),
    ]

    def base_queryset(self):
        return services.grade_list(user=self.request.user).order_by("-year", "industry", "rank")

    def get_context_data(self, **kwargs):
        return super().get_context_data(method=services.METHOD, **kwargs)


def _listing_for(user, pk) -> Listing:
    """The listing, for an official whose subtree holds it or the unit's own users (404 else)."""
    listing = get_object_or_404(Listing.objects.select_related("jurisdiction", "authority"), pk=pk)
    if not services.may_see_grades(user=user, listing=listing):
        raise Http404
    return listing


@login_required
def listing_grades_view(request, pk):
    listing = _listing_for(request.user, pk)
    grades = list(services.grades_of_listing(listing=listing))
    rows = [
        {"grade": grade, "basis": services.basis_rows(grade, with_values=True)} for grade in grades
    ]
    return render(
        request,
        "dynamic_mgmt/grade_listing.html",
        {"listing": listing, "rows": rows, "method": services.METHOD},
    )


urlpatterns = [
    path("dynamic/grades/", GradeListView.as_view(), name="grade-list"),
    path("dynamic/grades/listings/<int:pk>/", listing_grades_view, name="grade-listing"),
]
