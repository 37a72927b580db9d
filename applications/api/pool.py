"""培育库 API: for officials, with the same scope and permissions as the pages."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from applications.filters.pool import CandidateFilter
from applications.models import Batch, CultivationCandidate, UnitType
from applications.selectors.pool import POOL_KINDS, candidate_list
from applications.services import pool as services
from greenmfg.core.permissions import IsOfficial
from greenmfg.directory.models import Organisation


class CandidateSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="key", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    target_unit_type = serializers.CharField(read_only=True)
    target_unit_type_display = serializers.CharField(
        source="get_target_unit_type_display", read_only=True
    )
    # Plain text rather than an enum: several models share the field name "status".
    status = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy(
            "cultivating 培育中 / invited 已邀请申报 / applied 已申报 / listed 已入选 / "
            "withdrawn 已退出"
        ),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CultivationCandidate
        fields = [
            "id",
            "county",
            "county_name",
            "organisation",
            "organisation_name",
            "credit_code",
            "target_unit_type",
            "target_unit_type_display",
            "target_year",
            "plan",
            "notes",
            "status",
            "status_display",
            "invited_batch",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# Text, not an enum: the schema names the unit-type choice set once, after Application.unit_type;
# the service refuses an unknown direction.
UNIT_TYPES_HELP = " / ".join(f"{value} {label}" for value, label in UnitType.choices)


class CandidateCreateSerializer(serializers.Serializer):
    """Input only: the service checks the county, the organisation's state and duplicates."""

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind__in=POOL_KINDS)
    )
    target_unit_type = serializers.CharField(help_text=UNIT_TYPES_HELP)
    target_year = serializers.IntegerField()
    plan = serializers.CharField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CandidateUpdateSerializer(serializers.Serializer):
    target_unit_type = serializers.CharField(required=False, help_text=UNIT_TYPES_HELP)
    target_year = serializers.IntegerField(required=False)
    plan = serializers.CharField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class CandidateTransitionSerializer(serializers.Serializer):
    action = serializers.CharField(
        help_text=gettext_lazy(
            "withdraw 退出培育（须填写说明） / reinstate 重新纳入 / cancel_invitation 撤回邀请"
        )
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CandidateInviteSerializer(serializers.Serializer):
    batch = serializers.PrimaryKeyRelatedField(queryset=Batch.objects.all())
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """培育库 candidates of the caller's subtree; only the county keeps its own pool."""

    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter
    permission_classes = [IsOfficial]
    ordering_fields = ["target_year", "created_at", "updated_at"]
    # Another open candidacy of that direction (added, changed to or re-included): 409, its id.
    conflict_actions = ("create", "partial_update", "transition")

    def get_queryset(self):
        return candidate_list(user=self.request.user)

    @extend_schema(request=CandidateCreateSerializer, responses={201: CandidateSerializer})
    def create(self, request):
        payload = CandidateCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        candidate = services.candidate_add(actor=request.user, **payload.validated_data)
        return Response(CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CandidateUpdateSerializer, responses={200: CandidateSerializer})
    def partial_update(self, request, pk=None):
        candidate = self.get_object()
        payload = CandidateUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        candidate = services.candidate_update(
            candidate=candidate, actor=request.user, **payload.validated_data
        )
        return Response(CandidateSerializer(candidate).data)

    @extend_schema(request=CandidateTransitionSerializer, responses={200: CandidateSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """办理培育对象流转。"""
        candidate = self.get_object()
        payload = CandidateTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        candidate = services.candidate_transition(
            candidate=candidate, actor=request.user, **payload.validated_data
        )
        return Response(CandidateSerializer(candidate).data)

    @extend_schema(request=CandidateInviteSerializer, responses={200: CandidateSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """邀请培育对象申报。"""
        candidate = self.get_object()
        payload = CandidateInviteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        candidate = services.candidate_invite(
            candidate=candidate, actor=request.user, **payload.validated_data
        )
        return Response(CandidateSerializer(candidate).data)


routes = [("pool", CandidateViewSet, "candidate")]
