"""举报 API. The public files a real-name complaint (multipart, with evidence) and reads its
status by tracking code without an account (rate-limited); officials list and read the
complaints of their subtree, verify and close them through the same services as the pages.

The complainant's identity and the evidence appear only for the officials who may handle the
complaint (the handling bureau and those above it), only on a single complaint, never in lists.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from greenmfg.core.files import private_file_response
from greenmfg.core.permissions import IsOfficial
from registry.filters.complaint import ComplaintFilter
from registry.models import Complaint, ComplaintEvidence, RemovalProposal
from registry.selectors.complaint import (
    complaint_by_code,
    complaint_evidence,
    complaint_list,
    complaintable_agencies,
    complaintable_listings,
    linked_blacklist_entry_ids,
    may_handle,
    may_see_identity,
    public_steps,
    removal_proposals_of,
    subject_name,
)
from registry.services import complaint as services
from thirdparty.selectors.blacklist import blacklist_list

# --- the public ----------------------------------------------------------------------------------


class ComplaintStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField()


class ComplaintStatusSerializer(serializers.ModelSerializer):
    """What the complainant reads by code: never the identity, the evidence or inner notes."""

    subject_display = serializers.CharField(source="get_subject_display", read_only=True)
    subject_name = serializers.SerializerMethodField()
    handling_jurisdiction_name = serializers.CharField(
        source="handling_jurisdiction.name", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Blank until the complaint is closed (read-only model fields lose allow_blank).
    outcome = serializers.ChoiceField(
        choices=Complaint.Outcome.choices, allow_blank=True, read_only=True
    )
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "tracking_code",
            "subject",
            "subject_display",
            "subject_name",
            "handling_jurisdiction_name",
            "status",
            "status_display",
            "outcome",
            "outcome_display",
            "outcome_note",
            "rectification_deadline",
            "created_at",
            "closed_at",
            "steps",
        ]
        read_only_fields = fields

    def get_subject_name(self, complaint) -> str:
        return subject_name(complaint)

    @extend_schema_field(ComplaintStepSerializer(many=True))
    def get_steps(self, complaint) -> list:
        return ComplaintStepSerializer(public_steps(complaint=complaint), many=True).data


class ComplaintFileSerializer(serializers.Serializer):
    """Input only (multipart): the service checks the real name, the matter and the evidence."""

    subject = serializers.ChoiceField(choices=Complaint.Subject.choices)
    listing = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("被举报的名单单位（subject=listing 时必填）"),
    )
    agency = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("被举报的第三方评价机构（subject=agency 时必填）"),
    )
    channel = serializers.ChoiceField(
        choices=services.CHANNELS,
        required=False,
        default=services.CHANNEL_COUNTY,
        help_text=gettext_lazy("county 向县区工信部门举报 / city 向市工信局举报（名单单位）"),
    )
    # Blank is allowed here so that the service refuses an anonymous complaint with its reason.
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    id_or_organisation = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=10000, allow_blank=True)
    evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=gettext_lazy("佐证材料：PDF、JPG 或 PNG，每个不超过 10 MB，最多 5 个"),
    )


class PublicComplaintViewSet(viewsets.GenericViewSet):
    """我要举报 and 举报办理查询, for everyone (no login)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    # A complaint may carry evidence files (the only body here).
    parser_classes = [MultiPartParser]
    serializer_class = ComplaintStatusSerializer
    lookup_field = "tracking_code"
    lookup_value_regex = "[A-Za-z0-9]{1,16}"
    queryset = Complaint.objects.none()

    @extend_schema(request=ComplaintFileSerializer, responses={201: ComplaintStatusSerializer})
    def create(self, request):
        """提交举报（我要举报）。

        No login; the answer carries the tracking code to follow the complaint."""
        payload = ComplaintFileSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        listing_id, agency_id = data.pop("listing"), data.pop("agency")
        listing = agency = None
        if data["subject"] == Complaint.Subject.LISTING and listing_id is not None:
            listing = complaintable_listings().filter(pk=listing_id).first()
            if listing is None:
                raise serializers.ValidationError(
                    {"listing": [gettext_lazy("所选单位不在有效的名单中。")]}
                )
        if data["subject"] == Complaint.Subject.AGENCY and agency_id is not None:
            agency = complaintable_agencies().filter(pk=agency_id).first()
            if agency is None:
                raise serializers.ValidationError(
                    {"agency": [gettext_lazy("所选机构不是在册的第三方评价机构。")]}
                )
        complaint = services.complaint_file(listing=listing, agency=agency, **data)
        complaint = complaint_by_code(code=complaint.tracking_code)
        return Response(ComplaintStatusSerializer(complaint).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, tracking_code=None):
        """按查询码查询举报办理情况。"""
        complaint = complaint_by_code(code=tracking_code)
        if complaint is None:
            raise NotFound(gettext_lazy("未找到该查询码对应的举报。"))
        return Response(ComplaintStatusSerializer(complaint).data)


# --- the officials -----------------------------------------------------------------------------


class ComplainantSerializer(serializers.ModelSerializer):
    # Text, not format "email": a complainant may leave it blank, and "" is no e-mail address.
    email = serializers.CharField(read_only=True, help_text=gettext_lazy("电子邮箱；未填写时为空"))

    class Meta:
        model = Complaint
        fields = ["name", "id_or_organisation", "phone", "email"]
        read_only_fields = fields


class ComplaintEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintEvidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class RemovalProposalSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = RemovalProposal
        fields = ["id", "listing", "status", "status_display", "reason", "created_at"]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint in the officials' list: no complainant's identity."""

    subject_display = serializers.CharField(source="get_subject_display", read_only=True)
    subject_name = serializers.SerializerMethodField()
    handling_jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)
    handling_jurisdiction_name = serializers.CharField(
        source="handling_jurisdiction.name", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Blank until the complaint is closed (read-only model fields lose allow_blank).
    outcome = serializers.ChoiceField(
        choices=Complaint.Outcome.choices, allow_blank=True, read_only=True
    )
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_code",
            "subject",
            "subject_display",
            "listing",
            "agency",
            "subject_name",
            "handling_jurisdiction",
            "handling_jurisdiction_name",
            "status",
            "status_display",
            "outcome",
            "outcome_display",
            "outcome_note",
            "rectification_deadline",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_subject_name(self, complaint) -> str:
        return subject_name(complaint)


class ComplaintDetailSerializer(ComplaintSerializer):
    """One complaint: the matter, and for the handling officials the complainant and evidence."""

    may_handle = serializers.SerializerMethodField()
    complainant = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    removal_proposals = serializers.SerializerMethodField()
    blacklist_entries = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "content",
            "may_handle",
            "complainant",
            "evidence",
            "removal_proposals",
            "blacklist_entries",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    def get_may_handle(self, complaint) -> bool:
        return may_handle(user=self._user(), complaint=complaint)

    @extend_schema_field(ComplainantSerializer(allow_null=True))
    def get_complainant(self, complaint):
        if not may_see_identity(user=self._user(), complaint=complaint):
            return None
        return ComplainantSerializer(complaint).data

    @extend_schema_field(ComplaintEvidenceSerializer(many=True))
    def get_evidence(self, complaint) -> list:
        if not may_see_identity(user=self._user(), complaint=complaint):
            return []
        return ComplaintEvidenceSerializer(complaint_evidence(complaint=complaint), many=True).data

    @extend_schema_field(RemovalProposalSerializer(many=True))
    def get_removal_proposals(self, complaint) -> list:
        return RemovalProposalSerializer(removal_proposals_of(complaint=complaint), many=True).data

    def get_blacklist_entries(self, complaint) -> list[int]:
        return linked_blacklist_entry_ids(complaint=complaint)


class VerifySerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Complaint.Outcome.choices)
    note = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("处理意见，告知举报人（必填）")
    )
    rectification_deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("整改期限（责令限期整改时必填，须晚于今天）"),
    )


class BlacklistLinkSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text=gettext_lazy("本部门据此举报作出的黑名单记录"))


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """举报 of the caller's subtree; verifying, closing and linking a blacklist decision."""

    permission_classes = [IsOfficial]
    filterset_class = ComplaintFilter
    ordering_fields = ["created_at", "closed_at"]

    def get_queryset(self):
        return complaint_list(user=self.request.user)

    def get_serializer_class(self):
        return ComplaintSerializer if self.action == "list" else ComplaintDetailSerializer

    def _detail(self, complaint):
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(
            ComplaintDetailSerializer(complaint, context={"request": self.request}).data
        )

    @extend_schema(request=VerifySerializer, responses={200: ComplaintDetailSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """核实举报。"""
        complaint = self.get_object()
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        complaint = services.complaint_verify(
            complaint=complaint, actor=request.user, comment=payload.validated_data["comment"]
        )
        return self._detail(complaint)

    @extend_schema(request=CloseSerializer, responses={200: ComplaintDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """办结举报。"""
        complaint = self.get_object()
        payload = CloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        complaint = services.complaint_close(
            complaint=complaint, actor=request.user, **payload.validated_data
        )
        return self._detail(complaint)

    @extend_schema(request=BlacklistLinkSerializer, responses={200: ComplaintDetailSerializer})
    @action(detail=True, methods=["post"], url_path="blacklist-entry")
    def blacklist_entry(self, request, pk=None):
        """关联机构黑名单决定。"""
        complaint = self.get_object()
        payload = BlacklistLinkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = get_object_or_404(blacklist_list(user=request.user), pk=payload.data["entry"])
        complaint = services.complaint_link_blacklist(
            complaint=complaint, entry=entry, actor=request.user
        )
        return self._detail(complaint)

    @extend_schema(
        request=None,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("佐证材料文件")
            )
        },
    )
    @action(detail=True, methods=["get"], url_path=r"evidence/(?P<evidence_id>[0-9]+)")
    def evidence(self, request, pk=None, evidence_id=None):
        """下载举报佐证材料。"""
        complaint = self.get_object()
        if not may_see_identity(user=request.user, complaint=complaint):
            raise PermissionDenied(gettext_lazy("举报证据仅限受理该举报的工信部门查看。"))
        item = complaint_evidence(complaint=complaint).filter(pk=evidence_id).first()
        if item is None:
            raise Http404
        return private_file_response(
            item.file, filename=item.original_name, content_type=item.content_type
        )


routes = [
    ("complaints", ComplaintViewSet, "complaint"),
    ("public/complaints", PublicComplaintViewSet, "public-complaint"),
]
