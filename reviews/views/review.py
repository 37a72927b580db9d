"""County review actions on an application, and the consulted departments' inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.selectors.applications import application_list
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column, export_queryset, export_url, wants_export
from greenmfg.core.files import private_file_response
from reviews.filters.review import OpinionFilter
from reviews.forms.review import CountyReviewForm, OpinionAnswerForm, OpinionRequestForm
from reviews.models import OpinionAttachment
from reviews.selectors.review import department_choices, opinion_request_list
from reviews.services import review as services


def _back(pk: int) -> str:
    return reverse("applications:application-detail", args=[pk]) + "?tab=review#county-review"


@login_required
@require_POST
def county_review_save_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form = CountyReviewForm(request.POST, unit_type=application.unit_type)
    if form.is_valid():
        saved = act_on_form(
            request,
            form,
            lambda: services.county_review_save(
                application=application,
                actor=request.user,
                checklist=form.checklist(),
                rank=form.cleaned_data["rank"],
                notes=form.cleaned_data["notes"],
            ),
            success=_("初审意见已保存。"),
            redirect_to=_back(pk),
        )
        if saved:
            return saved
    for field_errors in form.errors.values():
        messages.error(request, " ".join(field_errors))
    return redirect(_back(pk))


@login_required
@require_POST
def opinion_request_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form = OpinionRequestForm(request.POST, departments=department_choices(application=application))
    if form.is_valid():
        sent = act_on_form(
            request,
            form,
            lambda: services.opinion_request_send(
                application=application,
                actor=request.user,
                departments=list(form.cleaned_data["departments"]),
                message=form.cleaned_data["message"],
                due_date=form.cleaned_data["due_date"],
            ),
            success=lambda sent: _("已向 %(count)d 个部门征求意见。") % {"count": len(sent)},
            redirect_to=_back(pk),
        )
        if sent:
            return sent
    for field_errors in form.errors.values():
        messages.error(request, " ".join(field_errors))
    return redirect(_back(pk))


OPINION_EXPORT_COLUMNS = [
    Column(gettext_lazy("申报单位"), lambda r: r.application.organisation.name, 32),
    Column(gettext_lazy("申报类型"), lambda r: r.application.get_unit_type_display(), 16),
    Column(gettext_lazy("批次"), lambda r: r.application.batch.title, 32),
    Column(gettext_lazy("征求意见部门"), lambda r: r.department.name, 28),
    Column(gettext_lazy("状态"), lambda r: r.get_status_display(), 10),
    Column(gettext_lazy("意见"), lambda r: r.get_answer_display(), 10),
    Column(gettext_lazy("理由"), lambda r: r.reasons, 40),
    Column(gettext_lazy("发送时间"), lambda r: r.requested_at, 18),
    Column(gettext_lazy("回复期限"), lambda r: r.due_date, 12),
    Column(gettext_lazy("回复时间"), lambda r: r.answered_at, 18),
]


@login_required
def opinion_list_view(request):
    filterset = OpinionFilter(request.GET or None, queryset=opinion_request_list(user=request.user))
    queryset = filterset.qs.order_by("status", "-requested_at")
    if wants_export(request):
        return export_queryset(
            request,
            queryset,
            columns=OPINION_EXPORT_COLUMNS,
            filename=gettext_lazy("征求意见"),
            title=gettext_lazy("征求意见"),
            filterset=filterset,
        )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/opinion_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "requests": page.object_list,
            "is_paginated": page.paginator.num_pages > 1,
            "paginator": page.paginator,
            "querystring": query.urlencode(),
            "export_url": export_url(request),
        },
    )


@login_required
def opinion_detail_view(request, pk):
    opinion = get_object_or_404(opinion_request_list(user=request.user), pk=pk)
    form = OpinionAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        answered = act_on_form(
            request,
            form,
            lambda: services.opinion_answer(
                request=opinion,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                reasons=form.cleaned_data["reasons"],
                files=request.FILES.getlist("attachments"),
            ),
            success=_("意见已回复。"),
            redirect_to=reverse("reviews:opinion-detail", args=[pk]),
        )
        if answered:
            return answered
    return render(
        request,
        "reviews/opinion_detail.html",
        {
            "opinion": opinion,
            "form": form,
            "can_answer": opinion.status == "pending"
            and request.user.organisation_id == opinion.department_id,
        },
    )


@login_required
def opinion_attachment_view(request, pk):
    """Attachments are served only to who may see the opinion request."""
    attachment = get_object_or_404(
        OpinionAttachment.objects.select_related("request"),
        pk=pk,
        request__in=opinion_request_list(user=request.user),
    )
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


urlpatterns = [
    path(
        "reviews/applications/<int:pk>/county-review/",
        county_review_save_view,
        name="county-review-save",
    ),
    path("reviews/applications/<int:pk>/opinions/", opinion_request_view, name="opinion-request"),
    path("opinions/", opinion_list_view, name="opinion-list"),
    path("opinions/<int:pk>/", opinion_detail_view, name="opinion-detail"),
    path("opinions/attachments/<int:pk>/", opinion_attachment_view, name="opinion-attachment"),
]
