"""举报 pages: the public (no login) files a real-name complaint and follows it by tracking code;
the handling bureau's officials (and those above) verify and close it.

The complainant's identity and the evidence are shown only to the officials who may handle the
complaint; the evidence is served only through :func:`complaint_evidence_view`, after the check.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.errors import DomainError
from greenmfg.core.export import Column
from greenmfg.core.files import private_file_response
from greenmfg.core.forms import add_service_errors
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from registry.filters.complaint import ComplaintFilter
from registry.forms.complaint import CloseForm, ComplaintForm, TrackingForm, VerifyForm
from registry.models import Complaint, ComplaintEvidence
from registry.selectors.complaint import (
    complaint_by_code,
    complaint_evidence,
    complaint_list,
    complaintable_agencies,
    complaintable_listings,
    linked_blacklist_entry_ids,
    listing_search,
    may_handle,
    may_see_identity,
    public_steps,
    removal_proposals_of,
    subject_name,
)
from registry.services import complaint as services
from thirdparty.selectors.blacklist import blacklist_list, may_blacklist

# The public form: a few filings a minute from one address (the API has its own throttle).
FILING_LIMIT = 5
FILING_WINDOW_SECONDS = 60


def filing_allowed(request) -> bool:
    """Count this filing against the caller's address; False once over the limit."""
    key = f"complaint-filing:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=FILING_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FILING_WINDOW_SECONDS)
        count = 1
    return count <= FILING_LIMIT


def _digits(value) -> str:
    value = str(value or "").strip()
    return value if value.isdigit() else ""


def _candidates(query: str, chosen: str) -> list:
    """The listed units the form offers: the one chosen first, then what the search found."""
    found = listing_search(query=query)
    chosen = _digits(chosen)
    if chosen and all(str(listing.pk) != chosen for listing in found):
        listing = complaintable_listings().filter(pk=chosen).first()
        if listing is not None:
            found.insert(0, listing)
    return found


def public_complaint_new_view(request):
    """我要举报. ``?listing=<id>`` (from a unit's page) or ``?agency=<id>`` chooses the subject;
    the search button keeps what was typed and only looks for units."""
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").strip()[:100]
    candidates = _candidates(query, source.get("listing", ""))
    searched = bool(query)
    status = 200
    if request.method == "POST" and "search" in request.POST:
        form = ComplaintForm(initial=request.POST.dict(), candidates=candidates)
    elif request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, candidates=candidates)
        if not filing_allowed(request):
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            filed = act_on_form(
                request,
                form,
                lambda: services.complaint_file(
                    subject=data["subject"],
                    listing=data["listing"],
                    agency=data["agency"],
                    channel=data["channel"],
                    name=data["name"],
                    id_or_organisation=data["id_or_organisation"],
                    phone=data["phone"],
                    email=data["email"],
                    content=data["content"],
                    evidence=data["evidence"],
                ),
                success=lambda complaint: (
                    _("举报已受理，查询码为 %(code)s，请妥善保存，凭码查询办理进度和结果。")
                    % {"code": complaint.tracking_code}
                ),
                redirect_to=lambda complaint: reverse(
                    "registry:public-complaint", kwargs={"code": complaint.tracking_code}
                ),
            )
            if filed:
                return filed
        if form.errors and status == 200:
            status = 400
    else:
        initial = {}
        agency = _digits(request.GET.get("agency"))
        if candidates and _digits(request.GET.get("listing")):
            initial = {"subject": Complaint.Subject.LISTING, "listing": candidates[0].pk}
        elif agency and complaintable_agencies().filter(pk=agency).exists():
            initial = {"subject": Complaint.Subject.AGENCY, "agency": agency}
        form = ComplaintForm(initial=initial, candidates=candidates)
    return render(
        request,
        "public/complaint_new.html",
        {
            "form": form,
            "query": query,
            "searched": searched,
            "candidates": candidates,
            "rule": services.REAL_NAME_RULE,
        },
        status=status,
    )


def public_complaint_view(request, code=None):
    """举报查询: the status, the outcome and the dates of the handling, by tracking code."""
    code = code or request.GET.get("code", "")
    complaint = complaint_by_code(code=code) if code else None
    return render(
        request,
        "public/complaint_status.html",
        {
            "complaint": complaint,
            "subject_name": subject_name(complaint) if complaint else "",
            "steps": public_steps(complaint=complaint) if complaint else [],
            "code": code,
            "form": TrackingForm(initial={"code": code}),
            "not_found": bool(code) and complaint is None,
        },
        status=404 if code and complaint is None else 200,
    )


# --- the officials ---------------------------------------------------------------------------


class ComplaintListView(OfficialRequiredMixin, FilteredListView):
    template_name = "registry/complaint_list.html"
    context_object_name = "complaints"
    filterset_class = ComplaintFilter
    export_filename = gettext_lazy("举报")
    export_title = gettext_lazy("举报")
    # No complainant's identity: the list and its download are read by the whole subtree.
    export_columns = [
        Column(gettext_lazy("查询码"), lambda c: c.tracking_code, width=14),
        Column(gettext_lazy("举报对象类别"), lambda c: c.get_subject_display(), width=16),
        Column(gettext_lazy("被举报对象"), subject_name, width=36),
        Column(gettext_lazy("受理区划"), lambda c: c.handling_jurisdiction.name, width=14),
        Column(gettext_lazy("举报时间"), lambda c: c.created_at, width=18),
        Column(gettext_lazy("办理状态"), lambda c: c.get_status_display(), width=10),
        Column(gettext_lazy("核实结论"), lambda c: c.get_outcome_display(), width=22),
        Column(gettext_lazy("整改期限"), lambda c: c.rectification_deadline, width=12),
        Column(gettext_lazy("办结时间"), lambda c: c.closed_at, width=18),
    ]

    def base_queryset(self):
        return complaint_list(user=self.request.user)


def _visible_complaint(request, pk) -> Complaint:
    user = request.user
    if not (user.is_official or user.is_sysadmin):
        raise PermissionDenied(_("此页面仅对工信部门开放。"))
    return get_object_or_404(complaint_list(user=user), pk=pk)


def _detail_context(request, complaint, *, verify_form=None, close_form=None) -> dict:
    user = request.user
    handles = may_handle(user=user, complaint=complaint)
    identity = may_see_identity(user=user, complaint=complaint)
    entry_ids = linked_blacklist_entry_ids(complaint=complaint)
    blacklist_url = ""
    if (
        handles
        and complaint.outcome == Complaint.Outcome.BLACKLIST_PROPOSED
        and may_blacklist(user=user)
    ):
        blacklist_url = reverse("thirdparty:blacklist-create") + f"?complaint={complaint.pk}"
    return {
        "complaint": complaint,
        "subject_name": subject_name(complaint),
        "may_handle": handles,
        "show_identity": identity,
        "evidence": list(complaint_evidence(complaint=complaint)) if identity else [],
        "verify_form": (
            (verify_form or VerifyForm())
            if handles and complaint.status == Complaint.Status.RECEIVED
            else None
        ),
        "close_form": (
            (close_form or CloseForm(complaint=complaint))
            if handles and complaint.status == Complaint.Status.VERIFYING
            else None
        ),
        "removal_proposals": list(removal_proposals_of(complaint=complaint)),
        "blacklist_entries": list(blacklist_list(user=user).filter(pk__in=entry_ids)),
        "blacklist_url": blacklist_url,
        "audit_entries": audit_entries_for(subject=complaint)[:50],
    }


@login_required
def complaint_detail_view(request, pk):
    complaint = _visible_complaint(request, pk)
    return render(request, "registry/complaint_detail.html", _detail_context(request, complaint))


@login_required
@require_POST
def complaint_verify_view(request, pk):
    complaint = _visible_complaint(request, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        return act(
            request,
            lambda: services.complaint_verify(
                complaint=complaint, actor=request.user, comment=form.cleaned_data["comment"]
            ),
            success=_("已开始核实该举报。"),
            redirect_to=reverse("registry:complaint-detail", args=[pk]),
        )
    context = _detail_context(request, complaint, verify_form=form)
    return render(request, "registry/complaint_detail.html", context, status=400)


@login_required
@require_POST
def complaint_close_view(request, pk):
    complaint = _visible_complaint(request, pk)
    form = CloseForm(request.POST, complaint=complaint)
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_close(
                complaint=complaint,
                actor=request.user,
                outcome=data["outcome"],
                note=data["outcome_note"],
                rectification_deadline=data["rectification_deadline"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("registry:complaint-detail", pk=pk)
        else:
            messages.success(
                request,
                _("举报已办结：%(outcome)s。") % {"outcome": complaint.get_outcome_display()},
            )
            return redirect("registry:complaint-detail", pk=pk)
    context = _detail_context(request, complaint, close_form=form)
    return render(request, "registry/complaint_detail.html", context, status=400)


@login_required
def complaint_evidence_view(request, pk):
    """A piece of evidence, only to the officials who handle its complaint."""
    evidence = get_object_or_404(
        ComplaintEvidence.objects.select_related("complaint__handling_jurisdiction"), pk=pk
    )
    if not may_see_identity(user=request.user, complaint=evidence.complaint):
        raise PermissionDenied(_("举报证据仅限受理该举报的工信部门查看。"))
    return private_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


urlpatterns = [
    path("gongshi/complaints/new/", public_complaint_new_view, name="public-complaint-new"),
    path("gongshi/complaints/", public_complaint_view, name="public-complaint-lookup"),
    path("gongshi/complaints/<str:code>/", public_complaint_view, name="public-complaint"),
    path("complaints/", ComplaintListView.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", complaint_detail_view, name="complaint-detail"),
    path("complaints/<int:pk>/verify/", complaint_verify_view, name="complaint-verify"),
    path("complaints/<int:pk>/close/", complaint_close_view, name="complaint-close"),
    path("complaints/evidence/<int:pk>/", complaint_evidence_view, name="complaint-evidence"),
]
