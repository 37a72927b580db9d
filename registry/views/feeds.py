"""RSS 2.0 and Atom feeds of the announcements (公告), with the page's filters (kind, region,
year) read from the query string. Links are absolute; dates are Asia/Shanghai."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from registry.filters.announcement import AnnouncementFilter
from registry.models import Announcement
from registry.selectors.announcement import filter_querystring, filtered_announcements

FEED_SIZE = 50


@dataclass
class FeedQuery:
    request: object
    filterset: AnnouncementFilter
    items: list[Announcement]


def _filter_labels(filterset: AnnouncementFilter) -> list[str]:
    """What the filters select, in words, for the feed's title."""
    if not filterset.is_bound:
        return []
    data = filterset.form.cleaned_data
    labels = []
    if data.get("kind"):
        labels.append(str(dict(Announcement.Kind.choices)[data["kind"]]))
    if data.get("region"):
        region = filterset.region_name
        if region:
            labels.append(region)
    if data.get("year"):
        labels.append(_("%(year)d年") % {"year": int(data["year"])})
    return labels


class AnnouncementRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-CN"

    def get_object(self, request, *args, **kwargs):
        filterset, queryset = filtered_announcements(request.GET)
        items = list(queryset[:FEED_SIZE])
        for item in items:
            # The announcement's own page: unique, where a publicity and its list share a link.
            item.guid = request.build_absolute_uri(
                reverse("registry:announcement-detail", args=[item.pk])
            )
        return FeedQuery(request=request, filterset=filterset, items=items)

    def title(self, obj: FeedQuery) -> str:
        title = _("绿色制造名单公示公告")
        labels = _filter_labels(obj.filterset)
        return " · ".join([title, *labels])

    def description(self, obj: FeedQuery) -> str:
        return _(
            "工业和信息化主管部门发布的绿色制造名单公示、名单公布、移出名单、名单变更"
            "和第三方评价机构黑名单公告。"
        )

    def subtitle(self, obj: FeedQuery) -> str:
        return self.description(obj)

    def link(self, obj: FeedQuery) -> str:
        query = filter_querystring(obj.request.GET)
        return reverse("registry:announcement-list") + (f"?{query}" if query else "")

    def feed_url(self, obj: FeedQuery) -> str:
        return obj.request.get_full_path()

    def author_name(self, obj: FeedQuery) -> str:
        return _("绿色制造名单管理平台")

    def items(self, obj: FeedQuery) -> list[Announcement]:
        return obj.items

    def item_title(self, item: Announcement) -> str:
        return item.title

    def item_description(self, item: Announcement) -> str:
        parts = [item.summary]
        facts = [_("发布单位：%(authority)s") % {"authority": item.authority.name}]
        if item.document_number:
            facts.append(_("文号：%(number)s") % {"number": item.document_number})
        parts.append("；".join(facts))
        return "\n".join(part for part in parts if part)

    def item_link(self, item: Announcement) -> str:
        return item.link

    def item_guid(self, item: Announcement) -> str:
        return item.guid

    item_guid_is_permalink = True

    def item_pubdate(self, item: Announcement):
        return timezone.localtime(item.published_at)

    # Atom requires an entry's <updated>: the publication time (what changes later, such as a
    # blacklisting lifted early, is announced as a new entry).
    item_updateddate = item_pubdate

    def item_author_name(self, item: Announcement) -> str:
        return item.authority.name

    def item_categories(self, item: Announcement) -> list[str]:
        return [item.get_kind_display()]


class AnnouncementAtomFeed(AnnouncementRssFeed):
    feed_type = Atom1Feed
