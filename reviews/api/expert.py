"""专家库、评审分配和利益冲突 API, with the scope and permissions of the pages."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from applications.models import Application
from applications.selectors.applications import application_list
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.credit_code import normalise
from greenmfg.directory.models import Organisation
from reviews.filters.expert import AssignmentFilter, ExpertPoolFilter
from reviews.models import ConflictDeclaration, ExpertAssignment, ExpertField, ExpertMembership
from reviews.selectors.expert import (
    CONFLICT_KINDS,
    assignment_list,
    conflict_list,
    expert_pool,
    keeps_expert_pool,
)
from reviews.services import expert as services

FIELDS_HELP = " / ".join(f"{value} {label}" for value, label in ExpertField.choices)


class KeepsExpertPool(BasePermission):
    message = gettext_lazy("专家库由市、省、国家工信部门维护。")

    def has_permission(self, request, view):
        return keeps_expert_pool(user=request.user)


# --- the pool ---------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    expert_name = serializers.CharField(source="expert.display_name", read_only=True)
    expert_organisation = serializers.CharField(
        source="expert.organisation.name", read_only=True, default=""
    )
    # Text rather than an enum: the choice set is named once, in the input serializers' help.
    field = serializers.CharField(read_only=True, help_text=FIELDS_HELP)
    field_display = serializers.CharField(source="get_field_display", read_only=True)

    class Meta:
        model = ExpertMembership
        fields = [
            "id",
            "authority",
            "authority_name",
            "expert",
            "expert_name",
            "expert_organisation",
            "field",
            "field_display",
            "title",
            "active_from",
            "active_until",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer):
    """Input only: the service checks the role, the years and duplicates."""

    expert = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(role=Role.EXPERT))
    field = serializers.CharField(help_text=FIELDS_HELP)
    title = serializers.CharField(max_length=50)
    active_from = serializers.IntegerField()
    active_until = serializers.IntegerField(required=False, allow_null=True, default=None)
    authority = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.BUREAU),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("系统管理员须指定专家库所属部门；工信部门用户默认本部门"),
    )


class MembershipUpdateSerializer(serializers.Serializer):
    field = serializers.CharField(required=False, help_text=FIELDS_HELP)
    title = serializers.CharField(required=False, max_length=50)
    active_from = serializers.IntegerField(required=False)
    active_until = serializers.IntegerField(required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ExpertPoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """专家库 of the caller's bureau (city, province, national); every pool for administrators."""

    serializer_class = MembershipSerializer
    filterset_class = ExpertPoolFilter
    permission_classes = [KeepsExpertPool]
    ordering_fields = ["active_from", "created_at"]
    conflict_actions = ("create",)  # the expert already in this pool: 409 with the membership

    def get_queryset(self):
        return expert_pool(user=self.request.user)

    @extend_schema(request=MembershipCreateSerializer, responses={201: MembershipSerializer})
    def create(self, request):
        payload = MembershipCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        membership = services.expert_add(actor=request.user, **payload.validated_data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipUpdateSerializer, responses={200: MembershipSerializer})
    def partial_update(self, request, pk=None):
        membership = self.get_object()
        payload = MembershipUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        membership = services.expert_update(
            membership=membership, actor=request.user, **payload.validated_data
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=ReasonSerializer, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """停用专家（须填写理由）。"""
        membership = self.get_object()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        membership = services.expert_deactivate(
            membership=membership, actor=request.user, reason=payload.validated_data["reason"]
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """恢复专家。"""
        membership = services.expert_reactivate(membership=self.get_object(), actor=request.user)
        return Response(MembershipSerializer(membership).data)


# --- assignments ------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    application_name = serializers.CharField(source="application.__str__", read_only=True)
    batch = serializers.IntegerField(source="application.batch_id", read_only=True)
    batch_title = serializers.CharField(source="application.batch.title", read_only=True)
    expert_name = serializers.CharField(source="expert.display_name", read_only=True)
    # Plain text rather than an enum: several models share the field name "status".
    status = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("assigned 待评分 / submitted 已提交评分 / withdrawn 已回避"),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    sheet_status = serializers.SerializerMethodField(
        help_text=gettext_lazy("评分表状态：draft 填写中 / submitted 已提交；未填写为空")
    )

    class Meta:
        model = ExpertAssignment
        fields = [
            "id",
            "application",
            "application_name",
            "batch",
            "batch_title",
            "expert",
            "expert_name",
            "status",
            "status_display",
            "sheet_status",
            "assigned_at",
            "withdrawal_reason",
        ]
        read_only_fields = fields

    def get_sheet_status(self, assignment) -> str:
        sheet = getattr(assignment, "sheet", None)
        return sheet.status if sheet is not None else ""


class AssignmentCreateSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())
    expert = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(role=Role.EXPERT))


class AutoAssignSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """评审分配: the authority's officials see its batches' panels, an expert only their own."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["assigned_at"]

    def get_queryset(self):
        return assignment_list(user=self.request.user)

    def _visible(self, application: Application) -> Application:
        """The application as the caller may see it; 404 when out of their scope."""
        found = application_list(user=self.request.user).filter(pk=application.pk).first()
        if found is None:
            raise Http404
        return found

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def create(self, request):
        payload = AssignmentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = services.assignment_create(
            application=self._visible(payload.validated_data["application"]),
            expert=payload.validated_data["expert"],
            actor=request.user,
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AutoAssignSerializer, responses={201: AssignmentSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)  # a bare array, as created
    def auto(self, request):
        """自动分配评审专家。

        Completes the application's panel from the pool; the new assignments come back."""
        payload = AutoAssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = services.assignment_auto(
            application=self._visible(payload.validated_data["application"]), actor=request.user
        )
        return Response(
            AssignmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ReasonSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回评审分配（须填写理由）。"""
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = services.assignment_withdraw(
            assignment=self.get_object(),
            actor=request.user,
            reason=payload.validated_data["reason"],
        )
        return Response(AssignmentSerializer(assignment).data)


# --- conflicts --------------------------------------------------------------------------------


class ConflictSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    expert_name = serializers.CharField(source="expert.display_name", read_only=True)

    class Meta:
        model = ConflictDeclaration
        fields = [
            "id",
            "expert",
            "expert_name",
            "organisation",
            "organisation_name",
            "credit_code",
            "reason",
            "declared_at",
        ]
        read_only_fields = fields


class ConflictCreateSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind__in=CONFLICT_KINDS),
        required=False,
        allow_null=True,
        default=None,
    )
    credit_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("也可用统一社会信用代码指定单位（与 organisation 二选一）"),
    )
    reason = serializers.CharField()

    def validate(self, data):
        code = normalise(data.get("credit_code") or "")
        if bool(code) == bool(data.get("organisation")):
            raise serializers.ValidationError(
                gettext_lazy("请指定 organisation 或 credit_code，二者择一。")
            )
        if code:
            found = Organisation.objects.filter(credit_code=code, kind__in=CONFLICT_KINDS).first()
            if found is None:
                raise serializers.ValidationError(
                    {"credit_code": gettext_lazy("未找到该信用代码的企业、园区或第三方评价机构。")}
                )
            data["organisation"] = found
        return data


class ConflictViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """利益冲突申报: an expert lists and declares their own; a pool keeper reads its experts'."""

    serializer_class = ConflictSerializer
    conflict_actions = ("create",)  # already declared: 409 with the declaration's id

    def get_queryset(self):
        return conflict_list(user=self.request.user)

    @extend_schema(request=ConflictCreateSerializer, responses={201: ConflictSerializer})
    def create(self, request):
        payload = ConflictCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        declaration = services.conflict_declare(
            expert=request.user,
            organisation=payload.validated_data["organisation"],
            reason=payload.validated_data["reason"],
        )
        return Response(ConflictSerializer(declaration).data, status=status.HTTP_201_CREATED)


routes = [
    ("expert-pool", ExpertPoolViewSet, "expert-membership"),
    ("assignments", AssignmentViewSet, "expert-assignment"),
    ("conflicts", ConflictViewSet, "conflict-declaration"),
]
