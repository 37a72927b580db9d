"""事故事件 pages: the county records an incident at a listed unit; officials list and read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_mgmt.filters.incident import IncidentFilter
from dynamic_mgmt.forms.incident import IncidentForm, listing_label
from dynamic_mgmt.policy import listing_policy
from dynamic_mgmt.services import incident as services
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from greenmfg.core.widgets import search_response


class IncidentListView(OfficialRequiredMixin, FilteredListView):
    template_name = "dynamic_mgmt/incident_list.html"
    context_object_name = "incidents"
    filterset_class = IncidentFilter
    export_filename = gettext_lazy("事故事件")
    export_title = gettext_lazy("事故事件")
    export_columns = [
        Column(gettext_lazy("单位名称"), lambda i: i.listing.unit_name, width=32),
        Column(gettext_lazy("所在区划"), lambda i: i.listing.jurisdiction.name, width=14),
        Column(gettext_lazy("类别"), lambda i: i.get_kind_display(), width=30),
        Column(gettext_lazy("发生日期"), lambda i: i.occurred_on, width=12),
        Column(gettext_lazy("上报日期"), lambda i: i.reported_on, width=12),
        Column(gettext_lazy("逾期上报"), lambda i: _("是") if i.late else _("否"), width=10),
        Column(gettext_lazy("情况说明"), lambda i: i.description, width=50),
        Column(gettext_lazy("记录人"), lambda i: i.reported_by.display_name, width=16),
    ]

    def base_queryset(self):
        return services.incident_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_record=user.is_official and services.recordable_listings(user=user).exists(),
            **kwargs,
        )


def _recorded_messages(incident):
    if incident.late:
        basis = services.reporting_basis(listing_policy(incident.listing))
        message = _("已记录。本次为逾期上报（%(basis)s），已标注；已生成移出名单建议。")
        return [(messages.WARNING, message % {"basis": basis})]
    return _("已记录，并已生成移出名单建议。")


@login_required
def incident_new_view(request):
    user = request.user
    listings = services.recordable_listings(user=user)
    if not user.is_official:
        raise PermissionDenied(_("只有工信部门可以记录事故事件。"))
    status = 200
    if request.method == "POST":
        form = IncidentForm(request.POST, listings=listings)
        if form.is_valid():
            recorded = act_on_form(
                request,
                form,
                lambda: services.incident_record(actor=user, **form.cleaned_data),
                success=_recorded_messages,
                redirect_to=lambda incident: reverse(
                    "dynamic_mgmt:incident-detail", args=[incident.pk]
                ),
            )
            if recorded:
                return recorded
        status = 400
    else:
        form = IncidentForm(listings=listings, initial={"listing": request.GET.get("listing")})
    return render(request, "dynamic_mgmt/incident_form.html", {"form": form}, status=status)


@login_required
def incident_listing_search_view(request):
    """The incident form's listing picker: the listings the official may record at, at most 20
    by unit name or code."""
    return search_response(
        request,
        services.recordable_listings(user=request.user),
        name_field="unit_name",
        code_field="credit_code",
        label=listing_label,
    )


@login_required
def incident_detail_view(request, pk):
    user = request.user
    if not (user.is_official or user.is_sysadmin):
        raise PermissionDenied(_("此页面仅对工信部门开放。"))
    incident = get_object_or_404(services.incident_list(user=user), pk=pk)
    policy = listing_policy(incident.listing)
    context = {
        "incident": incident,
        "basis": services.reporting_basis(policy),
        "deadline": services.reporting_deadline(policy, incident.occurred_on),
        "proposal": services.proposal_of(incident),
        "audit_entries": audit_entries_for(subject=incident)[:50],
    }
    return render(request, "dynamic_mgmt/incident_detail.html", context)


urlpatterns = [
    path("dynamic/incidents/", IncidentListView.as_view(), name="incident-list"),
    path("dynamic/incidents/new/", incident_new_view, name="incident-new"),
    path(
        "dynamic/incidents/new/listings/",
        incident_listing_search_view,
        name="incident-listing-search",
    ),
    path("dynamic/incidents/<int:pk>/", incident_detail_view, name="incident-detail"),
]
