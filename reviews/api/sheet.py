"""API of expert scoring: sheets, the combined score per application, and on-site checks."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from applications.selectors.applications import application_list
from greenmfg.core.permissions import IsOfficial
from reviews.filters.sheet import ApplicationScoreFilter, OnsiteCheckFilter, SheetFilter
from reviews.models import ExpertAssignment, OnsiteCheck, ScoreSheet
from reviews.selectors.sheet import (
    decision_preview,
    onsite_check_list,
    review_assignments,
    scored_applications,
    sheet_list,
    sheet_state,
    sheet_template,
    submitted_sheets,
)
from reviews.services import sheet as services

# --- Serializers (kept beside their viewsets: nothing else uses them) ---


class ScoreSheetSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="assignment.application_id", read_only=True)
    application_name = serializers.CharField(source="assignment.application", read_only=True)
    expert = serializers.IntegerField(source="assignment.expert_id", read_only=True)
    expert_name = serializers.CharField(source="assignment.expert.display_name", read_only=True)
    running_total = serializers.SerializerMethodField(
        help_text="未填写项按 0 分计的当前合计（提交后即总分）"
    )

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "assignment",
            "application",
            "application_name",
            "expert",
            "expert_name",
            "template_key",
            "answers",
            "entries",
            "comment",
            "status",
            "total",
            "basic_met",
            "running_total",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_running_total(self, sheet) -> str | None:
        if sheet.total is not None:
            return str(sheet.total)
        state = sheet_state(
            template=sheet_template(sheet), answers=sheet.answers, entries=sheet.entries
        )
        return str(state.result.total) if state.result else None


class SheetOpenSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()


class SheetUpdateSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        help_text='基本要求代码 → {"met": true|false|null, "note": "…"}',
    )
    entries = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        help_text='指标代码 → {"points": …} 或 {"value": …} 或 {"abstain_reason": "…"}；{} 清空',
    )
    comment = serializers.CharField(required=False, allow_blank=True)


class SheetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """评分表: experts open, fill in and submit their own; the batch authority reads them."""

    serializer_class = ScoreSheetSerializer
    filterset_class = SheetFilter
    ordering_fields = ["updated_at", "submitted_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return sheet_list(user=self.request.user)

    @extend_schema(request=SheetOpenSerializer, responses={201: ScoreSheetSerializer})
    def create(self, request):
        """打开评分表。

        Open the sheet of one of the expert's own assignments (again: the same sheet)."""
        payload = SheetOpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = ExpertAssignment.objects.filter(
            pk=payload.validated_data["assignment"], expert_id=request.user.pk
        ).first()
        if assignment is None:
            raise Http404
        sheet = services.sheet_open(assignment=assignment, actor=request.user)
        return Response(ScoreSheetSerializer(sheet).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SheetUpdateSerializer, responses={200: ScoreSheetSerializer})
    def partial_update(self, request, pk=None):
        """保存评分表。

        Save rows of the sheet. Any problem refuses the whole request (400); nothing changes."""
        payload = SheetUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        sheet, _problems = services.sheet_save(
            sheet=self.get_object(), actor=request.user, strict=True, **payload.validated_data
        )
        return Response(ScoreSheetSerializer(sheet).data)

    @extend_schema(request=None, responses={200: ScoreSheetSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交评分表。"""
        sheet = services.sheet_submit(sheet=self.get_object(), actor=request.user)
        return Response(ScoreSheetSerializer(sheet).data)


class AggregateSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=6, decimal_places=2)
    median = serializers.DecimalField(max_digits=6, decimal_places=2)
    minimum = serializers.DecimalField(max_digits=6, decimal_places=2)
    maximum = serializers.DecimalField(max_digits=6, decimal_places=2)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2)
    stdev = serializers.DecimalField(max_digits=6, decimal_places=2)
    method_used = serializers.CharField()
    trimmed = serializers.IntegerField()


class DecisionPreviewSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    decidable = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class ApplicationScoreSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="__str__")
    status = serializers.CharField()
    batch = serializers.IntegerField(source="batch_id")
    aggregation = serializers.CharField(source="batch.aggregation")
    assigned = serializers.SerializerMethodField()
    submitted = serializers.SerializerMethodField()
    aggregate = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    def get_assigned(self, application) -> int:
        return len(review_assignments(application=application))

    def get_submitted(self, application) -> int:
        return len(submitted_sheets(application=application))

    @extend_schema_field(AggregateSerializer(allow_null=True))
    def get_aggregate(self, application) -> dict | None:
        preview = self._preview(application)
        return AggregateSerializer(preview.aggregate).data if preview.aggregate else None

    @extend_schema_field(DecisionPreviewSerializer)
    def get_decision(self, application) -> dict:
        return DecisionPreviewSerializer(self._preview(application)).data

    def _preview(self, application):
        # One preview per application, shared by the fields that show it.
        cached = getattr(application, "_decision_preview", None)
        if cached is None:
            cached = application._decision_preview = decision_preview(application=application)
        return cached


class ApplicationScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """评分汇总: the combined score and the decision preview, by application id (officials of
    the bureau that opened the batch)."""

    serializer_class = ApplicationScoreSerializer
    permission_classes = [IsOfficial]
    filterset_class = ApplicationScoreFilter
    ordering_fields = ["updated_at", "submitted_at"]

    def get_queryset(self):
        return scored_applications(user=self.request.user)


class OnsiteCheckSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = OnsiteCheck
        fields = [
            "id",
            "application",
            "visited_on",
            "team",
            "findings",
            "passed",
            "original_name",
            "content_type",
            "sha256",
            "has_file",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_has_file(self, check) -> bool:
        return bool(check.file)


class OnsiteCheckCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    visited_on = serializers.DateField()
    team = serializers.CharField(max_length=300)
    findings = serializers.CharField()
    passed = serializers.BooleanField()
    file = serializers.FileField(required=False, allow_null=True, default=None)


class OnsiteCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """现场核查: recorded and read by the bureau that opened the batch."""

    serializer_class = OnsiteCheckSerializer
    permission_classes = [IsOfficial]
    filterset_class = OnsiteCheckFilter
    ordering_fields = ["visited_on", "recorded_at"]
    # Recording a check may carry its file (the only body here).
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return onsite_check_list(user=self.request.user)

    @extend_schema(request=OnsiteCheckCreateSerializer, responses={201: OnsiteCheckSerializer})
    def create(self, request):
        payload = OnsiteCheckCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        application = application_list(user=request.user).filter(pk=data.pop("application")).first()
        if application is None:
            raise Http404
        check = services.onsite_check_record(
            application=application,
            actor=request.user,
            uploaded_file=data.pop("file"),
            **data,
        )
        return Response(OnsiteCheckSerializer(check).data, status=status.HTTP_201_CREATED)


routes = [
    ("sheets", SheetViewSet, "sheet"),
    ("application-scores", ApplicationScoreViewSet, "application-score"),
    ("onsite-checks", OnsiteCheckViewSet, "onsite-check"),
]
