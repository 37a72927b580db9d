"""移出名单 pages: the officials' queue of removal proposals and a proposal's page where the
listing's authority (or a level above) decides."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_mgmt import workflow
from dynamic_mgmt.filters.removal import RemovalFilter
from dynamic_mgmt.services import removal as services
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core import clock
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.forms import HtmlDateInput
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from registry.models import RemovalProposal


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("决定"), choices=workflow.DECISIONS, widget=forms.RadioSelect
    )
    document_number = forms.CharField(
        label=gettext_lazy("移出决定文号"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("移出名单时必填，公告中公布"),
    )
    removed_on = forms.DateField(
        label=gettext_lazy("移出日期"), required=False, widget=HtmlDateInput()
    )
    reason = forms.CharField(
        label=gettext_lazy("公告的移出原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("向社会公布，写明情形和依据条款，不得写入举报人等信息"),
    )
    comment = forms.CharField(
        label=gettext_lazy("决定意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("不予移出时必填"),
    )


class RemovalListView(OfficialRequiredMixin, FilteredListView):
    template_name = "dynamic_mgmt/removal_list.html"
    context_object_name = "proposals"
    filterset_class = RemovalFilter
    export_filename = gettext_lazy("移出名单建议")
    export_title = gettext_lazy("移出名单建议")
    export_columns = [
        Column(gettext_lazy("单位名称"), lambda p: p.listing.unit_name, width=32),
        Column(gettext_lazy("统一社会信用代码"), lambda p: p.listing.credit_code, width=22),
        Column(gettext_lazy("所在区划"), lambda p: p.listing.jurisdiction.name, width=14),
        Column(gettext_lazy("发布单位"), lambda p: p.listing.authority.name, width=24),
        Column(gettext_lazy("来源"), lambda p: p.get_source_display(), width=14),
        Column(gettext_lazy("依据条款"), lambda p: p.article, width=16),
        Column(gettext_lazy("理由"), lambda p: p.reason, width=50),
        Column(gettext_lazy("提出时间"), lambda p: p.created_at, width=18),
        Column(gettext_lazy("状态"), lambda p: p.get_status_display(), width=10),
        Column(gettext_lazy("决定"), lambda p: p.decision, width=40),
        Column(gettext_lazy("决定时间"), lambda p: p.decided_at, width=18),
    ]

    def base_queryset(self):
        return services.proposal_list(user=self.request.user)


def _visible(request, pk) -> RemovalProposal:
    user = request.user
    if not (user.is_official or user.is_sysadmin):
        raise PermissionDenied(_("此页面仅对工信部门开放。"))
    return get_object_or_404(services.proposal_list(user=user), pk=pk)


def _context(request, proposal, form=None) -> dict:
    may_decide = services.may_decide(user=request.user, listing=proposal.listing)
    open_ = proposal.status == RemovalProposal.Status.OPEN
    if may_decide and open_ and form is None:
        form = DecisionForm(
            initial={
                "removed_on": clock.today(),
                "reason": services.public_reason(proposal),
            }
        )
    return {
        "proposal": proposal,
        "listing": proposal.listing,
        "ground_label": services.ground_label(proposal) if proposal.ground else "",
        "may_decide": may_decide,
        "form": form if may_decide and open_ else None,
        "others": services.other_proposals(proposal=proposal),
        "audit_entries": audit_entries_for(subject=proposal)[:50],
    }


@login_required
def removal_detail_view(request, pk):
    proposal = _visible(request, pk)
    if request.method != "POST":
        return render(request, "dynamic_mgmt/removal_detail.html", _context(request, proposal))
    if not services.may_decide(user=request.user, listing=proposal.listing):
        raise PermissionDenied(
            _("只有发布该名单的工业和信息化主管部门及其上级部门可以决定是否移出。")
        )
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        decided = act_on_form(
            request,
            form,
            lambda: services.removal_decide(
                proposal=proposal,
                actor=request.user,
                decision=data["decision"],
                comment=data["comment"],
                document_number=data["document_number"],
                removed_on=data["removed_on"],
                reason=data["reason"],
            ),
            success=lambda decided: (
                _("已决定移出名单，并已发布移出公告。")
                if decided.status == RemovalProposal.Status.REMOVED
                else _("已决定不予移出。")
            ),
            redirect_to=reverse("dynamic_mgmt:removal-detail", args=[pk]),
        )
        if decided:
            return decided
    return render(
        request, "dynamic_mgmt/removal_detail.html", _context(request, proposal, form), status=400
    )


urlpatterns = [
    path("dynamic/removals/", RemovalListView.as_view(), name="removal-list"),
    path("dynamic/removals/<int:pk>/", removal_detail_view, name="removal-detail"),
]
