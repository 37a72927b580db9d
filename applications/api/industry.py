from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from applications.filters.industry import IndustryBenchmarkFilter, IndustryReferenceFilter
from applications.models import IndustryBenchmark, IndustryReference
from applications.selectors.benchmarks import industry_benchmark_list
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
    filterset_class = IndustryReferenceFilter

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


class IndustryBenchmarkSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="key", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = IndustryBenchmark
        fields = [
            "id",
            "region",
            "region_name",
            "industry",
            "year",
            "indicator",
            "sample_size",
            "q1",
            "median",
            "q3",
            "computed_at",
        ]


class IndustryBenchmarkViewSet(viewsets.ReadOnlyModelViewSet):
    """对标: the portal's quartiles of its green factories' intensities (read only; computed
    nightly from the filed annual tables)."""

    serializer_class = IndustryBenchmarkSerializer
    permission_classes = [IsOfficial]
    filterset_class = IndustryBenchmarkFilter

    def get_queryset(self):
        return industry_benchmark_list(user=self.request.user)


routes = [
    ("industry-references", IndustryReferenceViewSet, "industry-reference"),
    ("industry-benchmarks", IndustryBenchmarkViewSet, "industry-benchmark"),
]
