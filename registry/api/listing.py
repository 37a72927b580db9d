"""名单 API. The public reads the published lists (no login, rate-limited, public fields only)
with the same filters as /mingdan/; officials list the listings of their subtree and record a
name, boundary or scope change and a re-review through the same services as the pages."""

from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from greenmfg.core.permissions import IsOfficial
from registry.filters.public import ListingFilter
from registry.models import Listing, ListingEvent, RemovalProposal
from registry.selectors.public import public_listings, region_name
from registry.services import history as services
from registry.services.history import CHANGE_KINDS, RE_REVIEW_OUTCOMES

# Plain text rather than enums: several models share these field names with other choices.
STATUS_HELP = gettext_lazy("active 有效 / under_review 复核中 / removed 已移出")
LEVEL_HELP = gettext_lazy("national 国家级 / province 省级 / city 市级 / county 县（区）级")
UNIT_TYPE_HELP = gettext_lazy(
    "factory 绿色工厂 / park 绿色工业园区 / supply_chain 绿色供应链管理企业 / "
    "design_product 绿色设计产品"
)
EVENT_KIND_HELP = " / ".join(f"{value} {label}" for value, label in ListingEvent.Kind.choices)
# Checked by the services, which name what they refuse.
CHANGE_KIND_HELP = " / ".join(f"{kind.value} {kind.label}" for kind in CHANGE_KINDS)
OUTCOME_HELP = " / ".join(f"{value} {label}" for value, label in RE_REVIEW_OUTCOMES.items())


class PublicEventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=EVENT_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ListingEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "occurred_on",
            "document_number",
            "old_value",
            "new_value",
            "reason",
        ]
        read_only_fields = fields


class PublicListingSerializer(serializers.ModelSerializer):
    """The public fields of a listing, as the lists and the downloads show them."""

    unit = serializers.IntegerField(source="organisation_id", read_only=True)
    unit_type = serializers.CharField(read_only=True, help_text=UNIT_TYPE_HELP)
    unit_type_display = serializers.CharField(source="get_unit_type_display", read_only=True)
    level = serializers.CharField(read_only=True, help_text=LEVEL_HELP)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    region = serializers.CharField(source="jurisdiction.key", read_only=True)
    region_name = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = [
            "id",
            "unit",
            "unit_name",
            "credit_code",
            "unit_type",
            "unit_type_display",
            "product_name",
            "level",
            "level_display",
            "year",
            "authority_name",
            "region",
            "region_name",
            "document_number",
            "listed_on",
            "valid_until",
            "status",
            "status_display",
            "removed_on",
        ]
        read_only_fields = fields

    def get_region_name(self, listing) -> str:
        return region_name(listing)


class PublicListingDetailSerializer(PublicListingSerializer):
    events = serializers.SerializerMethodField()

    class Meta(PublicListingSerializer.Meta):
        fields = [*PublicListingSerializer.Meta.fields, "events"]
        read_only_fields = fields

    @extend_schema_field(PublicEventSerializer(many=True))
    def get_events(self, listing) -> list:
        events = listing.events.order_by("occurred_on", "id")
        return PublicEventSerializer(events, many=True).data


class PublicListingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """绿色制造名单 for everyone (no login): the filters of /mingdan/ (``status`` empty: the
    units on the lists; ``all`` includes the removed ones). A unit's history on retrieve."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ListingFilter

    def get_queryset(self):
        return public_listings()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PublicListingDetailSerializer
        return PublicListingSerializer

    def filter_queryset(self, queryset):
        # One listing is looked up by its id, whatever its status: the filters choose lists.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


# --- officials ---------------------------------------------------------------------------------


class EventSerializer(PublicEventSerializer):
    created_by_name = serializers.CharField(
        source="created_by.display_name", read_only=True, default=""
    )

    class Meta(PublicEventSerializer.Meta):
        fields = [*PublicEventSerializer.Meta.fields, "created_by_name", "created_at"]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = RemovalProposal
        fields = ["id", "source", "source_display", "reason", "created_at"]
        read_only_fields = fields


class ListingSerializer(PublicListingSerializer):
    # Null for a listing imported from an earlier list rather than granted through the portal.
    batch = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    batch_title = serializers.CharField(source="batch.title", read_only=True, default="")
    application = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta(PublicListingSerializer.Meta):
        fields = [
            *PublicListingSerializer.Meta.fields,
            "batch",
            "batch_title",
            "application",
            "created_at",
        ]
        read_only_fields = fields


class ListingDetailSerializer(ListingSerializer):
    events = serializers.SerializerMethodField()
    open_removal_proposals = serializers.SerializerMethodField()

    class Meta(ListingSerializer.Meta):
        fields = [*ListingSerializer.Meta.fields, "events", "open_removal_proposals"]
        read_only_fields = fields

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, listing) -> list:
        events = listing.events.select_related("created_by").order_by("occurred_on", "id")
        return EventSerializer(events, many=True).data

    @extend_schema_field(ProposalSerializer(many=True))
    def get_open_removal_proposals(self, listing) -> list:
        return ProposalSerializer(services.open_removal_proposals(listing=listing), many=True).data


class _EventInput(serializers.Serializer):
    occurred_on = serializers.DateField()
    document_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NameChangeSerializer(_EventInput):
    new_name = serializers.CharField(max_length=200)


class ChangeSerializer(_EventInput):
    kind = serializers.CharField(help_text=CHANGE_KIND_HELP)
    old_value = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    new_value = serializers.CharField(max_length=300)


class ReReviewSerializer(_EventInput):
    outcome = serializers.CharField(help_text=OUTCOME_HELP)
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("复审通过时新的有效期；不填则有固定期限的名单顺延一个周期"),
    )


class ListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """名单管理: the listings of the caller's subtree, and the events of their history."""

    permission_classes = [IsOfficial]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ListingFilter

    def get_queryset(self):
        return services.listings_overseen(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ListingSerializer
        return ListingDetailSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _recorded(self, listing):
        listing = self.get_queryset().get(pk=listing.pk)
        return Response(ListingDetailSerializer(listing).data)

    @extend_schema(request=NameChangeSerializer, responses={200: ListingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="name-change")
    def name_change(self, request, pk=None):
        """登记名单单位名称变更。"""
        listing = self.get_object()
        payload = NameChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.listing_record_name_change(
            listing=listing, actor=request.user, **payload.validated_data
        )
        return self._recorded(listing)

    @extend_schema(request=ChangeSerializer, responses={200: ListingDetailSerializer})
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        """登记名单单位变更事项。"""
        listing = self.get_object()
        payload = ChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.listing_record_change(
            listing=listing, actor=request.user, **payload.validated_data
        )
        return self._recorded(listing)

    @extend_schema(request=ReReviewSerializer, responses={200: ListingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="re-review")
    def re_review(self, request, pk=None):
        """登记复核结果。"""
        listing = self.get_object()
        payload = ReReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.listing_record_re_review(
            listing=listing, actor=request.user, **payload.validated_data
        )
        return self._recorded(listing)


routes = [
    ("listings", ListingViewSet, "listing"),
    ("public/listings", PublicListingViewSet, "public-listing"),
]
