"""批量办理 API: the bulk commands of the pages, with the same permissions and per-id results.

``POST /api/bulk/<action>/`` with ``{"applications": [ids], "comment": "…"}`` answers 200 with
one result per id (成功, or the refusal's message and reasons); a refusal of the whole request
(wrong role, no id, 批量不通过 without a reason) is a 403 or 400 like any other command.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from greenmfg.core.api import IdField
from reviews.services import bulk as services


class BulkInputSerializer(serializers.Serializer):
    applications = serializers.ListField(
        child=IdField(),
        allow_empty=False,
        max_length=services.MAX_SELECTED,
        help_text=_("所选申报的编号"),
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("说明；批量不通过须填写理由"),
    )


class BulkResultSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    name = serializers.CharField()
    ok = serializers.BooleanField(help_text=_("true 为成功，false 为未办理"))
    message = serializers.CharField(help_text=_("“成功”，或未办理的原因"))
    reasons = serializers.ListField(child=serializers.CharField())
    # Text rather than an enum: several models share the field name "status".
    status = serializers.CharField(help_text=_("办理后申报的状态代码"))
    status_display = serializers.CharField(source="status_label")
    detail = serializers.CharField(help_text=_("补充说明，如自动分配的专家"))


class BulkOutcomeSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = BulkResultSerializer(many=True)


class BulkActionViewSet(viewsets.GenericViewSet):
    """批量推荐、批量开始专家评审并分配专家、批量决定、批量不通过."""

    serializer_class = BulkInputSerializer
    pagination_class = None
    filter_backends = []

    def _run(self, request, command):
        payload = BulkInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        outcome = command(
            actor=request.user,
            applications=payload.validated_data["applications"],
            comment=payload.validated_data["comment"],
        )
        return Response(BulkOutcomeSerializer(outcome).data)

    @extend_schema(request=BulkInputSerializer, responses={200: BulkOutcomeSerializer})
    @action(detail=False, methods=["post"])
    def recommend(self, request):
        """批量推荐。

        县（区）批量推荐，按初审排序办理，名额用完即止；每个 id 各有结果。"""
        return self._run(request, services.bulk_recommend)

    @extend_schema(request=BulkInputSerializer, responses={200: BulkOutcomeSerializer})
    @action(detail=False, methods=["post"], url_path="start-expert-review")
    def start_expert_review(self, request):
        """批量开始专家评审。

        批次组织单位批量开始专家评审，评审组不完整的先自动分配专家；每个 id 各有结果。"""
        return self._run(request, services.bulk_start_expert_review)

    @extend_schema(request=BulkInputSerializer, responses={200: BulkOutcomeSerializer})
    @action(detail=False, methods=["post"], url_path="decide-pass")
    def decide_pass(self, request):
        """批量决定评审通过。

        批次组织单位批量决定评审通过，不符合条件的说明原因；每个 id 各有结果。"""
        return self._run(request, services.bulk_decide_pass)

    @extend_schema(request=BulkInputSerializer, responses={200: BulkOutcomeSerializer})
    @action(detail=False, methods=["post"], url_path="decide-fail")
    def decide_fail(self, request):
        """批量决定评审不通过。

        批次组织单位批量决定评审不通过，须填写理由；每个 id 各有结果。"""
        return self._run(request, services.bulk_decide_fail)


routes = [("bulk", BulkActionViewSet, "bulk-action")]
