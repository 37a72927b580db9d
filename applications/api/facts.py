"""事实清单 API: which facts a policy reads for a unit type, as a JSON Schema (issue 19.3).

``GET /api/v1/rules/facts-schema/?policy=<policy>&unit_type=<unit type>`` answers the JSON
Schema (draft 2020-12) of the ``facts`` of an application under that policy and unit type, built
from :func:`greenmfg.rules.fact_schema`, the same list the portal's form is drawn from: each key
with its JSON type, range, unit, section and the articles whose rules read it. The policies are
public documents, so anyone may read it. An application's ``facts_schema`` is the address of its
own.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from applications.models import POLICY_CHOICES, UnitType
from greenmfg.core.errors import DomainError
from greenmfg.rules import UNIT_TYPES, FactSpec, fact_schema, policies, unit_types

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ROUTE_NAME = "facts-schema-list"


def facts_schema_path(policy: str, unit_type: str) -> str:
    """The path of the facts schema of ``policy`` and ``unit_type``."""
    return f"{reverse(ROUTE_NAME)}?{urlencode({'policy': policy, 'unit_type': unit_type})}"


def facts_json_schema(policy: str, unit_type: str) -> dict:
    """The JSON Schema of the facts ``policy`` reads for ``unit_type``.

    Every key is optional, and null means "not known", as leaving it out does: a fact the rules
    need but the facts lack fails its finding (naming the fact), which is no invalid document.
    Keys the rules do not read are ignored by them, so other keys are allowed.
    """
    specs = fact_schema(policy, unit_type)
    policy_name = dict(POLICY_CHOICES).get(policy, policy)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": facts_schema_path(policy, unit_type),
        "title": f"{policy} {unit_type} facts",
        "description": _(
            "%(policy)s对%(unit_type)s读取的事实（申报的 facts）。各键均可省略或为 null（未知）："
            "规则需要而缺少的事实使相应条款不通过。百分比为 0 至 100 的数。"
        )
        % {"policy": policy_name, "unit_type": UNIT_TYPES[unit_type]},
        "type": "object",
        "properties": {spec.key: _property(spec) for spec in specs},
        "additionalProperties": True,
        "x-policy": policy,
        "x-unit-type": unit_type,
    }


def _property(spec: FactSpec) -> dict:
    schema: dict = {"description": spec.label + (f"（{spec.unit}）" if spec.unit else "")}
    if spec.kind == "bool":
        schema["type"] = ["boolean", "null"]
    elif spec.kind in ("number", "percentage"):
        schema["type"] = ["number", "null"]
        schema["minimum"] = 0
        if spec.kind == "percentage":
            schema["maximum"] = 100
    elif spec.kind == "choice":
        schema["type"] = ["string", "null"]
        schema["enum"] = [value for value, _label in spec.choices] + [None]
    else:  # text: any non-blank name; the choices are suggestions only
        schema["type"] = ["string", "null"]
        schema["minLength"] = 1
        schema["pattern"] = r"\S"
        if spec.choices:
            schema["examples"] = [value for value, _label in spec.choices]
    if spec.choices:
        schema["x-choices"] = [{"value": value, "label": label} for value, label in spec.choices]
    if spec.unit:
        schema["x-unit"] = spec.unit
    schema["x-kind"] = spec.kind
    schema["x-section"] = spec.group
    schema["x-articles"] = list(spec.articles)
    if spec.industry_average:
        schema["x-industry-average"] = True
    if spec.credit_data:
        schema["x-credit-data"] = True
    if spec.required_when:
        key, value = spec.required_when
        schema["x-required-when"] = {"key": key, "value": value}
    if spec.alternatives:
        schema["x-alternatives"] = list(spec.alternatives)
    return schema


class FactsSchemaViewSet(viewsets.ViewSet):
    """事实清单: the JSON Schema of the facts a policy reads for a unit type."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        operation_id="rules_facts_schema",
        parameters=[
            OpenApiParameter(
                "policy",
                OpenApiTypes.STR,
                required=True,
                enum=policies(),
                description=gettext_lazy("政策代码"),
            ),
            OpenApiParameter(
                "unit_type",
                OpenApiTypes.STR,
                required=True,
                enum=list(UnitType.values),
                description=gettext_lazy("单位类型（该政策须涵盖）"),
            ),
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=gettext_lazy(
                    "事实的 JSON Schema（draft 2020-12）：每个键的类型、取值范围、单位（x-unit）、"
                    "所属部分（x-section）及读取它的条款（x-articles）。"
                ),
            )
        },
    )
    def list(self, request):
        """查看政策读取的事实（facts）的 JSON Schema。

        For a policy and a unit type: each fact's key, type, range, unit and the articles that
        read it."""
        policy = request.query_params.get("policy", "")
        unit_type = request.query_params.get("unit_type", "")
        known = policies()
        if policy not in known:
            raise DomainError(
                _("未知的政策“%(policy)s”。可用的政策：%(known)s。")
                % {"policy": policy, "known": "、".join(known)},
                code="unknown_policy",
                field="policy",
            )
        covered = unit_types(policy)
        if unit_type not in covered:
            raise DomainError(
                _("政策 %(policy)s 不涵盖单位类型“%(unit_type)s”。该政策涵盖：%(covered)s。")
                % {
                    "policy": policy,
                    "unit_type": unit_type,
                    "covered": "、".join(f"{UNIT_TYPES[t]}（{t}）" for t in covered),
                },
                code="unsupported_unit_type",
                field="unit_type",
            )
        return Response(facts_json_schema(policy, unit_type))


routes = [("rules/facts-schema", FactsSchemaViewSet, "facts-schema")]
