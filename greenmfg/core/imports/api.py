"""The API of an import: upload (the preview comes back), read a run and its rows, apply.

One viewset per kind, made by :func:`import_viewset` and registered by the app that owns the
kind (registry: ``/api/imports/listings/``). The same services as the pages.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from greenmfg.core.api import StandardPagination
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.services import (
    import_apply,
    import_upload,
    importer_for,
    run_progress,
)
from greenmfg.core.imports.spec import Outcome


class ImportRunSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    progress = serializers.SerializerMethodField(help_text="进度（%）")

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "original_name",
            "sha256",
            "size",
            "state",
            "state_display",
            "progress",
            "rows",
            "new",
            "matched",
            "unchanged",
            "errors",
            "written",
            "keep_good_rows",
            "error",
            "uploaded_at",
            "applied_at",
        ]
        read_only_fields = fields

    def get_progress(self, run) -> int:
        return run_progress(run)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel（.xlsx）或 UTF-8 CSV，不超过 20 MB")


class ImportApplySerializer(serializers.Serializer):
    keep_good_rows = serializers.BooleanField(
        default=False,
        help_text="true：明确选择仅导入无错误的行；false（默认）：有任一行错误则不写入任何数据",
    )


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    label = serializers.CharField()
    column = serializers.CharField()
    reason = serializers.CharField()


class RowPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def import_viewset(kind: str) -> type[viewsets.GenericViewSet]:
    class ImportRunViewSet(
        mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
    ):
        """导入: upload a file (the dry run's result comes back), read each row's outcome,
        apply all or nothing (or, explicitly, only the good rows). The caller's own runs."""

        permission_classes = [IsAuthenticated]
        serializer_class = ImportRunSerializer
        # The upload carries the file; applying a run takes JSON.
        parser_classes = [MultiPartParser]
        pagination_class = StandardPagination

        def initial(self, request, *args, **kwargs):
            super().initial(request, *args, **kwargs)
            if not importer_for(kind).allowed(request.user):
                raise PermissionDenied("您无权执行该导入。")

        queryset = ImportRun.objects.none()  # the schema's model

        def get_queryset(self):
            if getattr(self, "swagger_fake_view", False):
                return ImportRun.objects.none()
            return ImportRun.objects.filter(kind=kind, uploaded_by=self.request.user).order_by(
                "-uploaded_at", "-id"
            )

        @extend_schema(request=ImportUploadSerializer, responses={201: ImportRunSerializer})
        def create(self, request):
            """上传文件试导入。

            The file is read and every row checked (a dry run); the result comes back. Nothing is
            imported until ``apply``."""
            payload = ImportUploadSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            # A file refused whole raises ValidationError: a 400 (greenmfg.core.api.errors).
            run = import_upload(
                kind=kind, uploaded=payload.validated_data["file"], actor=request.user
            )
            return Response(ImportRunSerializer(run).data, status=status.HTTP_201_CREATED)

        @extend_schema(responses={200: ImportRowSerializer(many=True)})
        # Plain DRF pages (count, next, previous, results): the schema reads the action's class.
        @action(detail=True, methods=["get"], pagination_class=RowPagination)
        def rows(self, request, pk=None):
            """查看导入各行结果。

            Each row's outcome, errors first, paginated."""
            run = self.get_object()
            ordered = sorted(
                run.results, key=lambda result: (result["outcome"] != Outcome.ERROR, result["row"])
            )
            page = self.paginate_queryset(ordered)
            return self.get_paginated_response(ImportRowSerializer(page, many=True).data)

        @extend_schema(request=ImportApplySerializer, responses={200: ImportRunSerializer})
        @action(detail=True, methods=["post"], parser_classes=[JSONParser])
        def apply(self, request, pk=None):
            """确认导入。

            All rows or none; with ``keep_good_rows`` only the rows without errors."""
            run = self.get_object()
            payload = ImportApplySerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            run = import_apply(
                run=run, actor=request.user, keep_good_rows=payload.validated_data["keep_good_rows"]
            )
            return Response(ImportRunSerializer(run).data)

    ImportRunViewSet.__name__ = f"{kind.title()}ImportRunViewSet"
    return ImportRunViewSet
