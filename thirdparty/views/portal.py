"""评价委托 pages: the agency portal (its engagements, the upload of its third-party reports,
its cap usage) and the officials' list of the engagements in their subtree.

``engagements/`` is one address for both: agency staff get their portal list, officials the
list of their subtree; applicants, experts and departments are refused. The portal shows the
agency only what it needs of an application: the applicant's name, the unit type, the batch,
the status and the versions of its own report — never the applicant's data or other files.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from applications.models import Document
from applications.services.documents import document_upload
from greenmfg.accounts.roles import Role
from greenmfg.core.errors import DomainError
from greenmfg.core.export import Column, export_url, wants_export, xlsx_response
from greenmfg.core.files import private_file_response
from greenmfg.core.lists import FilteredListView
from thirdparty.filters.portal import EngagementFilter, PortalEngagementFilter
from thirdparty.forms.portal import ReportUploadForm
from thirdparty.models import Engagement
from thirdparty.selectors.portal import (
    REPORT_KIND,
    agency_usage,
    engaged_agencies,
    engagement_list,
    portal_engagement,
    profile_visible_agencies,
    report_version_for_agency,
    report_versions,
    usage_year,
)
from thirdparty.services.agencies import report_upload_refusals


def _is_agency_staff(user) -> bool:
    return user.role == Role.AGENCY_STAFF and user.organisation_id is not None


def _is_official(user) -> bool:
    return user.is_official or user.is_sysadmin


class AgencyStaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("此页面仅对第三方评价机构人员开放。")

    def test_func(self):
        return _is_agency_staff(self.request.user)


class OfficialRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("此页面仅对工信部门开放。")

    def test_func(self):
        return _is_official(self.request.user)


def _report_label(engagement) -> str:
    if engagement.report_version is None:
        return _("未上传")
    return _("已上传（第 %(number)d 版）") % {"number": engagement.report_version}


def _counted_label(engagement) -> str:
    return _("计入") if engagement.counted else _("不计入")


COMMON_COLUMNS = [
    Column(gettext_lazy("申报单位"), lambda e: e.application.organisation.name, width=32),
    Column(gettext_lazy("申报类型"), lambda e: e.application.get_unit_type_display(), width=16),
    Column(gettext_lazy("批次"), lambda e: e.application.batch.title, width=40),
    Column(gettext_lazy("年度"), lambda e: e.year, width=8),
    Column(gettext_lazy("申报状态"), lambda e: e.application.get_status_display(), width=14),
    Column(gettext_lazy("委托状态"), lambda e: e.get_status_display(), width=10),
    Column(gettext_lazy("计入项目上限"), _counted_label, width=12),
    Column(gettext_lazy("第三方评价报告"), _report_label, width=18),
    Column(gettext_lazy("报告 SHA-256"), lambda e: e.report_sha256, width=66),
    Column(gettext_lazy("报告上传时间"), lambda e: e.report_uploaded_at, width=18),
    Column(gettext_lazy("委托时间"), lambda e: e.created_at, width=18),
]


def agency_detail_url(agency_id: int) -> str | None:
    """The agency's profile page, where the app has one."""
    try:
        return reverse("thirdparty:agency-detail", args=[agency_id])
    except NoReverseMatch:
        return None


# --- the agency portal ------------------------------------------------------------------------


class PortalEngagementListView(AgencyStaffRequiredMixin, FilteredListView):
    template_name = "thirdparty/portal_engagement_list.html"
    context_object_name = "engagements"
    filterset_class = PortalEngagementFilter
    export_filename = gettext_lazy("评价委托")
    export_title = gettext_lazy("评价委托")
    export_columns = COMMON_COLUMNS

    def base_queryset(self):
        return engagement_list(user=self.request.user)


class OfficialEngagementListView(OfficialRequiredMixin, FilteredListView):
    template_name = "thirdparty/portal_official_engagements.html"
    context_object_name = "engagements"
    filterset_class = EngagementFilter
    export_filename = gettext_lazy("第三方评价委托")
    export_title = gettext_lazy("第三方评价委托")
    export_columns = [
        Column(gettext_lazy("评价机构"), lambda e: e.agency.name, width=30),
        Column(gettext_lazy("区划"), lambda e: e.application.jurisdiction.name, width=14),
        *COMMON_COLUMNS,
    ]

    def base_queryset(self):
        return engagement_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        agency = form.cleaned_data.get("agency") if form.is_valid() else None
        context["usage"] = agency_usage(agency=agency) if agency is not None else None
        context["linked_agencies"] = (
            profile_visible_agencies(
                user=self.request.user,
                agency_ids=[e.agency_id for e in context["object_list"]],
            )
            if agency_detail_url(0) is not None
            else set()
        )
        return context


@login_required
def engagement_list_view(request, *args, **kwargs):
    """One address: the agency's portal for its staff, the subtree's list for officials."""
    if _is_agency_staff(request.user):
        return PortalEngagementListView.as_view()(request, *args, **kwargs)
    if _is_official(request.user):
        return OfficialEngagementListView.as_view()(request, *args, **kwargs)
    raise PermissionDenied(_("评价委托仅对第三方评价机构人员和工信部门开放。"))


def _engagement_context(request, engagement, *, form=None) -> dict:
    application = engagement.application
    # A report the bureau will not accept is refused before the file is chosen, not after.
    refusals = report_upload_refusals(
        application=application, actor=request.user, kind=Document.Kind.THIRD_PARTY_REPORT
    )
    can_upload = (
        engagement.status == Engagement.Status.ACTIVE and application.is_editable and not refusals
    )
    return {
        "upload_refusals": refusals,
        "engagement": engagement,
        "application": application,
        "versions": report_versions(application_id=application.pk),
        "can_upload": can_upload,
        "form": form or ReportUploadForm(),
    }


class PortalEngagementView(AgencyStaffRequiredMixin, View):
    """One engagement: what the agency needs of the application, its report's versions, and the
    upload of a new version (PDF only, checked and versioned by the document service)."""

    template_name = "thirdparty/portal_engagement.html"

    def get_engagement(self):
        engagement = portal_engagement(user=self.request.user, pk=self.kwargs["pk"])
        if engagement is None:
            raise Http404
        return engagement

    def get(self, request, pk):
        engagement = self.get_engagement()
        return render(request, self.template_name, _engagement_context(request, engagement))

    def post(self, request, pk):
        engagement = self.get_engagement()
        form = ReportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = document_upload(
                    application=engagement.application,
                    actor=request.user,
                    kind=REPORT_KIND,
                    uploaded_file=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
            except DomainError as error:
                form.add_error(None, error.reasons or [error.message])
            else:
                messages.success(
                    request,
                    _("已上传第三方评价报告第 %(number)d 版（SHA-256 %(sha)s）。")
                    % {"number": version.number, "sha": version.sha256},
                )
                return redirect("thirdparty:portal-engagement", pk=engagement.pk)
        context = _engagement_context(request, engagement, form=form)
        return render(request, self.template_name, context, status=400)


@login_required
def portal_report_download_view(request, pk):
    """A version of the agency's own report, for its staff (the applicant's other files never)."""
    version = report_version_for_agency(user=request.user, pk=pk)
    if version is None:
        raise Http404
    return private_file_response(
        version.file, filename=version.original_name, content_type=version.content_type
    )


def _caps_cell(row) -> str:
    """Each cap that reaches the batch with its count, or why none does."""
    if not row.caps:
        return row.note
    return "；".join(f"{usage.cap.citation} {usage.used}/{usage.cap.limit}" for usage in row.caps)


USAGE_COLUMNS = [
    Column(gettext_lazy("批次"), lambda row: row.batch.title, 36),
    Column(gettext_lazy("年度"), lambda row: row.batch.year, 8),
    Column(gettext_lazy("适用政策"), lambda row: row.policy_label, 36),
    Column(gettext_lazy("本机构项目"), lambda row: row.own, 12),
    Column(gettext_lazy("本批次同一法人及关联单位（大连 二）"), lambda row: row.batch_used, 22),
    Column(
        gettext_lazy("本年度同一法定代表人国家级层面项目（洛阳 第二十条）"),
        lambda row: row.year_used,
        22,
    ),
    Column(
        gettext_lazy("适用上限"),
        lambda row: f"{row.cap.limit}（{row.cap.citation}）" if row.cap else _("不适用"),
        16,
    ),
    Column(gettext_lazy("层级"), lambda row: row.level_label, 10),
    Column(gettext_lazy("计入情况"), _caps_cell, 60),
]


class UsageView(LoginRequiredMixin, UserPassesTestMixin, View):
    """项目上限: agency staff see their own agency's; officials choose an agency."""

    template_name = "thirdparty/portal_usage.html"
    permission_denied_message = gettext_lazy(
        "项目上限使用情况仅对第三方评价机构人员和工信部门开放。"
    )

    def test_func(self):
        return _is_agency_staff(self.request.user) or _is_official(self.request.user)

    def get(self, request):
        user = request.user
        agencies = engaged_agencies(user=user)
        if _is_agency_staff(user):
            agency = user.organisation
        else:
            chosen = request.GET.get("agency")
            agency = get_object_or_404(agencies, pk=chosen) if chosen and chosen.isdigit() else None
        year = usage_year(request.GET.get("year"))
        if agency is not None and wants_export(request):
            usage = agency_usage(agency=agency, year=year)
            return xlsx_response(
                filename=f"项目上限-{agency.name}-{year}",
                title=_("项目上限"),
                columns=USAGE_COLUMNS,
                rows=usage.batches,
            )
        return render(
            request,
            self.template_name,
            {
                "agency": agency,
                "agencies": None if _is_agency_staff(user) else agencies,
                "usage": agency_usage(agency=agency, year=year) if agency else None,
                "year": year,
                "export_url": export_url(request) if agency else None,
                "agency_url": agency_detail_url(agency.pk)
                if agency and profile_visible_agencies(user=user, agency_ids=[agency.pk])
                else None,
            },
        )


urlpatterns = [
    path("engagements/", engagement_list_view, name="engagement-list"),
    path("engagements/usage/", UsageView.as_view(), name="engagement-usage"),
    path("engagements/<int:pk>/", PortalEngagementView.as_view(), name="portal-engagement"),
    path(
        "engagements/reports/<int:pk>/download/",
        portal_report_download_view,
        name="portal-report-download",
    ),
]
