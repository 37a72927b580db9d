"""信用数据 API: the events (read-only) and the imports (list, read, upload a file)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from applications.filters.credit import CreditEventFilter, CreditImportFilter
from applications.models import CreditEvent, CreditImport
from applications.selectors.credit import credit_event_list, credit_import_list
from applications.services.credit import credit_import
from greenmfg.core.permissions import IsOfficial


class CreditEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CreditEvent
        fields = [
            "id",
            "credit_code",
            "unit_name",
            "kind",
            "kind_display",
            "occurred_on",
            "resolved_on",
            "description",
            "source",
            "credit_import",
        ]


class CreditImportRowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="文件中的行号（表头为第 1 行）")
    message = serializers.CharField()


class CreditImportSerializer(serializers.ModelSerializer):
    imported_by = serializers.CharField(source="imported_by.display_name", read_only=True)
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    rows_refused = serializers.SerializerMethodField()
    errors = CreditImportRowErrorSerializer(many=True, read_only=True)

    class Meta:
        model = CreditImport
        fields = [
            "id",
            "file_name",
            "source",
            "imported_by",
            "jurisdiction",
            "jurisdiction_name",
            "imported_at",
            "rows_total",
            "rows_imported",
            "rows_refused",
            "errors",
        ]

    def get_rows_refused(self, obj: CreditImport) -> int:
        return len(obj.errors)


class CreditImportUploadSerializer(serializers.Serializer):
    """Input only: the service checks the file and reports its rows."""

    # The service gives the specific message for an empty file.
    file = serializers.FileField(allow_empty_file=True, help_text="CSV 或 .xlsx，不超过 5 MB")
    source = serializers.CharField(max_length=100, help_text="数据来源，如：信用中国")


class CreditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """信用事件: every official sees all of them."""

    serializer_class = CreditEventSerializer
    permission_classes = [IsOfficial]
    filterset_class = CreditEventFilter
    ordering_fields = ["occurred_on", "credit_code"]

    def get_queryset(self):
        return credit_event_list(user=self.request.user)


class CreditImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """信用数据导入, limited to the official's jurisdiction subtree; create uploads a file."""

    serializer_class = CreditImportSerializer
    permission_classes = [IsOfficial]
    filterset_class = CreditImportFilter
    ordering_fields = ["imported_at"]
    # The only body this endpoint takes is a file upload.
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return credit_import_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": CreditImportUploadSerializer},
        responses={201: CreditImportSerializer},
    )
    def create(self, request, *args, **kwargs):
        payload = CreditImportUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = credit_import(
            actor=request.user,
            uploaded_file=payload.validated_data["file"],
            source=payload.validated_data["source"],
        )
        return Response(CreditImportSerializer(record).data, status=status.HTTP_201_CREATED)


routes = [
    ("credit-events", CreditEventViewSet, "credit-event"),
    ("credit-imports", CreditImportViewSet, "credit-import"),
]
