"""评价机构黑名单 API: officials list the entries that concern them, add one (multipart, with the
evidence), lift one early and download the evidence; the public reads the list without an
account (rate-limited), never the evidence nor who recorded an entry."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from greenmfg.core.files import private_file_response
from greenmfg.core.permissions import IsOfficial
from greenmfg.directory.models import Organisation
from thirdparty.filters.blacklist import BlacklistFilter
from thirdparty.forms.blacklist import starts_on_refusal
from thirdparty.models import BlacklistEntry
from thirdparty.selectors.blacklist import (
    agencies_overseen,
    blacklist_list,
    entry_state,
    public_blacklist,
)
from thirdparty.services import agencies as services

STATE_HELP = gettext_lazy("in_force 有效期内 / expired 已到期 / lifted 已提前解除 / pending 未生效")


class PublicBlacklistEntrySerializer(serializers.ModelSerializer):
    """What anyone may read: no evidence, no names of who recorded or lifted the entry."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_credit_code = serializers.CharField(source="agency.credit_code", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    state = serializers.SerializerMethodField(help_text=STATE_HELP)

    class Meta:
        model = BlacklistEntry
        fields = [
            "id",
            "agency_name",
            "agency_credit_code",
            "authority_name",
            "jurisdiction",
            "jurisdiction_name",
            "starts_on",
            "ends_on",
            "lifted_on",
            "state",
            "reason",
        ]
        read_only_fields = fields

    def get_state(self, entry) -> str:
        return entry_state(entry)


class BlacklistEntrySerializer(PublicBlacklistEntrySerializer):
    # The stored file's own name keeps its API name.
    evidence_name = serializers.CharField(source="original_name", read_only=True, max_length=255)
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    lifted_by_name = serializers.CharField(
        source="lifted_by.display_name", read_only=True, default=""
    )

    class Meta(PublicBlacklistEntrySerializer.Meta):
        fields = [
            *PublicBlacklistEntrySerializer.Meta.fields,
            "agency",
            "authority",
            "evidence_name",
            "content_type",
            "sha256",
            "created_by_name",
            "created_at",
            "lift_reason",
            "lifted_by_name",
        ]
        read_only_fields = fields


class BlacklistCreateSerializer(serializers.Serializer):
    """Input only (multipart): the service checks the reason, the evidence and duplicates."""

    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY),
        help_text=gettext_lazy("评价机构（本辖区登记或在本辖区承担过评价的机构）"),
    )
    reason = serializers.CharField(help_text=gettext_lazy("查实的问题，至少 10 个字；公开"))
    evidence = serializers.FileField(help_text=gettext_lazy("证据材料：PDF、JPG 或 PNG"))
    starts_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("决定日期，默认今天"),
    )

    def validate_starts_on(self, value):
        refusal = starts_on_refusal(value)
        if refusal:
            raise serializers.ValidationError(refusal)
        return value


class LiftSerializer(serializers.Serializer):
    decision = serializers.CharField(help_text=gettext_lazy("提前解除的决定及理由，至少 10 个字"))


class BlacklistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """评价机构黑名单 for officials: entries decided in their subtree or binding on it."""

    serializer_class = BlacklistEntrySerializer
    filterset_class = BlacklistFilter
    permission_classes = [IsOfficial]
    # An entry is created with its evidence file; lifting it takes JSON.
    parser_classes = [MultiPartParser]
    ordering_fields = ["starts_on", "ends_on"]

    def get_queryset(self):
        return blacklist_list(user=self.request.user)

    @extend_schema(request=BlacklistCreateSerializer, responses={201: BlacklistEntrySerializer})
    def create(self, request):
        payload = BlacklistCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        agency = data["agency"]
        if not agencies_overseen(user=request.user).filter(pk=agency.pk).exists():
            raise ValidationError(
                {"agency": [gettext_lazy("只能将本辖区登记或在本辖区承担过评价的机构列入黑名单。")]}
            )
        entry = services.blacklist_add(
            agency=agency,
            actor=request.user,
            reason=data["reason"],
            evidence=data["evidence"],
            starts_on=data["starts_on"],
        )
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(BlacklistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LiftSerializer, responses={200: BlacklistEntrySerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def lift(self, request, pk=None):
        """移出机构黑名单。"""
        entry = self.get_object()
        payload = LiftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.blacklist_lift(
            entry=entry, actor=request.user, decision=payload.validated_data["decision"]
        )
        return Response(BlacklistEntrySerializer(self.get_queryset().get(pk=entry.pk)).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """下载列入黑名单的决定文件。"""
        entry = self.get_object()
        if not entry.file:
            raise Http404
        return private_file_response(
            entry.file, filename=entry.original_name, content_type=entry.content_type
        )


class PublicBlacklistViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """评价机构黑名单公示 for everyone (no login)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = PublicBlacklistEntrySerializer
    filterset_class = BlacklistFilter
    ordering_fields = ["starts_on", "ends_on"]

    def get_queryset(self):
        return public_blacklist().order_by("-starts_on", "-pk")


routes = [
    ("agency-blacklist", BlacklistViewSet, "agency-blacklist"),
    ("public/agency-blacklist", PublicBlacklistViewSet, "public-agency-blacklist"),
]
