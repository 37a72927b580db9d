"""The published documents as PDF: the publicity notice (公示) and the published list (公告) of a
batch, a removal announcement, a listing certificate, and a unit's annual table (动态管理表).

The first four are public documents (the public pages show the same facts): everyone may
download them, and they read only public fields — never scores, objections, complainants or a
proposal's internal reasons. The annual table is internal: the same visibility as its page
(the unit's own users and the officials over the unit; everyone else gets 404 or the login).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _

from dynamic_mgmt.indicators import indicators_for
from dynamic_mgmt.models import AnnualTable, AnnualTableAttachment
from dynamic_mgmt.selectors.table import listings_visible
from dynamic_mgmt.services.removal import ground_label
from greenmfg.core.pdf import pdf_response, render_pdf, stored_pdf_response
from registry.models import Listing, ListingEvent, RemovalProposal
from registry.selectors.public import public_listings, region_name, validity_label
from registry.services.document import render_published_list, stored_published_list
from reviews.models import Publicity
from reviews.selectors.publicity import public_items, public_publicities


def _place(jurisdiction) -> str:
    parent = jurisdiction.parent if jurisdiction.parent_id else None
    if parent is not None and jurisdiction.level == "county":
        return f"{parent.name}{jurisdiction.name}"
    return jurisdiction.name


def certificate_number(listing: Listing) -> str:
    """The certificate's number: the list's year and the listing's id (unique, stable)."""
    return f"{listing.year}-{listing.pk:06d}"


# --- 公示 and 公告 ------------------------------------------------------------------------------


def publicity_notice_pdf_view(request, pk):
    """The publicity notice: the proposed units, the period and where to object (public)."""
    publicity = get_object_or_404(public_publicities(), pk=pk)
    items = public_items(publicity=publicity).select_related("application__jurisdiction__parent")
    rows = [
        {
            "name": item.application.organisation.name,
            "unit_type": item.application.get_unit_type_display(),
            "product": item.application.product_name,
            "region": _place(item.application.jurisdiction),
        }
        for item in items
    ]
    content = render_pdf(
        "pdf/publicity_notice.html",
        {"publicity": publicity, "rows": rows},
        title=publicity.title,
        authority=publicity.batch.authority.name,
    )
    return pdf_response(content, filename=_("公示-%(title)s") % {"title": publicity.title})


def published_list_pdf_view(request, pk):
    """The published list (公告): the document number, its date and the listed units by type.

    Served from the PDF stored at publication (registry.services.document); laid out here only
    while that is not ready yet (or for a list published before it was stored)."""
    publicity = get_object_or_404(
        public_publicities().filter(status=Publicity.Status.PUBLISHED), pk=pk
    )
    filename = _("名单公告-%(title)s") % {"title": publicity.batch.title}
    stored = stored_published_list(publicity.pk)
    if stored is not None:
        return stored_pdf_response(stored.file, filename=filename)
    return pdf_response(render_published_list(publicity), filename=filename)


# --- a listing: its certificate, its removal -----------------------------------------------------


def listing_certificate_pdf_view(request, pk):
    """绿色制造名单证书 of an active listing (public: the list says the same)."""
    listing = get_object_or_404(
        public_listings().filter(status=Listing.Status.ACTIVE).select_related("jurisdiction"),
        pk=pk,
    )
    content = render_pdf(
        "pdf/listing_certificate.html",
        {
            "listing": listing,
            "number": certificate_number(listing),
            "region": region_name(listing),
            "validity": validity_label(listing),
        },
        title=_("绿色制造名单证书"),
        authority=listing.authority.name,
    )
    return pdf_response(
        content, filename=_("名单证书-%(name)s-%(pk)d") % {"name": listing.unit_name, "pk": pk}
    )


def listing_removal_pdf_view(request, pk):
    """The removal announcement of a removed listing: public once removed (it is announced)."""
    listing = get_object_or_404(
        public_listings().filter(status=Listing.Status.REMOVED).select_related("jurisdiction"),
        pk=pk,
    )
    event = (
        ListingEvent.objects.filter(listing=listing, kind=ListingEvent.Kind.REMOVED)
        .order_by("-occurred_on", "-pk")
        .first()
    )
    proposal = (
        RemovalProposal.objects.filter(listing=listing, status=RemovalProposal.Status.REMOVED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if proposal is not None:
        proposal.listing = listing
    content = render_pdf(
        "pdf/removal_notice.html",
        {
            "listing": listing,
            "event": event,
            "region": region_name(listing),
            # The ground and article only: a proposal's own reason may name a complainant.
            "ground": ground_label(proposal) if proposal and proposal.ground else "",
            "article": proposal.article if proposal else "",
        },
        title=_("关于将%(name)s移出绿色制造名单的公告") % {"name": listing.unit_name},
        authority=listing.authority.name,
    )
    return pdf_response(
        content, filename=_("移出公告-%(name)s-%(pk)d") % {"name": listing.unit_name, "pk": pk}
    )


# --- a unit's annual table -------------------------------------------------------------------


@login_required
def annual_table_pdf_view(request, listing_pk, year):
    """The annual table as filed (or as drafted): the same visibility as the table's page."""
    listing = get_object_or_404(listings_visible(user=request.user), pk=listing_pk)
    table = (
        AnnualTable.objects.filter(listing=listing, year=year)
        .select_related("filed_by", "window")
        .prefetch_related(
            Prefetch("attachments", queryset=AnnualTableAttachment.objects.order_by("pk"))
        )
        .first()
    )
    if table is None:
        raise Http404(_("该年度尚未填报动态管理表。"))
    values = table.indicators or {}
    rows = [
        {
            "label": item.label,
            "unit": item.unit,
            "value": item.display(values.get(item.key)),
        }
        for item in indicators_for(listing.unit_type)
    ]
    content = render_pdf(
        "pdf/annual_table.html",
        {
            "listing": listing,
            "year": year,
            "table": table,
            "rows": rows,
            "region": region_name(listing),
            "attachments": list(table.attachments.all()),
        },
        title=_("%(year)d年度绿色制造名单单位动态管理表") % {"year": year},
        authority=listing.authority.name,
    )
    return pdf_response(
        content,
        filename=_("动态管理表-%(name)s-%(year)d") % {"name": listing.unit_name, "year": year},
    )


urlpatterns = [
    path("gongshi/<int:pk>/notice.pdf", publicity_notice_pdf_view, name="publicity-notice-pdf"),
    path("gongshi/<int:pk>/list.pdf", published_list_pdf_view, name="published-list-pdf"),
    path(
        "mingdan/listings/<int:pk>/certificate.pdf",
        listing_certificate_pdf_view,
        name="listing-certificate-pdf",
    ),
    path(
        "mingdan/listings/<int:pk>/removal.pdf",
        listing_removal_pdf_view,
        name="listing-removal-pdf",
    ),
    path(
        "dynamic/tables/<int:listing_pk>/<int:year>/table.pdf",
        annual_table_pdf_view,
        name="annual-table-pdf",
    ),
]
