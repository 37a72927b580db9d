"""Turning what a user typed into the facts the rules read, with a clear message per bad value.

One function per value (``clean_fact``) serves the page's form fields and the API alike.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from greenmfg.rules import FactSpec, fact_schema
from greenmfg.rules.fact_keys import FACTS

TRUE_WORDS = {"true", "1", "yes", "y", "on", "是", "有"}
FALSE_WORDS = {"false", "0", "no", "n", "off", "否", "无"}


def _number(spec: FactSpec, raw) -> int | float:
    if isinstance(raw, bool):
        raise ValidationError(_("「%(label)s」应为数字。") % {"label": spec.label}, code="number")
    try:
        value = Decimal(str(raw).strip().replace(",", "").removesuffix("%"))
    except InvalidOperation:
        raise ValidationError(
            _("「%(label)s」应为数字，您填写了「%(raw)s」。") % {"label": spec.label, "raw": raw},
            code="number",
        ) from None
    if not value.is_finite():
        raise ValidationError(
            _("「%(label)s」应为有限的数字。") % {"label": spec.label}, code="number"
        )
    if value < 0:
        raise ValidationError(
            _("「%(label)s」不能为负数，您填写了 %(raw)s。") % {"label": spec.label, "raw": raw},
            code="negative",
        )
    if spec.kind == "percentage" and value > 100:
        raise ValidationError(
            _("「%(label)s」是百分比，应在 0 到 100 之间，您填写了 %(raw)s。")
            % {"label": spec.label, "raw": raw},
            code="percentage",
        )
    return int(value) if value == value.to_integral_value() else float(value)


def clean_fact(spec: FactSpec, raw):
    """The typed value of one fact; None when left empty; ValidationError when unusable."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(
            _("「%(label)s」应填“是”或“否”，您填写了「%(raw)s」。")
            % {"label": spec.label, "raw": raw},
            code="bool",
        )
    if spec.kind in ("number", "percentage"):
        return _number(spec, raw)
    if spec.kind == "choice":
        allowed = dict(spec.choices)
        if str(raw) not in allowed:
            raise ValidationError(
                _("「%(label)s」不是有效的选项：%(raw)s。可选：%(options)s。")
                % {"label": spec.label, "raw": raw, "options": "、".join(allowed.values())},
                code="choice",
            )
        return str(raw)
    text = str(raw).strip()
    if len(text) > 200:
        raise ValidationError(
            _("「%(label)s」不能超过 200 个字。") % {"label": spec.label}, code="text"
        )
    return text


def applicant_specs(policy: str, unit_type: str) -> list[FactSpec]:
    """The facts the applicant declares (the county enters the industry reference values)."""
    return [spec for spec in fact_schema(policy, unit_type) if not spec.industry_average]


def reference_specs(policy: str, unit_type: str) -> list[FactSpec]:
    return [spec for spec in fact_schema(policy, unit_type) if spec.industry_average]


def clean_facts(specs: list[FactSpec], raw: dict) -> tuple[dict, dict[str, list[str]]]:
    """Split ``raw`` into the values that are usable and the messages of those that are not.

    Keys the policy does not read are ignored, as the rules contract does.
    """
    values, errors = {}, {}
    for spec in specs:
        if spec.key not in raw:
            continue
        try:
            values[spec.key] = clean_fact(spec, raw[spec.key])
        except ValidationError as error:
            errors[spec.key] = error.messages
    return values, errors


def industry_reference_specs() -> list[FactSpec]:
    """Every reference value any policy compares against, for the per-industry table."""
    return [
        FactSpec(
            key=key,
            label=definition.label,
            kind=definition.kind,
            choices=definition.choices,
            unit=definition.unit,
            group=definition.group,
            articles=(),
            industry_average=True,
            credit_data=False,
            required_when=None,
            alternatives=(),
        )
        for key, definition in FACTS.items()
        if definition.industry_average
    ]
