"""Each role's start page: it reads every app's selectors, so it sits at the top of the order of
apps (the shell pages that need no app, 404 and health and notifications, stay in core)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from applications.selectors.applications import application_list, county_inbox
from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.core import clock
from greenmfg.directory.models import Organisation
from greenmfg.directory.selectors import (
    organisation_counts_by_child,
    organisation_totals,
    pending_registrations,
)
from greenmfg.notifications.selectors import notifications_for
from greenmfg.portal.inbox import inbox_for
from reviews.selectors.expert import assignments_for_expert
from reviews.selectors.inbox import AUTHORITY_ROLES
from reviews.selectors.review import opinion_request_list


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html")


@login_required
def dashboard(request):
    """Each role's own start page; later modules add their panels to these templates."""
    user = request.user
    role = user.effective_role
    context = {
        "role_label": Role(role).label if role in Role.values else role,
        "organisation": user.organisation,
        "notifications": notifications_for(user=user)[:5],
        # 待办: each role's counts, links and nearest deadlines (a fixed number of queries).
        "todo": inbox_for(user=user),
        "today": clock.today(),
    }
    if role in OFFICIAL_ROLES:
        # The counts come from the maintained summary, not from counting the subtree.
        totals = organisation_totals(user=user)
        context["pending"] = pending_registrations(user=user)[:10]
        context["pending_count"] = totals["pending"]
        context["by_child"] = organisation_counts_by_child(user=user)
        context["by_kind"] = totals["by_kind"]
        context["kind_labels"] = dict(Organisation.Kind.choices)
        if role not in AUTHORITY_ROLES:
            submitted = county_inbox(user=user).filter(status="submitted")
            context["inbox"] = submitted.order_by("-submitted_at")[:10]
        template = "dashboard/official.html"
    elif role == Role.SYSADMIN:
        totals = organisation_totals(user=user)
        context["organisation_total"] = totals["total"]
        context["pending_count"] = totals["pending"]
        template = "dashboard/sysadmin.html"
    else:
        if role in (Role.APPLICANT, Role.AGENCY_STAFF):
            context["applications"] = application_list(user=user).order_by("-updated_at")[:5]
        if role == Role.EXPERT:
            context["assignments"] = assignments_for_expert(user=user)[:10]
        if role == Role.DEPARTMENT_OFFICIAL:
            pending = opinion_request_list(user=user).filter(status="pending")
            context["opinions"] = pending.order_by("due_date", "requested_at")[:10]
        template = f"dashboard/{role}.html"
    return render(request, template, context)
