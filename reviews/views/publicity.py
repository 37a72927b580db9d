"""公示 pages: the authority starts a publicity, answers objections and publishes the list; the
public (no login) reads the proposed lists, lodges objections and follows them by code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.models import Application
from applications.selectors.batches import batch_list, is_batch_authority
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column, export_queryset, export_url, wants_export
from reviews.forms.publicity import (
    ObjectionDecisionForm,
    ObjectionForm,
    PublicityStartForm,
    PublishForm,
    TrackingForm,
)
from reviews.models import Objection, Publicity, PublicityItem
from reviews.selectors.publicity import (
    objection_by_code,
    public_items,
    public_publicities,
    publicity_items,
    publicity_list,
    publicity_period,
)
from reviews.services import publicity as services


def _passed_of(batch):
    return (
        batch.applications.filter(status=Application.Status.PASSED)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@login_required
def publicity_start_view(request, pk):
    batch = get_object_or_404(batch_list(user=request.user), pk=pk)
    if not is_batch_authority(user=request.user, batch=batch):
        messages.error(
            request, _("公示由批次组织单位「%(a)s」办理。") % {"a": batch.authority.name}
        )
        return redirect("applications:batch-detail", pk=pk)
    if hasattr(batch, "publicity"):
        return redirect("reviews:publicity-manage", pk=batch.publicity.pk)
    passed = _passed_of(batch)
    if request.method == "POST":
        form = PublicityStartForm(request.POST, passed=passed)
        if form.is_valid():
            started = act_on_form(
                request,
                form,
                lambda: services.publicity_start(
                    batch=batch,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    contact=form.cleaned_data["contact"],
                    notice=form.cleaned_data["notice"],
                    applications=list(form.cleaned_data["applications"]),
                ),
                success=lambda publicity: (
                    _("公示已发布，公示期至 %(end)s。") % {"end": publicity.ends_on}
                ),
                redirect_to=lambda publicity: reverse(
                    "reviews:publicity-manage", args=[publicity.pk]
                ),
            )
            if started:
                return started
    else:
        form = PublicityStartForm(
            passed=passed,
            initial={
                "title": batch.publicity_title,
                "applications": list(passed),
            },
        )
    return render(
        request,
        "reviews/publicity_start.html",
        {"batch": batch, "form": form, "passed_count": passed.count()},
    )


PUBLICITY_EXPORT_COLUMNS = [
    Column(gettext_lazy("公示"), lambda p: p.title, 40),
    Column(gettext_lazy("组织单位"), lambda p: p.batch.authority.name, 28),
    Column(gettext_lazy("公示开始"), lambda p: p.starts_on, 12),
    Column(gettext_lazy("公示截止"), lambda p: p.ends_on, 12),
    Column(gettext_lazy("状态"), lambda p: p.get_status_display(), 12),
    Column(gettext_lazy("待处理异议"), lambda p: p.pending_objections, 10),
    Column(gettext_lazy("名单发文文号"), lambda p: p.document_number, 24),
    Column(gettext_lazy("发布日期"), lambda p: p.published_on, 12),
]
ITEM_EXPORT_COLUMNS = [
    Column(gettext_lazy("序号"), lambda i: i.position, 6),
    Column(gettext_lazy("单位名称"), lambda i: i.application.organisation.name, 36),
    Column(gettext_lazy("统一社会信用代码"), lambda i: i.application.organisation.credit_code, 22),
    Column(gettext_lazy("类型"), lambda i: i.application.get_unit_type_display(), 16),
    Column(gettext_lazy("产品名称"), lambda i: i.application.product_name, 20),
    Column(gettext_lazy("所在区划"), lambda i: i.application.jurisdiction.name, 14),
    Column(gettext_lazy("得分"), lambda i: i.score, 8),
    Column(gettext_lazy("结果"), lambda i: i.get_outcome_display(), 16),
]


@login_required
def publicity_list_view(request):
    queryset = publicity_list(user=request.user)
    if wants_export(request):
        return export_queryset(
            request,
            queryset,
            columns=PUBLICITY_EXPORT_COLUMNS,
            filename=gettext_lazy("公示"),
            title=gettext_lazy("公示"),
        )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/publicity_list.html",
        {"page_obj": page, "export_url": export_url(request)},
    )


# The tabs of the publicity page (issue 17), in their order; the summary with the next action
# (答复异议, 发布名单, disabled with the service's reasons while it would refuse) is on every tab.
MANAGE_TABS = (
    ("overview", gettext_lazy("概况")),
    ("items", gettext_lazy("公示对象")),
    ("objections", gettext_lazy("异议")),
    ("audit", gettext_lazy("操作记录")),
)
DEFAULT_TAB = "overview"
# The anchors links have used and the tab each now lives on: a link to …#objection-12 (a prefix
# ends in *) is sent on to ?tab=objections#objection-12 (static/js/tab_anchors.js).
ANCHOR_TABS = {
    "items-heading": "items",
    "objections-heading": "objections",
    "objection-*": "objections",
}


def manage_tabs(*, user, publicity) -> list[str]:
    """The tabs ``user`` may open: the trail is the officials' (the page is only theirs today;
    the rule is written here so that a wider page does not show it by accident)."""
    official = user.is_official or user.is_sysadmin
    return [key for key, _label in MANAGE_TABS if official or key != "audit"]


def manage_url(pk: int, tab: str = "", anchor: str = "") -> str:
    """The publicity page, on ``tab`` (the overview without one), scrolled to ``anchor``."""
    url = reverse("reviews:publicity-manage", args=[pk])
    return url + (f"?tab={tab}" if tab else "") + (f"#{anchor}" if anchor else "")


def _manage_context(request, publicity, *, tab="", **forms):
    user = request.user
    tabs = manage_tabs(user=user, publicity=publicity)
    if tab not in tabs:
        tab = DEFAULT_TAB  # an unknown or withheld tab shows the overview
    labels = dict(MANAGE_TABS)
    may_act = is_batch_authority(user=user, batch=publicity.batch)
    counts = publicity.items.aggregate(
        total=Count("pk", distinct=True),
        removed=Count("pk", filter=Q(outcome=PublicityItem.Outcome.REMOVED), distinct=True),
        objections=Count("objections"),
    )
    context = {
        "publicity": publicity,
        "period": publicity_period(publicity=publicity),
        "tab": tab,
        "tab_template": f"reviews/includes/publicity_tab_{tab}.html",
        "tabs": [{"key": key, "label": labels[key], "current": key == tab} for key in tabs],
        "anchor_tabs": {anchor: key for anchor, key in ANCHOR_TABS.items() if key in tabs},
        "counts": counts,
        "may_act": may_act,
        "may_answer": may_act
        and publicity.pending_objections
        and publicity.status != Publicity.Status.PUBLISHED,
        "publish_form": forms.get("publish_form") or PublishForm(),
        "failed_decision": forms.get("failed_decision"),
        "publish_refusals": services.publish_refusals(publicity=publicity),
    }
    if tab in ("items", "objections"):
        context["items"] = list(publicity_items(publicity=publicity))
        context["export_url"] = export_url(request)
        context["decision_form"] = ObjectionDecisionForm()
    elif tab == "audit":
        context["audit_entries"] = audit_entries_for(subject=publicity)[:50]
    return context


def _publicity_for(user, pk):
    return get_object_or_404(publicity_list(user=user).select_related("batch__jurisdiction"), pk=pk)


@login_required
def publicity_manage_view(request, pk):
    publicity = _publicity_for(request.user, pk)
    if wants_export(request):
        return export_queryset(
            request,
            publicity.items.select_related(
                "application__organisation", "application__jurisdiction"
            ).order_by("position"),
            columns=ITEM_EXPORT_COLUMNS,
            filename=_("公示名单-%(title)s") % {"title": publicity.title},
            title=gettext_lazy("公示名单"),
        )
    return render(
        request,
        "reviews/publicity_manage.html",
        _manage_context(request, publicity, tab=request.GET.get("tab", "")),
    )


@login_required
@require_POST
def objection_decide_view(request, pk):
    objection = get_object_or_404(
        Objection.objects.select_related("item__publicity"),
        pk=pk,
        item__publicity__in=publicity_list(user=request.user),
    )
    publicity = objection.item.publicity
    form = ObjectionDecisionForm(request.POST)
    if form.is_valid():
        decided = act_on_form(
            request,
            form,
            lambda: services.objection_decide(
                objection=objection,
                actor=request.user,
                upheld=form.cleaned_data["upheld"],
                response=form.cleaned_data["response"],
            ),
            success=_("异议处理结果已保存。"),
            redirect_to=manage_url(publicity.pk, "objections", f"objection-{pk}"),
        )
        if decided:
            return decided
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect(manage_url(publicity.pk, "objections", f"objection-{pk}"))


@login_required
def publicity_publish_view(request, pk):
    publicity = _publicity_for(request.user, pk)
    if request.method != "POST":
        return redirect("reviews:publicity-manage", pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        published = act_on_form(
            request,
            form,
            lambda: services.publicity_publish(
                publicity=publicity,
                actor=request.user,
                document_number=form.cleaned_data["document_number"],
                published_on=form.cleaned_data["published_on"],
            ),
            success=lambda listings: (
                _("名单已发布，%(count)d 家单位列入名单。") % {"count": len(listings)}
            ),
            redirect_to=reverse("reviews:publicity-manage", args=[pk]),
        )
        if published:
            return published
    context = _manage_context(request, publicity, publish_form=form)
    return render(request, "reviews/publicity_manage.html", context, status=400)


# --- The public pages (no login) ---


def public_publicity_list_view(request):
    page = Paginator(public_publicities(), 20).get_page(request.GET.get("page"))
    return render(request, "public/publicity_list.html", {"page_obj": page})


def public_publicity_detail_view(request, pk):
    publicity = get_object_or_404(public_publicities(), pk=pk)
    items = list(public_items(publicity=publicity))
    form = None
    selected = None
    if request.method == "POST":
        selected = next((i for i in items if str(i.pk) == request.POST.get("item")), None)
        form = ObjectionForm(request.POST)
        if selected is None:
            form.is_valid()
            form.add_error(None, _("请选择异议针对的单位。"))
        elif form.is_valid():
            data = form.cleaned_data
            lodged = act_on_form(
                request,
                form,
                lambda: services.objection_lodge(
                    item=selected,
                    name=data["name"],
                    organisation_or_id=data["organisation_or_id"],
                    phone=data["phone"],
                    email=data["email"],
                    content=data["content"],
                ),
                success=None,
                redirect_to=lambda objection: reverse(
                    "reviews:public-objection", kwargs={"code": objection.tracking_code}
                ),
            )
            if lodged:
                return lodged
    elif publicity.status == Publicity.Status.OPEN:
        form = ObjectionForm()
    return render(
        request,
        "public/publicity_detail.html",
        {
            "publicity": publicity,
            "period": publicity_period(publicity=publicity),
            "items": items,
            "form": form,
            "selected": selected,
        },
        status=400 if form is not None and form.errors else 200,
    )


def public_objection_view(request, code=None):
    code = code or request.GET.get("code", "")
    objection = objection_by_code(code=code) if code else None
    return render(
        request,
        "public/objection_status.html",
        {
            "objection": objection,
            "code": code,
            "form": TrackingForm(initial={"code": code}),
            "not_found": bool(code) and objection is None,
        },
        status=404 if code and objection is None else 200,
    )


urlpatterns = [
    path("reviews/batches/<int:pk>/publicity/", publicity_start_view, name="publicity-start"),
    path("reviews/publicity/", publicity_list_view, name="publicity-list"),
    path("reviews/publicity/<int:pk>/", publicity_manage_view, name="publicity-manage"),
    path("reviews/publicity/<int:pk>/publish/", publicity_publish_view, name="publicity-publish"),
    path("reviews/objections/<int:pk>/decide/", objection_decide_view, name="objection-decide"),
    path("gongshi/", public_publicity_list_view, name="public-publicity-list"),
    path("gongshi/<int:pk>/", public_publicity_detail_view, name="public-publicity-detail"),
    path("gongshi/objections/", public_objection_view, name="public-objection-lookup"),
    path("gongshi/objections/<str:code>/", public_objection_view, name="public-objection"),
]
