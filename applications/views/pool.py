"""培育库 pages: a county's pool, adding and editing candidates, their workflow and invitations.

City and province officials see their counties' pools read-only; only the county (or the
system administrator) changes them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, View

from applications.filters.pool import CandidateFilter
from applications.forms.applications import CommentForm
from applications.models import Batch, CultivationCandidate, UnitType
from applications.selectors.batches import batch_list, open_batches_for
from applications.selectors.pool import (
    can_keep_pool,
    candidate_list,
    is_pool_keeper,
    pool_organisation_choices,
    pool_summary,
)
from applications.services import pool as services
from applications.workflow import SPECIAL_ACTIONS, pool_workflow
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core import clock
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from greenmfg.core.transitions import offered_transitions
from greenmfg.core.widgets import SearchPickerField, search_response
from greenmfg.directory.models import Organisation


def organisation_label(obj: Organisation) -> str:
    return f"{obj.name}（{obj.get_kind_display()}，{obj.credit_code}）"


class OrganisationChoiceField(SearchPickerField):
    """A county's units are offered as a list; the system administrator's, nationwide, are
    searched (applications:pool-organisation-search)."""

    def __init__(self, **kwargs):
        super().__init__(
            search_url="applications:pool-organisation-search",
            name_field="name",
            code_field="credit_code",
            noun=gettext_lazy("单位"),
            **kwargs,
        )

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Batch) -> str:
        deadline = timezone.localtime(obj.submission_deadline).strftime("%Y-%m-%d %H:%M")
        return _("%(title)s（截止 %(deadline)s）") % {"title": obj.title, "deadline": deadline}


class CandidateForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=gettext_lazy("培育对象"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("本县（区）状态正常的企业和园区"),
    )
    target_unit_type = forms.ChoiceField(
        label=gettext_lazy("培育方向"),
        choices=UnitType.choices,
        help_text=gettext_lazy("园区以绿色工业园区为方向，企业以其他类型为方向"),
    )
    target_year = forms.IntegerField(label=gettext_lazy("目标年度"), min_value=2000, max_value=2100)
    plan = forms.CharField(
        label=gettext_lazy("培育计划"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("对照评价标准的差距、改造措施和时间安排（洛阳 第六条）"),
    )
    notes = forms.CharField(
        label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations


class InviteForm(forms.Form):
    batch = BatchChoiceField(
        label=gettext_lazy("申报批次"),
        queryset=Batch.objects.none(),
        help_text=gettext_lazy("申报中、覆盖本县（区）并受理该培育方向的批次"),
    )
    comment = forms.CharField(
        label=gettext_lazy("给申报单位的说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidate: CultivationCandidate, batches=None, **kwargs):
        """Offers the batches that fit; ``batches`` widens what a submission may name, so that
        the service, not the form, explains why a batch does not fit."""
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = (
            batches
            if batches is not None
            else open_batches_for(
                organisation=candidate.organisation, unit_type=candidate.target_unit_type
            )
        )


class PoolKeeperRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("培育库由县（区）工信部门维护。")

    def test_func(self):
        return is_pool_keeper(user=self.request.user)


class PoolListView(OfficialRequiredMixin, FilteredListView):
    template_name = "applications/pool_list.html"
    context_object_name = "candidates"
    filterset_class = CandidateFilter
    export_filename = gettext_lazy("培育库")
    export_title = gettext_lazy("培育库")
    export_columns = [
        Column(gettext_lazy("培育对象"), lambda c: c.organisation.name, width=32),
        Column(gettext_lazy("统一社会信用代码"), lambda c: c.organisation.credit_code, width=22),
        Column(gettext_lazy("县（区）"), lambda c: c.county.name),
        Column(gettext_lazy("培育方向"), lambda c: c.get_target_unit_type_display(), width=18),
        Column(gettext_lazy("目标年度"), lambda c: c.target_year, width=10),
        Column(gettext_lazy("状态"), lambda c: c.get_status_display(), width=12),
        Column(
            gettext_lazy("邀请申报批次"),
            lambda c: c.invited_batch.title if c.invited_batch else None,
            width=36,
        ),
        Column(gettext_lazy("入库时间"), lambda c: c.created_at, width=18),
    ]

    def base_queryset(self):
        return candidate_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        summary = pool_summary(user=user)
        return super().get_context_data(
            can_add=is_pool_keeper(user=user),
            summary=[
                (status, label, summary[status])
                for status, label in CultivationCandidate.Status.choices
            ],
            summary_total=sum(summary.values()),
            **kwargs,
        )


class PoolCreateView(PoolKeeperRequiredMixin, FormView):
    template_name = "applications/pool_form.html"
    form_class = CandidateForm

    def get_initial(self):
        initial = {"target_year": clock.today().year + 1}
        for key in ("organisation", "target_unit_type"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        return initial

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": pool_organisation_choices(user=self.request.user),
        }

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: services.candidate_add(actor=self.request.user, **form.cleaned_data),
            success=lambda candidate: (
                _("已将「%(name)s」纳入培育库。") % {"name": candidate.organisation.name}
            ),
            redirect_to=lambda candidate: reverse("applications:pool-detail", args=[candidate.pk]),
        ) or self.form_invalid(form)


@login_required
def pool_organisation_search_view(request):
    """The pool form's organisation picker: what the user may add, at most 20 by name or code."""
    return search_response(
        request,
        pool_organisation_choices(user=request.user),
        name_field="name",
        code_field="credit_code",
        label=organisation_label,
    )


class PoolDetailView(OfficialRequiredMixin, DetailView):
    template_name = "applications/pool_detail.html"
    context_object_name = "candidate"

    def get_queryset(self):
        return candidate_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        candidate = self.object
        can_keep = can_keep_pool(user=user, county=candidate.county)
        context.update(
            can_keep=can_keep,
            can_edit=can_keep and candidate.status in services.EDITABLE_STATES,
            transitions=offered_transitions(
                workflow=pool_workflow,
                state=candidate.status,
                role=user.effective_role,
                exclude=SPECIAL_ACTIONS,  # 邀请申报 has its own form; 已提交申报 is the system's
                refusals=lambda t: services.candidate_refusals(
                    candidate=candidate, action=t.action, actor=user
                ),
            )
            if can_keep
            else [],
            audit_entries=audit_entries_for(subject=candidate)[:50],
        )
        if can_keep and candidate.status == CultivationCandidate.Status.CULTIVATING:
            context["invite_form"] = InviteForm(candidate=candidate)
        return context


class CandidateMixin(OfficialRequiredMixin):
    """The candidate from the user's scope (404 outside it); changed only by its county."""

    def get_candidate(self) -> CultivationCandidate:
        candidate = get_object_or_404(candidate_list(user=self.request.user), pk=self.kwargs["pk"])
        if not can_keep_pool(user=self.request.user, county=candidate.county):
            raise PermissionDenied(_("培育库由县（区）工信部门维护。"))
        return candidate


class PoolEditView(CandidateMixin, FormView):
    template_name = "applications/pool_form.html"
    form_class = CandidateForm

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and self.test_func()):
            return self.handle_no_permission()
        self.candidate = self.get_candidate()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            field: getattr(self.candidate, field)
            for field in ("target_unit_type", "target_year", "plan", "notes")
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "candidate": self.candidate}

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: services.candidate_update(
                candidate=self.candidate, actor=self.request.user, **form.cleaned_data
            ),
            success=_("培育信息已保存。"),
            redirect_to=reverse("applications:pool-detail", args=[self.candidate.pk]),
        ) or self.form_invalid(form)


class PoolTransitionView(OfficialRequiredMixin, View):
    """The service refuses, with its message, whoever may not take the step."""

    def post(self, request, pk):
        candidate = get_object_or_404(candidate_list(user=request.user), pk=pk)
        form = CommentForm(request.POST)
        back = reverse("applications:pool-detail", args=[pk])
        if not form.is_valid():
            return redirect(back)
        return act(
            request,
            lambda: services.candidate_transition(
                candidate=candidate,
                actor=request.user,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
            ),
            success=lambda candidate: (
                _("培育对象状态已变更为「%(state)s」。") % {"state": candidate.get_status_display()}
            ),
            redirect_to=back,
            brief=True,
        )


class PoolInviteView(OfficialRequiredMixin, View):
    def post(self, request, pk):
        candidate = get_object_or_404(candidate_list(user=request.user), pk=pk)
        form = InviteForm(request.POST, candidate=candidate, batches=batch_list(user=request.user))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("applications:pool-detail", pk=pk)
        return act(
            request,
            lambda: services.candidate_invite(
                candidate=candidate,
                batch=form.cleaned_data["batch"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
            ),
            success=_("已邀请「%(name)s」在「%(batch)s」申报，并通知其账号。")
            % {"name": candidate.organisation.name, "batch": form.cleaned_data["batch"].title},
            redirect_to=reverse("applications:pool-detail", args=[pk]),
            brief=True,
        )


urlpatterns = [
    path("pool/", PoolListView.as_view(), name="pool-list"),
    path("pool/new/", PoolCreateView.as_view(), name="pool-create"),
    path(
        "pool/new/organisations/",
        pool_organisation_search_view,
        name="pool-organisation-search",
    ),
    path("pool/<int:pk>/", PoolDetailView.as_view(), name="pool-detail"),
    path("pool/<int:pk>/edit/", PoolEditView.as_view(), name="pool-edit"),
    path("pool/<int:pk>/transition/", PoolTransitionView.as_view(), name="pool-transition"),
    path("pool/<int:pk>/invite/", PoolInviteView.as_view(), name="pool-invite"),
]
