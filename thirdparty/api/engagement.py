"""评价委托 API: the engagements a user may see, and an agency's cap usage.

Same scope as the pages: agency staff their agency's engagements, officials those in their
subtree, applicants those of their own applications. The ``usage`` endpoint gives an agency's
counts under 洛阳 第二十条 (per year, same legal representative, national-level projects only)
and 大连 二 (per batch, legal entity and related entities), with the caps that reach each batch
and, where none does, why (a 洛阳 city or provincial batch is not counted; 济南 sets none).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from greenmfg.accounts.roles import Role
from greenmfg.core.api import parse_id
from thirdparty.filters.portal import EngagementFilter
from thirdparty.models import Engagement
from thirdparty.selectors.portal import (
    agency_usage,
    engaged_agencies,
    engagement_list,
    may_see_engagements,
    usage_year,
)


class SeesEngagements(BasePermission):
    message = _("评价委托仅对第三方评价机构人员、申报单位和工信部门开放。")

    def has_permission(self, request, view):
        return may_see_engagements(request.user)


class EngagementSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    applicant_name = serializers.CharField(source="application.organisation.name", read_only=True)
    unit_type = serializers.CharField(source="application.unit_type", read_only=True)
    unit_type_display = serializers.CharField(
        source="application.get_unit_type_display", read_only=True
    )
    batch_title = serializers.CharField(source="batch.title", read_only=True)
    policy = serializers.CharField(source="batch.policy", read_only=True)
    # Text rather than enums: the choice sets are named in the filters' parameters.
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    application_status = serializers.CharField(source="application.status", read_only=True)
    application_status_display = serializers.CharField(
        source="application.get_status_display", read_only=True
    )
    report_version = serializers.IntegerField(read_only=True, allow_null=True)
    report_sha256 = serializers.CharField(read_only=True, allow_null=True)
    report_uploaded_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "agency",
            "agency_name",
            "application",
            "applicant_name",
            "unit_type",
            "unit_type_display",
            "batch",
            "batch_title",
            "policy",
            "year",
            "counted",
            "status",
            "status_display",
            "application_status",
            "application_status_display",
            "report_version",
            "report_sha256",
            "report_uploaded_at",
            "created_at",
            "withdrawn_at",
        ]
        read_only_fields = fields


class CapSerializer(serializers.Serializer):
    policy = serializers.CharField()
    article = serializers.CharField()
    citation = serializers.CharField(help_text=_("如「洛阳 第二十条」"))
    scope = serializers.CharField(
        help_text=_("year_legal_representative（洛阳 第二十条）/ batch_legal_entity（大连 二）")
    )
    limit = serializers.IntegerField()
    levels = serializers.SerializerMethodField(
        help_text=_("计入的批次层级（national 等）；null 表示各层级均计入")
    )
    wording = serializers.CharField()
    explanation = serializers.CharField(help_text=_("计入哪些项目及其依据"))

    def get_levels(self, cap) -> list[str] | None:
        return sorted(cap.levels) if cap.levels is not None else None


class CapUsageSerializer(serializers.Serializer):
    cap = CapSerializer()
    used = serializers.IntegerField()
    left = serializers.IntegerField()
    full = serializers.BooleanField()


class BatchUsageSerializer(serializers.Serializer):
    batch = serializers.IntegerField(source="batch.pk")
    batch_title = serializers.CharField(source="batch.title")
    year = serializers.IntegerField(source="batch.year")
    policy = serializers.CharField(source="batch.policy")
    policy_label = serializers.CharField()
    level = serializers.CharField(source="batch.level")
    level_label = serializers.CharField()
    own = serializers.IntegerField(help_text=_("本机构在该批次计入上限的有效委托"))
    batch_used = serializers.IntegerField(help_text=_("大连 二 口径：同一法人及其关联单位本批次"))
    year_used = serializers.IntegerField(
        help_text=_("洛阳 第二十条 口径：同一法定代表人该年度国家级层面项目")
    )
    counted_in_year = serializers.BooleanField(
        help_text=_("该批次项目是否计入洛阳 第二十条的年度数（仅国家级批次）")
    )
    caps = CapUsageSerializer(many=True, help_text=_("适用于本机构在该批次委托的全部上限"))
    note = serializers.CharField(help_text=_("无上限适用时的说明（如市级、省级项目不计入）"))
    cap = CapSerializer(allow_null=True, help_text=_("剩余名额最少的适用上限；无上限适用时为 null"))
    used = serializers.IntegerField(allow_null=True, help_text=_("按该上限计的已用项目数"))
    left = serializers.IntegerField(allow_null=True)
    full = serializers.BooleanField()


class AgencyUsageSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency.pk")
    agency_name = serializers.CharField(source="agency.name")
    year = serializers.IntegerField()
    limit = serializers.IntegerField()
    year_used = serializers.IntegerField(
        help_text=_("洛阳 第二十条：同一法定代表人本年度国家级层面项目")
    )
    year_left = serializers.IntegerField()
    year_rule = CapSerializer(help_text=_("年度口径的规则及其说明（洛阳 第二十条）"))
    representative_agencies = serializers.ListField(child=serializers.CharField())
    related_agencies = serializers.ListField(child=serializers.CharField())
    batches = BatchUsageSerializer(many=True)


class EngagementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """评价委托, each with its third-party report's current version and SHA-256."""

    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter
    permission_classes = [SeesEngagements]
    ordering_fields = ["created_at", "year", "report_uploaded_at"]

    def get_queryset(self):
        return engagement_list(user=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "agency",
                OpenApiTypes.INT,
                description=_("评价机构（机构人员可省略，默认本机构）"),
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description=_("年度（默认本年度）")),
        ],
        responses={200: AgencyUsageSerializer},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def usage(self, request):
        """查看机构委托上限使用情况。

        An agency's cap usage: the year's count and every batch it is engaged in."""
        user = request.user
        agencies = engaged_agencies(user=user)
        chosen = request.query_params.get("agency")
        if chosen is None and user.role == Role.AGENCY_STAFF:
            chosen = str(user.organisation_id)
        agency_id = parse_id(chosen)
        if agency_id is None:
            raise ValidationError({"agency": [_("请指定评价机构。")]})
        agency = get_object_or_404(agencies, pk=agency_id)
        usage = agency_usage(agency=agency, year=usage_year(request.query_params.get("year")))
        return Response(AgencyUsageSerializer(usage).data)


routes = [("engagements", EngagementViewSet, "engagement")]
