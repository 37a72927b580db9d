"""名单管理: the officials' list of the listed units in their subtree, and a listing's page with
its history, the forms to record a name, boundary or scope change and a re-review, and the
open removal proposals (read-only: removal is the dynamic-management flow's)."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from registry.filters.public import ListingFilter
from registry.forms.history import ChangeForm, NameChangeForm, ReReviewForm
from registry.services import history as services
from registry.views.public import LISTING_COLUMNS

FORMS = {"name": NameChangeForm, "change": ChangeForm, "review": ReReviewForm}


class ListingManageListView(OfficialRequiredMixin, FilteredListView):
    template_name = "registry/listing_list.html"
    context_object_name = "listings"
    filterset_class = ListingFilter
    export_filename = gettext_lazy("名单单位")
    export_title = gettext_lazy("名单单位")
    export_columns = [
        *LISTING_COLUMNS,
        Column(gettext_lazy("批次"), lambda x: x.batch.title if x.batch_id else "", 36),
    ]

    def base_queryset(self):
        return services.listings_overseen(user=self.request.user)


def _context(request, listing, bound=None) -> dict:
    may_record = services.can_record_history(user=request.user, listing=listing)
    forms = {name: form_class() for name, form_class in FORMS.items()}
    if bound is not None:
        forms[bound.prefix] = bound
    return {
        "listing": listing,
        "events": listing.events.select_related("created_by").order_by("occurred_on", "id"),
        "proposals": services.open_removal_proposals(listing=listing).select_related("created_by"),
        "may_record": may_record and listing.status != listing.Status.REMOVED,
        "name_form": forms["name"],
        "change_form": forms["change"],
        "review_form": forms["review"],
        "audit_entries": audit_entries_for(subject=listing)[:50],
    }


class ListingManageView(OfficialRequiredMixin, View):
    """GET: the listing's page. POST ?form=name|change|review: record that event."""

    def get_listing(self):
        return get_object_or_404(
            services.listings_overseen(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get(self, request, pk):
        listing = self.get_listing()
        return render(request, "registry/listing_manage.html", _context(request, listing))

    def post(self, request, pk):
        listing = self.get_listing()
        form_class = FORMS.get(request.POST.get("form", ""))
        if form_class is None:
            return redirect("registry:listing-manage", pk=pk)
        form = form_class(request.POST)
        if form.is_valid():
            recorded = act_on_form(
                request,
                form,
                lambda: self.record(listing, form.prefix, form.cleaned_data),
                success=_("名单变动已记录。"),
                redirect_to=reverse("registry:listing-manage", args=[pk]),
            )
            if recorded:
                return recorded
        return render(
            request,
            "registry/listing_manage.html",
            _context(request, listing, bound=form),
            status=400,
        )

    def record(self, listing, which: str, data: dict):
        actor = self.request.user
        common = {
            "listing": listing,
            "actor": actor,
            "occurred_on": data["occurred_on"],
            "document_number": data["document_number"],
            "reason": data["reason"],
        }
        if which == "name":
            return services.listing_record_name_change(new_name=data["new_name"], **common)
        if which == "change":
            return services.listing_record_change(
                kind=data["kind"],
                old_value=data["old_value"],
                new_value=data["new_value"],
                **common,
            )
        return services.listing_record_re_review(
            outcome=data["outcome"], valid_until=data["valid_until"], **common
        )


urlpatterns = [
    path("registry/listings/", ListingManageListView.as_view(), name="listing-list"),
    path("registry/listings/<int:pk>/", ListingManageView.as_view(), name="listing-manage"),
]
