"""评分模板 API: every template a batch may use (shipped and added), read by any signed-in
user who takes part in reviews; new versions posted by system administrators."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from greenmfg.rules import UNIT_TYPES
from reviews.models import ScoringTemplateVersion
from reviews.scoring_templates import TEMPLATES as BUILT_IN
from reviews.selectors.template import template_by_key, template_of
from reviews.services.template import template_version_create
from reviews.template_format import template_to_dict


class TemplateSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    version = serializers.CharField()
    title = serializers.CharField()
    unit_type = serializers.CharField()
    standard = serializers.CharField()
    built_in = serializers.BooleanField()
    active = serializers.BooleanField()


class TemplateDetailSerializer(TemplateSummarySerializer):
    definition = serializers.JSONField()


class TemplateCreateSerializer(serializers.Serializer):
    definition = serializers.JSONField(
        help_text=gettext_lazy("模板内容：结构同 GET 返回的 definition，代码和版本须为新的")
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


def _row(template, *, built_in: bool, active: bool, detail: bool = False) -> dict:
    row = {
        "key": template.key,
        "code": template.code,
        "version": template.version,
        "title": template.title,
        "unit_type": template.unit_type,
        "standard": template.standard,
        "built_in": built_in,
        "active": active,
    }
    if detail:
        row["definition"] = template_to_dict(template)
    return row


class ScoringTemplateViewSet(viewsets.ViewSet):
    """评分模板: ``?unit_type=factory`` narrows the list; the key is ``code@version``."""

    lookup_value_regex = "[^/]+"

    @extend_schema(responses=TemplateSummarySerializer(many=True))
    def list(self, request):
        """列出评分模板。

        The built-in templates and every version saved since; ``unit_type`` narrows the list."""
        unit_type = request.query_params.get("unit_type")
        if unit_type and unit_type not in UNIT_TYPES:
            raise serializers.ValidationError({"unit_type": [gettext_lazy("未知的申报类型。")]})
        rows = [
            _row(template, built_in=True, active=True)
            for template in BUILT_IN.values()
            if not unit_type or template.unit_type == unit_type
        ]
        records = ScoringTemplateVersion.objects.all()
        if unit_type:
            records = records.filter(unit_type=unit_type)
        for record in records:
            rows.append(_row(template_of(record), built_in=False, active=record.is_active))
        rows.sort(key=lambda row: (row["unit_type"], row["code"], row["version"]))
        return Response(TemplateSummarySerializer(rows, many=True).data)

    @extend_schema(responses=TemplateDetailSerializer)
    def retrieve(self, request, pk=None):
        """查看评分模板。

        By key, ``code@version``."""
        template = template_by_key(pk)
        if template is None:
            raise Http404
        record = (
            None
            if pk in BUILT_IN
            else ScoringTemplateVersion.objects.filter(
                code=template.code, version=template.version
            ).first()
        )
        row = _row(
            template,
            built_in=record is None,
            active=record.is_active if record else True,
            detail=True,
        )
        return Response(TemplateDetailSerializer(row).data)

    @extend_schema(request=TemplateCreateSerializer, responses={201: TemplateDetailSerializer})
    def create(self, request):
        """新建评分模板版本。"""
        payload = TemplateCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = template_version_create(actor=request.user, **payload.validated_data)
        row = _row(template_by_key(record.key), built_in=False, active=True, detail=True)
        return Response(TemplateDetailSerializer(row).data, status=status.HTTP_201_CREATED)


routes = [("scoring-templates", ScoringTemplateViewSet, "scoring-template")]
