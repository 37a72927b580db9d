"""公示、异议和名单发布 API. Officials manage their batches' publicity; the public reads the
proposed lists and lodges real-name objections without an account (rate-limited)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from applications.models import Application
from applications.selectors.batches import batch_list
from greenmfg.core.api import IdField
from reviews.models import Objection, Publicity, PublicityItem
from reviews.selectors.publicity import (
    objection_by_code,
    public_items,
    public_publicities,
    publicity_items,
    publicity_list,
)
from reviews.services import publicity as services


class IsOfficialOrAdmin(BasePermission):
    message = gettext_lazy("公示管理仅限工信部门用户。")

    def has_permission(self, request, view):
        user = request.user
        return user.is_authenticated and (user.is_official or user.is_sysadmin)


# --- officials ---------------------------------------------------------------------------------


class ObjectionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Text, not format "email": an objector may leave it blank, and "" is no e-mail address.
    email = serializers.CharField(read_only=True, help_text=gettext_lazy("电子邮箱；未填写时为空"))

    class Meta:
        model = Objection
        fields = [
            "id",
            "item",
            "tracking_code",
            "name",
            "organisation_or_id",
            "phone",
            "email",
            "content",
            "status",
            "status_display",
            "response",
            "handled_at",
            "created_at",
        ]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="application.organisation.name")
    unit_type = serializers.CharField(source="application.unit_type")
    product_name = serializers.CharField(source="application.product_name")
    region = serializers.CharField(source="application.jurisdiction.name")
    outcome_display = serializers.CharField(source="get_outcome_display")
    objections = ObjectionSerializer(many=True)

    class Meta:
        model = PublicityItem
        fields = [
            "id",
            "position",
            "application",
            "organisation_name",
            "unit_type",
            "product_name",
            "region",
            "score",
            "outcome",
            "outcome_display",
            "objections",
        ]
        read_only_fields = fields


class PublicitySerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    pending_objections = serializers.IntegerField(read_only=True)

    class Meta:
        model = Publicity
        fields = [
            "id",
            "batch",
            "title",
            "notice",
            "contact",
            "starts_on",
            "ends_on",
            "status",
            "status_display",
            "document_number",
            "published_on",
            "pending_objections",
        ]
        read_only_fields = fields


class PublicityDetailSerializer(PublicitySerializer):
    items = serializers.SerializerMethodField()
    publish_refusals = serializers.SerializerMethodField()

    class Meta(PublicitySerializer.Meta):
        fields = [*PublicitySerializer.Meta.fields, "items", "publish_refusals"]
        read_only_fields = fields

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, publicity) -> list:
        return ItemSerializer(publicity_items(publicity=publicity), many=True).data

    def get_publish_refusals(self, publicity) -> list[str]:
        return services.publish_refusals(publicity=publicity)


class PublicityStartSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=200)
    notice = serializers.CharField(required=False, allow_blank=True, default="")
    applications = serializers.ListField(
        child=IdField(),
        required=False,
        help_text=gettext_lazy("拟列入的评审通过申报；不填则为本批次全部评审通过的申报"),
    )


class PublishSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=100)
    published_on = serializers.DateField(required=False)


class DecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    response = serializers.CharField()


class PublicityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """公示 of the batches in the caller's jurisdiction; starting one and publishing the list."""

    permission_classes = [IsOfficialOrAdmin]
    filterset_fields = ["status", "batch"]
    ordering_fields = ["starts_on", "ends_on"]

    def get_queryset(self):
        return publicity_list(user=self.request.user)

    def get_serializer_class(self):
        return PublicityDetailSerializer if self.action == "retrieve" else PublicitySerializer

    @extend_schema(request=PublicityStartSerializer, responses={201: PublicityDetailSerializer})
    def create(self, request):
        payload = PublicityStartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        batch = get_object_or_404(batch_list(user=request.user), pk=data["batch"])
        chosen = None
        if "applications" in data:
            chosen = list(Application.objects.filter(batch=batch, pk__in=data["applications"]))
        publicity = services.publicity_start(
            batch=batch,
            actor=request.user,
            title=data["title"],
            contact=data["contact"],
            notice=data["notice"],
            applications=chosen,
        )
        publicity = self.get_queryset().get(pk=publicity.pk)
        return Response(PublicityDetailSerializer(publicity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PublishSerializer, responses={200: PublicityDetailSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公示结束，发布名单。"""
        publicity = self.get_object()
        payload = PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.publicity_publish(publicity=publicity, actor=request.user, **data)
        publicity = self.get_queryset().get(pk=publicity.pk)
        return Response(PublicityDetailSerializer(publicity).data)


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """公示异议 of the caller's publicities, and the authority's answer."""

    permission_classes = [IsOfficialOrAdmin]
    serializer_class = ObjectionSerializer
    filterset_fields = ["status", "item__publicity"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return Objection.objects.filter(
            item__publicity__in=publicity_list(user=self.request.user).values("pk")
        ).order_by("-created_at")

    @extend_schema(request=DecisionSerializer, responses={200: ObjectionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """答复公示异议。"""
        objection = self.get_object()
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        objection = services.objection_decide(
            objection=objection, actor=request.user, **payload.validated_data
        )
        return Response(ObjectionSerializer(objection).data)


# --- the public ----------------------------------------------------------------------------------


class PublicItemSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="application.organisation.name")
    unit_type = serializers.CharField(source="application.unit_type")
    unit_type_display = serializers.CharField(source="application.get_unit_type_display")
    product_name = serializers.CharField(source="application.product_name")
    region = serializers.CharField(source="application.jurisdiction.name")

    class Meta:
        model = PublicityItem
        fields = [
            "id",
            "position",
            "organisation_name",
            "unit_type",
            "unit_type_display",
            "product_name",
            "region",
        ]
        read_only_fields = fields


class PublicPublicitySerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="batch.authority.name")
    unit_count = serializers.IntegerField()

    class Meta:
        model = Publicity
        fields = [
            "id",
            "title",
            "authority",
            "notice",
            "contact",
            "starts_on",
            "ends_on",
            "status",
            "document_number",
            "published_on",
            "unit_count",
        ]
        read_only_fields = fields


class PublicPublicityDetailSerializer(PublicPublicitySerializer):
    items = serializers.SerializerMethodField()

    class Meta(PublicPublicitySerializer.Meta):
        fields = [*PublicPublicitySerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(PublicItemSerializer(many=True))
    def get_items(self, publicity) -> list:
        return PublicItemSerializer(public_items(publicity=publicity), many=True).data


class ObjectionLodgeSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text=gettext_lazy("异议针对的公示单位（items 中的 id）"))
    name = serializers.CharField(max_length=50)
    organisation_or_id = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=30)
    email = serializers.EmailField(required=False, allow_blank=True)
    content = serializers.CharField()


class ObjectionStatusSerializer(serializers.ModelSerializer):
    publicity = serializers.CharField(source="item.publicity.title")
    organisation_name = serializers.CharField(source="item.application.organisation.name")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Objection
        fields = [
            "tracking_code",
            "publicity",
            "organisation_name",
            "status",
            "status_display",
            "response",
            "created_at",
            "handled_at",
        ]
        read_only_fields = fields


class PublicPublicityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """公示公告 for everyone (no login): the proposed and published lists, and objections."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    filterset_fields = ["status"]
    ordering_fields = ["starts_on"]

    def get_queryset(self):
        return public_publicities()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PublicPublicityDetailSerializer
        return PublicPublicitySerializer

    @extend_schema(request=ObjectionLodgeSerializer, responses={201: ObjectionStatusSerializer})
    @action(detail=True, methods=["post"], throttle_classes=[AnonRateThrottle])
    def objections(self, request, pk=None):
        """提出公示异议。

        No login; the answer carries the tracking code to follow the objection."""
        publicity = self.get_object()
        payload = ObjectionLodgeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        item = get_object_or_404(public_items(publicity=publicity), pk=data.pop("item"))
        objection = services.objection_lodge(item=item, **data)
        return Response(ObjectionStatusSerializer(objection).data, status=status.HTTP_201_CREATED)


class PublicObjectionViewSet(viewsets.GenericViewSet):
    """异议处理查询 by tracking code."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = ObjectionStatusSerializer
    lookup_field = "tracking_code"
    lookup_value_regex = "[A-Za-z0-9]{1,16}"
    queryset = Objection.objects.none()

    def retrieve(self, request, tracking_code=None):
        """按查询码查询异议处理情况。"""
        objection = objection_by_code(code=tracking_code)
        if objection is None:
            raise NotFound(gettext_lazy("未找到该查询码对应的异议。"))
        return Response(ObjectionStatusSerializer(objection).data)


routes = [
    ("publicities", PublicityViewSet, "publicity"),
    ("objections", ObjectionViewSet, "objection"),
    ("public/publicities", PublicPublicityViewSet, "public-publicity"),
    ("public/objections", PublicObjectionViewSet, "public-objection"),
]
