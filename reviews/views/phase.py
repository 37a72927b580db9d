"""The 评审设置 page of a batch: its bureau edits the review phases and deadlines."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from applications.selectors.batches import batch_list
from greenmfg.core.actions import act_on_form
from reviews.forms.phase import ReviewSettingsForm
from reviews.services.phase import (
    batch_update_review_settings,
    can_edit_review_settings,
    submitted_sheet_count,
)


@login_required
def batch_review_settings_view(request, pk):
    """Officials of the batch's bureau and administrators; 404 outside one's scope, else 403."""
    batch = get_object_or_404(batch_list(user=request.user), pk=pk)
    if not can_edit_review_settings(user=request.user, batch=batch):
        raise PermissionDenied(
            _("评审设置由批次组织单位「%(authority)s」修改。") % {"authority": batch.authority.name}
        )
    submitted = submitted_sheet_count(batch=batch)
    form = ReviewSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=ReviewSettingsForm.initial_for(batch),
        batch=batch,
        submitted_sheets=submitted,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = act_on_form(
                request,
                form,
                lambda: batch_update_review_settings(
                    batch=batch, actor=request.user, **form.to_changes()
                ),
                success=_("评审设置已保存。"),
                redirect_to=reverse("applications:batch-detail", args=[batch.pk]) + "?tab=settings",
            )
            if saved:
                return saved
        status = 400
    return render(
        request,
        "reviews/batch_settings.html",
        {"batch": batch, "form": form, "submitted_sheets": submitted},
        status=status,
    )


urlpatterns = [
    path(
        "reviews/batches/<int:pk>/settings/",
        batch_review_settings_view,
        name="batch-review-settings",
    ),
]
