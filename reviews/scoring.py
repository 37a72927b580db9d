"""专家评分 (expert scoring): the arithmetic of a score sheet, from the marks to a decision.

An expert scores an application against a :class:`ScoringTemplate` (评分模板): first the
:class:`BasicRequirement` rows (基本要求, each met or not; one unmet is a one-vote veto, 一票否决),
then every :class:`Indicator` (评价指标) of every :class:`IndicatorGroup` (一级指标). A manual
indicator is marked by hand, 0 up to its full marks; an interpolated one is computed from the
measured value by straight-line interpolation between its 基准值 (0 points) and 引领值 (full
marks). The experts' totals are then combined by :func:`aggregate` and judged against a policy's
line by :func:`decide_for_policy`.

How a sheet adds up (the rule :func:`score_sheet` applies):

- An item's points are kept to 2 decimals (interpolated points are rounded ROUND_HALF_UP).
- Within a group, 实得分 is the sum of the points on every item the expert did not abstain on,
  可选 (optional, extra-point) items included; 应得分 is the sum of the full marks of the 必选
  (required) items the expert did not abstain on. Optional items never raise 应得分.
- 组得分 = 权重 × min(1, 实得分 / 应得分), rounded to 2 decimals. Extra points on optional items
  therefore make up for points lost on required items, but a group never scores above its
  weight. Abstaining on an item removes it from both sums, so the group is judged on the rest;
  abstaining on every required item of a group leaves nothing to judge it by, and the sheet is
  refused.
- 总分 = the sum of the group scores, capped at the template's total (the weights sum to it, so
  the cap only guards the arithmetic). Rounding each stage keeps the printed sheet adding up.
- The total is computed even when a basic requirement is unmet: the veto is reported beside it
  (``basic_met``, ``vetoed_by``) and applied by :func:`decide`, so the record keeps both.

Pure Python on purpose: no Django, no database. Decimal arithmetic throughout; results are
quantised to 2 decimals ROUND_HALF_UP.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from greenmfg.rules import UNIT_TYPES, meets_threshold, threshold_finding

CENT = Decimal("0.01")

MANUAL = "manual"
INTERPOLATED = "interpolated"
METHODS: dict[str, str] = {MANUAL: "人工评分", INTERPOLATED: "按基准值和引领值插值计分"}

MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"
AGGREGATION_METHODS: dict[str, str] = {MEAN: "算术平均", TRIMMED_MEAN: "去掉最高分和最低分后平均"}


def quantize(value: Decimal) -> Decimal:
    """Two decimals, ROUND_HALF_UP: how every score on the sheet is shown and kept."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal) -> str:
    """``Decimal("12.50")`` → ``12.5``, ``Decimal("10")`` → ``10``: numbers inside messages."""
    return format(value.normalize(), "f")


def as_decimal(value: Any) -> Decimal | None:
    """A finite number as a Decimal, or None when ``value`` is not one.

    Floats go through their shortest text form, so ``0.1`` becomes ``Decimal("0.1")`` rather
    than the binary fraction; ``True`` is refused, though Python counts it as 1.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    elif isinstance(value, numbers.Real):
        if not math.isfinite(value):
            return None
        number = Decimal(repr(float(value)))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _template_decimal(value: Any, what: str) -> Decimal:
    number = as_decimal(value)
    if number is None:
        raise ValueError(f"{what}应为数值，实际为 {value!r}")
    return number


def _require_text(value: Any, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what}不能为空，实际为 {value!r}")


# --- The template ---


@dataclass(frozen=True)
class BasicRequirement:
    """基本要求: met or not; one unmet requirement vetoes the unit (一票否决)."""

    code: str
    text: str

    def __post_init__(self) -> None:
        _require_text(self.code, "基本要求代码")
        _require_text(self.text, f"基本要求 {self.code} 的内容")


@dataclass(frozen=True)
class Indicator:
    """评价指标: one scored item of a group.

    ``required`` is 必选; ``False`` makes it 可选, an item that only adds extra points.
    ``method`` is ``"manual"`` (the expert marks 0 up to ``max_points``) or ``"interpolated"``
    (points follow the measured value: ``baseline`` 基准值 earns 0, ``leading`` 引领值 earns full
    marks, straight line between, clamped to [0, max_points]). ``higher_is_better`` is derived
    from ``leading > baseline``; given explicitly it must agree, which catches a 基准值 and 引领值
    entered the wrong way round. Lower is better for quantities such as 单位产品综合能耗.

    Numbers may be written as int, str or Decimal (a template reads like the paper sheet); they
    are kept as Decimal.
    """

    code: str
    name: str
    max_points: Decimal
    required: bool = True
    method: str = MANUAL
    baseline: Decimal | None = None
    leading: Decimal | None = None
    unit: str = ""
    higher_is_better: bool | None = None

    def __post_init__(self) -> None:
        _require_text(self.code, "指标代码")
        _require_text(self.name, f"指标 {self.code} 的名称")
        label = f"指标「{self.name}」（{self.code}）"
        max_points = _template_decimal(self.max_points, f"{label}的满分")
        if max_points <= 0:
            raise ValueError(f"{label}的满分应大于 0，实际为 {format_decimal(max_points)}")
        object.__setattr__(self, "max_points", max_points)
        if not isinstance(self.required, bool):
            raise ValueError(f"{label}的必选标志应为 True 或 False，实际为 {self.required!r}")
        if self.method not in METHODS:
            raise ValueError(
                f"{label}的计分方式应为 {' 或 '.join(METHODS)}，实际为 {self.method!r}"
            )
        if self.method == MANUAL:
            self._check_manual(label)
        else:
            self._check_interpolated(label)

    def _check_manual(self, label: str) -> None:
        if self.baseline is not None or self.leading is not None:
            raise ValueError(f"{label}为人工评分，不应设置基准值或引领值")
        if self.higher_is_better is False:
            raise ValueError(f"{label}为人工评分，得分越高越好")
        object.__setattr__(self, "higher_is_better", True)

    def _check_interpolated(self, label: str) -> None:
        if self.baseline is None or self.leading is None:
            raise ValueError(f"{label}按数值插值计分，须设置基准值和引领值")
        baseline = _template_decimal(self.baseline, f"{label}的基准值")
        leading = _template_decimal(self.leading, f"{label}的引领值")
        if baseline == leading:
            raise ValueError(
                f"{label}的基准值与引领值相同（{format_decimal(baseline)}），无法插值计分"
            )
        derived = leading > baseline
        if self.higher_is_better is not None and self.higher_is_better is not derived:
            wanted = "高于" if self.higher_is_better else "低于"
            raise ValueError(
                f"{label}的引领值 {format_decimal(leading)} 应{wanted}基准值 "
                f"{format_decimal(baseline)}"
            )
        object.__setattr__(self, "baseline", baseline)
        object.__setattr__(self, "leading", leading)
        object.__setattr__(self, "higher_is_better", derived)

    @property
    def is_interpolated(self) -> bool:
        return self.method == INTERPOLATED

    def points_for(self, value: Decimal) -> Decimal:
        """The points a measured ``value`` earns, 2 decimals, clamped to [0, max_points].

        One formula serves both directions: dividing by ``leading - baseline`` (negative when
        lower is better) turns any improvement on the baseline into a positive share.
        """
        if not self.is_interpolated:
            raise ValueError(f"指标「{self.name}」为人工评分，没有插值公式")
        number = as_decimal(value)
        if number is None:
            raise ValueError(f"指标「{self.name}」的数值无效：{value!r}")
        assert self.baseline is not None and self.leading is not None  # set in __post_init__
        share = (number - self.baseline) / (self.leading - self.baseline)
        share = min(max(share, Decimal(0)), Decimal(1))
        return quantize(share * self.max_points)


@dataclass(frozen=True)
class IndicatorGroup:
    """一级指标: a group of indicators that carries ``weight`` points of the template's total."""

    code: str
    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]

    def __post_init__(self) -> None:
        _require_text(self.code, "指标组代码")
        _require_text(self.name, f"指标组 {self.code} 的名称")
        label = f"指标组「{self.name}」（{self.code}）"
        weight = _template_decimal(self.weight, f"{label}的权重")
        if weight <= 0:
            raise ValueError(f"{label}的权重应大于 0，实际为 {format_decimal(weight)}")
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "indicators", tuple(self.indicators))
        # With no required item the group has no 应得分 to divide by (see the module docstring).
        if not any(indicator.required for indicator in self.indicators):
            raise ValueError(f"{label}至少应有一项必选指标")

    @property
    def required_max(self) -> Decimal:
        """The full marks of the required items: the group's 应得分 when no one abstains."""
        return sum(
            (indicator.max_points for indicator in self.indicators if indicator.required),
            Decimal(0),
        )


TemplateItem = BasicRequirement | IndicatorGroup | Indicator


@dataclass(frozen=True)
class ScoringTemplate:
    """评分模板: one standard's scoring sheet for one unit type, in one version.

    The groups' weights sum to ``total`` (100 unless a sheet says otherwise). Every code, of a
    basic requirement, a group or an indicator, is unique in the template, so a code on a sheet
    or in a problem names exactly one row.
    """

    code: str
    version: str
    title: str
    unit_type: str
    standard: str
    basic_requirements: tuple[BasicRequirement, ...]
    groups: tuple[IndicatorGroup, ...]
    total: Decimal = Decimal(100)

    def __post_init__(self) -> None:
        _require_text(self.code, "评分模板代码")
        _require_text(self.version, f"评分模板 {self.code} 的版本")
        label = f"评分模板 {self.code}@{self.version}"
        _require_text(self.title, f"{label}的标题")
        _require_text(self.standard, f"{label}的依据标准")
        if self.unit_type not in UNIT_TYPES:
            known = "、".join(UNIT_TYPES)
            raise ValueError(f"{label}的单位类型应为 {known} 之一，实际为 {self.unit_type!r}")
        total = _template_decimal(self.total, f"{label}的总分")
        if total <= 0:
            raise ValueError(f"{label}的总分应大于 0，实际为 {format_decimal(total)}")
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "basic_requirements", tuple(self.basic_requirements))
        object.__setattr__(self, "groups", tuple(self.groups))
        if not self.groups:
            raise ValueError(f"{label}至少应有一个指标组")
        codes = Counter(item.code for item in self._all_items())
        if duplicated := sorted(code for code, count in codes.items() if count > 1):
            raise ValueError(f"{label}的代码重复：{'、'.join(duplicated)}")
        weights = sum((group.weight for group in self.groups), Decimal(0))
        if weights != total:
            raise ValueError(
                f"{label}的各组权重之和为 {format_decimal(weights)}，应为 {format_decimal(total)}"
            )

    def _all_items(self) -> Iterable[TemplateItem]:
        yield from self.basic_requirements
        for group in self.groups:
            yield group
            yield from group.indicators

    @property
    def key(self) -> str:
        """``code@version``, the key of :data:`reviews.scoring_templates.TEMPLATES`."""
        return f"{self.code}@{self.version}"

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(indicator for group in self.groups for indicator in group.indicators)

    @cached_property
    def _by_code(self) -> dict[str, TemplateItem]:
        return {item.code: item for item in self._all_items()}

    def item(self, code: str) -> TemplateItem:
        """The basic requirement, group or indicator with ``code``; KeyError when none has it."""
        return self._by_code[code]

    def label(self, code: str) -> str:
        """What a message calls the row: a requirement's text, a group's or indicator's name."""
        item = self._by_code.get(code)
        if item is None:
            return code
        return item.text if isinstance(item, BasicRequirement) else item.name


# --- One expert's sheet ---


@dataclass(frozen=True)
class BasicAnswer:
    """The expert's judgement on one basic requirement."""

    code: str
    met: bool
    note: str = ""


@dataclass(frozen=True)
class SheetEntry:
    """The expert's mark on one indicator: exactly one of three.

    ``points`` for a manual indicator, ``value`` (the measured quantity) for an interpolated
    one, or ``abstain_reason`` to abstain (弃权) on the item. ``None`` means "not given"; an
    empty ``abstain_reason`` is an abstention without a reason, which the sheet refuses.
    """

    code: str
    points: Decimal | None = None
    value: Decimal | None = None
    abstain_reason: str | None = None

    @property
    def abstains(self) -> bool:
        return self.abstain_reason is not None


@dataclass(frozen=True)
class SheetProblem:
    """What is wrong with one row of a sheet: the row's code and a message for the expert."""

    code: str
    message: str


class ScoringError(ValueError):
    """A sheet or a set of totals that cannot be scored; ``problems`` lists why, row by row."""

    def __init__(self, message: str, problems: Sequence[SheetProblem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    @classmethod
    def from_problems(cls, problems: Sequence[SheetProblem]) -> ScoringError:
        return cls("评分表有误：" + "；".join(problem.message for problem in problems), problems)


@dataclass(frozen=True)
class SheetResult:
    """One expert's sheet, added up (see the module docstring for the rule).

    ``item_points`` holds every indicator the expert did not abstain on (an optional item left
    blank counts 0); ``abstained`` lists the codes abstained on. ``vetoed_by`` lists the codes of
    the unmet basic requirements, in template order.
    """

    total: Decimal
    basic_met: bool
    vetoed_by: list[str] = field(hash=False)
    group_scores: dict[str, Decimal] = field(hash=False)
    item_points: dict[str, Decimal] = field(hash=False)
    abstained: list[str] = field(default_factory=list, hash=False)


def _by_code(rows: Iterable[BasicAnswer | SheetEntry]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.code, []).append(row)
    return grouped


def validate_sheet(
    template: ScoringTemplate, answers: Iterable[BasicAnswer], entries: Iterable[SheetEntry]
) -> list[SheetProblem]:
    """Every problem of the sheet, in template order; an empty list means it can be scored.

    Every basic requirement and every required indicator needs an answer; an optional
    indicator left out counts 0 points.
    """
    return _answer_problems(template, list(answers)) + _entry_problems(template, list(entries))


def _answer_problems(template: ScoringTemplate, answers: list[BasicAnswer]) -> list[SheetProblem]:
    problems: list[SheetProblem] = []
    given = _by_code(answers)
    for requirement in template.basic_requirements:
        rows = given.get(requirement.code, [])
        if not rows:
            problem = f"缺少基本要求「{requirement.text}」的判断"
        elif len(rows) > 1:
            problem = f"基本要求「{requirement.text}」重复判断"
        elif not isinstance(rows[0].met, bool):
            problem = f"基本要求「{requirement.text}」须判断为满足或不满足"
        else:
            continue
        problems.append(SheetProblem(requirement.code, problem))
    known = {requirement.code for requirement in template.basic_requirements}
    problems.extend(
        SheetProblem(code, f"未知的基本要求代码 {code}") for code in given if code not in known
    )
    return problems


def _entry_problems(template: ScoringTemplate, entries: list[SheetEntry]) -> list[SheetProblem]:
    problems: list[SheetProblem] = []
    given = _by_code(entries)
    for group in template.groups:
        abstained_on_all_required = True
        for indicator in group.indicators:
            rows = given.get(indicator.code, [])
            if len(rows) > 1:
                problems.append(SheetProblem(indicator.code, f"指标「{indicator.name}」重复评分"))
                abstained_on_all_required &= not indicator.required
                continue
            entry = rows[0] if rows else None
            if entry is None:
                if indicator.required:
                    problems.append(
                        SheetProblem(indicator.code, f"缺少指标「{indicator.name}」的评分")
                    )
            else:
                problems.extend(
                    SheetProblem(indicator.code, message)
                    for message in _entry_messages(indicator, entry)
                )
            if indicator.required and not (entry is not None and entry.abstains):
                abstained_on_all_required = False
        if abstained_on_all_required:
            problems.append(
                SheetProblem(group.code, f"「{group.name}」的必选指标全部弃权，该组无法评分")
            )
    known = {indicator.code for indicator in template.indicators}
    problems.extend(
        SheetProblem(code, f"未知的指标代码 {code}") for code in given if code not in known
    )
    return problems


def _entry_messages(indicator: Indicator, entry: SheetEntry) -> list[str]:
    name = f"「{indicator.name}」"
    given = [entry.points is not None, entry.value is not None, entry.abstains]
    if sum(given) > 1:
        return [f"指标{name}只能填写得分、数值或弃权中的一项"]
    if not any(given):
        return [f"缺少指标{name}的评分"]
    if entry.abstains:
        reason = entry.abstain_reason
        if not isinstance(reason, str) or not reason.strip():
            return [f"{name}弃权须填写理由"]
        return []
    if indicator.is_interpolated:
        if entry.value is None:
            unit = f"（{indicator.unit}）" if indicator.unit else ""
            return [f"{name}按数值计分，应填写数值{unit}而非得分"]
        value = as_decimal(entry.value)
        if value is None:
            return [f"{name}数值无效：{entry.value!r}"]
        if value < 0:
            return [f"{name}数值 {format_decimal(value)} 不能为负"]
        return []
    if entry.points is None:
        return [f"{name}为人工评分，应填写得分而非数值"]
    points = as_decimal(entry.points)
    if points is None:
        return [f"{name}得分无效：{entry.points!r}"]
    if points < 0:
        return [f"{name}得分 {format_decimal(points)} 不能为负"]
    if points > indicator.max_points:
        return [
            f"{name}得分 {format_decimal(points)} 超过满分 {format_decimal(indicator.max_points)}"
        ]
    if points != quantize(points):
        return [f"{name}得分 {format_decimal(points)} 最多保留两位小数"]
    return []


def score_sheet(
    template: ScoringTemplate, answers: Iterable[BasicAnswer], entries: Iterable[SheetEntry]
) -> SheetResult:
    """Add up one expert's sheet; raises :class:`ScoringError` listing every problem if invalid."""
    answers, entries = list(answers), list(entries)
    if problems := validate_sheet(template, answers, entries):
        raise ScoringError.from_problems(problems)
    met = {answer.code: answer.met for answer in answers}
    vetoed_by = [req.code for req in template.basic_requirements if not met[req.code]]
    given = {entry.code: entry for entry in entries}
    item_points: dict[str, Decimal] = {}
    abstained: list[str] = []
    group_scores: dict[str, Decimal] = {}
    for group in template.groups:
        earned = possible = Decimal(0)
        for indicator in group.indicators:
            entry = given.get(indicator.code)
            if entry is not None and entry.abstains:
                abstained.append(indicator.code)
                continue
            points = _points(indicator, entry)
            item_points[indicator.code] = points
            earned += points
            if indicator.required:
                possible += indicator.max_points
        group_scores[group.code] = quantize(group.weight * min(Decimal(1), earned / possible))
    total = min(sum(group_scores.values(), Decimal(0)), template.total)
    return SheetResult(
        total=quantize(total),
        basic_met=not vetoed_by,
        vetoed_by=vetoed_by,
        group_scores=group_scores,
        item_points=item_points,
        abstained=abstained,
    )


def _points(indicator: Indicator, entry: SheetEntry | None) -> Decimal:
    if entry is None:
        return Decimal("0.00")  # an optional item left blank; validation refused a required one
    if indicator.is_interpolated:
        return indicator.points_for(entry.value)
    points = as_decimal(entry.points)
    assert points is not None  # validated
    return quantize(points)


# --- The experts together ---


@dataclass(frozen=True)
class Aggregate:
    """The experts' totals combined. ``score`` is the one judged against the line.

    ``method_used`` is the method actually applied: a trimmed mean asked of too few totals
    (no more than ``2 * trim``) falls back to the plain mean and says ``"mean"`` here;
    ``trimmed`` is how many totals were dropped at each end (0 for a plain mean). The other
    statistics describe all the totals; ``stdev`` is the population standard deviation.
    """

    score: Decimal
    count: int
    mean: Decimal
    median: Decimal
    minimum: Decimal
    maximum: Decimal
    spread: Decimal
    stdev: Decimal
    method_used: str
    trimmed: int = 0

    @property
    def score_label(self) -> str:
        """What the score is, as a decision's reason names it."""
        if self.method_used == TRIMMED_MEAN:
            return "去掉最高分和最低分后的平均得分"
        return "平均得分"


def aggregate(totals: Iterable[Any], *, method: str = MEAN, trim: int = 1) -> Aggregate:
    """Combine the experts' totals. ``method`` is ``"mean"`` or ``"trimmed_mean"``, which drops
    the ``trim`` highest and ``trim`` lowest totals when there are more than ``2 * trim``.

    Raises :class:`ScoringError` for no totals or a total that is not a number.
    """
    if method not in AGGREGATION_METHODS:
        raise ValueError(f"汇总方式应为 {' 或 '.join(AGGREGATION_METHODS)}，实际为 {method!r}")
    if isinstance(trim, bool) or not isinstance(trim, int) or trim < 0:
        raise ValueError(f"去掉的最高分、最低分个数应为非负整数，实际为 {trim!r}")
    values: list[Decimal] = []
    for total in totals:
        number = as_decimal(total)
        if number is None:
            raise ScoringError(f"专家总分无效：{total!r}")
        values.append(number)
    if not values:
        raise ScoringError("没有可汇总的专家评分")
    ordered = sorted(values)
    count = len(ordered)
    mean = _mean(ordered)
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    variance = sum(((value - mean) ** 2 for value in ordered), Decimal(0)) / count
    if method == TRIMMED_MEAN and trim > 0 and count > 2 * trim:
        score, method_used, trimmed = _mean(ordered[trim : count - trim]), TRIMMED_MEAN, trim
    else:
        score, method_used, trimmed = mean, MEAN, 0
    return Aggregate(
        score=quantize(score),
        count=count,
        mean=quantize(mean),
        median=quantize(median),
        minimum=quantize(ordered[0]),
        maximum=quantize(ordered[-1]),
        spread=quantize(ordered[-1] - ordered[0]),
        stdev=quantize(variance.sqrt()),
        method_used=method_used,
        trimmed=trimmed,
    )


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


@dataclass(frozen=True)
class Decision:
    """Pass or fail, and why in Chinese: the failing reasons when it fails, what held when not."""

    passed: bool
    reasons: list[str] = field(hash=False)


def decide(
    aggregate_score: Decimal,
    basic_met_all: bool,
    passes: Callable[[float, bool], bool],
    *,
    line: Decimal | int | None = None,
    unmet_requirements: Sequence[str] = (),
    score_label: str = "平均得分",
) -> Decision:
    """Judge the combined score with ``passes(score, basic_met_all)``, the policy's own test.

    ``passes`` alone decides; it is also asked with the basic requirements taken as met, to
    tell whether the score reached the line by itself. ``line`` only words the reason
    (``未达到 80 分（含）``); ``unmet_requirements`` names the vetoing requirements.
    """
    score = as_decimal(aggregate_score)
    if score is None:
        raise ScoringError(f"汇总得分无效：{aggregate_score!r}")
    score = quantize(score)
    passed = passes(float(score), basic_met_all is True)
    score_reached = passes(float(score), True)
    line_text = f" {format_decimal(Decimal(line))} 分（含）" if line is not None else "分数线"
    verb = "达到" if score_reached else "未达到"
    score_reason = f"{score_label} {score} 分，{verb}{line_text}"
    if passed:
        return Decision(passed=True, reasons=["基本要求全部满足", score_reason])
    reasons: list[str] = []
    if basic_met_all is not True:
        if unmet_requirements:
            reasons.extend(f"基本要求「{name}」未满足，一票否决" for name in unmet_requirements)
        else:
            reasons.append("基本要求未全部满足，一票否决")
    if not score_reached:
        reasons.append(score_reason)
    return Decision(passed=False, reasons=reasons or [f"{score_reason}，但未通过评审判定"])


def decide_for_policy(
    policy: str,
    aggregate: Aggregate,
    basic_met_all: bool,
    *,
    unmet_requirements: Sequence[str] = (),
) -> Decision:
    """:func:`decide` with the policy's line: ``meets_threshold(policy, score, basic_met_all)``.

    ``unmet_requirements`` are the texts of the vetoing requirements, e.g. from
    ``[template.label(code) for code in result.vetoed_by]``. An unknown policy raises
    ``greenmfg.rules.UnknownPolicy``.
    """
    line = threshold_finding(policy, aggregate.score, basic_met_all).values["threshold"]
    return decide(
        aggregate.score,
        basic_met_all,
        lambda score, met: meets_threshold(policy, score, met),
        line=line,
        unmet_requirements=unmet_requirements,
        score_label=aggregate.score_label,
    )
