"""The key indicators of the annual dynamic-management table (动态管理表), per unit type.

Pure Python (no database): what each unit type reports every year (洛阳 附件8; 大连 附件6–9),
how a value is checked, how two years compare, and which rules fact key an indicator is, so
that the indicator checks (greenmfg.rules) read a filed table like a declaration.

A table's values are stored as JSON: numbers as numbers (percentages from 0 to 100), choices
as their codes. An indicator left empty in a draft is absent from the dict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IndicatorKind = Literal["number", "percent", "choice"]
NUMBER_MAX = Decimal("1e12")
DECIMAL_PLACES = 6


@dataclass(frozen=True)
class Indicator:
    """One key indicator.

    ``lower_is_better``: for a number, a smaller value is the better one (energy per unit); for
    a choice, ``choices`` run from the best to the worst, so a lower rank is better.
    ``fact_key`` names the greenmfg.rules fact this indicator is, where one exists;
    ``fact_values`` turns a choice code into that fact's value (None: no fact for that code).
    """

    key: str
    label: str
    kind: IndicatorKind
    unit: str = ""
    lower_is_better: bool = True
    fact_key: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    fact_values: tuple[tuple[str, object], ...] = ()
    help_text: str = ""

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "percent")

    def choice_label(self, code) -> str:
        return str(dict(self.choices).get(code, code))

    def rank(self, code) -> int | None:
        """The position of a choice from the best (0); None for a code outside the set."""
        codes = [value for value, _label in self.choices]
        return codes.index(code) if code in codes else None

    def display(self, value) -> str:
        """The value as a person reads it: a choice's name, a number with its unit."""
        if value is None or value == "":
            return "—"
        if self.kind == "choice":
            return self.choice_label(value)
        text = format_number(value)
        return f"{text}%" if self.kind == "percent" else f"{text} {self.unit}".strip()


def _number(key, label, unit, *, lower_is_better, fact_key=None, help_text="") -> Indicator:
    return Indicator(key, label, "number", unit, lower_is_better, fact_key, help_text=help_text)


def _percent(key, label, *, lower_is_better=False, fact_key=None, help_text="") -> Indicator:
    return Indicator(key, label, "percent", "%", lower_is_better, fact_key, help_text=help_text)


ENERGY_PER_UNIT = _number(
    "energy_per_unit",
    gettext_lazy("单位产品综合能耗"),
    gettext_lazy("千克标准煤/单位产品"),
    lower_is_better=True,
    fact_key="energy_per_unit",
)
SOLID_WASTE = _percent(
    "solid_waste_utilisation_rate",
    gettext_lazy("工业固体废物综合利用率"),
    fact_key="solid_waste_utilisation_rate",
)
RENEWABLE_SHARE = _percent("renewable_energy_share", gettext_lazy("可再生能源使用比例"))

EFFICIENCY_GRADES = (
    ("grade_1", gettext_lazy("1级")),
    ("grade_2", gettext_lazy("2级")),
    ("grade_3", gettext_lazy("3级")),
    ("grade_4", gettext_lazy("4级")),
    ("grade_5", gettext_lazy("5级")),
)
STANDARD_COMPLIANCE = (
    ("meets", gettext_lazy("符合")),
    ("fails", gettext_lazy("不符合")),
)

INDICATORS: dict[str, tuple[Indicator, ...]] = {
    # 绿色工厂 (洛阳 附件8; 大连 附件6)
    "factory": (
        ENERGY_PER_UNIT,
        _number(
            "water_per_unit",
            gettext_lazy("单位产品取水量"),
            gettext_lazy("立方米/单位产品"),
            lower_is_better=True,
        ),
        # The rules know the amount produced (产生量) per unit; the table reports the amount
        # emitted (排放量). The checks compare it with the same industry reference.
        _number(
            "pollutant_per_unit",
            gettext_lazy("主要污染物排放量（单位产品）"),
            gettext_lazy("千克/单位产品"),
            lower_is_better=True,
            fact_key="pollutant_per_unit",
        ),
        SOLID_WASTE,
        _number(
            "carbon_per_unit",
            gettext_lazy("单位产品碳排放量"),
            gettext_lazy("吨二氧化碳当量/单位产品"),
            lower_is_better=True,
            fact_key="carbon_per_unit",
        ),
        RENEWABLE_SHARE,
    ),
    # 绿色工业园区 (大连 附件7)
    "park": (
        _number(
            "energy_per_value_added",
            gettext_lazy("单位工业增加值能耗"),
            gettext_lazy("吨标准煤/万元"),
            lower_is_better=True,
        ),
        _number(
            "water_per_value_added",
            gettext_lazy("单位工业增加值水耗"),
            gettext_lazy("立方米/万元"),
            lower_is_better=True,
        ),
        SOLID_WASTE,
        RENEWABLE_SHARE,
        _percent(
            "industrial_value_added_share",
            gettext_lazy("工业增加值占比"),
            fact_key="industrial_value_added_share",
            help_text=gettext_lazy("园区工业增加值占园区地区生产总值的比例"),
        ),
    ),
    # 绿色供应链管理企业 (大连 附件8)
    "supply_chain": (
        _percent("green_supplier_share", gettext_lazy("供应商中绿色工厂占比")),
        _percent("green_procurement_share", gettext_lazy("绿色采购比例")),
        _percent("product_recycling_rate", gettext_lazy("产品回收利用率")),
        ENERGY_PER_UNIT,
    ),
    # 绿色设计产品 (大连 附件9)
    "design_product": (
        Indicator(
            "efficiency_grade",
            gettext_lazy("产品能效/水效等级"),
            "choice",
            choices=EFFICIENCY_GRADES,
            help_text=gettext_lazy("按产品适用的能效或水效标准，1级最优"),
        ),
        Indicator(
            "standard_compliance",
            gettext_lazy("绿色设计产品评价标准符合情况"),
            "choice",
            fact_key="meets_evaluation_standard",
            choices=STANDARD_COMPLIANCE,
            fact_values=(("meets", True), ("fails", False)),
        ),
    ),
}


def indicators_for(unit_type: str) -> tuple[Indicator, ...]:
    """The key indicators of ``unit_type`` (empty for an unknown type)."""
    return INDICATORS.get(unit_type, ())


def indicator(unit_type: str, key: str) -> Indicator | None:
    return next((item for item in indicators_for(unit_type) if item.key == key), None)


def format_number(value) -> str:
    """A number without a trailing ".0" or exponent: 12, 0.85, 1250000."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def _clean_number(item: Indicator, raw) -> tuple[float | int | None, str | None]:
    label = str(item.label)
    if isinstance(raw, bool):
        return None, _("「%(label)s」须填写数字。") % {"label": label}
    try:
        number = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None, _("「%(label)s」须填写数字。") % {"label": label}
    if not number.is_finite():
        return None, _("「%(label)s」须填写数字。") % {"label": label}
    if number < 0:
        return None, _("「%(label)s」不能为负数。") % {"label": label}
    if item.kind == "percent" and number > 100:
        return None, _("「%(label)s」是百分比，须在 0 到 100 之间。") % {"label": label}
    if number >= NUMBER_MAX:
        return None, _("「%(label)s」数值过大，请检查计量单位。") % {"label": label}
    if number != number.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding="ROUND_HALF_UP"):
        return None, _("「%(label)s」最多保留 %(places)d 位小数。") % {
            "label": label,
            "places": DECIMAL_PLACES,
        }
    if number == number.to_integral_value():
        return int(number), None
    return float(number), None


def _is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_indicators(
    unit_type: str, values: Mapping, *, complete: bool
) -> tuple[dict, dict[str, str]]:
    """Check ``values`` (from a form or the API) against the unit type's indicators.

    Returns the cleaned values (numbers as JSON numbers, choices as codes; empty ones left
    out) and the errors, one Chinese message per indicator key. ``complete`` (filing) requires
    every indicator; a draft may leave some empty. A key the type does not have is an error
    under ``"indicators"``.
    """
    items = {item.key: item for item in indicators_for(unit_type)}
    cleaned: dict = {}
    errors: dict[str, str] = {}
    unknown = sorted(str(key) for key in values if key not in items)
    if unknown:
        errors["indicators"] = _("该类型的动态管理表没有这些指标：%(keys)s。") % {
            "keys": "、".join(unknown)
        }
    for key, item in items.items():
        raw = values.get(key)
        if _is_empty(raw):
            if complete:
                errors[key] = (
                    _("请选择「%(label)s」。")
                    if item.kind == "choice"
                    else _("请填写「%(label)s」。")
                ) % {"label": str(item.label)}
            continue
        if item.kind == "choice":
            if not isinstance(raw, str) or raw not in dict(item.choices):
                errors[key] = _("「%(label)s」的选项无效，可选：%(options)s。") % {
                    "label": str(item.label),
                    "options": "、".join(str(name) for _code, name in item.choices),
                }
            else:
                cleaned[key] = raw
            continue
        value, error = _clean_number(item, raw)
        if error:
            errors[key] = error
        else:
            cleaned[key] = value
    return cleaned, errors


def missing_indicators(unit_type: str, values: Mapping) -> list[Indicator]:
    """The indicators of the type that ``values`` leaves empty."""
    return [item for item in indicators_for(unit_type) if _is_empty(values.get(item.key))]


def facts_from(unit_type: str, values: Mapping) -> dict:
    """The rules facts a filed table states: {fact_key: value} for the mapped indicators."""
    facts: dict = {}
    for item in indicators_for(unit_type):
        if item.fact_key is None or _is_empty(values.get(item.key)):
            continue
        value = values[item.key]
        if item.kind == "choice":
            value = dict(item.fact_values).get(value)
            if value is None:
                continue
        facts[item.fact_key] = value
    return facts


# --- year on year -------------------------------------------------------------------------------

UP, DOWN, SAME = "up", "down", "same"
ARROWS = {UP: "↑", DOWN: "↓", SAME: "→"}


@dataclass(frozen=True)
class Change:
    """How an indicator moved from one year to the next.

    ``direction`` is up/down/same for the value (for a choice: up means a better grade);
    ``improved`` is True/False/None (same or not comparable); ``percent`` is the relative
    change of a number (None for a choice, or from zero). ``words`` says it all in Chinese,
    so the page never relies on colour or the arrow alone.
    """

    direction: str | None
    improved: bool | None
    percent: float | None
    words: str

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction, "")


NOT_COMPARABLE = Change(None, None, None, gettext_lazy("无可比数据"))


def _verdict(improved: bool | None) -> str:
    if improved is None:
        return ""
    return _("（改善）") if improved else _("（变差）")


def change(item: Indicator, previous, current) -> Change:
    """The change of ``item`` from ``previous`` to ``current`` (either may be missing)."""
    if _is_empty(previous) or _is_empty(current):
        return NOT_COMPARABLE
    if item.kind == "choice":
        before, after = item.rank(previous), item.rank(current)
        if before is None or after is None:
            return NOT_COMPARABLE
        if before == after:
            return Change(SAME, None, None, _("持平"))
        better = after < before  # choices run from the best
        direction = UP if better else DOWN
        words = (_("提升") if better else _("下降")) + _verdict(better)
        return Change(direction, better, None, words)
    before, after = Decimal(str(previous)), Decimal(str(current))
    if before == after:
        return Change(SAME, None, 0.0, _("持平"))
    direction = UP if after > before else DOWN
    improved = (after < before) if item.lower_is_better else (after > before)
    verb = _("上升") if direction == UP else _("下降")
    if before == 0:
        return Change(
            direction, improved, None, _("由 0 %(verb)s") % {"verb": verb} + _verdict(improved)
        )
    percent = float((after - before) / abs(before) * 100)
    if math.isfinite(percent):
        percent = round(percent, 1)
    words = _("%(verb)s %(percent)s%%") % {"verb": verb, "percent": format_number(abs(percent))}
    return Change(direction, improved, percent, words + _verdict(improved))


# --- year-on-year worsening (同比恶化预警) ------------------------------------------------------

# A key indicator worse than last year's by more than this share is flagged to the officials.
# None of the three documents makes a worsening within the requirement a ground for removal (大连
# 三 and the others act on 不符合评价要求 only), so this is a warning, never a proposal.
WORSENING_TOLERANCE = 0.10


def worsening_tolerance() -> float:
    from django.conf import settings

    return float(getattr(settings, "INDICATOR_TOLERANCE", WORSENING_TOLERANCE))


@dataclass(frozen=True)
class Worsening:
    """A numeric indicator worse than the year before by more than the tolerance."""

    indicator: Indicator
    before: float | int
    after: float | int
    moved: Change
    tolerance: float

    @property
    def words(self) -> str:
        """One sentence with the numbers: "单位产品碳排放量 1.2 …，较上年 1 … 上升 20%（变差），
        超过 10% 的预警线"."""
        template = _(
            "%(label)s %(after)s，较上年 %(before)s %(words)s，超过 %(tolerance)s%% 的预警线"
        )
        return template % {
            "label": str(self.indicator.label),
            "after": self.indicator.display(self.after),
            "before": self.indicator.display(self.before),
            "words": self.moved.words,
            "tolerance": format_number(round(self.tolerance * 100, 6)),
        }

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator.key,
            "label": str(self.indicator.label),
            "previous": self.before,
            "current": self.after,
            "percent": self.moved.percent,
            "words": self.words,
        }


def worsenings(
    unit_type: str, previous: Mapping | None, current: Mapping | None, *, tolerance=None
) -> list[Worsening]:
    """The numeric indicators of ``current`` worse than in ``previous`` by more than
    ``tolerance`` (a share, default :func:`worsening_tolerance`); exactly at it is not beyond
    it, an improvement never is, a missing value compares with nothing."""
    if not previous or not current:
        return []
    tolerance = worsening_tolerance() if tolerance is None else float(tolerance)
    found = []
    for item in indicators_for(unit_type):
        if not item.is_numeric:
            continue
        before, after = previous.get(item.key), current.get(item.key)
        if isinstance(before, bool) or isinstance(after, bool):
            continue
        if not isinstance(before, int | float) or not isinstance(after, int | float):
            continue
        moved = change(item, before, after)
        worse = Decimal(str(after)) - Decimal(str(before))
        if not item.lower_is_better:
            worse = -worse
        limit = abs(Decimal(str(before))) * Decimal(str(tolerance))
        if moved.improved is False and worse > limit:
            found.append(Worsening(item, before, after, moved, tolerance))
    return found
