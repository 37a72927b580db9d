"""动态管理 API: change reports (变更), incidents (事故事件), removal proposals and their decision
(移出), and the green-code grades (企业绿码) — the same services, scopes and permissions as the
pages. Choice fields are plain text with their values listed: other models share these names
with other choices."""

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from dynamic_mgmt import workflow
from dynamic_mgmt.filters.change import ChangeFilter
from dynamic_mgmt.filters.grade import GradeFilter
from dynamic_mgmt.filters.incident import IncidentFilter
from dynamic_mgmt.filters.removal import RemovalFilter
from dynamic_mgmt.models import ChangeDocument, ChangeReport, GreenGrade, Incident
from dynamic_mgmt.services import change as change_services
from dynamic_mgmt.services import grade as grade_services
from dynamic_mgmt.services import incident as incident_services
from dynamic_mgmt.services import removal as removal_services
from greenmfg.core.permissions import IsOfficial
from registry.models import RemovalProposal


def _help(choices) -> str:
    return " / ".join(f"{value} {label}" for value, label in choices)


CHANGE_KIND_HELP = _help(ChangeReport.Kind.choices)
CHANGE_STATUS_HELP = _help(ChangeReport.Status.choices)
CHANGE_DOCUMENT_KIND_HELP = _help(ChangeDocument.Kind.choices)
CHANGE_ACTION_HELP = " / ".join(
    f"{action} {label}"
    for action, label in dict(
        (t.action, t.label) for t in workflow.change_workflow.transitions
    ).items()
)
INCIDENT_KIND_HELP = _help(Incident.Kind.choices)
SOURCE_HELP = _help(RemovalProposal.Source.choices)
PROPOSAL_STATUS_HELP = _help(RemovalProposal.Status.choices)
DECISION_HELP = _help(workflow.DECISIONS)
GRADE_HELP = _help(GreenGrade.Grade.choices)


class _ListingFields(serializers.Serializer):
    unit_name = serializers.CharField(source="listing.unit_name", read_only=True)
    jurisdiction = serializers.CharField(source="listing.jurisdiction.key", read_only=True)
    jurisdiction_name = serializers.CharField(source="listing.jurisdiction.name", read_only=True)


# --- 变更 ------------------------------------------------------------------------------------


class ChangeTermsSerializer(serializers.Serializer):
    """The article governing the report's kind under its policy, and its deadline."""

    article = serializers.CharField(help_text=gettext_lazy("依据条款，如 第二十条"))
    basis = serializers.CharField(help_text=gettext_lazy("上报期限的依据"))
    timely = serializers.BooleanField(help_text=gettext_lazy("文件只要求及时报告，未规定天数"))
    re_evaluation = serializers.BooleanField(
        help_text=gettext_lazy("须申请再评价并提交修正后的评价报告（济南 第十六条）")
    )
    re_evaluation_note = serializers.CharField()
    period_note = serializers.CharField(
        help_text=gettext_lazy("期限最后一日为休息日时，依民法典第二百零三条顺延的说明")
    )


class ChangeReportSerializer(_ListingFields, serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=CHANGE_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=CHANGE_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    terms = serializers.SerializerMethodField()

    class Meta:
        model = ChangeReport
        fields = [
            "id",
            "listing",
            "unit_name",
            "jurisdiction",
            "jurisdiction_name",
            "kind",
            "kind_display",
            "old_value",
            "new_value",
            "formalities_on",
            "reported_on",
            "due_on",
            "late",
            "calendar_warning",
            "terms",
            "description",
            "status",
            "status_display",
            "decision",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ChangeTermsSerializer)
    def get_terms(self, report) -> dict:
        return asdict(change_services.change_terms(report))


class ChangeReportCreateSerializer(serializers.Serializer):
    listing = serializers.IntegerField(help_text=gettext_lazy("本单位的名单记录"))
    kind = serializers.CharField(help_text=CHANGE_KIND_HELP)
    old_value = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    new_value = serializers.CharField(max_length=300, allow_blank=True)
    formalities_on = serializers.DateField(help_text=gettext_lazy("办理完相关手续日期"))
    description = serializers.CharField(allow_blank=True)
    attachment = serializers.FileField(
        required=False,
        default=None,
        help_text=gettext_lazy("证明材料（可选，multipart）：PDF、JPG 或 PNG，不超过 10 MB"),
    )


class ChangeDocumentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=CHANGE_DOCUMENT_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by.display_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ChangeDocument
        fields = [
            "id",
            "kind",
            "kind_display",
            "version",
            "original_name",
            "content_type",
            "size",
            "pages",
            "sha256",
            "uploaded_by_name",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        return reverse("dynamic_mgmt:change-document", args=[document.pk])


class ChangeDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(
        required=False,
        default=ChangeDocument.Kind.REVISED_REPORT,
        help_text=CHANGE_DOCUMENT_KIND_HELP,
    )
    file = serializers.FileField(
        help_text=gettext_lazy(
            "修正后的评价报告：PDF，不超过 20 MB（再评价中）；"
            "证明材料：PDF、JPG 或 PNG，不超过 10 MB"
        )
    )


class ChangeReportActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text=CHANGE_ACTION_HELP)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ChangeReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """变更报告: the unit's users report; officials of the subtree review and decide."""

    serializer_class = ChangeReportSerializer
    filterset_class = ChangeFilter
    ordering_fields = ["reported_on", "due_on"]
    # A report is filed with its attachment, a document uploaded; a transition takes JSON.
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return change_services.change_list(user=self.request.user)

    def _fresh(self, report, code=status.HTTP_200_OK):
        return Response(ChangeReportSerializer(self.get_queryset().get(pk=report.pk)).data, code)

    @extend_schema(request=ChangeReportCreateSerializer, responses={201: ChangeReportSerializer})
    def create(self, request):
        payload = ChangeReportCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        listing = get_object_or_404(
            change_services.reportable_listings(user=request.user), pk=data.pop("listing")
        )
        report = change_services.change_report_submit(listing=listing, actor=request.user, **data)
        return self._fresh(report, status.HTTP_201_CREATED)

    @extend_schema(request=ChangeReportActionSerializer, responses={200: ChangeReportSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def transition(self, request, pk=None):
        """办理变更报告。

        One step of the report's workflow (``action``, ``comment``), allowed to the caller's
        role."""
        report = self.get_object()
        payload = ChangeReportActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = change_services.change_report_transition(
            report=report, actor=request.user, **payload.validated_data
        )
        return self._fresh(report)

    @extend_schema(
        methods=["get"],
        summary="列出变更报告材料",
        responses={200: ChangeDocumentSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="上传变更报告材料",
        request={"multipart/form-data": ChangeDocumentUploadSerializer},
        responses={201: ChangeDocumentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def documents(self, request, pk=None):
        """变更报告材料。

        The report's files, every version; the unit uploads the revised evaluation report
        while 再评价中 (济南 第十六条) or supporting material while the report is open."""
        report = self.get_object()
        if request.method == "GET":
            documents = change_services.change_documents(report)
            return Response(ChangeDocumentSerializer(documents, many=True).data)
        payload = ChangeDocumentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        document = change_services.change_document_upload(
            report=report,
            actor=request.user,
            kind=payload.validated_data["kind"],
            uploaded_file=payload.validated_data["file"],
        )
        return Response(ChangeDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


# --- 事故事件 ----------------------------------------------------------------------------------


class IncidentSerializer(_ListingFields, serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=INCIDENT_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "listing",
            "unit_name",
            "jurisdiction",
            "jurisdiction_name",
            "kind",
            "kind_display",
            "occurred_on",
            "reported_on",
            "late",
            "description",
            "created_at",
        ]
        read_only_fields = fields


class IncidentCreateSerializer(serializers.Serializer):
    listing = serializers.IntegerField(help_text=gettext_lazy("本辖区名单单位的名单记录"))
    kind = serializers.CharField(help_text=INCIDENT_KIND_HELP)
    occurred_on = serializers.DateField()
    reported_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("默认为今天")
    )
    description = serializers.CharField(allow_blank=True)


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """事故事件 of the caller's subtree; recording one opens a removal proposal."""

    permission_classes = [IsOfficial]
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    ordering_fields = ["occurred_on", "reported_on"]

    def get_queryset(self):
        return incident_services.incident_list(user=self.request.user)

    @extend_schema(request=IncidentCreateSerializer, responses={201: IncidentSerializer})
    def create(self, request):
        payload = IncidentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        listing = get_object_or_404(
            incident_services.recordable_listings(user=request.user), pk=data.pop("listing")
        )
        incident = incident_services.incident_record(listing=listing, actor=request.user, **data)
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)


# --- 移出 ------------------------------------------------------------------------------------


class RemovalCaseSerializer(_ListingFields, serializers.ModelSerializer):
    """A removal proposal as the dynamic management decides it."""

    source = serializers.CharField(read_only=True, help_text=SOURCE_HELP)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=PROPOSAL_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    authority_name = serializers.CharField(source="listing.authority.name", read_only=True)
    listing_status = serializers.CharField(source="listing.status", read_only=True)

    class Meta:
        model = RemovalProposal
        fields = [
            "id",
            "listing",
            "unit_name",
            "jurisdiction",
            "jurisdiction_name",
            "authority_name",
            "listing_status",
            "source",
            "source_display",
            "ground",
            "article",
            "reason",
            "status",
            "status_display",
            "decision",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class RemovalDecisionSerializer(serializers.Serializer):
    decision = serializers.CharField(help_text=DECISION_HELP)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("决定意见（不予移出时必填）"),
    )
    document_number = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("移出决定文号（移出时必填）"),
    )
    removed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("默认为今天")
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("公告的移出原因；默认为移出情形及依据条款"),
    )


class RemovalProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """移出名单建议 about the units of the caller's subtree; the listing's authority (or a level
    above) decides."""

    permission_classes = [IsOfficial]
    serializer_class = RemovalCaseSerializer
    filterset_class = RemovalFilter
    ordering_fields = ["created_at", "decided_at"]

    def get_queryset(self):
        return removal_services.proposal_list(user=self.request.user)

    @extend_schema(request=RemovalDecisionSerializer, responses={200: RemovalCaseSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """决定移出名单建议。

        The listing's authority (or a level above) removes the unit from the list or rejects
        the proposal."""
        proposal = self.get_object()
        payload = RemovalDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        proposal = removal_services.removal_decide(
            proposal=proposal, actor=request.user, **payload.validated_data
        )
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(RemovalCaseSerializer(proposal).data)


# --- 企业绿码 --------------------------------------------------------------------------------


class GreenGradeSerializer(_ListingFields, serializers.ModelSerializer):
    grade = serializers.CharField(read_only=True, help_text=GRADE_HELP)
    level = serializers.CharField(source="listing.level", read_only=True)
    bottom_three_years = serializers.SerializerMethodField()

    class Meta:
        model = GreenGrade
        fields = [
            "id",
            "listing",
            "unit_name",
            "jurisdiction",
            "jurisdiction_name",
            "level",
            "year",
            "industry",
            "grade",
            "rank",
            "of",
            "score",
            "bottom_five",
            "bottom_three_years",
            "basis",
        ]
        read_only_fields = fields

    def get_bottom_three_years(self, grade) -> bool:
        return bool((grade.basis or {}).get("bottom_three_years"))


class GreenGradeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """企业绿码: officials see their subtree's grades, a unit's users their own."""

    serializer_class = GreenGradeSerializer
    filterset_class = GradeFilter
    ordering_fields = ["year", "rank", "score"]

    def get_queryset(self):
        return grade_services.grade_list(user=self.request.user).order_by(
            "-year", "industry", "rank"
        )


routes = [
    ("change-reports", ChangeReportViewSet, "change-report"),
    ("incidents", IncidentViewSet, "incident"),
    ("removal-proposals", RemovalProposalViewSet, "removal-proposal"),
    ("green-grades", GreenGradeViewSet, "green-grade"),
]
