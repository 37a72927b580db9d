"""公告 pages (no login): the announcements in date order, filtered by kind, region and year,
each with its own page, and the RSS/Atom feeds of the same filters."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse

from greenmfg.core.lists import querystring_without_page
from registry.models import Announcement
from registry.selectors.announcement import (
    announcement_regions,
    announcement_years,
    filter_querystring,
    filtered_announcements,
    public_announcements,
)
from registry.views.feeds import AnnouncementAtomFeed, AnnouncementRssFeed

PAGE_SIZE = 20


def announcement_list_view(request):
    filterset, queryset = filtered_announcements(request.GET)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = filterset.form.cleaned_data if filterset.is_bound else {}
    region = (filters.get("region") or "").strip()
    querystring = querystring_without_page(request)
    filters_set = filter_querystring(request.GET)
    suffix = f"?{filters_set}" if filters_set else ""
    return render(
        request,
        "registry/announcement_list.html",
        {
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "querystring": querystring,
            "filtered": bool(filters_set),
            "kinds": Announcement.Kind.choices,
            "kind": filters.get("kind") or "",
            "regions": announcement_regions(current=region),
            "region": region,
            "years": announcement_years(),
            "year": int(filters["year"]) if filters.get("year") else None,
            "rss_url": reverse("registry:announcement-rss") + suffix,
            "atom_url": reverse("registry:announcement-atom") + suffix,
        },
    )


def announcement_detail_view(request, pk):
    announcement = get_object_or_404(public_announcements(), pk=pk)
    own_page = request.path == announcement.link
    return render(
        request,
        "registry/announcement_detail.html",
        {"announcement": announcement, "own_page": own_page},
    )


urlpatterns = [
    path("gongshi/announcements/", announcement_list_view, name="announcement-list"),
    path("gongshi/announcements/<int:pk>/", announcement_detail_view, name="announcement-detail"),
    path("gongshi/announcements/rss/", AnnouncementRssFeed(), name="announcement-rss"),
    path("gongshi/announcements/atom/", AnnouncementAtomFeed(), name="announcement-atom"),
]
