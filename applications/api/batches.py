"""申报批次 API: the same visibility and permissions as the pages, through the same services."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from applications.filters.batches import BatchFilter
from applications.models import POLICY_CHOICES, Batch, UnitType
from applications.selectors.batches import batch_list, batch_quota_rows
from applications.services import batches as services
from greenmfg.core.errors import NotPermitted
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.rules import batch_period_finding, policy_period

# Text, not an enum: the schema names the unit-type choice set once, after Application.unit_type;
# the service refuses a type the policy does not cover, naming it.
UNIT_TYPES_HELP = " / ".join(f"{value} {label}" for value, label in UnitType.choices)


class PolicyPeriodSerializer(serializers.Serializer):
    """有效期 of the batch's policy (洛阳 第二十六条, 济南 第二十六条, 大连: its 2022年度 round)."""

    valid_from = serializers.DateField(read_only=True)
    valid_until = serializers.DateField(read_only=True)
    article = serializers.CharField(
        read_only=True, help_text=gettext_lazy("规定有效期的条款，如 第二十六条；大连通知为 一")
    )
    statement = serializers.CharField(
        read_only=True, help_text=gettext_lazy("有效期的表述及出处，与批次页面一致")
    )
    in_force = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "本批次的年度和网上申报截止时间是否在有效期内（发布、重新开放时复核）"
        ),
    )


class BatchSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    # Plain text rather than an enum: several models share the field name "status".
    status = serializers.CharField(
        read_only=True, help_text=gettext_lazy("draft 未发布 / open 申报中 / closed 已截止")
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    policy = serializers.CharField(read_only=True)
    policy_display = serializers.CharField(source="get_policy_display", read_only=True)
    unit_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    policy_period = serializers.SerializerMethodField()

    class Meta:
        model = Batch
        fields = [
            "id",
            "title",
            "year",
            "policy",
            "policy_display",
            "unit_types",
            "policy_period",
            "status",
            "status_display",
            "authority",
            "authority_name",
            "jurisdiction",
            "jurisdiction_name",
            "submission_deadline",
            "paper_copy_deadline",
            "agency_report_deadline",
            "announcement",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PolicyPeriodSerializer)
    def get_policy_period(self, batch: Batch) -> dict:
        # The same reading as batch_create and the opening guard: the batch's year and deadline,
        # not today (greenmfg.rules.batch_period_finding). Pure: no query per batch.
        period = policy_period(batch.policy)
        finding = batch_period_finding(
            batch.policy, year=batch.year, deadline=timezone.localdate(batch.submission_deadline)
        )
        return PolicyPeriodSerializer(
            {
                "valid_from": period.valid_from,
                "valid_until": period.valid_until,
                "article": period.article,
                "statement": period.statement,
                "in_force": finding.passed,
            }
        ).data


class BatchWriteSerializer(serializers.Serializer):
    """Input only: the service checks the rules (policy coverage, deadlines, uniqueness)."""

    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField()
    policy = serializers.ChoiceField(choices=POLICY_CHOICES)
    unit_types = serializers.ListField(
        child=serializers.CharField(), allow_empty=True, help_text=UNIT_TYPES_HELP
    )
    submission_deadline = serializers.DateTimeField()
    paper_copy_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    agency_report_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    announcement = serializers.CharField(required=False, allow_blank=True, default="")
    authority = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.BUREAU),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("仅系统管理员填写：组织该批次的工信部门"),
    )


class BatchUpdateSerializer(serializers.Serializer):
    """A partial update: only the fields sent change."""

    title = serializers.CharField(max_length=200, required=False)
    year = serializers.IntegerField(required=False)
    policy = serializers.ChoiceField(choices=POLICY_CHOICES, required=False)
    unit_types = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=UNIT_TYPES_HELP
    )
    submission_deadline = serializers.DateTimeField(required=False)
    paper_copy_deadline = serializers.DateField(required=False, allow_null=True)
    agency_report_deadline = serializers.DateField(required=False, allow_null=True)
    announcement = serializers.CharField(required=False, allow_blank=True)


class BatchTransitionSerializer(serializers.Serializer):
    action = serializers.CharField(
        help_text=gettext_lazy("publish 发布 / close 截止 / reopen 重新开放（须填写说明）")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BatchQuotaSerializer(serializers.Serializer):
    jurisdiction = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Jurisdiction.objects.all(),
        help_text=gettext_lazy("下级区划标识，如 410311"),
    )
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    quota = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("推荐名额；null 表示不设")
    )


class BatchQuotasSerializer(serializers.Serializer):
    quotas = BatchQuotaSerializer(many=True)


class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """申报批次: officials see their subtree's and their superiors' published batches,
    applicants the open batches that cover them."""

    serializer_class = BatchSerializer
    filterset_class = BatchFilter
    ordering_fields = ["year", "submission_deadline", "created_at"]
    # The bureau's title already used that year: 409 with that batch's id.
    conflict_actions = ("create", "partial_update")

    def get_queryset(self):
        return batch_list(user=self.request.user)

    @extend_schema(request=BatchWriteSerializer, responses={201: BatchSerializer})
    def create(self, request):
        payload = BatchWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        batch = services.batch_create(actor=request.user, **payload.validated_data)
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BatchUpdateSerializer, responses={200: BatchSerializer})
    def partial_update(self, request, pk=None):
        batch = self.get_object()
        payload = BatchUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        batch = services.batch_update(batch=batch, actor=request.user, **payload.validated_data)
        return Response(BatchSerializer(batch).data)

    @extend_schema(request=BatchTransitionSerializer, responses={200: BatchSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """办理批次流转。

        One step of the batch's workflow (``action``), e.g. publishing or closing it."""
        batch = self.get_object()
        payload = BatchTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        batch = services.batch_transition(batch=batch, actor=request.user, **payload.validated_data)
        return Response(BatchSerializer(batch).data)

    @extend_schema(
        methods=["get"],
        summary="查看批次名额",
        request=None,
        responses={200: BatchQuotaSerializer(many=True)},
    )
    @extend_schema(
        methods=["put"],
        summary="设置批次名额",
        request=BatchQuotasSerializer,
        responses={200: BatchQuotaSerializer(many=True)},
    )
    # A batch's quotas come whole, as a bare array (one row per county under the authority).
    @action(detail=True, methods=["get", "put"], pagination_class=None)
    def quotas(self, request, pk=None):
        batch = self.get_object()
        if not (request.user.is_official or request.user.is_sysadmin):
            raise NotPermitted(_("推荐名额仅对工信部门开放。"))
        if request.method == "PUT":
            payload = BatchQuotasSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.batch_set_quotas(
                batch=batch,
                actor=request.user,
                quotas={
                    row["jurisdiction"]: row["quota"]
                    for row in payload.validated_data["quotas"]
                    if row["quota"] is not None
                },
            )
        return Response(BatchQuotaSerializer(batch_quota_rows(batch=batch), many=True).data)


routes = [("batches", BatchViewSet, "batch")]
