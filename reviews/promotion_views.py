"""推荐至上级 pages: a city (or province) recommends units of its list into the batch above,
and keeps the 推荐汇总表 (大连 附件1) of what it recommended."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Application
from applications.selectors.batches import batch_list
from greenmfg.core.errors import DomainError
from greenmfg.core.export import Column, export_queryset, export_url, wants_export
from greenmfg.rules import promotion_verdict
from registry.models import Listing

from . import promotion_services as services
from .promotion_selectors import (
    levels_by_unit,
    may_recommend_into,
    promotion_candidates,
    recommendation_summary,
)


def _batch(request, pk):
    return get_object_or_404(batch_list(user=request.user), pk=pk)


@login_required
def promotion_candidates_view(request, pk):
    batch = _batch(request, pk)
    if not may_recommend_into(user=request.user, batch=batch):
        message = _("您不能向「%(batch)s」推荐：只有下一级主管部门可以推荐。")
        messages.error(request, message % {"batch": batch.title})
        return redirect("applications:batch-detail", pk=pk)
    page = Paginator(promotion_candidates(user=request.user, batch=batch), 25).get_page(
        request.GET.get("page")
    )
    levels = levels_by_unit(listings=list(page))
    rows = []
    for listing in page:
        source = listing.application
        policy = source.batch.policy if source else batch.policy
        key = (listing.organisation_id, listing.unit_type, listing.product_name)
        verdict = promotion_verdict(policy, listing.unit_type, batch.level, levels.get(key, set()))
        rows.append(
            {
                "listing": listing,
                "findings": verdict.findings,
                "eligible": verdict.eligible,
                "overridable": all(f.in_principle for f in verdict.failed),
            }
        )
    return render(
        request,
        "reviews/promotion_candidates.html",
        {
            "batch": batch,
            "rows": rows,
            "page_obj": page,
            "accepts": batch.accepts_recommendations(),
        },
    )


@login_required
@require_POST
def promote_view(request, pk):
    batch = _batch(request, pk)
    listing = get_object_or_404(
        promotion_candidates(user=request.user, batch=batch), pk=request.POST.get("listing")
    )
    try:
        application = services.promote(
            batch=batch,
            listing=listing,
            actor=request.user,
            override_reason=request.POST.get("override_reason", ""),
        )
    except (ValidationError, DomainError) as error:
        messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
    else:
        message = _("已推荐 %(name)s 至「%(batch)s」。")
        messages.success(request, message % {"name": str(application), "batch": batch.title})
    return redirect(reverse("reviews:promotion-candidates", args=[pk]) + f"#listing-{listing.pk}")


@login_required
@require_POST
def promotion_withdraw_view(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("batch"), pk=pk, source_application__isnull=False
    )
    batch = get_object_or_404(batch_list(user=request.user), pk=application.batch_id)
    if not may_recommend_into(user=request.user, batch=batch):
        messages.error(request, _("只有推荐单位可以撤回推荐。"))
    else:
        try:
            services.promotion_withdraw(
                application=application, actor=request.user, comment=request.POST.get("comment", "")
            )
        except (ValidationError, DomainError) as error:
            messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
        else:
            messages.success(request, _("已撤回推荐。"))
    return redirect("reviews:recommendation-summary", pk=batch.pk)


def _summary_columns() -> list[Column]:
    def listing_of(application):
        try:
            return application.source_application.listing
        except (AttributeError, Listing.DoesNotExist):
            return None

    return [
        Column(_("地区"), lambda a: a.jurisdiction.name, 14),
        Column(_("申报类型"), lambda a: a.get_unit_type_display(), 18),
        Column(_("单位名称"), lambda a: a.organisation.name, 36),
        Column(_("统一社会信用代码"), lambda a: a.organisation.credit_code, 22),
        Column(_("产品名称"), lambda a: a.product_name, 20),
        Column(_("所属行业"), lambda a: a.industry, 16),
        Column(_("评价方式"), lambda a: a.get_evaluation_mode_display(), 12),
        Column(_("第三方评价机构"), lambda a: a.agency.name if a.agency else "", 28),
        Column(
            _("已列入名单"),
            lambda a: (
                f"{listing.get_level_display()}（{listing.document_number}）"
                if (listing := listing_of(a))
                else ""
            ),
            30,
        ),
        Column(_("状态"), lambda a: a.get_status_display(), 12),
        Column(_("推荐时间"), lambda a: a.submitted_at, 18),
    ]


@login_required
def recommendation_summary_view(request, pk):
    batch = _batch(request, pk)
    queryset = recommendation_summary(user=request.user, batch=batch)
    if wants_export(request):
        return export_queryset(
            request,
            queryset,
            columns=_summary_columns(),
            filename=f"推荐汇总表-{batch.title}",
            title=_("推荐汇总表"),
        )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/recommendation_summary.html",
        {
            "batch": batch,
            "page_obj": page,
            "export_url": export_url(request),
            "may_withdraw": may_recommend_into(user=request.user, batch=batch),
        },
    )


urlpatterns = [
    path(
        "reviews/batches/<int:pk>/recommend/",
        promotion_candidates_view,
        name="promotion-candidates",
    ),
    path("reviews/batches/<int:pk>/recommend/send/", promote_view, name="promote"),
    path(
        "reviews/batches/<int:pk>/recommendation-summary/",
        recommendation_summary_view,
        name="recommendation-summary",
    ),
    path(
        "reviews/promotions/<int:pk>/withdraw/",
        promotion_withdraw_view,
        name="promotion-withdraw",
    ),
]
