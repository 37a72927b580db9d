"""推荐至上级 pages: a city (or province) recommends units of its list into the batch above,
and keeps the 推荐汇总表 (大连 附件1) of what it recommended."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from applications.models import Application
from applications.selectors.batches import batch_list
from greenmfg.core import clock
from greenmfg.core.actions import act
from greenmfg.core.export import (
    XLSX_CONTENT_TYPE,
    export_url,
    sheet_title,
    wants_export,
    xlsx_filename,
)
from greenmfg.rules import promotion_verdict
from reviews.selectors.promotion import (
    annex1_columns,
    levels_by_unit,
    may_recommend_into,
    promotion_candidates,
    recommendation_summary,
    sees_every_region,
    summary_region,
    summary_regions,
    summary_title,
)
from reviews.services import promotion as services


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
    return act(
        request,
        lambda: services.promote(
            batch=batch,
            listing=listing,
            actor=request.user,
            override_reason=request.POST.get("override_reason", ""),
        ),
        success=lambda application: (
            _("已推荐 %(name)s 至「%(batch)s」。")
            % {"name": str(application), "batch": batch.title}
        ),
        redirect_to=reverse("reviews:promotion-candidates", args=[pk]) + f"#listing-{listing.pk}",
        brief=True,
    )


@login_required
@require_POST
def promotion_withdraw_view(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("batch"), pk=pk, source_application__isnull=False
    )
    batch = get_object_or_404(batch_list(user=request.user), pk=application.batch_id)
    back = reverse("reviews:recommendation-summary", args=[batch.pk])
    if not may_recommend_into(user=request.user, batch=batch):
        messages.error(request, _("只有推荐单位可以撤回推荐。"))
        return redirect(back)
    return act(
        request,
        lambda: services.promotion_withdraw(
            application=application, actor=request.user, comment=request.POST.get("comment", "")
        ),
        success=_("已撤回推荐。"),
        redirect_to=back,
        brief=True,
    )


def _summary_context(request, pk):
    """The batch, the region asked for (``?region=``) and its rows, for page, PDF and Excel."""
    batch = _batch(request, pk)
    region = summary_region(user=request.user, batch=batch, region_id=request.GET.get("region"))
    queryset = recommendation_summary(user=request.user, batch=batch, region=region)
    return batch, region, queryset


def _xlsx_text(value):
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def summary_workbook(*, title: str, subtitle: str, applications) -> Workbook:
    """The 推荐汇总表 as a workbook: one sheet per unit type (附件1's order), each headed by
    the title, then the column headers, then the rows."""
    columns = annex1_columns()
    workbook = Workbook()
    workbook.remove(workbook.active)
    groups: dict[str, list] = {}
    for application in applications:
        groups.setdefault(application.get_unit_type_display(), []).append(application)
    for label, rows in groups.items() or [(_("推荐汇总表"), [])]:
        sheet = workbook.create_sheet(sheet_title(label))
        sheet.append([f"{title}（{label}）" if rows else title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        sheet.append([subtitle])
        sheet.append([str(column.header) for column in columns])
        for index, column in enumerate(columns, start=1):
            sheet.cell(row=3, column=index).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        for application in rows:
            sheet.append([_xlsx_text(column.value(application)) for column in columns])
            for cell in sheet[sheet.max_row]:
                # A name typed as "=HYPERLINK(…)" stays text, never a formula Excel would run.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A4"
    return workbook


def summary_xlsx(*, batch, region, applications) -> HttpResponse:
    title = summary_title(region)
    workbook = summary_workbook(title=title, subtitle=batch.title, applications=applications)
    buffer = io.BytesIO()
    workbook.save(buffer)
    today = clock.local_now().date()
    filename = f"{title}-{batch.title}-{today:%Y%m%d}"
    return HttpResponse(
        buffer.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=xlsx_filename(filename)
            ),
            "Cache-Control": "private, no-store",
        },
    )


@login_required
def recommendation_summary_view(request, pk):
    """推荐汇总表 (大连 附件1) of a batch: a county's recommendations into the city batch, a
    city's into the province (national) batch; the batch's authority picks a region."""
    batch, region, queryset = _summary_context(request, pk)
    if wants_export(request):
        return summary_xlsx(batch=batch, region=region, applications=queryset)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    columns = annex1_columns()
    rows = [
        {
            "application": application,
            "cells": [(column.key, column.value(application)) for column in columns],
        }
        for application in page
    ]
    every = sees_every_region(user=request.user, batch=batch)
    return render(
        request,
        "reviews/recommendation_summary.html",
        {
            "batch": batch,
            "region": region,
            "title": summary_title(region),
            "headers": [column.header for column in columns],
            "rows": rows,
            "page_obj": page,
            "regions": summary_regions(batch=batch) if every else None,
            "export_url": export_url(request),
            "pdf_url": _with_query(
                reverse("reviews:recommendation-summary-pdf", args=[batch.pk]), request
            ),
            "querystring": _query(request),
            "may_withdraw": may_recommend_into(user=request.user, batch=batch),
        },
    )


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


def _with_query(url: str, request) -> str:
    encoded = _query(request)
    return f"{url}?{encoded}" if encoded else url


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
