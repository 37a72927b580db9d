"""申报批次 pages: the list, the form to open or edit one, its detail with quotas and workflow."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, View

from applications.filters.batches import BatchFilter
from applications.forms.applications import CommentForm
from applications.models import POLICY_CHOICES, Application, Batch, UnitType
from applications.selectors.applications import county_inbox
from applications.selectors.batches import (
    batch_children,
    batch_list,
    batch_quota_rows,
    can_create_batches,
    can_manage_batch,
    is_batch_authority,
)
from applications.services import batches as services
from applications.services.batches import AUTHORITY_LEVELS, DRAFT_EDITABLE, policy_label
from applications.workflow import batch_workflow
from greenmfg.accounts.roles import Role
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core import clock
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.export import Column
from greenmfg.core.forms import HtmlDateInput
from greenmfg.core.lists import FilteredListView
from greenmfg.core.transitions import offered_transitions
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.rules import UNIT_TYPES, batch_period_finding, policies, policy_period
from greenmfg.rules import unit_types as policy_unit_types

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = HtmlDateInput()
# The applications still with the county (提交 → 初审).
IN_COUNTY_REVIEW = (Application.Status.SUBMITTED, Application.Status.COUNTY_REVIEW)
# Fixed once the batch is published (applicants rely on them).
DRAFT_ONLY_FIELDS = ("title", "year", "policy", "unit_types")


def _coverage_help() -> str:
    """Which types each policy covers, e.g. that 济南 has no design products."""
    lines = []
    for code in policies():
        name = policy_label(code).split("（")[0]
        lines.append(f"{name}：{'、'.join(UNIT_TYPES[t] for t in policy_unit_types(code))}")
    return "；".join(lines)


def _period_help() -> str:
    """Each policy's 有效期, so the official picks one that covers the batch before saving."""
    return "；".join(
        f"{policy_label(code).split('（')[0]}：{policy_period(code).statement}"
        for code in policies()
    )


class BatchForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=gettext_lazy("组织单位"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("批次名称"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    policy = forms.ChoiceField(label=gettext_lazy("适用政策"), choices=POLICY_CHOICES)
    unit_types = forms.MultipleChoiceField(
        label=gettext_lazy("受理类型"),
        choices=UnitType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    submission_deadline = forms.DateTimeField(
        label=gettext_lazy("网上申报截止时间"), widget=DATETIME_INPUT
    )
    paper_copy_deadline = forms.DateField(
        label=gettext_lazy("纸质材料报送截止日期"), required=False, widget=DATE_INPUT
    )
    agency_report_deadline = forms.DateField(
        label=gettext_lazy("第三方机构报告截止日期"), required=False, widget=DATE_INPUT
    )
    announcement = forms.CharField(
        label=gettext_lazy("申报通知"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("申报企业和园区在批次页面看到的通知全文"),
    )

    def __init__(self, *args, authorities=None, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_types"].help_text = _("须为所选政策涵盖的类型。") + _coverage_help()
        self.fields["policy"].help_text = _("批次须在政策有效期内组织。") + _period_help()
        if authorities is None:
            del self.fields["authority"]
        else:
            self.fields["authority"].queryset = authorities
        if locked:
            for name in DRAFT_ONLY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("批次已发布，不能修改。")


class QuotaForm(forms.Form):
    """One number per child jurisdiction of the batch; an empty box means no quota."""

    def __init__(self, *args, children: list[Jurisdiction], **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            self.fields[self.field_name(child)] = forms.IntegerField(
                label=child.name, required=False, min_value=0, max_value=services.MAX_QUOTA
            )

    @staticmethod
    def field_name(child: Jurisdiction) -> str:
        return f"quota_{child.pk}"

    def quotas(self) -> dict[Jurisdiction, int]:
        return {
            child: self.cleaned_data[self.field_name(child)]
            for child in self.children
            if self.cleaned_data.get(self.field_name(child)) is not None
        }


class BatchAuthorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("只有市级及以上工信部门可以创建申报批次。")

    def test_func(self):
        return can_create_batches(user=self.request.user)


def _authorities_for(user):
    """The bureaus an administrator may open a batch for; None for everyone else."""
    if not user.is_sysadmin:
        return None
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.BUREAU, jurisdiction__level__in=AUTHORITY_LEVELS
        )
        .select_related("jurisdiction")
        .order_by("jurisdiction__path")
    )


class BatchListView(LoginRequiredMixin, FilteredListView):
    template_name = "applications/batch_list.html"
    context_object_name = "batches"
    filterset_class = BatchFilter
    export_filename = gettext_lazy("申报批次")
    export_title = gettext_lazy("申报批次")
    export_columns = [
        Column(gettext_lazy("批次名称"), lambda b: b.title, width=40),
        Column(gettext_lazy("年度"), lambda b: b.year, width=10),
        Column(gettext_lazy("组织单位"), lambda b: b.authority.name, width=28),
        Column(gettext_lazy("适用政策"), lambda b: b.get_policy_display(), width=36),
        Column(gettext_lazy("受理类型"), lambda b: "、".join(b.unit_type_labels()), width=40),
        Column(gettext_lazy("网上申报截止"), lambda b: b.submission_deadline, width=18),
        Column(gettext_lazy("状态"), lambda b: b.get_status_display(), width=12),
    ]

    def base_queryset(self):
        return batch_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=can_create_batches(user=self.request.user), **kwargs
        )


class BatchCreateView(BatchAuthorRequiredMixin, FormView):
    template_name = "applications/batch_form.html"
    form_class = BatchForm

    def get_initial(self):
        return {"year": clock.today().year}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "authorities": _authorities_for(self.request.user)}

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: services.batch_create(actor=self.request.user, **form.cleaned_data),
            success=lambda batch: (
                _("已创建批次「%(title)s」，发布后开始受理申报。") % {"title": batch.title}
            ),
            redirect_to=lambda batch: reverse("applications:batch-detail", args=[batch.pk]),
        ) or self.form_invalid(form)


# The tabs of the batch page (issue 17), in their order. Each renders only its own panels; the
# summary with the next action is on every tab.
DETAIL_TABS = (
    ("overview", gettext_lazy("概况")),
    ("announcement", gettext_lazy("申报通知")),
    ("settings", gettext_lazy("评审设置")),
    ("quotas", gettext_lazy("推荐名额")),
    ("publicity", gettext_lazy("办理与公示")),
    ("audit", gettext_lazy("操作记录")),
)
DEFAULT_TAB = "overview"
OFFICIAL_TABS = frozenset({"settings", "quotas", "audit"})
# The anchors other pages and old links use, and the tab each panel now lives on: a link to
# /batches/1/#quotas is sent on to ?tab=quotas#quotas (static/js/tab_anchors.js).
ANCHOR_TABS = {
    "announcement": "announcement",
    "review-settings": "settings",
    "quotas": "quotas",
    "county-summary": "publicity",
    "publicity": "publicity",
    "bulk": "publicity",
}


def detail_tabs(*, user, batch: Batch) -> list[str]:
    """The tabs ``user`` may open: the review settings, quotas and trail are the officials';
    others see 办理与公示 once the batch has a publicity (its panel has nothing else for them;
    the reverse one-to-one is read by name, so applications does not import reviews)."""
    if user.is_official or user.is_sysadmin:
        return [key for key, _label in DETAIL_TABS]
    offered = {"publicity": hasattr(batch, "publicity")}
    return [
        key for key, _label in DETAIL_TABS if key not in OFFICIAL_TABS and offered.get(key, True)
    ]


def batch_url(pk: int, tab: str = "", anchor: str = "") -> str:
    """The batch page, on ``tab`` (the overview without one), scrolled to ``anchor``."""
    url = reverse("applications:batch-detail", args=[pk])
    return url + (f"?tab={tab}" if tab else "") + (f"#{anchor}" if anchor else "")


def batch_action_rows(*, batch: Batch, user) -> list[dict]:
    """The steps the batch's own bureau may take (发布, 截止, 重新开放), the ones the service
    would refuse now disabled with its reasons; the first that may be taken is the next."""
    if not can_manage_batch(user=user, batch=batch):
        return []
    return offered_transitions(
        workflow=batch_workflow,
        state=batch.status,
        role=user.effective_role,
        refusals=lambda t: services.batch_refusals(batch=batch, action=t.action, actor=user),
    )


def _counts(*, user, batch: Batch) -> dict:
    """The applications of the batch the official may see, by stage: one query."""
    return (
        county_inbox(user=user)
        .filter(batch=batch)
        .aggregate(
            received=Count("pk"),
            in_review=Count("pk", filter=Q(status__in=IN_COUNTY_REVIEW)),
            passed=Count("pk", filter=Q(status=Application.Status.PASSED)),
            listed=Count("pk", filter=Q(status=Application.Status.LISTED)),
        )
    )


def _work_links(*, user, batch: Batch, can_manage: bool, tabs: list[str]) -> list[dict]:
    """Where the user's own work on the batch is done now, as links to its tab."""
    links = []
    if can_manage and batch.status != Batch.Status.CLOSED and "quotas" in tabs:
        links.append({"tab": "quotas", "label": _("设置各下级区划的推荐名额")})
    if user.is_official or user.is_sysadmin:
        # Bulk steps, the publicity, the list and the recommendations: reviews' panel says which.
        links.append({"tab": "publicity", "label": _("批量办理、公示与推荐")})
    return links


def _detail_context(
    request, batch: Batch, *, tab: str = "", quota_form: QuotaForm | None = None
) -> dict:
    user = request.user
    is_official = user.is_official or user.is_sysadmin
    can_manage = can_manage_batch(user=user, batch=batch)
    tabs = detail_tabs(user=user, batch=batch)
    if tab not in tabs:
        tab = DEFAULT_TAB  # an unknown or withheld tab shows the overview
    labels = dict(DETAIL_TABS)
    context = {
        "batch": batch,
        "policy_label": policy_label(batch.policy),
        "can_manage": can_manage,
        "is_official": is_official,
        "tab": tab,
        "tab_template": f"applications/includes/batch_tab_{tab}.html",
        "tabs": [{"key": key, "label": labels[key], "current": key == tab} for key in tabs],
        "anchor_tabs": {anchor: key for anchor, key in ANCHOR_TABS.items() if key in tabs},
        "transitions": batch_action_rows(batch=batch, user=user),
        "work_links": [
            link
            for link in _work_links(user=user, batch=batch, can_manage=can_manage, tabs=tabs)
            if link["tab"] != tab
        ],
        "counts": _counts(user=user, batch=batch) if is_official else None,
        "may_apply": user.role == Role.APPLICANT and batch.status == Batch.Status.OPEN,
    }
    if tab == "overview":
        period = policy_period(batch.policy)
        # Batches made before the period was checked stay as they were; the page says so.
        in_period = batch_period_finding(
            batch.policy, year=batch.year, deadline=timezone.localdate(batch.submission_deadline)
        )
        context.update(
            policy_period=period.statement,
            policy_period_problem="" if in_period.passed else in_period.message,
        )
    elif tab == "settings":
        context["may_edit_settings"] = is_batch_authority(user=user, batch=batch)
    elif tab == "quotas":
        rows = batch_quota_rows(batch=batch)
        if can_manage:
            quota_form = quota_form or QuotaForm(
                children=[row["jurisdiction"] for row in rows],
                initial={
                    QuotaForm.field_name(row["jurisdiction"]): row["quota"]
                    for row in rows
                    if row["quota"] is not None
                },
            )
            for row in rows:
                row["field"] = quota_form[QuotaForm.field_name(row["jurisdiction"])]
        context.update(
            quota_rows=rows,
            quota_form=quota_form if can_manage else None,
            quota_total=sum(row["quota"] or 0 for row in rows),
        )
    elif tab == "audit":
        context["audit_entries"] = audit_entries_for(subject=batch)[:50]
    return context


class BatchDetailView(LoginRequiredMixin, DetailView):
    """Everyone who may see the batch reads its notice and deadlines; officials its settings,
    quotas and trail; its own bureau edits it. A summary with the next action, then tabs."""

    template_name = "applications/batch_detail.html"
    context_object_name = "batch"

    def get_queryset(self):
        return batch_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **_detail_context(self.request, self.object, tab=self.request.GET.get("tab", "")),
        }


class BatchManageMixin(LoginRequiredMixin):
    """The batch from the user's scope (404 outside it), editable only by its own bureau."""

    def get_batch(self) -> Batch:
        batch = get_object_or_404(batch_list(user=self.request.user), pk=self.kwargs["pk"])
        if not can_manage_batch(user=self.request.user, batch=batch):
            raise PermissionDenied(_("只有组织该批次的工信部门可以修改批次。"))
        return batch


class BatchEditView(BatchManageMixin, FormView):
    template_name = "applications/batch_form.html"
    form_class = BatchForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.batch = self.get_batch()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {field: getattr(self.batch, field) for field in DRAFT_EDITABLE}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locked": self.batch.status != Batch.Status.DRAFT}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "batch": self.batch}

    def form_valid(self, form):
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if not form.fields[name].disabled
        }
        return act_on_form(
            self.request,
            form,
            lambda: services.batch_update(batch=self.batch, actor=self.request.user, **changes),
            success=_("批次已保存。"),
            redirect_to=reverse("applications:batch-detail", args=[self.batch.pk]),
        ) or self.form_invalid(form)


class BatchQuotasView(BatchManageMixin, View):
    def post(self, request, pk):
        batch = self.get_batch()
        form = QuotaForm(request.POST, children=list(batch_children(batch=batch)))
        if form.is_valid():
            saved = act_on_form(
                request,
                form,
                lambda: services.batch_set_quotas(
                    batch=batch, actor=request.user, quotas=form.quotas()
                ),
                success=_("推荐名额已保存。"),
                redirect_to=batch_url(pk, "quotas", "quotas"),
            )
            if saved:
                return saved
        return render(
            request,
            "applications/batch_detail.html",
            _detail_context(request, batch, tab="quotas", quota_form=form),
            status=400,
        )


class BatchTransitionView(BatchManageMixin, View):
    def post(self, request, pk):
        batch = self.get_batch()
        form = CommentForm(request.POST)
        back = reverse("applications:batch-detail", args=[batch.pk])
        if not form.is_valid():
            return redirect(back)
        return act(
            request,
            lambda: services.batch_transition(
                batch=batch,
                actor=request.user,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
            ),
            success=lambda batch: (
                _("批次状态已变更为「%(state)s」。") % {"state": batch.get_status_display()}
            ),
            redirect_to=back,
            brief=True,
        )


urlpatterns = [
    path("batches/", BatchListView.as_view(), name="batch-list"),
    path("batches/new/", BatchCreateView.as_view(), name="batch-create"),
    path("batches/<int:pk>/", BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/edit/", BatchEditView.as_view(), name="batch-edit"),
    path("batches/<int:pk>/quotas/", BatchQuotasView.as_view(), name="batch-quotas"),
    path("batches/<int:pk>/transition/", BatchTransitionView.as_view(), name="batch-transition"),
]
