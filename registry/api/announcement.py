"""公告 API: the announcements for everyone, read-only, without an account (rate-limited), with
the page's filters (kind, region, year)."""

from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from registry.filters.announcement import AnnouncementFilter
from registry.models import Announcement
from registry.selectors.announcement import public_announcements

KIND_HELP = " / ".join(f"{value} {label}" for value, label in Announcement.Kind.choices)


class PublicAnnouncementSerializer(serializers.ModelSerializer):
    # Plain text rather than an enum: several models share the field name "kind".
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("公告详情的完整链接（公众可阅读全文的页面）")
    )

    class Meta:
        model = Announcement
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "summary",
            "authority_name",
            "jurisdiction",
            "jurisdiction_name",
            "document_number",
            "published_at",
            "link",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, announcement) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(announcement.link) if request else announcement.link


class PublicAnnouncementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """公告 for everyone (no login), newest first: publicity notices, published lists,
    removals, changes and blacklisted agencies."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = PublicAnnouncementSerializer
    filterset_class = AnnouncementFilter
    ordering_fields = ["published_at"]

    def get_queryset(self):
        return public_announcements()


routes = [("public/announcements", PublicAnnouncementViewSet, "public-announcement")]
