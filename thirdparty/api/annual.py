"""评价机构年度工作情况报告 API: agency staff list and submit their own (multipart, PDF);
officials list those of the agencies they oversee and, per batch whose deadline has passed,
the engaged agencies that have not reported (``missing``)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from greenmfg.accounts.roles import Role
from greenmfg.core.api import parse_id
from greenmfg.core.files import private_file_response
from thirdparty.filters.annual import AnnualReportFilter
from thirdparty.models import AnnualReport
from thirdparty.selectors.annual import annual_report_list, missing_reports, report_batches
from thirdparty.services import annual as services


class SeesAnnualReports(BasePermission):
    message = gettext_lazy("年度工作情况报告仅对第三方评价机构人员和工信部门开放。")

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user.is_authenticated
            and (user.is_official or user.is_sysadmin or user.role == Role.AGENCY_STAFF)
        )


class AnnualReportSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_credit_code = serializers.CharField(source="agency.credit_code", read_only=True)
    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "agency",
            "agency_name",
            "agency_credit_code",
            "year",
            "number",
            "projects",
            "summary",
            "original_name",
            "size",
            "sha256",
            "submitted_by_name",
            "submitted_at",
        ]
        read_only_fields = fields


class AnnualReportSubmitSerializer(serializers.Serializer):
    """Input only (multipart): the service checks the year, the PDF and its size."""

    year = serializers.IntegerField(help_text=gettext_lazy("报告年度（不晚于今年）"))
    projects = serializers.IntegerField(
        min_value=0, help_text=gettext_lazy("本年度开展的评价项目数")
    )
    summary = serializers.CharField(help_text=gettext_lazy("工作情况摘要"))
    file = serializers.FileField(help_text=gettext_lazy("报告文件（PDF，不超过 20 MB）"))


class MissingReportSerializer(serializers.Serializer):
    batch = serializers.IntegerField(source="batch_id")
    batch_title = serializers.CharField(source="batch__title")
    deadline = serializers.DateField(source="batch__agency_report_deadline")
    year = serializers.IntegerField()
    agency = serializers.IntegerField(source="agency_id")
    agency_name = serializers.CharField(source="agency__name")
    agency_credit_code = serializers.CharField(source="agency__credit_code")
    engagements = serializers.IntegerField(help_text=gettext_lazy("该机构在本批次的有效委托数"))


class AnnualReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """年度工作情况报告: agency staff their own (every version), officials those in scope."""

    serializer_class = AnnualReportSerializer
    filterset_class = AnnualReportFilter
    permission_classes = [SeesAnnualReports]
    parser_classes = [MultiPartParser]
    ordering_fields = ["submitted_at", "year"]

    def get_queryset(self):
        return annual_report_list(user=self.request.user).order_by("-submitted_at", "-pk")

    @extend_schema(request=AnnualReportSubmitSerializer, responses={201: AnnualReportSerializer})
    def create(self, request):
        payload = AnnualReportSubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        report = services.annual_report_submit(
            actor=request.user,
            year=data["year"],
            projects=data["projects"],
            summary=data["summary"],
            uploaded=data["file"],
        )
        return Response(AnnualReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """下载年度工作情况报告（PDF）。"""
        report = self.get_object()
        if not report.file:
            raise Http404
        return private_file_response(
            report.file, filename=report.original_name, content_type="application/pdf"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "batch",
                OpenApiTypes.INT,
                description=str(gettext_lazy("批次；不填为全部已过截止日期的批次")),
            )
        ],
        responses={200: MissingReportSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def missing(self, request):
        """截止日期已过、委托有效但未报送该年度报告的机构。"""
        user = request.user
        if not (user.is_official or user.is_sysadmin):
            raise PermissionDenied(gettext_lazy("未报送名单仅对工信部门开放。"))
        batch = None
        raw = request.query_params.get("batch", "")
        if raw:
            batch_id = parse_id(raw)
            if batch_id is None:
                raise ValidationError({"batch": [gettext_lazy("请填写批次编号。")]})
            batch = get_object_or_404(report_batches(user=user), pk=batch_id)
        rows = missing_reports(user=user, batch=batch)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MissingReportSerializer(page, many=True).data)


routes = [("annual-reports", AnnualReportViewSet, "annual-report")]
