"""The expert's sheet pages, the officials' decision page and the on-site check form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from applications.selectors.applications import application_list
from applications.selectors.batches import is_batch_authority
from greenmfg.accounts.roles import Role
from greenmfg.core import clock
from greenmfg.core.errors import DomainError
from greenmfg.core.files import private_file_response
from greenmfg.core.forms import add_service_errors
from greenmfg.core.permissions import OfficialRequiredMixin
from reviews.filters.sheet import AssignmentFilter
from reviews.forms.sheet import OnsiteCheckForm, SheetForm
from reviews.models import ExpertAssignment, ScoreSheet
from reviews.selectors.expert import assignments_for_expert
from reviews.selectors.sheet import (
    SCORING_STATES,
    onsite_check_list,
    other_submitted_totals,
    scoring_template_for,
    sheet_for_assignment,
    sheet_state,
    sheet_template,
)
from reviews.services import sheet as services


@login_required
def sheet_list_view(request):
    """The expert's assignments and where each sheet stands."""
    if request.user.role != Role.EXPERT:
        raise Http404
    base = assignments_for_expert(user=request.user)
    filterset = AssignmentFilter(request.GET or None, queryset=base)
    queryset = filterset.qs
    if not request.GET.get("ordering"):
        queryset = queryset.order_by("-assigned_at", "-pk")
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/sheet_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "assignments": page.object_list,
            "is_paginated": page.paginator.num_pages > 1,
            "paginator": page.paginator,
            "querystring": query.urlencode(),
        },
    )


def _sheet_context(assignment, sheet, form, *, submit_refusals=None):
    template = sheet_template(sheet) if sheet else form.template
    state = sheet_state(
        template=template,
        answers=sheet.answers if sheet else {},
        entries=sheet.entries if sheet else {},
    )
    batch = assignment.application.batch
    submitted = sheet is not None and sheet.status == ScoreSheet.Status.SUBMITTED
    return {
        "assignment": assignment,
        "application": assignment.application,
        "sheet": sheet,
        "scoring_template": template,
        "form": form,
        "layout": form.layout(_points_given(state, sheet)),
        "state": state,
        "submitted": submitted,
        "editable": not submitted
        and assignment.status != ExpertAssignment.Status.WITHDRAWN
        and assignment.application.status in SCORING_STATES
        and batch.scoring_open,
        "others": other_submitted_totals(sheet=sheet)
        if submitted and batch.experts_see_others
        else None,
        "submit_refusals": submit_refusals,
    }


def _points_given(state, sheet) -> dict:
    """The points of the items the expert filled in (blank ones show no points yet)."""
    if state.result is None or sheet is None:
        return {}
    return {code: p for code, p in state.result.item_points.items() if code in sheet.entries}


def _autosave_response(sheet, problems, form):
    state = sheet_state(
        template=sheet_template(sheet), answers=sheet.answers, entries=sheet.entries
    )
    result = state.result
    return JsonResponse(
        {
            "saved_at": clock.local_now().strftime("%H:%M:%S"),
            "problems": [
                {"code": p.code, "field": form.field_for(p), "message": p.message} for p in problems
            ],
            "total": str(result.total) if result else None,
            "points": {code: str(points) for code, points in _points_given(state, sheet).items()},
            "remaining": len(state.problems),
            # The header's state (未开始 until the first save) follows the save at once.
            "status": sheet.status,
            "status_label": sheet.get_status_display(),
        }
    )


@login_required
def sheet_detail_view(request, assignment_pk):
    """The expert's sheet: a form grouped like the paper sheet, saved as they go, then read-only.

    Only the assigned expert reaches it (404 for anyone else). The sheet row is created on the
    first save, so looking at the page changes nothing.
    """
    assignment = get_object_or_404(
        ExpertAssignment.objects.select_related("application__batch", "application__organisation"),
        pk=assignment_pk,
        expert_id=request.user.pk,
    )
    if request.user.role != Role.EXPERT:
        raise Http404
    sheet = sheet_for_assignment(assignment=assignment)
    if sheet is not None:
        template = sheet_template(sheet)
    else:
        application = assignment.application
        try:
            template = scoring_template_for(
                batch=application.batch, unit_type=application.unit_type
            )
        except KeyError:
            template = None
        if template is None:
            messages.error(request, _("该申报类型尚无可用的评分模板，请联系组织单位。"))
            return redirect("reviews:sheet-list")
    if request.method != "POST":
        form = SheetForm(template=template, initial=SheetForm.initial_for(sheet))
        return render(request, "reviews/sheet_detail.html", _sheet_context(assignment, sheet, form))

    form = SheetForm(request.POST, template=template)
    form.is_valid()  # only to parse the choices; the service decides what is valid
    answers, entries, comment = form.to_service()
    try:
        sheet = sheet or services.sheet_open(assignment=assignment, actor=request.user)
        sheet, problems = services.sheet_save(
            sheet=sheet, actor=request.user, answers=answers, entries=entries, comment=comment
        )
    except DomainError as error:
        if request.headers.get("X-Autosave"):
            return JsonResponse({"detail": error.message}, status=400)
        messages.error(request, error.message)
        return redirect("reviews:sheet-detail", assignment_pk=assignment.pk)
    form.add_problems(problems)
    if request.headers.get("X-Autosave"):
        return _autosave_response(sheet, problems, form)
    if problems:
        messages.error(
            request,
            _("已保存填写正确的内容；以下 %(count)d 项需要更正。") % {"count": len(problems)},
        )
        context = _sheet_context(assignment, sheet, form)
        return render(request, "reviews/sheet_detail.html", context, status=400)
    if request.POST.get("action") == "submit":
        try:
            services.sheet_submit(sheet=sheet, actor=request.user)
        except DomainError as error:
            context = _sheet_context(
                assignment, sheet, form, submit_refusals=error.reasons or [error.message]
            )
            return render(request, "reviews/sheet_detail.html", context, status=400)
        messages.success(request, _("评分已提交，提交后不能再修改。"))
    else:
        messages.success(request, _("评分表已保存。"))
    return redirect("reviews:sheet-detail", assignment_pk=assignment.pk)


class DecisionDetailView(OfficialRequiredMixin, TemplateView):
    """The batch authority's view of one application's scores, decision preview and visits."""

    template_name = "reviews/sheet_decision.html"

    def get_context_data(self, **kwargs):
        application = get_object_or_404(application_list(user=self.request.user), pk=kwargs["pk"])
        if not is_batch_authority(user=self.request.user, batch=application.batch):
            raise Http404
        return {**super().get_context_data(**kwargs), "application": application}


@login_required
@require_POST
def onsite_create_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form = OnsiteCheckForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.onsite_check_record(
                application=application,
                actor=request.user,
                visited_on=data["visited_on"],
                team=data["team"],
                findings=data["findings"],
                passed=data["passed"],
                uploaded_file=data["file"],
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("现场核查结果已录入。"))
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label} {' '.join(errors)}".strip())
    return redirect(reverse("applications:application-detail", args=[pk]) + "?tab=onsite#onsite")


@login_required
def onsite_attachment_view(request, pk):
    """An on-site check's file, served only to the batch authority's officials."""
    check = get_object_or_404(onsite_check_list(user=request.user), pk=pk)
    if not check.file:
        raise Http404
    return private_file_response(
        check.file, filename=check.original_name, content_type=check.content_type
    )


urlpatterns = [
    path("reviews/sheets/", sheet_list_view, name="sheet-list"),
    path("reviews/sheets/<int:assignment_pk>/", sheet_detail_view, name="sheet-detail"),
    path(
        "reviews/applications/<int:pk>/decision/",
        DecisionDetailView.as_view(),
        name="decision-detail",
    ),
    path(
        "reviews/applications/<int:pk>/onsite-checks/",
        onsite_create_view,
        name="onsite-create",
    ),
    path(
        "reviews/onsite-checks/<int:pk>/attachment/",
        onsite_attachment_view,
        name="onsite-attachment",
    ),
]
