"""变更 pages: the unit reports a change; officials list, review and decide the reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dynamic_mgmt.filters.change import ChangeFilter
from dynamic_mgmt.forms.change import ChangeDocumentForm, ChangeReportForm
from dynamic_mgmt.models import ChangeDocument
from dynamic_mgmt.services import change as services
from dynamic_mgmt.services.calendar import calendar_admin_url
from dynamic_mgmt.workflow import change_workflow
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.export import Column
from greenmfg.core.files import private_file_response
from greenmfg.core.lists import FilteredListView
from greenmfg.core.transitions import offered_transitions


class ChangeListView(LoginRequiredMixin, FilteredListView):
    template_name = "dynamic_mgmt/change_list.html"
    context_object_name = "reports"
    filterset_class = ChangeFilter
    export_filename = gettext_lazy("变更报告")
    export_title = gettext_lazy("变更报告")
    export_columns = [
        Column(gettext_lazy("单位名称"), lambda r: r.listing.unit_name, width=32),
        Column(gettext_lazy("所在区划"), lambda r: r.listing.jurisdiction.name, width=14),
        Column(gettext_lazy("变更类别"), lambda r: r.get_kind_display(), width=18),
        Column(gettext_lazy("变更前"), lambda r: r.old_value, width=28),
        Column(gettext_lazy("变更后"), lambda r: r.new_value, width=28),
        Column(gettext_lazy("办理完相关手续日期"), lambda r: r.formalities_on, width=14),
        Column(gettext_lazy("上报日期"), lambda r: r.reported_on, width=12),
        Column(gettext_lazy("应上报截止日期"), lambda r: r.due_on, width=14),
        Column(gettext_lazy("逾期上报"), lambda r: _("是") if r.late else _("否"), width=10),
        Column(gettext_lazy("日历提示"), lambda r: r.calendar_warning, width=30),
        Column(gettext_lazy("状态"), lambda r: r.get_status_display(), width=14),
    ]

    def base_queryset(self):
        return services.change_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_report=services.reportable_listings(user=self.request.user).exists(), **kwargs
        )


def _submitted_messages(report):
    if report.calendar_warning:
        yield messages.WARNING, report.calendar_warning
    if report.late:
        yield (
            messages.WARNING,
            _("变更已上报。应于 %(date)s 前上报，本次为逾期上报，已标注。")
            % {"date": report.due_on.isoformat()},
        )
    else:
        yield messages.SUCCESS, _("变更已上报，请等待审核。")


@login_required
def change_new_view(request):
    listings = services.reportable_listings(user=request.user)
    if not listings.exists():
        raise PermissionDenied(_("只有名单单位本单位的用户可以上报变更。"))
    status = 200
    if request.method == "POST":
        form = ChangeReportForm(request.POST, request.FILES, listings=listings)
        if form.is_valid():
            submitted = act_on_form(
                request,
                form,
                lambda: services.change_report_submit(actor=request.user, **form.cleaned_data),
                success=_submitted_messages,
                redirect_to=lambda report: reverse("dynamic_mgmt:change-detail", args=[report.pk]),
            )
            if submitted:
                return submitted
        status = 400
    else:
        form = ChangeReportForm(listings=listings, initial={"listing": request.GET.get("listing")})
    return render(request, "dynamic_mgmt/change_form.html", {"form": form}, status=status)


def _visible(request, pk):
    return get_object_or_404(services.change_list(user=request.user), pk=pk)


def _transition_rows(user, report) -> list[dict]:
    """The steps the table offers the user, those the service would refuse now disabled with
    its reasons (the county's review once done, the city's decision before the county's)."""
    if not services.may_handle(user=user, report=report):
        return []
    return offered_transitions(
        workflow=change_workflow,
        state=report.status,
        role=user.effective_role,
        refusals=lambda t: services.change_report_refusals(
            report=report, action=t.action, actor=user
        ),
    )


def _detail(request, report, *, upload_form=None, status=200):
    opinion = services.county_opinion(report)
    user = request.user
    kinds = services.uploadable_kinds(user=user, report=report)
    if kinds and upload_form is None:
        upload_form = ChangeDocumentForm(kinds=kinds)
    context = {
        "report": report,
        "terms": services.change_terms(report),
        "opinion": opinion,
        "awaiting_county": services.needs_county_review(report)
        and opinion is None
        and report.status == services.S.SUBMITTED,
        "transitions": _transition_rows(user, report),
        "calendar_url": calendar_admin_url() if user.is_staff or user.is_sysadmin else "",
        "audit_entries": audit_entries_for(subject=report)[:50],
        "documents": services.change_documents(report),
        "upload_form": upload_form if kinds else None,
        "awaiting_revised_report": services.awaits_revised_report(report, "approve"),
        "citation": services.citation(report),
    }
    return render(request, "dynamic_mgmt/change_detail.html", context, status=status)


@login_required
def change_detail_view(request, pk):
    return _detail(request, _visible(request, pk))


@login_required
@require_POST
def change_document_upload_view(request, pk):
    """The unit uploads a file; a refused file comes back on the page with the reason."""
    report = _visible(request, pk)
    kinds = services.uploadable_kinds(user=request.user, report=report)
    if not kinds:
        raise PermissionDenied(_("只有名单单位本单位的用户可以在变更报告审核期间上传材料。"))
    form = ChangeDocumentForm(request.POST, request.FILES, kinds=kinds)
    if form.is_valid():
        uploaded = act_on_form(
            request,
            form,
            lambda: services.change_document_upload(
                report=report,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            ),
            success=lambda document: (
                _("已上传%(kind)s（第 %(n)d 版）。")
                % {"kind": document.get_kind_display(), "n": document.number}
            ),
            redirect_to=reverse("dynamic_mgmt:change-detail", args=[report.pk]),
        )
        if uploaded:
            return uploaded
    return _detail(request, report, upload_form=form, status=400)


@login_required
def change_document_view(request, pk):
    """A report's file, only to the unit and the officials who may handle the report; anyone
    else is told nothing exists."""
    document = (
        ChangeDocument.objects.select_related(
            "report__listing__jurisdiction", "report__listing__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if document is None or not services.may_download(user=request.user, report=document.report):
        raise Http404
    return private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@login_required
@require_POST
def change_transition_view(request, pk):
    report = _visible(request, pk)
    return act(
        request,
        lambda: services.change_report_transition(
            report=report,
            action=request.POST.get("action", ""),
            actor=request.user,
            comment=request.POST.get("comment", ""),
        ),
        success=_("已办理。"),
        redirect_to=reverse("dynamic_mgmt:change-detail", args=[pk]),
        brief=True,
        separator="；",
    )


urlpatterns = [
    path("dynamic/changes/", ChangeListView.as_view(), name="change-list"),
    path("dynamic/changes/new/", change_new_view, name="change-new"),
    path("dynamic/changes/<int:pk>/", change_detail_view, name="change-detail"),
    path("dynamic/changes/<int:pk>/transition/", change_transition_view, name="change-transition"),
    path(
        "dynamic/changes/<int:pk>/documents/",
        change_document_upload_view,
        name="change-document-upload",
    ),
    path("dynamic/changes/documents/<int:pk>/", change_document_view, name="change-document"),
]
