"""A scoring template as plain data (JSON), and back, for the versions administrators add.

Pure Python like :mod:`reviews.scoring`: a template written by an administrator is read here
into a :class:`~reviews.scoring.ScoringTemplate`, whose own checks (weights adding up, unique
codes, 基准值 ≠ 引领值, …) then apply exactly as to the shipped ones. Every problem comes back as
a ``ValueError`` with a Chinese message naming the place (``第 2 个指标组的第 3 项指标``).

The shape::

    {"code": "green-factory", "version": "2025-steel", "title": "…", "unit_type": "factory",
     "standard": "GB/T 36132-2025", "total": "100",
     "basic_requirements": [{"code": "basic.legal", "text": "依法设立"}],
     "groups": [{"code": "energy", "name": "能源低碳化", "weight": "30", "indicators": [
         {"code": "energy.per_unit", "name": "单位产品综合能耗", "max_points": "6",
          "required": true, "method": "interpolated", "baseline": "120", "leading": "80",
          "unit": "kgce/t"}]}]}

Numbers may be strings or numbers; they are written back as strings, so no value is rounded by a
float on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from reviews.scoring import (
    MANUAL,
    BasicRequirement,
    Indicator,
    IndicatorGroup,
    ScoringTemplate,
    format_decimal,
)

TEMPLATE_FIELDS = ("code", "version", "title", "unit_type", "standard")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def template_to_dict(template: ScoringTemplate) -> dict[str, Any]:
    return {
        "code": template.code,
        "version": template.version,
        "title": template.title,
        "unit_type": template.unit_type,
        "standard": template.standard,
        "total": _text(template.total),
        "basic_requirements": [
            {"code": requirement.code, "text": requirement.text}
            for requirement in template.basic_requirements
        ],
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "weight": _text(group.weight),
                "indicators": [
                    {
                        "code": indicator.code,
                        "name": indicator.name,
                        "max_points": _text(indicator.max_points),
                        "required": indicator.required,
                        "method": indicator.method,
                        "baseline": _text(indicator.baseline),
                        "leading": _text(indicator.leading),
                        "unit": indicator.unit,
                    }
                    for indicator in group.indicators
                ],
            }
            for group in template.groups
        ],
    }


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}应为对象（{{…}}），实际为 {type(value).__name__}")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ValueError(f"{where}缺少列表「{key}」")
    return value


def _field(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise ValueError(f"{where}缺少「{key}」")
    return data[key]


def _number(value: Any) -> Any:
    """Numbers stay numbers, strings stay strings: ScoringTemplate reads both; floats are turned
    into their shortest text first, so 0.1 stays 0.1."""
    if isinstance(value, float):
        return repr(value)
    return value


def template_from_dict(data: Any) -> ScoringTemplate:
    """The template ``data`` describes, or a ValueError saying what is wrong and where."""
    try:
        return _read(data)
    except (TypeError, ArithmeticError) as error:
        raise ValueError(f"评分模板数据有误：{error}") from error


def _read(data: Any) -> ScoringTemplate:
    data = _mapping(data, "评分模板")
    head = {key: _field(data, key, "评分模板") for key in TEMPLATE_FIELDS}
    requirements = []
    for index, raw in enumerate(_list(data, "basic_requirements", "评分模板"), start=1):
        where = f"第 {index} 项基本要求"
        raw = _mapping(raw, where)
        requirements.append(
            BasicRequirement(code=_field(raw, "code", where), text=_field(raw, "text", where))
        )
    groups = []
    for group_index, raw_group in enumerate(_list(data, "groups", "评分模板"), start=1):
        where = f"第 {group_index} 个指标组"
        raw_group = _mapping(raw_group, where)
        indicators = []
        for index, raw in enumerate(_list(raw_group, "indicators", where), start=1):
            item_where = f"{where}的第 {index} 项指标"
            raw = _mapping(raw, item_where)
            required = raw.get("required", True)
            if not isinstance(required, bool):
                raise ValueError(f"{item_where}的「required」应为 true 或 false")
            indicators.append(
                Indicator(
                    code=_field(raw, "code", item_where),
                    name=_field(raw, "name", item_where),
                    max_points=_number(_field(raw, "max_points", item_where)),
                    required=required,
                    method=raw.get("method") or MANUAL,
                    baseline=_number(raw.get("baseline")),
                    leading=_number(raw.get("leading")),
                    unit=raw.get("unit") or "",
                )
            )
        groups.append(
            IndicatorGroup(
                code=_field(raw_group, "code", where),
                name=_field(raw_group, "name", where),
                weight=_number(_field(raw_group, "weight", where)),
                indicators=tuple(indicators),
            )
        )
    return ScoringTemplate(
        **head,
        basic_requirements=tuple(requirements),
        groups=tuple(groups),
        total=_number(data.get("total", 100)),
    )
