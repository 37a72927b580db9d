"""推荐至上级 API for a round that keeps no list of its own (大连 一): the batch's authority
sends its passed applications (all, or those named) to the ministry's batch."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from applications.api.serializers import ApplicationSerializer
from applications.models import Application
from applications.selectors.batches import batch_list
from reviews.services.promotion import round_recommend


class RoundRecommendSerializer(serializers.Serializer):
    batch = serializers.IntegerField(help_text=gettext_lazy("评审结束、向上级推荐的本级批次"))
    target = serializers.IntegerField(help_text=gettext_lazy("接收推荐的上级批次"))
    applications = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=gettext_lazy("要推荐的评审通过的申报；不填则推荐全部"),
    )


class RoundRecommendationViewSet(viewsets.GenericViewSet):
    """推荐至上级 (大连 一): a round that ends in a recommendation, not in a list."""

    serializer_class = ApplicationSerializer
    queryset = Application.objects.none()
    pagination_class = None  # the recommended applications come as a bare array

    @extend_schema(
        request=RoundRecommendSerializer, responses={201: ApplicationSerializer(many=True)}
    )
    def create(self, request):
        """推荐至上级。

        Sends the round's passed applications (all, or those in ``applications``) to the
        ``target`` batch; those recommended come back."""
        payload = RoundRecommendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        visible = batch_list(user=request.user)
        batch = get_object_or_404(visible, pk=data["batch"])
        target = get_object_or_404(visible, pk=data["target"])
        chosen = None
        if "applications" in data:
            chosen = list(Application.objects.filter(batch=batch, pk__in=data["applications"]))
        recommended = round_recommend(
            batch=batch, target=target, actor=request.user, applications=chosen
        )
        return Response(
            ApplicationSerializer(recommended, many=True).data, status=status.HTTP_201_CREATED
        )


routes = [("round-recommendations", RoundRecommendationViewSet, "round-recommendation")]
