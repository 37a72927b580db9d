"""评审设置 API: ``/api/batches/<id>/review-settings/``, read and changed by the batch's bureau.

The route hangs below the batches' prefix without a list of its own, so the API root keeps
listing ``batches`` for the batches' own viewset.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from applications.models import Batch, UnitType
from applications.selectors.batches import batch_list
from greenmfg.core.errors import NotPermitted
from reviews.scoring import AGGREGATION_METHODS
from reviews.services.phase import (
    batch_update_review_settings,
    can_edit_review_settings,
    submitted_sheet_count,
    template_choices,
)

AGGREGATION_HELP = " / ".join(f"{value} {label}" for value, label in AGGREGATION_METHODS.items())
TEMPLATES_HELP = gettext_lazy(
    '申报类型 → 评分模板，如 {"factory": "green-factory@2025"}；未列出的类型使用最新版本。'
    "申报类型："
) + " / ".join(f"{value} {label}" for value, label in UnitType.choices)


class ReviewSettingsSerializer(serializers.ModelSerializer):
    batch = serializers.IntegerField(source="pk", read_only=True)
    # Plain text rather than an enum: several models share the field name "status".
    status = serializers.CharField(read_only=True)
    scoring_templates = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=TEMPLATES_HELP
    )
    aggregation = serializers.CharField(read_only=True, help_text=AGGREGATION_HELP)
    available_templates = serializers.SerializerMethodField(
        help_text=gettext_lazy("本批次受理的每种申报类型可选的评分模板")
    )
    submitted_sheets = serializers.SerializerMethodField(
        help_text=gettext_lazy("已提交的评分表份数；大于 0 时评分模板和专家人数不能再修改")
    )
    accepts_recommendations = serializers.SerializerMethodField(
        help_text=gettext_lazy("当前是否接收推荐（开关与推荐截止时间）")
    )

    class Meta:
        model = Batch
        fields = [
            "batch",
            "title",
            "status",
            "scoring_templates",
            "available_templates",
            "experts_per_application",
            "aggregation",
            "scoring_open",
            "scoring_deadline",
            "experts_see_others",
            "recommendations_open",
            "recommendation_deadline",
            "accepts_recommendations",
            "applicants_may_edit",
            "publicity_days",
            "submitted_sheets",
        ]
        read_only_fields = fields

    def get_available_templates(self, batch) -> dict[str, list[str]]:
        return {
            unit_type: [template.key for template in templates]
            for unit_type, templates in template_choices(batch=batch).items()
        }

    def get_submitted_sheets(self, batch) -> int:
        return submitted_sheet_count(batch=batch)

    def get_accepts_recommendations(self, batch) -> bool:
        return batch.accepts_recommendations()


class ReviewSettingsUpdateSerializer(serializers.Serializer):
    """A partial update: only the fields sent change; the service judges every value."""

    scoring_templates = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=TEMPLATES_HELP,
    )
    experts_per_application = serializers.IntegerField(required=False, help_text="1–15")
    aggregation = serializers.CharField(required=False, help_text=AGGREGATION_HELP)
    scoring_open = serializers.BooleanField(required=False)
    scoring_deadline = serializers.DateField(required=False, allow_null=True)
    experts_see_others = serializers.BooleanField(required=False)
    recommendations_open = serializers.BooleanField(required=False)
    recommendation_deadline = serializers.DateTimeField(required=False, allow_null=True)
    applicants_may_edit = serializers.BooleanField(required=False)
    publicity_days = serializers.IntegerField(required=False, help_text="1–60")


BATCH_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("批次 ID")
)


class BatchReviewSettingsViewSet(viewsets.GenericViewSet):
    """评审设置 of a batch: officials of the bureau that opened it, and administrators."""

    serializer_class = ReviewSettingsSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return batch_list(user=self.request.user)

    def _batch(self) -> Batch:
        batch = get_object_or_404(self.get_queryset(), pk=self.kwargs["id"])
        if not can_edit_review_settings(user=self.request.user, batch=batch):
            raise NotPermitted(
                _("评审设置由批次组织单位「%(authority)s」修改。")
                % {"authority": batch.authority.name}
            )
        return batch

    @extend_schema(
        methods=["get"],
        summary="查看评审设置",
        parameters=[BATCH_ID],
        request=None,
        responses=ReviewSettingsSerializer,
    )
    @extend_schema(
        methods=["patch"],
        summary="修改评审设置",
        parameters=[BATCH_ID],
        request=ReviewSettingsUpdateSerializer,
        responses=ReviewSettingsSerializer,
    )
    @action(detail=False, methods=["get", "patch"], url_path="review-settings")
    def review_settings(self, request, **kwargs):
        batch = self._batch()
        if request.method == "PATCH":
            payload = ReviewSettingsUpdateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            batch = batch_update_review_settings(
                batch=batch, actor=request.user, **payload.validated_data
            )
        return Response(ReviewSettingsSerializer(batch).data)


routes = [
    (r"batches/(?P<id>[0-9]+)", BatchReviewSettingsViewSet, "batch-review-settings"),
]
