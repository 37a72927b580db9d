"""The 评审设置 page of a batch: its bureau edits the review phases and deadlines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from applications.selectors.batches import batch_list
from greenmfg.core.errors import DomainError

from .phase_forms import ReviewSettingsForm
from .phase_services import (
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
            try:
                batch_update_review_settings(batch=batch, actor=request.user, **form.to_changes())
            except (ValidationError, DomainError) as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("评审设置已保存。"))
                return redirect("applications:batch-detail", pk=batch.pk)
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
