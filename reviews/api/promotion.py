"""推荐至上级 API: the candidates a bureau may recommend into a higher batch, recommending one
(with an override reason where the document says 原则上), withdrawing, and the 推荐汇总表."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from applications.models import Application
from applications.selectors.batches import batch_list
from greenmfg.core.api import id_or_404, parse_id
from greenmfg.core.errors import NotPermitted
from greenmfg.rules import promotion_verdict
from reviews.selectors.promotion import (
    levels_by_unit,
    may_recommend_into,
    promotion_candidates,
    recommendation_summary,
    summary_region,
)
from reviews.services import promotion as services

BATCH_PARAMETER = OpenApiParameter(
    "batch", int, required=True, description=gettext_lazy("接收推荐的上级批次")
)
REGION_PARAMETER = OpenApiParameter(
    "region",
    int,
    required=False,
    description=gettext_lazy("推荐地区（区划 id）：只列该地区推荐的单位，须在本人辖区内"),
)


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    article = serializers.CharField()
    passed = serializers.BooleanField()
    message = serializers.CharField()
    in_principle = serializers.BooleanField()


class PromotionCandidateSerializer(serializers.Serializer):
    listing = serializers.IntegerField(source="listing.pk")
    organisation = serializers.IntegerField(source="listing.organisation_id")
    organisation_name = serializers.CharField(source="listing.organisation.name")
    unit_type = serializers.CharField(source="listing.unit_type")
    product_name = serializers.CharField(source="listing.product_name")
    level = serializers.CharField(source="listing.level")
    document_number = serializers.CharField(source="listing.document_number")
    already_recommended = serializers.BooleanField(source="listing.already")
    eligible = serializers.BooleanField()
    overridable = serializers.BooleanField()
    findings = FindingSerializer(many=True)


class RecommendationSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    region = serializers.CharField(source="jurisdiction.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "batch",
            "organisation",
            "organisation_name",
            "credit_code",
            "region",
            "unit_type",
            "product_name",
            "evaluation_mode",
            "source_application",
            "status",
            "status_display",
            "submitted_at",
        ]
        read_only_fields = fields


class PromoteSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    listing = serializers.IntegerField()
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class WithdrawSerializer(serializers.Serializer):
    comment = serializers.CharField()


class PromotionViewSet(viewsets.GenericViewSet):
    """Recommendations from the level below into a province or national batch."""

    serializer_class = RecommendationSerializer
    queryset = Application.objects.none()

    def _batch(self):
        raw = self.request.query_params.get("batch") or self.request.data.get("batch")
        batch_id = parse_id(raw)
        if batch_id is None:
            raise ValidationError({"batch": [gettext_lazy("请指定接收推荐的上级批次（batch）。")]})
        return get_object_or_404(batch_list(user=self.request.user), pk=batch_id)

    @extend_schema(
        parameters=[BATCH_PARAMETER, REGION_PARAMETER],
        responses=RecommendationSerializer(many=True),
    )
    def list(self, request):
        """列出推荐汇总表。

        推荐汇总表: what the caller's region (or ``region`` of it) recommended into the batch:
        a county's into a city batch, a city's into a province or national batch."""
        batch = self._batch()
        raw_region = request.query_params.get("region")
        region = (
            summary_region(user=request.user, batch=batch, region_id=raw_region)
            if raw_region
            else None
        )
        queryset = recommendation_summary(user=request.user, batch=batch, region=region)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(RecommendationSerializer(page, many=True).data)

    @extend_schema(parameters=[BATCH_PARAMETER], responses=PromotionCandidateSerializer(many=True))
    @action(detail=False, methods=["get"])
    def candidates(self, request):
        """列出可推荐的单位。

        Units of the caller's lists that could be recommended, with the policy's findings."""
        batch = self._batch()
        if not may_recommend_into(user=request.user, batch=batch):
            raise NotPermitted(gettext_lazy("只有下一级主管部门可以向该批次推荐。"))
        page = self.paginate_queryset(promotion_candidates(user=request.user, batch=batch))
        levels = levels_by_unit(listings=page)
        rows = []
        for listing in page:
            source = listing.application
            policy = source.batch.policy if source else batch.policy
            key = (listing.organisation_id, listing.unit_type, listing.product_name)
            verdict = promotion_verdict(
                policy, listing.unit_type, batch.level, levels.get(key, set())
            )
            rows.append(
                {
                    "listing": listing,
                    "eligible": verdict.eligible,
                    "overridable": all(f.in_principle for f in verdict.failed),
                    "findings": verdict.findings,
                }
            )
        return self.get_paginated_response(PromotionCandidateSerializer(rows, many=True).data)

    @extend_schema(request=PromoteSerializer, responses={201: RecommendationSerializer})
    def create(self, request):
        """向上级批次推荐单位。"""
        payload = PromoteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        batch = self._batch()
        listing = get_object_or_404(
            promotion_candidates(user=request.user, batch=batch), pk=data["listing"]
        )
        application = services.promote(
            batch=batch,
            listing=listing,
            actor=request.user,
            override_reason=data["override_reason"],
        )
        return Response(RecommendationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回推荐。"""
        application = get_object_or_404(
            Application.objects.filter(
                batch__in=batch_list(user=request.user), source_application__isnull=False
            ),
            pk=id_or_404(pk),
        )
        payload = WithdrawSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.promotion_withdraw(
            application=application, actor=request.user, comment=payload.validated_data["comment"]
        )
        return Response(RecommendationSerializer(application).data)


routes = [("promotions", PromotionViewSet, "promotion")]
