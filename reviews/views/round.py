"""推荐至上级 from a round that keeps no list of its own (大连 一): the batch's authority sends
its passed applications to the ministry's batch, and reads the 推荐汇总表 there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from applications.selectors.batches import batch_list, is_batch_authority
from greenmfg.core.errors import DomainError
from reviews.selectors.round import batch_round_end, receiving_batches, round_applications
from reviews.services.promotion import round_recommend


@login_required
def round_recommend_view(request, pk):
    batch = get_object_or_404(batch_list(user=request.user), pk=pk)
    end = batch_round_end(batch=batch)
    if end.lists or not is_batch_authority(user=request.user, batch=batch):
        raise Http404
    targets = receiving_batches(batch=batch)
    error = None
    if request.method == "POST":
        target = targets.filter(pk=request.POST.get("target") or 0).first()
        if target is None:
            error = _("请选择接收推荐的批次。")
        else:
            try:
                recommended = round_recommend(batch=batch, target=target, actor=request.user)
            except DomainError as refused:
                error = refused.message
            else:
                messages.success(
                    request,
                    _("已向「%(target)s」推荐 %(count)d 项。")
                    % {"target": target.title, "count": len(recommended)},
                )
                return redirect("reviews:round-recommend", pk=pk)
    return render(
        request,
        "reviews/round_recommend.html",
        {
            "batch": batch,
            "end": end,
            "targets": targets,
            "applications": round_applications(batch=batch),
            "error": error,
            "chosen": request.POST.get("target", ""),
        },
        status=400 if error else 200,
    )


urlpatterns = [
    path(
        "reviews/batches/<int:pk>/recommend-upward/", round_recommend_view, name="round-recommend"
    ),
]
