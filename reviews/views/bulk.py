"""批量办理 pages of a batch: choose applications, confirm, and read the result of each.

* 批量推荐 — the county's applications in initial review, in its ranking order;
* 批量开始专家评审并分配专家 — the batch authority's recommended applications;
* 批量决定 / 批量不通过 — the batch authority's applications in expert review or on-site check.

Each page lists its candidates in a fixed number of queries. Posting first shows what is about
to happen (``step=confirm``); only the confirmation (``step=execute``) runs the bulk service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _

from applications.models import Batch
from applications.selectors.batches import batch_list, is_batch_authority
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.core.forms import add_service_errors
from reviews.forms.bulk import CONFIRM, EXECUTE, BulkForm
from reviews.selectors.inbox import (
    county_quota,
    deadline_of,
    recommend_candidates,
    start_review_candidates,
)
from reviews.selectors.sheet import SCORING_STATES, decision_preview, scored_applications
from reviews.services import bulk as services


def _batch(request, pk: int) -> Batch:
    return get_object_or_404(batch_list(user=request.user), pk=pk)


def _require_county(request) -> None:
    if request.user.effective_role not in services.COUNTY_ROLES:
        raise PermissionDenied(_("批量推荐由申报单位所在县（区）工信部门办理。"))


def _require_authority(request, batch: Batch) -> None:
    # Stricter than is_batch_authority on purpose: the bulk pages also want an authority-level
    # role (city, province, national or administrator), as bulk_services checks again per row.
    user = request.user
    if user.effective_role not in services.BULK_AUTHORITY_ROLES or not is_batch_authority(
        user=user, batch=batch
    ):
        raise PermissionDenied(
            _("该环节由批次组织单位「%(authority)s」办理。") % {"authority": batch.authority.name}
        )


def _preselected(request) -> set[int]:
    return {int(value) for value in request.GET.getlist("selected") if value.isdigit()}


def _bulk_page(request, *, batch: Batch, page: dict, rows: list[dict]):
    """Show the list (GET, or a refused POST), the confirmation, or the result."""
    actions = page["actions"]
    by_id = {row["application"].pk: row for row in rows}
    form = BulkForm(request.POST or None, actions=actions)
    context = {"batch": batch, "page": page, "rows": rows, "form": form, "actions": actions}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ids, action = data["applications"], data["action"]
        spec = actions[action]
        if data["step"] == CONFIRM:
            return render(
                request,
                "reviews/bulk_confirm.html",
                {
                    **context,
                    "action": action,
                    "action_label": spec["label"],
                    "comment": data["comment"],
                    "ids": ids,
                    # In the order of the list (for 推荐, the ranking it is done in).
                    "chosen": [row for row in rows if row["application"].pk in ids]
                    + [{"id": pk} for pk in ids if pk not in by_id],
                    "execute": EXECUTE,
                },
            )
        try:
            outcome = spec["service"](
                actor=request.user, applications=ids, comment=data["comment"], batch=batch
            )
        except NotPermitted as error:
            raise PermissionDenied(error.message) from None
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            if outcome.failed:
                messages.warning(
                    request,
                    _("%(label)s：成功 %(ok)d 项，未办理 %(failed)d 项，原因见下表。")
                    % {"label": outcome.label, "ok": outcome.succeeded, "failed": outcome.failed},
                )
            else:
                messages.success(
                    request,
                    _("%(label)s：%(ok)d 项全部成功。")
                    % {"label": outcome.label, "ok": outcome.succeeded},
                )
            return render(
                request,
                "reviews/bulk_result.html",
                {**context, "outcome": outcome, "back_url": request.path},
            )
    selected = set(form.selected) if form.is_bound else _preselected(request)
    select_all = request.GET.get("select") == "all"
    for row in rows:
        row["checked"] = select_all or row["application"].pk in selected
    status = 400 if form.is_bound else 200
    return render(request, "reviews/bulk_select.html", context, status=status)


@login_required
def bulk_recommend_view(request, pk):
    """批量推荐: the county recommends in its ranking order until the quota is used up."""
    batch = _batch(request, pk)
    _require_county(request)
    quota = county_quota(user=request.user, batch=batch)
    rows = [
        {
            "application": application,
            "cells": [
                application.county_review.rank
                if getattr(application, "county_review", None)
                and application.county_review.rank is not None
                else _("未排序"),
                application.jurisdiction.name,
                _("%(count)d 个待回复") % {"count": application.pending_opinions}
                if application.pending_opinions
                else _("已全部回复或无"),
            ],
        }
        for application in recommend_candidates(user=request.user, batch=batch)
    ]
    page = {
        "key": "recommend",
        "title": _("批量推荐"),
        "intro": _(
            "列出本县（区）在该批次初审中的申报，按初审排序（未排序的在后）。推荐按排序逐项办理，"
            "每项都经过核对清单、部门意见和推荐名额的检查；名额用完后，其余申报不予推荐并说明原因。"
        ),
        "columns": [_("初审排序"), _("所在区划"), _("征求意见")],
        "quota": quota,
        "actions": {
            "recommend": {
                "label": _("推荐所选申报"),
                "service": services.bulk_recommend,
                "needs_comment": False,
            }
        },
        "deadline": deadline_of(batch.recommendation_deadline),
        "accepts": batch.accepts_recommendations(),
    }
    return _bulk_page(request, batch=batch, page=page, rows=rows)


@login_required
def bulk_start_review_view(request, pk):
    """批量开始专家评审并分配专家, by the batch authority."""
    batch = _batch(request, pk)
    _require_authority(request, batch)
    needed = batch.experts_per_application
    rows = [
        {
            "application": application,
            "cells": [
                application.jurisdiction.name,
                _("%(size)d / %(needed)d 名") % {"size": application.panel, "needed": needed},
                _("已组成") if application.panel >= needed else _("将自动补足"),
            ],
        }
        for application in start_review_candidates(user=request.user, batch=batch)
    ]
    page = {
        "key": "start",
        "title": _("批量开始专家评审并分配专家"),
        "intro": _(
            "列出该批次已推荐的申报。评审组不完整的，先从本单位专家库自动补足专家（回避利益冲突，"
            "均衡工作量）；专家不足时该项不分配、不开始，并说明原因。"
        ),
        "columns": [_("所在区划"), _("评审组"), _("分配")],
        "actions": {
            "start_expert_review": {
                "label": _("开始专家评审并分配专家"),
                "service": services.bulk_start_expert_review,
                "needs_comment": False,
            }
        },
        "deadline": deadline_of(batch.scoring_deadline),
    }
    return _bulk_page(request, batch=batch, page=page, rows=rows)


@login_required
def bulk_decide_view(request, pk):
    """批量决定 (评审通过 where the rules allow) and 批量不通过 (with a reason)."""
    batch = _batch(request, pk)
    _require_authority(request, batch)
    applications = scored_applications(user=request.user).filter(
        batch=batch, status__in=SCORING_STATES
    )
    rows = []
    for application in applications.order_by("jurisdiction__path", "organisation__name", "pk"):
        preview = decision_preview(application=application)
        if preview.passed:
            verdict = _("可通过")
        elif preview.decidable:
            verdict = _("不符合通过条件")
        else:
            verdict = _("尚不能决定")
        rows.append(
            {
                "application": application,
                "cells": [
                    application.get_status_display(),
                    preview.aggregate.score if preview.aggregate else "—",
                    _("%(submitted)d / %(expected)d 份")
                    % {"submitted": preview.submitted, "expected": preview.expected},
                    verdict,
                ],
                "note": "；".join(str(reason) for reason in preview.reasons),
            }
        )
    page = {
        "key": "decide",
        "title": _("批量决定"),
        "intro": _(
            "列出该批次专家评审中、现场核查中的申报及按评分和政策的预判。“批量决定”对所选申报"
            "作出评审通过的决定，不符合条件的不予办理并说明原因；“批量不通过”须填写理由。"
        ),
        "columns": [_("状态"), _("得分"), _("评分表"), _("预判")],
        "actions": {
            "decide_pass": {
                "label": _("批量决定（评审通过）"),
                "service": services.bulk_decide_pass,
                "needs_comment": False,
            },
            "decide_fail": {
                "label": _("批量不通过"),
                "service": services.bulk_decide_fail,
                "needs_comment": True,
            },
        },
        "deadline": deadline_of(batch.scoring_deadline),
    }
    return _bulk_page(request, batch=batch, page=page, rows=rows)


urlpatterns = [
    path("reviews/batches/<int:pk>/bulk/recommend/", bulk_recommend_view, name="bulk-recommend"),
    path(
        "reviews/batches/<int:pk>/bulk/start-expert-review/",
        bulk_start_review_view,
        name="bulk-start-review",
    ),
    path("reviews/batches/<int:pk>/bulk/decide/", bulk_decide_view, name="bulk-decide"),
]
