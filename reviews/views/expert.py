"""专家库 pages for the bureaus that keep one, the experts' own pages, and the panel's actions.

The pool pages are for city, province and national officials (their own bureau's pool) and
administrators. An expert sees their own tasks and declares conflicts. The assignment actions
are posted from the panel on the application page (``{% assignment_panel application %}``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from applications.selectors.applications import application_list
from greenmfg.accounts.roles import Role
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView, querystring_without_page
from reviews.filters.expert import ExpertPoolFilter, TaskFilter
from reviews.forms.expert import AssignForm, ConflictForm, MembershipForm, ReasonForm
from reviews.models import ExpertAssignment
from reviews.selectors.expert import (
    assignments_for_expert,
    conflict_list,
    conflict_organisation_choices,
    expert_pool,
    expert_user_choices,
    keeps_expert_pool,
    pool_authorities,
)
from reviews.services import expert as services


class PoolKeeperRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("专家库由市、省、国家工信部门维护。")

    def test_func(self):
        return keeps_expert_pool(user=self.request.user)


class ExpertRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("此页面仅对评审专家开放。")

    def test_func(self):
        return self.request.user.role == Role.EXPERT


# --- the pool ---------------------------------------------------------------------------------


class ExpertPoolListView(PoolKeeperRequiredMixin, FilteredListView):
    template_name = "reviews/expert_pool_list.html"
    context_object_name = "memberships"
    filterset_class = ExpertPoolFilter
    export_filename = gettext_lazy("专家库")
    export_title = gettext_lazy("专家库")
    export_columns = [
        Column(gettext_lazy("姓名"), lambda m: m.expert.display_name, width=14),
        Column(
            gettext_lazy("所在单位"),
            lambda m: m.expert.organisation.name if m.expert.organisation else None,
            width=30,
        ),
        Column(gettext_lazy("专业领域"), lambda m: m.get_field_display()),
        Column(gettext_lazy("职称"), lambda m: m.title),
        Column(gettext_lazy("入库年度"), lambda m: m.active_from, width=10),
        Column(gettext_lazy("截止年度"), lambda m: m.active_until, width=10),
        Column(gettext_lazy("状态"), lambda m: _("在库") if m.is_active else _("已移出"), 10),
        Column(gettext_lazy("专家库所属部门"), lambda m: m.authority.name, width=28),
    ]

    def base_queryset(self):
        return expert_pool(user=self.request.user)


class ExpertCreateView(PoolKeeperRequiredMixin, FormView):
    template_name = "reviews/expert_form.html"
    form_class = MembershipForm

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "experts": expert_user_choices(
                authority=None if user.is_sysadmin else user.organisation
            ),
            "authorities": pool_authorities() if user.is_sysadmin else None,
        }

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: services.expert_add(actor=self.request.user, **form.cleaned_data),
            success=lambda membership: (
                _("已将「%(name)s」纳入专家库。") % {"name": membership.expert.display_name}
            ),
            redirect_to="reviews:expert-pool-list",
        ) or self.form_invalid(form)


class ExpertUpdateView(PoolKeeperRequiredMixin, FormView):
    template_name = "reviews/expert_form.html"
    form_class = MembershipForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and keeps_expert_pool(user=request.user):
            self.membership = get_object_or_404(expert_pool(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        membership = self.membership
        return {
            "field": membership.field,
            "title": membership.title,
            "active_from": membership.active_from,
            "active_until": membership.active_until,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            membership=self.membership,
            reason_form=ReasonForm(),
            audit_entries=audit_entries_for(subject=self.membership)[:50],
            **kwargs,
        )

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: services.expert_update(
                membership=self.membership, actor=self.request.user, **form.cleaned_data
            ),
            success=_("专家信息已保存。"),
            redirect_to=reverse("reviews:expert-update", args=[self.membership.pk]),
        ) or self.form_invalid(form)


def _pool_member(request, pk):
    if not keeps_expert_pool(user=request.user):
        raise PermissionDenied(_("专家库由市、省、国家工信部门维护。"))
    return get_object_or_404(expert_pool(user=request.user), pk=pk)


@login_required
@require_POST
def expert_deactivate_view(request, pk):
    membership = _pool_member(request, pk)
    form = ReasonForm(request.POST)
    back = reverse("reviews:expert-update", args=[membership.pk])
    if not form.is_valid():
        messages.error(request, _("移出专家库须填写原因。"))
        return redirect(back)
    return act(
        request,
        lambda: services.expert_deactivate(
            membership=membership, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("已移出专家库。"),
        redirect_to=back,
    )


@login_required
@require_POST
def expert_reactivate_view(request, pk):
    membership = _pool_member(request, pk)
    return act(
        request,
        lambda: services.expert_reactivate(membership=membership, actor=request.user),
        success=_("已恢复入库。"),
        redirect_to=reverse("reviews:expert-update", args=[membership.pk]),
    )


# --- the expert's own pages -------------------------------------------------------------------


class ExpertTaskListView(ExpertRequiredMixin, FilteredListView):
    """我的评审任务: the applications assigned to the signed-in expert, and only those."""

    template_name = "reviews/expert_task_list.html"
    context_object_name = "assignments"
    filterset_class = TaskFilter
    export_filename = gettext_lazy("我的评审任务")
    export_title = gettext_lazy("我的评审任务")
    export_columns = [
        Column(gettext_lazy("申报单位"), lambda a: a.application.organisation.name, width=32),
        Column(
            gettext_lazy("申报类型"),
            lambda a: (
                a.application.get_unit_type_display()
                + (f"（{a.application.product_name}）" if a.application.product_name else "")
            ),
            width=24,
        ),
        Column(gettext_lazy("批次"), lambda a: a.application.batch.title, width=40),
        Column(
            gettext_lazy("专家评分"),
            lambda a: _("开放") if a.application.batch.scoring_open else _("已关闭"),
            width=10,
        ),
        Column(gettext_lazy("任务状态"), lambda a: a.get_status_display(), width=12),
        Column(
            gettext_lazy("评分表"),
            lambda a: (
                sheet.get_status_display() if (sheet := getattr(a, "sheet", None)) else _("未填写")
            ),
            width=12,
        ),
        Column(gettext_lazy("分配时间"), lambda a: a.assigned_at, width=18),
    ]

    def base_queryset(self):
        return assignments_for_expert(user=self.request.user)


@login_required
def conflict_declare_view(request):
    """利益冲突申报: the expert's declarations and the form to add one."""
    user = request.user
    if user.role != Role.EXPERT:
        raise PermissionDenied(_("此页面仅对评审专家开放。"))
    organisations = conflict_organisation_choices(user=user)
    form = ConflictForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        declared = act_on_form(
            request,
            form,
            lambda: services.conflict_declare(
                expert=user,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            ),
            success=_("已申报与「%(name)s」存在利益冲突，相关评审任务已回避。")
            % {"name": form.cleaned_data["organisation"].name},
            redirect_to="reviews:expert-conflicts",
        )
        if declared:
            return declared
    page = Paginator(conflict_list(user=user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/expert_conflicts.html",
        {
            "form": form,
            "declarations": page.object_list,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.paginator.num_pages > 1,
            "querystring": querystring_without_page(request),
        },
    )


# --- the panel of an application --------------------------------------------------------------


def _panel(pk: int) -> str:
    return reverse("applications:application-detail", args=[pk]) + "?tab=experts#expert-panel"


@login_required
@require_POST
def assignment_create_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要分配的专家。"))
        return redirect(_panel(pk))
    # The panel lists every excluded expert with the reasons, so a refusal shows its message
    # only (``brief``).
    return act(
        request,
        lambda: services.assignment_create(
            application=application, expert=form.cleaned_data["expert"], actor=request.user
        ),
        success=lambda assignment: (
            _("已分配专家「%(name)s」。") % {"name": assignment.expert.display_name}
        ),
        redirect_to=_panel(pk),
        brief=True,
    )


@login_required
@require_POST
def assignment_auto_view(request, pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    return act(
        request,
        lambda: services.assignment_auto(application=application, actor=request.user),
        success=lambda created: (
            _("已自动分配 %(count)d 名专家：%(names)s。")
            % {"count": len(created), "names": "、".join(a.expert.display_name for a in created)}
        ),
        redirect_to=_panel(pk),
        brief=True,
    )


@login_required
@require_POST
def assignment_withdraw_view(request, pk, assignment_pk):
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    assignment = get_object_or_404(
        ExpertAssignment.objects.select_related("expert"),
        pk=assignment_pk,
        application=application,
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤回分配须填写原因。"))
        return redirect(_panel(pk))
    return act(
        request,
        lambda: services.assignment_withdraw(
            assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("已撤回专家「%(name)s」。") % {"name": assignment.expert.display_name},
        redirect_to=_panel(pk),
        brief=True,
    )


urlpatterns = [
    path("experts/", ExpertPoolListView.as_view(), name="expert-pool-list"),
    path("experts/new/", ExpertCreateView.as_view(), name="expert-create"),
    path("experts/<int:pk>/edit/", ExpertUpdateView.as_view(), name="expert-update"),
    path("experts/<int:pk>/deactivate/", expert_deactivate_view, name="expert-deactivate"),
    path("experts/<int:pk>/reactivate/", expert_reactivate_view, name="expert-reactivate"),
    path("experts/tasks/", ExpertTaskListView.as_view(), name="expert-task-list"),
    path("experts/conflicts/", conflict_declare_view, name="expert-conflicts"),
    path(
        "reviews/applications/<int:pk>/assignments/",
        assignment_create_view,
        name="expert-assign",
    ),
    path(
        "reviews/applications/<int:pk>/assignments/auto/",
        assignment_auto_view,
        name="expert-assign-auto",
    ),
    path(
        "reviews/applications/<int:pk>/assignments/<int:assignment_pk>/withdraw/",
        assignment_withdraw_view,
        name="expert-withdraw",
    ),
]
