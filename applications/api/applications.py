from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from applications.api.serializers import (
    ApplicationCreateSerializer,
    ApplicationDraftSerializer,
    ApplicationSerializer,
    ApplicationTransitionSerializer,
    DocumentSerializer,
    DocumentVersionSerializer,
    FactsSerializer,
    PrecheckSerializer,
    PrincipleReasonSerializer,
    UploadSerializer,
)
from applications.filters.applications import ApplicationFilter
from applications.models import DocumentVersion
from applications.selectors.applications import (
    application_documents,
    application_list,
    document_version_for_download,
)
from applications.services import applications as services
from applications.services import exceptions
from applications.services.documents import document_upload
from greenmfg.core.api import id_or_404
from greenmfg.core.files import private_file_response


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """申报: the same visibility as the pages (own applications, or an official's subtree)."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["submitted_at", "updated_at"]
    conflict_actions = ("create",)  # the same batch, unit type and product: 409 with its id

    def get_queryset(self):
        return application_list(user=self.request.user).prefetch_related("principle_exceptions")

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer})
    def create(self, request):
        payload = ApplicationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.application_create(actor=request.user, **payload.validated_data)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationDraftSerializer, responses={200: ApplicationSerializer})
    def partial_update(self, request, pk=None):
        """保存申报草稿。

        Save the draft. A bad value refuses the whole request (400) and nothing changes."""
        application = self.get_object()
        payload = ApplicationDraftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        if "agency" in data and data["agency"] is None:
            data.pop("agency")
            data["clear_agency"] = True
        if "self_evaluation_helper" in data and data["self_evaluation_helper"] is None:
            data.pop("self_evaluation_helper")
            data["clear_self_evaluation_helper"] = True
        application, _errors = services.application_save_draft(
            application=application, actor=request.user, strict=True, **data
        )
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=None, responses={200: PrecheckSerializer})
    @action(detail=True, methods=["post"])
    def precheck(self, request, pk=None):
        """预检申报。

        Checks the draft against its batch's policy without submitting it: whether it is
        eligible, and each finding with its article."""
        result = services.application_precheck(application=self.get_object(), actor=request.user)
        return Response(
            PrecheckSerializer({"eligible": result.eligible, "findings": result.findings}).data
        )

    @extend_schema(request=ApplicationTransitionSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """办理申报流转。

        One step of the application's workflow (``action``, with a ``comment`` where the step
        asks for one), allowed to the caller's role in the current state."""
        payload = ApplicationTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.application_transition(
            application=self.get_object(), actor=request.user, **payload.validated_data
        )
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交申报。

        The applicant submits the draft (the ``submit`` step of ``transition``); the policy's
        precheck must pass."""
        application = services.application_transition(
            application=self.get_object(), actor=request.user, action="submit"
        )
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=PrincipleReasonSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="principle-reasons")
    def principle_reasons(self, request, pk=None):
        """说明原则上条款未满足的理由。

        原则上: the applicant's written reason for a failed 原则上 finding (≥ 10 characters).

        Any other failed finding cannot be excepted (400)."""
        payload = PrincipleReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = self.get_object()
        exceptions.exception_state(
            application=application, actor=request.user, **payload.validated_data
        )
        return Response(ApplicationSerializer(self.get_object()).data)

    @extend_schema(request=PrincipleReasonSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="principle-reasons/accept")
    def principle_accept(self, request, pk=None):
        """接受原则上条款的理由。

        The county accepts the applicant's reason with its own (≥ 10 characters), in 初审."""
        payload = PrincipleReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = self.get_object()
        exceptions.exception_accept(
            application=application, actor=request.user, **payload.validated_data
        )
        return Response(ApplicationSerializer(self.get_object()).data)

    @extend_schema(request=FactsSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="reference-facts")
    def reference_facts(self, request, pk=None):
        """填写行业参考值。

        The county enters the industry reference values the policy compares against."""
        payload = FactsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.application_set_reference_facts(
            application=self.get_object(), actor=request.user, facts=payload.validated_data["facts"]
        )
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="paper-copy")
    def paper_copy(self, request, pk=None):
        """登记已收到纸质材料。"""
        application = services.application_record_paper_copy(
            application=self.get_object(), actor=request.user
        )
        return Response(ApplicationSerializer(application).data)

    @extend_schema(
        methods=["get"],
        summary="列出申报材料",
        request=None,
        responses={200: DocumentSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="上传申报材料",
        request=UploadSerializer,
        responses={201: DocumentVersionSerializer},
    )
    # The one body here that carries a file; every other takes JSON.
    # An application's documents come whole, as a bare array (a handful, one per kind).
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        application = self.get_object()
        if request.method == "GET":
            return Response(
                DocumentSerializer(application_documents(application=application), many=True).data
            )
        payload = UploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = document_upload(
            application=application,
            actor=request.user,
            kind=payload.validated_data["kind"],
            title=payload.validated_data["title"],
            uploaded_file=payload.validated_data["file"],
        )
        return Response(DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DocumentVersionViewSet(viewsets.GenericViewSet):
    """A stored file, downloadable by whoever may see its application (session or token)."""

    serializer_class = DocumentVersionSerializer

    def get_queryset(self):
        return DocumentVersion.objects.filter(
            document__application__in=application_list(user=self.request.user)
        )

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """下载申报材料文件。

        The stored file, for whoever may see its application."""
        version = document_version_for_download(user=request.user, pk=id_or_404(pk))
        if version is None:
            raise Http404
        return private_file_response(
            version.file, filename=version.original_name, content_type=version.content_type
        )


routes = [
    ("applications", ApplicationViewSet, "application"),
    ("document-versions", DocumentVersionViewSet, "document-version"),
]
