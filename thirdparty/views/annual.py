"""评价机构年度工作情况报告 pages (大连 附件10).

The agency's staff see which years they owe (the years of their engagements, with the batches'
deadlines), submit a report and resubmit it as a new version. Officials list the reports of the
agencies they oversee and, for every batch whose deadline has passed, the engaged agencies that
have not reported. Files are served only through the permission-checked download.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenmfg.accounts.roles import Role
from greenmfg.core import clock
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.files import private_file_response
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from thirdparty.filters.annual import AnnualReportFilter, MissingReportFilter
from thirdparty.forms.annual import AnnualReportForm
from thirdparty.selectors.annual import (
    annual_report_list,
    due_years,
    missing_reports,
    report_batches,
    report_for_download,
    report_versions,
)
from thirdparty.services import annual as services


def _is_agency_staff(user) -> bool:
    return user.is_authenticated and user.role == Role.AGENCY_STAFF and user.organisation_id


@login_required
def agency_reports_view(request):
    """本机构的年度工作情况报告: the years due, the form, and every version submitted."""
    user = request.user
    if not _is_agency_staff(user):
        raise PermissionDenied(_("此页面仅对第三方评价机构开放。"))
    form = AnnualReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            submitted = act_on_form(
                request,
                form,
                lambda: services.annual_report_submit(
                    actor=user,
                    year=data["year"],
                    projects=data["projects"],
                    summary=data["summary"],
                    uploaded=data["file"],
                ),
                success=lambda report: (
                    _("已报送 %(year)d 年度工作情况报告（第 %(number)d 版）。")
                    % {"year": report.year, "number": report.number}
                ),
                redirect_to="thirdparty:annual-mine",
            )
            if submitted:
                return submitted
        status = 400
    elif "year" in request.GET and request.GET["year"].isdigit():
        form = AnnualReportForm(initial={"year": int(request.GET["year"])})
    else:
        form = AnnualReportForm(initial={"year": clock.today().year})
    return render(
        request,
        "thirdparty/annual_agency.html",
        {
            "form": form,
            "due": due_years(agency_id=user.organisation_id),
            "reports": report_versions(agency_id=user.organisation_id),
            "today": clock.today(),
        },
        status=status,
    )


class AnnualReportListView(OfficialRequiredMixin, FilteredListView):
    """The reports of the agencies the official oversees (every version, or the latest)."""

    template_name = "thirdparty/annual_list.html"
    context_object_name = "reports"
    filterset_class = AnnualReportFilter
    export_filename = gettext_lazy("评价机构年度工作情况报告")
    export_title = gettext_lazy("年度工作情况报告")
    export_columns = [
        Column(gettext_lazy("评价机构"), lambda r: r.agency.name, width=32),
        Column(gettext_lazy("统一社会信用代码"), lambda r: r.agency.credit_code, width=22),
        Column(gettext_lazy("年度"), lambda r: r.year, width=8),
        Column(gettext_lazy("版本"), lambda r: r.number, width=8),
        Column(gettext_lazy("评价项目数"), lambda r: r.projects, width=12),
        Column(gettext_lazy("工作情况摘要"), lambda r: r.summary, width=60),
        Column(gettext_lazy("报送人"), lambda r: r.submitted_by.display_name, width=14),
        Column(gettext_lazy("报送时间"), lambda r: r.submitted_at, width=18),
    ]

    def dispatch(self, request, *args, **kwargs):
        if _is_agency_staff(request.user):
            return redirect("thirdparty:annual-mine")
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return annual_report_list(user=self.request.user)


class MissingReportListView(OfficialRequiredMixin, FilteredListView):
    """未按时报送: per batch whose deadline has passed, the engaged agencies with no report."""

    template_name = "thirdparty/annual_missing.html"
    context_object_name = "rows"
    filterset_class = MissingReportFilter
    export_filename = gettext_lazy("未报送年度工作情况报告的评价机构")
    export_title = gettext_lazy("未报送年度报告")
    export_columns = [
        Column(gettext_lazy("评价机构"), lambda r: r["agency__name"], width=32),
        Column(gettext_lazy("统一社会信用代码"), lambda r: r["agency__credit_code"], width=22),
        Column(gettext_lazy("批次"), lambda r: r["batch__title"], width=40),
        Column(gettext_lazy("报告年度"), lambda r: r["year"], width=10),
        Column(
            gettext_lazy("报送截止日期"), lambda r: r["batch__agency_report_deadline"], width=14
        ),
        Column(gettext_lazy("本批次委托项目数"), lambda r: r["engagements"], width=16),
    ]

    def base_queryset(self):
        return missing_reports(user=self.request.user)

    def get_context_data(self, **kwargs):
        today = clock.today()
        upcoming = (
            report_batches(user=self.request.user)
            .filter(agency_report_deadline__gte=today)
            .order_by("agency_report_deadline", "pk")
        )
        return super().get_context_data(upcoming=upcoming, today=today, **kwargs)


@login_required
def annual_report_download_view(request, pk):
    """The report's PDF, for its agency and the officials overseeing the agency."""
    report = report_for_download(user=request.user, pk=pk)
    if report is None or not report.file:
        raise Http404
    return private_file_response(
        report.file, filename=report.original_name, content_type="application/pdf"
    )


urlpatterns = [
    path("annual-reports/", AnnualReportListView.as_view(), name="annual-list"),
    path("annual-reports/mine/", agency_reports_view, name="annual-mine"),
    path("annual-reports/missing/", MissingReportListView.as_view(), name="annual-missing"),
    path("annual-reports/<int:pk>/file/", annual_report_download_view, name="annual-download"),
]
