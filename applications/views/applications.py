"""The applicant's application pages and the county's inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.facts import applicant_specs, reference_specs
from applications.filters.applications import ApplicationFilter
from applications.forms.applications import (
    ApplicationCreateForm,
    ApplicationMetaForm,
    CommentForm,
    FactsForm,
    UploadForm,
)
from applications.models import Application, Document
from applications.precheck import run_precheck
from applications.selectors.applications import (
    application_documents,
    application_list,
    county_inbox,
    document_version_for_download,
    principle_rows,
)
from applications.selectors.batches import is_batch_authority, open_batches_for
from applications.services import applications as services
from applications.services import exceptions
from applications.services.applications import required_document_kinds
from applications.services.documents import document_upload, may_upload
from applications.workflow import application_workflow, runner_guards
from greenmfg.accounts.roles import Role
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core import clock
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.errors import DomainError
from greenmfg.core.export import Column, export_queryset, export_url, wants_export
from greenmfg.core.files import private_file_response
from greenmfg.core.forms import add_service_errors
from greenmfg.core.pagination import CappedPaginator
from greenmfg.core.pdf import pdf_response, render_pdf
from greenmfg.core.transitions import PREVIEW_COMMENT, offered_transitions


def _precheck_label(application) -> str:
    if application.precheck_eligible is None:
        return _("未自查")
    return _("通过") if application.precheck_eligible else _("未通过")


# The columns of the list's table, for its ?export=xlsx download.
APPLICATION_EXPORT_COLUMNS = [
    Column(gettext_lazy("申报单位"), lambda a: a.organisation.name, width=32),
    Column(gettext_lazy("统一社会信用代码"), lambda a: a.organisation.credit_code, width=22),
    Column(
        gettext_lazy("申报类型"),
        lambda a: a.get_unit_type_display() + (f"（{a.product_name}）" if a.product_name else ""),
        width=24,
    ),
    Column(gettext_lazy("批次"), lambda a: a.batch.title, width=40),
    Column(gettext_lazy("区划"), lambda a: a.jurisdiction.name),
    Column(gettext_lazy("状态"), lambda a: a.get_status_display(), width=14),
    Column(gettext_lazy("资格自查"), _precheck_label, width=10),
    Column(gettext_lazy("提交时间"), lambda a: a.submitted_at, width=18),
    Column(
        gettext_lazy("纸质材料"),
        lambda a: _("已接收") if a.paper_copy_received_at else _("未接收"),
        width=10,
    ),
]
# Officials' export adds the experts' scores: submitted sheets and their arithmetic mean (the
# batch may use a trimmed mean: the application page shows the score the decision uses).
SCORE_COLUMNS = [
    Column(gettext_lazy("已提交评分表"), lambda a: getattr(a, "sheets_in", None) or None, width=12),
    Column(
        gettext_lazy("专家评分（算术平均）"),
        lambda a: None if getattr(a, "mean_score", None) is None else round(a.mean_score, 2),
        width=14,
    ),
]
SUBMITTED = Q(expert_assignments__sheet__status="submitted")


def _with_scores(queryset):
    # A grouped query drops Meta.ordering: keep the list's order explicitly.
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.order_by(*ordering).annotate(
        sheets_in=Count("expert_assignments__sheet", filter=SUBMITTED),
        mean_score=Avg("expert_assignments__sheet__total", filter=SUBMITTED),
    )


def _paginate(request, queryset, per_page=25):
    page = CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
def application_list_view(request):
    """An applicant's own applications; an official's inbox of submitted ones."""
    user = request.user
    if user.is_official or user.is_sysadmin:
        base, title = county_inbox(user=user), _("申报受理")
    else:
        base, title = application_list(user=user), _("我的申报")
    filterset = ApplicationFilter(request.GET or None, queryset=base, request=request)
    if wants_export(request):
        if user.is_official or user.is_sysadmin:
            return export_queryset(
                request,
                _with_scores(filterset.qs),
                columns=[*APPLICATION_EXPORT_COLUMNS, *SCORE_COLUMNS],
                filename=title,
                title=title,
                filterset=filterset,
            )
        return export_queryset(
            request,
            filterset.qs,
            columns=APPLICATION_EXPORT_COLUMNS,
            filename=title,
            title=title,
            filterset=filterset,
        )
    page, querystring = _paginate(request, filterset.qs)
    return render(
        request,
        "applications/application_list.html",
        {
            "title": title,
            "filter": filterset,
            "page_obj": page,
            "applications": page.object_list,
            "is_paginated": page.has_other_pages(),
            "paginator": page.paginator,
            "querystring": querystring,
            "can_create": user.role == Role.APPLICANT,
            "export_url": export_url(request),
        },
    )


@login_required
def application_create_view(request):
    user = request.user
    if user.role != Role.APPLICANT or not user.organisation_id:
        raise Http404
    batches = open_batches_for(organisation=user.organisation)
    form = ApplicationCreateForm(
        request.POST or None,
        batches=batches,
        organisation=user.organisation,
        initial=request.GET.dict(),
    )
    if request.method == "POST" and form.is_valid():
        created = act_on_form(
            request,
            form,
            lambda: services.application_create(actor=user, **form.cleaned_data),
            success=_("已创建申报，请填写申报数据并上传材料。"),
            redirect_to=lambda application: reverse(
                "applications:application-edit", args=[application.pk]
            ),
        )
        if created:
            return created
    return render(
        request, "applications/application_create.html", {"form": form, "batches": batches}
    )


def _edit_context(request, application, *, facts_form=None, meta_form=None, upload_form=None):
    specs = applicant_specs(application.batch.policy, application.unit_type)
    meta_initial = {
        "industry": application.industry,
        "product_name": application.product_name,
        "evaluation_mode": application.evaluation_mode,
        "agency": application.agency_id,
        "self_evaluation_helper": application.self_evaluation_helper_id,
    }
    return {
        "application": application,
        "facts_form": facts_form or FactsForm(specs=specs, values=application.facts),
        "meta_form": meta_form
        or ApplicationMetaForm(application=application, initial=meta_initial),
        "upload_form": upload_form or UploadForm(),
        "documents": application_documents(application=application),
        "required_kinds": [
            Document.Kind(kind).label for kind in required_document_kinds(application)
        ],
        "precheck": application.precheck,
        "principle_rows": principle_rows(application=application),
        "transitions": application_workflow.available(
            application.status, request.user.effective_role
        ),
    }


@login_required
def application_edit_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    if request.user.role != Role.APPLICANT or not application.is_editable:
        return redirect("applications:application-detail", pk=pk)
    if request.method != "POST":
        return render(
            request, "applications/application_edit.html", _edit_context(request, application)
        )

    specs = applicant_specs(application.batch.policy, application.unit_type)
    facts_form = FactsForm(request.POST, specs=specs, values=application.facts)
    meta_form = ApplicationMetaForm(request.POST, application=application)
    meta_form.is_valid()  # only to reuse its choice parsing; the service decides what is valid
    agency = meta_form.cleaned_data.get("agency")
    helper = meta_form.cleaned_data.get("self_evaluation_helper")
    try:
        application, errors = services.application_save_draft(
            application=application,
            actor=request.user,
            facts=facts_form.raw_values(),
            industry=request.POST.get("industry"),
            product_name=request.POST.get("product_name"),
            evaluation_mode=request.POST.get("evaluation_mode"),
            agency=agency,
            clear_agency=agency is None,
            self_evaluation_helper=helper,
            clear_self_evaluation_helper=helper is None
            and "self_evaluation_helper" in meta_form.fields,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("applications:application-detail", pk=pk)
    if "agency" in errors:
        # The refused agency was not taken: show the choice the draft still holds, not the
        # refused one, so that nobody reads the form as accepted.
        data = request.POST.copy()
        data["evaluation_mode"] = application.evaluation_mode
        data["agency"] = application.agency_id or ""
        data["self_evaluation_helper"] = application.self_evaluation_helper_id or ""
        meta_form = ApplicationMetaForm(data, application=application)
        meta_form.is_valid()
        errors["agency"] = [*errors["agency"], _("未采用该评价机构，仍为原来的选择。")]
    for key, key_errors in errors.items():
        target = facts_form if key in facts_form.fields else meta_form
        target.add_error(key if key in target.fields else None, key_errors)

    if request.headers.get("X-Autosave"):
        return JsonResponse(
            {"saved_at": clock.local_now().strftime("%H:%M:%S"), "errors": errors}, status=200
        )
    action = request.POST.get("action", "save")
    if not errors and action == "precheck":
        services.application_precheck(application=application, actor=request.user)
        application.refresh_from_db()
        messages.info(request, _("已按当前填写内容完成资格自查，结果见右侧。"))
    elif not errors and action == "submit":
        try:
            services.application_transition(
                application=application, action="submit", actor=request.user
            )
        except DomainError as error:
            application.refresh_from_db()
            context = _edit_context(request, application)
            context["submit_refusals"] = error.reasons or [error.message]
            return render(request, "applications/application_edit.html", context, status=400)
        messages.success(request, _("申报已提交，所在县（区）工信部门将进行初审。"))
        return redirect("applications:application-detail", pk=pk)
    elif not errors:
        messages.success(request, _("草稿已保存。"))
    if errors:
        messages.error(
            request, _("已保存填写正确的内容；以下 %(count)d 项需要更正。") % {"count": len(errors)}
        )
        context = _edit_context(request, application, facts_form=facts_form, meta_form=meta_form)
        return render(request, "applications/application_edit.html", context, status=400)
    return redirect("applications:application-edit", pk=pk)


@login_required
@require_POST
def application_upload_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = act_on_form(
            request,
            form,
            lambda: document_upload(
                application=application,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["file"],
            ),
            success=lambda version: (
                _("已上传「%(title)s」第 %(number)d 版（SHA-256 %(sha)s…）。")
                % {
                    "title": version.document.title,
                    "number": version.number,
                    "sha": version.sha256[:12],
                }
            ),
            redirect_to=_after_upload(request, application),
        )
        if uploaded:
            return uploaded
    if request.user.role == Role.APPLICANT and application.is_editable:
        context = _edit_context(request, application, upload_form=form)
        return render(request, "applications/application_edit.html", context, status=400)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(detail_url(pk, "documents"))


def _after_upload(request, application):
    if request.user.role == Role.APPLICANT:
        return reverse("applications:application-edit", args=[application.pk]) + "#documents"
    return detail_url(application.pk, "documents")


@login_required
def application_detail_view(request, pk):
    # What the review panels show of the application comes in the same query.
    application = get_object_or_404(
        application_list(user=request.user).select_related(*PANEL_RELATIONS), pk=pk
    )
    return render(
        request,
        "applications/application_detail.html",
        _detail_context(request, application, tab=request.GET.get("tab", "")),
    )


# The tabs of the application page (issue 17), in their order. Each renders only its own panels.
DETAIL_TABS = (
    ("overview", gettext_lazy("概况")),
    ("data", gettext_lazy("申报数据与自查")),
    ("documents", gettext_lazy("材料")),
    ("review", gettext_lazy("初审与部门意见")),
    ("experts", gettext_lazy("专家评审")),
    ("onsite", gettext_lazy("现场核查")),
    ("listing", gettext_lazy("公示与名单")),
    ("audit", gettext_lazy("操作记录")),
)
DEFAULT_TAB = "overview"

# Where the user's own work on the application is done, by state: the tab the summary points to.
WORK_TABS = {
    Application.Status.COUNTY_REVIEW: ("review", gettext_lazy("填写初审核对清单、征求部门意见")),
    Application.Status.RECOMMENDED: ("experts", gettext_lazy("组成专家评审组")),
    Application.Status.EXPERT_REVIEW: ("experts", gettext_lazy("查看专家评分与评审决定预览")),
    Application.Status.ONSITE_CHECK: ("onsite", gettext_lazy("录入现场核查结果")),
}


def detail_tabs(*, user, application) -> list[str]:
    """The tabs ``user`` may open on ``application``: the review and the audit trail are the
    officials', the panel, scores and on-site checks the batch authority's."""
    official = user.is_official or user.is_sysadmin
    authority = is_batch_authority(user=user, batch=application.batch)
    offered = {
        "review": official,
        "experts": authority,
        "onsite": authority,
        "audit": official,
    }
    return [key for key, _label in DETAIL_TABS if offered.get(key, True)]


def _guard_refusals(*, application, actor, transition) -> list[str]:
    """Why ``transition`` would be refused now, from the checks the service runs."""
    try:
        if transition.action == "submit":
            return services.submission_refusals(
                application=application, precheck=run_precheck(application=application)
            )
        return [
            refusal
            for guard in runner_guards(transition.action)
            for refusal in guard(
                application, transition=transition, actor=actor, comment=PREVIEW_COMMENT
            )
        ]
    except DomainError as error:  # a guard that raises its own refusal
        return list(error.reasons or [error.message])


def action_rows(*, application, user) -> list[dict]:
    """Each step the table offers ``user`` now, with the reasons it would be refused (empty when
    it may be taken). Guards only read; the one that locks a row (the county's quota) needs a
    transaction, held only while they run (no savepoint: there is nothing to roll back)."""
    if not application_workflow.available(application.status, user.effective_role):
        return []
    with transaction.atomic(savepoint=False):
        # The steps that may be taken come first: the first of them is the next action.
        return offered_transitions(
            workflow=application_workflow,
            state=application.status,
            role=user.effective_role,
            refusals=lambda transition: _guard_refusals(
                application=application, actor=user, transition=transition
            ),
        )


def _detail_context(request, application, *, tab="", principle_error=None):
    user = request.user
    tabs = detail_tabs(user=user, application=application)
    if tab not in tabs:
        tab = DEFAULT_TAB  # an unknown or withheld tab shows the overview
    labels = dict(DETAIL_TABS)
    official = user.is_official or user.is_sysadmin
    work = WORK_TABS.get(application.status)
    context = {
        "application": application,
        "tab": tab,
        "tab_template": f"applications/includes/tab_{tab}.html",
        "tabs": [{"key": key, "label": labels[key], "current": key == tab} for key in tabs],
        "actions": action_rows(application=application, user=user),
        "can_receive_paper": (user.role == Role.COUNTY_OFFICIAL or user.is_sysadmin)
        and application.status != Application.Status.DRAFT
        and not application.paper_copy_received_at,
        "work": {"tab": work[0], "label": work[1]} if work and work[0] in tabs else None,
    }
    if tab == "data":
        context.update(
            {
                "facts_rows": _facts_rows(application),
                "precheck": application.precheck,
                "principle_rows": principle_rows(application=application),
                "principle_error": principle_error,
                "can_accept_principle": application.status == Application.Status.COUNTY_REVIEW
                and (user.role == Role.COUNTY_OFFICIAL or user.is_sysadmin),
            }
        )
        if official:
            context["reference_form"] = FactsForm(
                specs=reference_specs(application.batch.policy, application.unit_type),
                values=application.reference_facts,
            )
    elif tab == "documents":
        context.update(
            {
                "documents": application_documents(application=application),
                "can_upload_report": may_upload(
                    actor=user, application=application, kind="third_party_report"
                )
                and application.is_editable,
                "upload_form": UploadForm(initial={"kind": "third_party_report"}),
            }
        )
    elif tab == "audit":
        context["audit_entries"] = audit_entries_for(subject=application)[:100]
    return context


def detail_url(pk: int, tab: str = "", anchor: str = "") -> str:
    """The application page, on ``tab`` (the overview without one), scrolled to ``anchor``."""
    url = reverse("applications:application-detail", args=[pk])
    return url + (f"?tab={tab}" if tab else "") + (f"#{anchor}" if anchor else "")


@login_required
@require_POST
def application_principle_reason_view(request, pk):
    """The applicant's written reason for a failed 原则上 finding."""
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    code = request.POST.get("code", "")
    try:
        exceptions.exception_state(
            application=application,
            actor=request.user,
            code=code,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        if not application.is_editable or request.user.role != Role.APPLICANT:
            messages.error(request, error.message)
            return redirect("applications:application-detail", pk=pk)
        context = _edit_context(request, application)
        context["principle_error"] = {
            "code": code,
            "message": error.message,
            "reason": request.POST.get("reason", ""),
        }
        return render(request, "applications/application_edit.html", context, status=400)
    messages.success(request, _("理由已保存。提交后由所在县（区）工信部门在初审中审核。"))
    return redirect(reverse("applications:application-edit", args=[pk]) + "#principle")


@login_required
@require_POST
def application_principle_accept_view(request, pk):
    """The county accepts an applicant's reason, with its own, during the initial review."""
    application = get_object_or_404(
        application_list(user=request.user).select_related(*PANEL_RELATIONS), pk=pk
    )
    code = request.POST.get("code", "")
    try:
        exceptions.exception_accept(
            application=application,
            actor=request.user,
            code=code,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        context = _detail_context(
            request,
            application,
            tab="data",
            principle_error={
                "code": code,
                "message": error.message,
                "reason": request.POST.get("reason", ""),
            },
        )
        return render(request, "applications/application_detail.html", context, status=400)
    messages.success(request, _("已认可该理由。"))
    return redirect(detail_url(pk, "data", "principle"))


# The reverse one-to-ones the panels of reviews read (county review, publicity, listing).
PANEL_RELATIONS = ("county_review", "publicity_item__publicity", "listing")


def _facts_rows(application):
    specs = applicant_specs(application.batch.policy, application.unit_type)
    rows = []
    for spec in specs:
        value = application.facts.get(spec.key)
        if isinstance(value, bool):
            shown = _("是") if value else _("否")
        elif spec.kind == "choice" and value is not None:
            shown = dict(spec.choices).get(value, value)
        else:
            shown = "" if value is None else f"{value}{spec.unit if spec.unit == '%' else ''}"
        rows.append({"group": spec.group, "label": spec.label, "value": shown})
    return rows


@login_required
@require_POST
def application_transition_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form = CommentForm(request.POST)
    back = reverse("applications:application-detail", args=[pk])
    if not form.is_valid():
        return redirect(back)
    return act(
        request,
        lambda: services.application_transition(
            application=application,
            actor=request.user,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
        ),
        success=_("操作成功。"),
        redirect_to=back,
    )


@login_required
@require_POST
def application_paper_copy_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    return act(
        request,
        lambda: services.application_record_paper_copy(application=application, actor=request.user),
        success=_("已登记接收纸质材料。"),
        redirect_to=reverse("applications:application-detail", args=[pk]),
    )


@login_required
@require_POST
def application_reference_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    specs = reference_specs(application.batch.policy, application.unit_type)
    form = FactsForm(request.POST, specs=specs, values=application.reference_facts)
    try:
        services.application_set_reference_facts(
            application=application, actor=request.user, facts=form.raw_values()
        )
    except (ValidationError, DomainError) as error:
        add_service_errors(form, error)
        for field, field_errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} {' '.join(field_errors)}")
    else:
        messages.success(request, _("行业参考值已保存。"))
    return redirect(detail_url(pk, "data", "reference"))


@login_required
@require_POST
def application_precheck_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    return act(
        request,
        lambda: services.application_precheck(application=application, actor=request.user),
        success=None,
        redirect_to=detail_url(pk, "data"),
    )


@login_required
def document_download_view(request, pk):
    """Files are served only here, after the same visibility check as the application."""
    version = document_version_for_download(user=request.user, pk=pk)
    if version is None:
        raise Http404
    return private_file_response(
        version.file, filename=version.original_name, content_type=version.content_type
    )


@login_required
def application_pdf_view(request, pk):
    """申报摘要 as a PDF: the facts, the pre-check's findings, the documents with SHA-256."""
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    content = render_pdf(
        "pdf/application_summary.html",
        {
            "application": application,
            "facts_rows": _facts_rows(application),
            "precheck": application.precheck,
            "principle_rows": principle_rows(application=application),
            "documents": application_documents(application=application),
        },
        title=_("绿色制造名单申报摘要"),
        authority=application.batch.authority.name,
    )
    return pdf_response(content, filename=f"申报摘要-{application.organisation.name}-{pk}")


urlpatterns = [
    path("applications/", application_list_view, name="application-list"),
    path("applications/<int:pk>/pdf/", application_pdf_view, name="application-pdf"),
    path("applications/new/", application_create_view, name="application-create"),
    path("applications/<int:pk>/", application_detail_view, name="application-detail"),
    path("applications/<int:pk>/edit/", application_edit_view, name="application-edit"),
    path("applications/<int:pk>/upload/", application_upload_view, name="application-upload"),
    path(
        "applications/<int:pk>/transition/",
        application_transition_view,
        name="application-transition",
    ),
    path(
        "applications/<int:pk>/paper-copy/",
        application_paper_copy_view,
        name="application-paper-copy",
    ),
    path(
        "applications/<int:pk>/reference/", application_reference_view, name="application-reference"
    ),
    path("applications/<int:pk>/precheck/", application_precheck_view, name="application-precheck"),
    path(
        "applications/<int:pk>/principle-reason/",
        application_principle_reason_view,
        name="application-principle-reason",
    ),
    path(
        "applications/<int:pk>/principle-accept/",
        application_principle_accept_view,
        name="application-principle-accept",
    ),
    path("documents/<int:pk>/download/", document_download_view, name="document-download"),
]
