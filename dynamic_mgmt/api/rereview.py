"""三年复审 API (济南 第十五条), with the scope and permissions of the pages, through the same
services: officials read the cases of their subtree, a unit's users their own; the city that
published the list extends the term by three years or ends it (a removal proposal)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dynamic_mgmt.filters.rereview import ReReviewFilter
from dynamic_mgmt.models import ReReviewCase
from dynamic_mgmt.services import rereview as services


class ReReviewCaseSerializer(serializers.ModelSerializer):
    listing_name = serializers.CharField(source="listing.unit_name", read_only=True)
    credit_code = serializers.CharField(source="listing.credit_code", read_only=True)
    jurisdiction_name = serializers.CharField(source="listing.jurisdiction.name", read_only=True)
    authority_name = serializers.CharField(source="listing.authority.name", read_only=True)
    valid_until = serializers.DateField(
        source="listing.valid_until", read_only=True, allow_null=True
    )
    # Plain text rather than an enum: several models share the field name "status".
    status = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("open 复审中 / extended 复审通过，延长三年 / ended 复审未通过"),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decided_by_name = serializers.CharField(
        source="decided_by.display_name", read_only=True, default=""
    )

    class Meta:
        model = ReReviewCase
        fields = [
            "id",
            "listing",
            "listing_name",
            "credit_code",
            "jurisdiction_name",
            "authority_name",
            "due_on",
            "valid_until",
            "status",
            "status_display",
            "opened_at",
            "decision",
            "decided_by_name",
            "decided_at",
        ]
        read_only_fields = fields


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    document_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100
    )


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=gettext_lazy("未通过理由（必填），列入移出建议")
    )
    document_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100
    )


class EndResultSerializer(serializers.Serializer):
    case = ReReviewCaseSerializer()
    removal_proposal = serializers.IntegerField(help_text=gettext_lazy("提出的移出建议"))


class ReReviewCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """三年期满复审 of the caller's subtree (a unit's own for its users)."""

    serializer_class = ReReviewCaseSerializer
    filterset_class = ReReviewFilter
    ordering_fields = ["due_on", "decided_at"]

    def get_queryset(self):
        return services.re_review_list(user=self.request.user)

    def _reply(self, case):
        return ReReviewCaseSerializer(self.get_queryset().get(pk=case.pk)).data

    @extend_schema(request=ExtendSerializer, responses={200: ReReviewCaseSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """复审通过，延续名单有效期。

        The listing is valid three more years from the end of its term; the extension is in
        its history and announced."""
        payload = ExtendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case = services.re_review_extend(
            case=self.get_object(), actor=request.user, **payload.validated_data
        )
        return Response(self._reply(case))

    @extend_schema(request=EndSerializer, responses={200: EndResultSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """复审不通过。

        Ends the case; a removal proposal is opened (its id in ``removal_proposal``)."""
        payload = EndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case, proposal = services.re_review_end(
            case=self.get_object(), actor=request.user, **payload.validated_data
        )
        return Response({"case": self._reply(case), "removal_proposal": proposal.pk})


routes = [("re-reviews", ReReviewCaseViewSet, "re-review-case")]
