"""动态管理表 and 填报期 API, with the scope and permissions of the pages, through the same
services: officials write the windows of their bureau and read the tables of their subtree;
a listed unit's users read the windows that govern them and write their own tables."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dynamic_mgmt.filters.table import TableFilter, WindowFilter
from dynamic_mgmt.indicators import INDICATORS, indicators_for
from dynamic_mgmt.models import AnnualTable, AnnualTableAttachment, FilingWindow
from dynamic_mgmt.selectors.table import table_list, table_worsenings_of, with_previous_indicators
from dynamic_mgmt.services import table as table_services
from dynamic_mgmt.services import window as services
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from registry.models import Listing

LEVELS_HELP = " / ".join(f"{value} {label}" for value, label in Level.choices)
UNIT_TYPES_HELP = " / ".join(INDICATORS)


# --- windows -----------------------------------------------------------------------------------


class FilingWindowSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    # Text rather than an enum: several models share the field name "level".
    level = serializers.CharField(read_only=True, help_text=LEVELS_HELP)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    reminder_days = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = FilingWindow
        fields = [
            "id",
            "authority",
            "authority_name",
            "jurisdiction",
            "jurisdiction_name",
            "level",
            "level_display",
            "year",
            "opens_on",
            "deadline",
            "reminder_days",
            "citation",
            "opened_at",
            "created_at",
        ]
        read_only_fields = fields


class FilingWindowWriteSerializer(serializers.Serializer):
    """Input only: the service checks the dates, the reminders, the scope and duplicates."""

    level = serializers.CharField(help_text=LEVELS_HELP)
    year = serializers.IntegerField()
    opens_on = serializers.DateField()
    deadline = serializers.DateField()
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text=gettext_lazy("截止前若干天提醒，如 [30, 7, 1]"),
    )
    citation = serializers.CharField(required=False, allow_blank=True, default="")
    jurisdiction = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Jurisdiction.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("适用范围的区划标识；默认为设置单位所在区划"),
    )
    authority = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.BUREAU),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("仅系统管理员填写：设置填报期的工信部门"),
    )


class FilingWindowUpdateSerializer(serializers.Serializer):
    """A partial update of the dates, reminders or citation (level and year are fixed)."""

    opens_on = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False)
    reminder_days = serializers.ListField(child=serializers.IntegerField(), required=False)
    citation = serializers.CharField(required=False, allow_blank=True)


class FilingWindowViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """填报期: officials read those of their subtree and those set above them, a listed unit's
    users those that govern their listings; a city, provincial or national bureau sets them."""

    serializer_class = FilingWindowSerializer
    filterset_class = WindowFilter
    ordering_fields = ["year", "deadline", "created_at"]

    def get_queryset(self):
        return services.window_list(user=self.request.user).select_related(
            "authority__jurisdiction"
        )

    @extend_schema(request=FilingWindowWriteSerializer, responses={201: FilingWindowSerializer})
    def create(self, request):
        payload = FilingWindowWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        window = services.window_create(actor=request.user, **payload.validated_data)
        return Response(FilingWindowSerializer(window).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FilingWindowUpdateSerializer, responses={200: FilingWindowSerializer})
    def partial_update(self, request, pk=None):
        window = self.get_object()
        payload = FilingWindowUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        window = services.window_update(window=window, actor=request.user, **payload.validated_data)
        return Response(FilingWindowSerializer(window).data)


# --- tables ------------------------------------------------------------------------------------


class TableAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AnnualTableAttachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        return reverse("dynamic_mgmt:table-attachment", args=[attachment.pk])


class AnnualTableSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="listing.unit_name", read_only=True)
    credit_code = serializers.CharField(source="listing.credit_code", read_only=True)
    unit_type = serializers.CharField(
        source="listing.unit_type", read_only=True, help_text=UNIT_TYPES_HELP
    )
    level = serializers.CharField(source="listing.level", read_only=True, help_text=LEVELS_HELP)
    jurisdiction = serializers.CharField(source="listing.jurisdiction.key", read_only=True)
    deadline = serializers.DateField(source="window.deadline", read_only=True, allow_null=True)
    indicators = serializers.DictField(
        read_only=True,
        help_text=gettext_lazy("关键指标：数值为数字（百分比 0–100），选项为代码"),
    )
    # Plain text rather than an enum: several models share the field name "status".
    status = serializers.CharField(
        read_only=True, help_text=gettext_lazy("draft 填报中 / filed 已填报")
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    filed_by_name = serializers.CharField(
        source="filed_by.display_name", read_only=True, default=""
    )
    attachments = TableAttachmentSerializer(many=True, read_only=True)
    year_on_year_warnings = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "同比恶化预警（仅主管部门可见，其他用户为 null）：已填报表中较上年恶化超过预警线的"
            "关键指标，[{indicator, label, previous, current, percent, words}]；仅为预警，"
            "不是移出名单的依据"
        )
    )

    class Meta:
        model = AnnualTable
        fields = [
            "id",
            "listing",
            "unit_name",
            "credit_code",
            "unit_type",
            "level",
            "jurisdiction",
            "year",
            "window",
            "deadline",
            "indicators",
            "notes",
            "status",
            "status_display",
            "filed_at",
            "filed_by_name",
            "late",
            "attachments",
            "year_on_year_warnings",
            "updated_at",
        ]
        read_only_fields = fields

    def get_year_on_year_warnings(self, table) -> list[dict] | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not (user.is_authenticated and (user.is_official or user.is_sysadmin)):
            return None
        return [item.as_dict() for item in table_worsenings_of(table)]


class AnnualTableDraftSerializer(serializers.Serializer):
    """Input only: the service checks the permission, the window and every value."""

    listing = serializers.PrimaryKeyRelatedField(queryset=Listing.objects.all())
    year = serializers.IntegerField()
    indicators = serializers.DictField(
        required=False, default=dict, help_text=gettext_lazy("{指标代码: 数值或选项代码}")
    )
    notes = serializers.CharField(required=False, allow_blank=True, default=None)


class AnnualTableValuesSerializer(serializers.Serializer):
    """Values laid over the draft's (an empty value or null clears one)."""

    indicators = serializers.DictField(required=False, default=dict)
    notes = serializers.CharField(required=False, allow_blank=True, default=None)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("PDF、JPG 或 PNG，不超过 10 MB"))


class IndicatorSerializer(serializers.Serializer):
    unit_type = serializers.CharField(help_text=UNIT_TYPES_HELP)
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="number / percent / choice")
    unit = serializers.CharField()
    lower_is_better = serializers.BooleanField()
    fact_key = serializers.CharField(allow_null=True)
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class AnnualTableViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """动态管理表: officials read those of their subtree; a listed unit's users read and write
    their own (save a draft, file it once; late filing is accepted and marked late)."""

    serializer_class = AnnualTableSerializer
    filterset_class = TableFilter
    ordering_fields = ["year", "filed_at", "updated_at"]

    def get_queryset(self):
        return with_previous_indicators(
            table_list(user=self.request.user).prefetch_related("attachments")
        )

    def _reply(self, table, code=status.HTTP_200_OK) -> Response:
        table = self.get_queryset().get(pk=table.pk)
        return Response(
            AnnualTableSerializer(table, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=AnnualTableDraftSerializer, responses={201: AnnualTableSerializer})
    def create(self, request):
        """保存动态管理表草稿。

        Save the draft of a listing's table for a year (created on first save)."""
        payload = AnnualTableDraftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        table = table_services.table_save_draft(actor=request.user, **payload.validated_data)
        return self._reply(table, status.HTTP_201_CREATED)

    @extend_schema(request=AnnualTableValuesSerializer, responses={200: AnnualTableSerializer})
    def partial_update(self, request, pk=None):
        table = self.get_object()
        payload = AnnualTableValuesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        table = table_services.table_save_draft(
            listing=table.listing, year=table.year, actor=request.user, **payload.validated_data
        )
        return self._reply(table)

    @extend_schema(request=AnnualTableValuesSerializer, responses={200: AnnualTableSerializer})
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        """报送动态管理表。

        File the table (every key indicator filled); after the deadline it is marked late."""
        table = self.get_object()
        payload = AnnualTableValuesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        table = table_services.table_file(
            listing=table.listing, year=table.year, actor=request.user, **payload.validated_data
        )
        return self._reply(table)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: TableAttachmentSerializer},
    )
    # The one body here that carries a file; every other takes JSON.
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """上传动态管理表附件。"""
        table = self.get_object()
        payload = AttachmentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        attachment = table_services.table_attach(
            listing=table.listing,
            year=table.year,
            actor=request.user,
            upload=payload.validated_data["file"],
        )
        return Response(TableAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit_type", str, description=UNIT_TYPES_HELP, required=False)
        ],
        responses={200: IndicatorSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def indicators(self, request):
        """列出关键指标。

        The key indicators of a unit type (all types without ``unit_type``)."""
        unit_type = request.query_params.get("unit_type")
        types = [unit_type] if unit_type else list(INDICATORS)
        rows = [
            {
                "unit_type": code,
                "key": item.key,
                "label": str(item.label),
                "kind": item.kind,
                "unit": str(item.unit),
                "lower_is_better": item.lower_is_better,
                "fact_key": item.fact_key,
                "choices": [[value, str(name)] for value, name in item.choices],
            }
            for code in types
            for item in indicators_for(code)
        ]
        return Response(IndicatorSerializer(rows, many=True).data)


routes = [
    ("filing-windows", FilingWindowViewSet, "filing-window"),
    ("annual-tables", AnnualTableViewSet, "annual-table"),
]
