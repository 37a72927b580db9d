"""评价机构黑名单 pages.

Bureau officials of every level decide for their own subtree (洛阳 第二十条, 济南 第十四条（市、
区县）, 大连 二): they list the entries that concern them, add one with its evidence, and lift one
early by a recorded decision. The evidence is served only here, after the permission check. The
public page (no login) lists the entries without the evidence or who recorded them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act_on_form
from greenmfg.core.errors import DomainError
from greenmfg.core.export import Column
from greenmfg.core.files import private_file_response
from greenmfg.core.forms import add_service_errors
from greenmfg.core.lists import FilteredListView, querystring_without_page
from greenmfg.core.permissions import OfficialRequiredMixin
from registry.services.complaint import (
    blacklist_initial_from_complaint,
    blacklist_link_from_complaint,
)
from thirdparty.filters.blacklist import STATE_CHOICES, BlacklistFilter
from thirdparty.forms.blacklist import BlacklistForm, LiftForm
from thirdparty.selectors.blacklist import (
    IN_FORCE,
    PENDING,
    agencies_overseen,
    blacklist_list,
    entry_applications,
    entry_state,
    may_blacklist,
    may_lift,
    public_blacklist,
    state_q,
)
from thirdparty.services import agencies as services

STATE_LABELS = dict(STATE_CHOICES) | {PENDING: gettext_lazy("未生效")}
PUBLIC_PAGE_SIZE = 20


def state_label(entry) -> str:
    return str(STATE_LABELS[entry_state(entry)])


class BlacklistListView(OfficialRequiredMixin, FilteredListView):
    template_name = "thirdparty/blacklist_list.html"
    context_object_name = "entries"
    filterset_class = BlacklistFilter
    export_filename = gettext_lazy("评价机构黑名单")
    export_title = gettext_lazy("评价机构黑名单")
    export_columns = [
        Column(gettext_lazy("评价机构"), lambda e: e.agency.name, width=32),
        Column(gettext_lazy("统一社会信用代码"), lambda e: e.agency.credit_code, width=22),
        Column(gettext_lazy("决定单位"), lambda e: e.authority.name, width=28),
        Column(gettext_lazy("适用范围"), lambda e: e.jurisdiction.name, width=14),
        Column(gettext_lazy("起始日期"), lambda e: e.starts_on, width=12),
        Column(gettext_lazy("截止日期"), lambda e: e.ends_on, width=12),
        Column(gettext_lazy("状态"), state_label, width=12),
        Column(gettext_lazy("提前解除日期"), lambda e: e.lifted_on, width=12),
        Column(gettext_lazy("列入理由"), lambda e: e.reason, width=60),
        Column(gettext_lazy("录入人"), lambda e: e.created_by.display_name, width=14),
    ]

    def base_queryset(self):
        return blacklist_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for entry in context["entries"]:
            entry.state = entry_state(entry)
            entry.state_label = STATE_LABELS[entry.state]
        context["can_add"] = may_blacklist(user=self.request.user)
        return context


class BlacklistCreateView(OfficialRequiredMixin, FormView):
    """列入黑名单: the agency picker offers the agencies the official oversees."""

    template_name = "thirdparty/blacklist_form.html"
    form_class = BlacklistForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_blacklist(user=request.user):
            raise PermissionDenied(_("评价机构黑名单由工业和信息化主管部门决定。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        agencies = agencies_overseen(user=self.request.user).order_by("name", "pk")
        return {**super().get_form_kwargs(), "agencies": agencies}

    def get_initial(self):
        agency = self.request.GET.get("agency", "")
        initial = {"agency": agency} if agency.isdigit() else {}
        # Opened from a complaint (举报) proposing the blacklisting: its agency and findings.
        return initial | blacklist_initial_from_complaint(
            user=self.request.user, complaint_id=self.request.GET.get("complaint")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            authority=user.organisation,
            scope=user.organisation.jurisdiction,
            years=services.BLACKLIST_YEARS,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        return act_on_form(
            self.request,
            form,
            lambda: services.blacklist_add(
                agency=data["agency"],
                actor=self.request.user,
                reason=data["reason"],
                evidence=data["evidence"],
                starts_on=data["starts_on"],
            ),
            success=self._link_and_announce,
            redirect_to=lambda entry: reverse("thirdparty:blacklist-detail", args=[entry.pk]),
        ) or self.form_invalid(form)

    def _link_and_announce(self, entry) -> str:
        """After the entry is made: link the complaint it came from, and say what it means."""
        blacklist_link_from_complaint(
            complaint_id=self.request.GET.get("complaint"), entry=entry, actor=self.request.user
        )
        return _("已将「%(name)s」列入黑名单，%(end)s 前本辖区不予采信其评价报告。") % {
            "name": entry.agency.name,
            "end": entry.ends_on.strftime("%Y-%m-%d"),
        }

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _visible_entry(request, pk):
    user = request.user
    if not (user.is_official or user.is_sysadmin):
        raise PermissionDenied(_("此页面仅对工信部门开放。"))
    return get_object_or_404(blacklist_list(user=user), pk=pk)


def _detail_context(request, entry, *, lift_form=None) -> dict:
    user = request.user
    can_lift = may_lift(user=user, entry=entry)
    state = entry_state(entry)
    return {
        "entry": entry,
        "state": state,
        "state_label": STATE_LABELS[state],
        "can_lift": can_lift,
        "lift_form": (lift_form or LiftForm()) if can_lift else None,
        "applications": entry_applications(entry=entry, user=user),
        "audit_entries": audit_entries_for(subject=entry)[:50],
    }


@login_required
def blacklist_detail_view(request, pk):
    entry = _visible_entry(request, pk)
    return render(request, "thirdparty/blacklist_detail.html", _detail_context(request, entry))


@login_required
def blacklist_evidence_view(request, pk):
    """The evidence, only to the officials who see the entry (never to the public)."""
    entry = _visible_entry(request, pk)
    if not entry.file:
        raise Http404
    return private_file_response(
        entry.file, filename=entry.original_name, content_type=entry.content_type
    )


@login_required
@require_POST
def blacklist_lift_view(request, pk):
    """提前解除: the deciding authority or one above it, while the entry is in force."""
    entry = _visible_entry(request, pk)
    if entry_state(entry) not in (IN_FORCE, PENDING):
        messages.error(request, _("该黑名单记录已不在有效期内。"))
        return redirect("thirdparty:blacklist-detail", pk=entry.pk)
    if not may_lift(user=request.user, entry=entry):
        raise PermissionDenied(_("只有作出决定的部门或其上级部门可以提前解除。"))
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            services.blacklist_lift(
                entry=entry, actor=request.user, decision=form.cleaned_data["decision"]
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("thirdparty:blacklist-detail", pk=entry.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已提前解除该黑名单记录。"))
            return redirect("thirdparty:blacklist-detail", pk=entry.pk)
    return render(
        request,
        "thirdparty/blacklist_detail.html",
        _detail_context(request, entry, lift_form=form),
        status=400,
    )


# --- The public page (no login) ---


def public_blacklist_view(request):
    """评价机构黑名单公示: in force first, then the lifted and expired ones."""
    state = request.GET.get("state", "")
    queryset = public_blacklist()
    if state in STATE_LABELS:
        queryset = queryset.filter(state_q(state))
    else:
        state = ""
    page = Paginator(queryset.order_by("-starts_on", "-pk"), PUBLIC_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for entry in page.object_list:
        entry.state = entry_state(entry)
        entry.state_label = STATE_LABELS[entry.state]
    return render(
        request,
        "public/agency_blacklist.html",
        {
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "querystring": querystring_without_page(request),
            "state": state,
            "states": [(value, label) for value, label in STATE_CHOICES],
            "in_force": IN_FORCE,
        },
    )


urlpatterns = [
    path("agency-blacklist/", BlacklistListView.as_view(), name="blacklist-list"),
    path("agency-blacklist/new/", BlacklistCreateView.as_view(), name="blacklist-create"),
    path("agency-blacklist/<int:pk>/", blacklist_detail_view, name="blacklist-detail"),
    path("agency-blacklist/<int:pk>/evidence/", blacklist_evidence_view, name="blacklist-evidence"),
    path("agency-blacklist/<int:pk>/lift/", blacklist_lift_view, name="blacklist-lift"),
    path("gongshi/agency-blacklist/", public_blacklist_view, name="public-blacklist"),
]
