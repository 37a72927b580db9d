from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from applications.models import IndustryReference
from applications.selectors.industry import industry_reference_list
from applications.services.industry import industry_reference_save
from greenmfg.core.permissions import IsOfficial


class IndustryReferenceSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = IndustryReference
        fields = ["id", "jurisdiction", "year", "industry", "values", "source", "updated_at"]


class IndustryReferenceInputSerializer(serializers.Serializer):
    industry = serializers.CharField(max_length=100)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    values = serializers.DictField()
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IndustryReferenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """行业参考值: POST creates or replaces the caller's jurisdiction's values of an industry."""

    serializer_class = IndustryReferenceSerializer
    permission_classes = [IsOfficial]
    filterset_fields = ["industry", "year"]

    def get_queryset(self):
        return industry_reference_list(user=self.request.user)

    @extend_schema(
        request=IndustryReferenceInputSerializer, responses={201: IndustryReferenceSerializer}
    )
    def create(self, request):
        payload = IndustryReferenceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reference = industry_reference_save(actor=request.user, **payload.validated_data)
        return Response(IndustryReferenceSerializer(reference).data, status=status.HTTP_201_CREATED)


routes = [("industry-references", IndustryReferenceViewSet, "industry-reference")]
