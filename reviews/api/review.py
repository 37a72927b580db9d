from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from applications.selectors.applications import application_list
from greenmfg.core.api import StandardPagination, id_or_404
from reviews.api.serializers import (
    CountyReviewInputSerializer,
    CountyReviewSerializer,
    OpinionAnswerSerializer,
    OpinionRequestCreateSerializer,
    OpinionRequestSerializer,
)
from reviews.models import CountyReview
from reviews.selectors.review import opinion_request_list
from reviews.services import review as services


class OpinionRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """征求意见: departments see what was sent to them; counties send and read the answers."""

    serializer_class = OpinionRequestSerializer
    filterset_fields = ["status", "application"]

    @property
    def pagination_class(self):
        # Only the list is paginated: sending answers the requests it created as a bare array,
        # and the schema (which reads this per operation) says so.
        return StandardPagination if self.action == "list" else None

    def get_queryset(self):
        return opinion_request_list(user=self.request.user).prefetch_related("attachments")

    @extend_schema(
        request=OpinionRequestCreateSerializer, responses={201: OpinionRequestSerializer(many=True)}
    )
    def create(self, request):
        payload = OpinionRequestCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        application = application_list(user=request.user).filter(pk=data["application"].pk).first()
        if application is None:
            raise Http404
        sent = services.opinion_request_send(
            application=application,
            actor=request.user,
            departments=data["departments"],
            message=data["message"],
            due_date=data["due_date"],
        )
        return Response(
            OpinionRequestSerializer(sent, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=OpinionAnswerSerializer, responses={200: OpinionRequestSerializer})
    # The answer may carry attachments (files); the request is sent as JSON.
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def answer(self, request, pk=None):
        """答复征求意见。"""
        payload = OpinionAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        answered = services.opinion_answer(
            request=self.get_object(),
            actor=request.user,
            answer=data["answer"],
            reasons=data["reasons"],
            files=data["attachments"],
        )
        return Response(OpinionRequestSerializer(answered).data)


class CountyReviewViewSet(viewsets.GenericViewSet):
    """初审 of one application, addressed by the application's id."""

    serializer_class = CountyReviewSerializer
    lookup_url_kwarg = "application"

    def get_queryset(self):
        return application_list(user=self.request.user)

    @extend_schema(responses={200: CountyReviewSerializer})
    def retrieve(self, request, application=None):
        """查看初审意见。

        An application not reviewed yet answers an empty review."""
        target = self.get_object_for(application)
        review = CountyReview.objects.filter(application=target).first()
        return Response(CountyReviewSerializer(review or CountyReview(application=target)).data)

    @extend_schema(request=CountyReviewInputSerializer, responses={200: CountyReviewSerializer})
    def update(self, request, application=None):
        """保存初审意见。"""
        payload = CountyReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        review = services.county_review_save(
            application=self.get_object_for(application),
            actor=request.user,
            **payload.validated_data,
        )
        return Response(CountyReviewSerializer(review).data)

    def get_object_for(self, pk):
        target = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if target is None or not (self.request.user.is_official or self.request.user.is_sysadmin):
            raise Http404
        return target


routes = [
    ("opinion-requests", OpinionRequestViewSet, "opinion-request"),
    ("county-reviews", CountyReviewViewSet, "county-review"),
]
