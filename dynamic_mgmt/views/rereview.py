"""三年复审 pages (济南 第十五条): the re-review cases the nightly sweep opened, and a case's page
where the city that published the list extends the term by three years or ends it."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dynamic_mgmt.filters.rereview import ReReviewFilter
from dynamic_mgmt.models import ReReviewCase
from dynamic_mgmt.services import rereview as services
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView


class ExtendForm(forms.Form):
    prefix = "extend"
    document_number = forms.CharField(
        label=gettext_lazy("文号"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("选填，随延长公告发布"),
    )
    reason = forms.CharField(
        label=gettext_lazy("复审意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("选填，公告中公布"),
    )


class EndForm(forms.Form):
    prefix = "end"
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=100, required=False)
    reason = forms.CharField(
        label=gettext_lazy("未通过理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("复审未通过时请说明理由。")},
        help_text=gettext_lazy("写明不再符合名单要求的情形，将列入移出建议并在复审结果中公布"),
    )


class ReReviewListView(LoginRequiredMixin, FilteredListView):
    template_name = "dynamic_mgmt/rereview_list.html"
    context_object_name = "cases"
    filterset_class = ReReviewFilter
    export_filename = gettext_lazy("三年期满复审")
    export_title = gettext_lazy("三年期满复审")
    export_columns = [
        Column(gettext_lazy("单位名称"), lambda c: c.listing.unit_name, width=32),
        Column(gettext_lazy("统一社会信用代码"), lambda c: c.listing.credit_code, width=22),
        Column(gettext_lazy("所在区划"), lambda c: c.listing.jurisdiction.name, width=14),
        Column(gettext_lazy("发布单位"), lambda c: c.listing.authority.name, width=24),
        Column(gettext_lazy("期满日期"), lambda c: c.due_on, width=12),
        Column(gettext_lazy("有效期至"), lambda c: c.listing.valid_until, width=12),
        Column(gettext_lazy("状态"), lambda c: c.get_status_display(), width=16),
        Column(gettext_lazy("复审结论"), lambda c: c.decision, width=40),
        Column(gettext_lazy("结论时间"), lambda c: c.decided_at, width=18),
    ]

    def base_queryset(self):
        return services.re_review_list(user=self.request.user)


def _visible(request, pk) -> ReReviewCase:
    return get_object_or_404(services.re_review_list(user=request.user), pk=pk)


def _decidable(request, pk) -> ReReviewCase:
    case = _visible(request, pk)
    if not services.may_decide_re_review(user=request.user, case=case):
        raise PermissionDenied(
            _("只有发布该名单的工业和信息化主管部门及其上级部门可以作出复审结论。")
        )
    return case


def _context(request, case, *, extend_form=None, end_form=None) -> dict:
    decides = services.may_decide_re_review(user=request.user, case=case)
    open_ = case.status == ReReviewCase.Status.OPEN
    return {
        "case": case,
        "listing": case.listing,
        "may_decide": decides,
        "extended_until": services.extended_until(case),
        "extend_form": (extend_form or ExtendForm()) if decides and open_ else None,
        "end_form": (end_form or EndForm()) if decides and open_ else None,
        "proposals": case.listing.removal_proposals.order_by("-created_at", "-id"),
        # The trail names the officials: for officials, not for the unit's own users.
        "audit_entries": (
            audit_entries_for(subject=case)[:50]
            if request.user.is_official or request.user.is_sysadmin
            else []
        ),
    }


@login_required
def rereview_detail_view(request, pk):
    case = _visible(request, pk)
    return render(request, "dynamic_mgmt/rereview_detail.html", _context(request, case))


@login_required
@require_POST
def rereview_extend_view(request, pk):
    case = _decidable(request, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        extended = act_on_form(
            request,
            form,
            lambda: services.re_review_extend(case=case, actor=request.user, **form.cleaned_data),
            success=lambda extended: (
                _("复审通过，名单有效期已延长至 %(date)s，并已发布公告。")
                % {"date": extended.listing.valid_until.isoformat()}
            ),
            redirect_to=reverse("dynamic_mgmt:rereview-detail", args=[pk]),
        )
        if extended:
            return extended
    context = _context(request, case, extend_form=form)
    return render(request, "dynamic_mgmt/rereview_detail.html", context, status=400)


@login_required
@require_POST
def rereview_end_view(request, pk):
    case = _decidable(request, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        ended = act_on_form(
            request,
            form,
            lambda: services.re_review_end(case=case, actor=request.user, **form.cleaned_data),
            success=_("已记录复审未通过，并提出移出名单建议。"),
            redirect_to=lambda ended: reverse("dynamic_mgmt:removal-detail", args=[ended[1].pk]),
        )
        if ended:
            return ended
    context = _context(request, case, end_form=form)
    return render(request, "dynamic_mgmt/rereview_detail.html", context, status=400)


urlpatterns = [
    path("dynamic/re-reviews/", ReReviewListView.as_view(), name="rereview-list"),
    path("dynamic/re-reviews/<int:pk>/", rereview_detail_view, name="rereview-detail"),
    path("dynamic/re-reviews/<int:pk>/extend/", rereview_extend_view, name="rereview-extend"),
    path("dynamic/re-reviews/<int:pk>/end/", rereview_end_view, name="rereview-end"),
]
