"""Building blocks of the rules: findings, verdicts, and the comparisons the documents use.

A policy module is a table of :class:`Rule` rows, one per condition of the document, each citing
its article. A rule reads the facts it needs and answers with one :class:`Finding`. A fact that is
missing or unusable never raises out of a rule: the rule answers with a failed finding that says
what is wrong (``缺少事实：工业增加值占比（industrial_value_added_share）``).

Pure Python on purpose: no Django, no database. The application, review and dynamic-management
code turn what they know into facts; this package only judges them.
"""

from __future__ import annotations

import itertools
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from greenmfg.rules.fact_keys import label

Facts = Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    """One condition of one policy document, checked against the facts.

    ``code``, ``article``, ``passed`` and ``message`` are the public contract. The other fields
    are extensions: the document's item within the article (``clause``); whether the document
    states the condition 原则上 (``in_principle``: it still fails, and an official may record an
    override); whether it is only a 优先推荐 preference that never fails (``advisory``); the
    fact keys that were missing; and the compared values.
    """

    code: str
    article: str
    passed: bool
    message: str
    policy: str = ""
    clause: str = ""
    in_principle: bool = False
    advisory: bool = False
    missing_facts: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def citation(self) -> str:
        """The article and item as cited: ``第七条(一)``, ``第六条第5项``, ``一(三)``."""
        return cite(self.article, self.clause)


def cite(article: str, clause: str) -> str:
    """How the documents cite an item: 济南 numbers its items (``第六条第5项``), the others use
    parenthesised numerals that follow the article directly (``第七条(一)``, ``一(三)``)."""
    if clause.isdigit():
        return f"{article}第{clause}项"
    return f"{article}{clause}"


@dataclass(frozen=True)
class Verdict:
    """The answer for one unit under one policy: eligible exactly when no finding failed."""

    eligible: bool
    findings: list[Finding] = field(hash=False)
    policy: str = ""
    unit_type: str = ""

    def __post_init__(self) -> None:
        if self.eligible != all(finding.passed for finding in self.findings):
            raise ValueError("Verdict.eligible must be true exactly when no finding failed")

    @classmethod
    def from_findings(
        cls, findings: Iterable[Finding], *, policy: str = "", unit_type: str = ""
    ) -> Verdict:
        findings = list(findings)
        return cls(
            eligible=all(finding.passed for finding in findings),
            findings=findings,
            policy=policy,
            unit_type=unit_type,
        )

    @property
    def failed(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.passed]

    def as_dict(self) -> dict[str, Any]:
        """The verdict as plain dicts and lists, e.g. for the JSON of ``check_eligibility``."""
        return asdict(self)


# --- Reading facts ---


class FactProblem(Exception):
    """A fact a rule needs is missing or unusable. :class:`Rule` turns it into a failed finding."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing


def describe_fact(key: str) -> str:
    return f"{label(key)}（{key}）"


def missing_message(keys: Sequence[str]) -> str:
    return "缺少事实：" + "、".join(describe_fact(key) for key in keys)


def is_present(facts: Facts, key: str) -> bool:
    # JSON null means "not known", the same as leaving the key out.
    return facts.get(key) is not None


def require(facts: Facts, *keys: str) -> None:
    """Raise one :class:`FactProblem` naming every key of ``keys`` the facts lack."""
    missing = tuple(key for key in keys if not is_present(facts, key))
    if missing:
        raise FactProblem(missing_message(missing), missing)


def _invalid(key: str, value: Any, expected: str) -> FactProblem:
    return FactProblem(f"事实值无效：{describe_fact(key)} 应为{expected}，实际为 {value!r}")


def read_bool(facts: Facts, key: str) -> bool:
    require(facts, key)
    value = facts[key]
    if not isinstance(value, bool):
        raise _invalid(key, value, "是/否（true/false）")
    return value


def read_number(facts: Facts, key: str, *, percentage: bool = False) -> numbers.Real | Decimal:
    """A non-negative number (every quantity the documents compare is); 0–100 for percentages."""
    require(facts, key)
    value = facts[key]
    # bool is an int subclass; True must not pass as 1%.
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real | Decimal)
        or not math.isfinite(value)
    ):
        raise _invalid(key, value, "数值")
    if value < 0 or (percentage and value > 100):
        raise _invalid(key, value, "0 至 100 之间的百分数" if percentage else "非负数")
    return value


def read_choice(facts: Facts, key: str, choices: Mapping[str, str]) -> str:
    require(facts, key)
    value = facts[key]
    if not isinstance(value, str) or value not in choices:
        expected = "、".join(f"{code}（{name}）" for code, name in choices.items())
        raise _invalid(key, value, f"其中之一：{expected}")
    return value


def read_text(facts: Facts, key: str) -> str:
    require(facts, key)
    value = facts[key]
    if not isinstance(value, str) or not value.strip():
        raise _invalid(key, value, "非空文本")
    return value.strip()


def format_number(value: Any) -> str:
    """``50.0`` → ``50``, ``50.01`` → ``50.01``, ``Decimal("45.50")`` → ``45.5``."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Rules ---


class Outcome(NamedTuple):
    """What a rule's check decided, before the rule adds its citation."""

    passed: bool
    message: str
    values: Mapping[str, Any] = {}


Check = Callable[[Facts], Outcome]


# A fact that only needs asking once another fact has a given value: (that key, that value).
Condition = tuple[str, bool]


@dataclass(frozen=True)
class Rule:
    """One row of a policy's table: a condition, where the document states it, and its check.

    ``reads`` declares the fact keys the outcome can depend on, so the portal's form
    (:func:`greenmfg.rules.fact_schema`) asks for exactly what the rules judge. The helper
    constructors below fill it in; a hand-written check must declare it. A key consulted only to
    word a message (not to decide) is not declared. ``required_when`` maps a key of ``reads``
    that the check consults only in one case to that case, e.g. ``chemical_park_recognised`` to
    ``("is_chemical_park", True)``. ``alternatives`` lists groups of keys of ``reads`` where any
    one given is enough (济南's 能耗限额 or, failing a standard, the industry average).
    """

    code: str
    article: str
    check: Check
    clause: str = ""
    in_principle: bool = False
    advisory: bool = False
    reads: tuple[str, ...] = ()
    required_when: Mapping[str, Condition] = field(default_factory=dict, hash=False)
    alternatives: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        # A condition or alternative on an undeclared key would put a fact on the form that the
        # form does not know how to ask for; catch the slip where the rule is written.
        declared = set(self.reads)
        conditional = set(self.required_when) | {key for key, _ in self.required_when.values()}
        grouped = {key for group in self.alternatives for key in group}
        if undeclared := (conditional | grouped) - declared:
            raise ValueError(f"rule {self.code}: keys not in reads: {sorted(undeclared)}")

    @property
    def citation(self) -> str:
        return cite(self.article, self.clause)

    def __call__(self, facts: Facts) -> Finding:
        try:
            outcome = self.check(facts)
        except FactProblem as problem:
            message = problem.message
            if self.advisory:
                message += "（优先条件，不影响资格）"
            return self._finding(
                passed=self.advisory, message=message, missing=problem.missing, values={}
            )
        if self.advisory:
            return self._finding(
                passed=True,
                message=f"{outcome.message}（优先条件，不影响资格）",
                missing=(),
                values={**outcome.values, "preferred": outcome.passed},
            )
        return self._finding(
            passed=outcome.passed, message=outcome.message, missing=(), values=outcome.values
        )

    def _finding(
        self, *, passed: bool, message: str, missing: tuple[str, ...], values: Mapping[str, Any]
    ) -> Finding:
        return Finding(
            code=self.code,
            article=self.article,
            passed=passed,
            message=message,
            clause=self.clause,
            in_principle=self.in_principle,
            advisory=self.advisory,
            missing_facts=missing,
            values=dict(values),
        )


def must_be_true(
    code: str, key: str, *, article: str, clause: str = "", in_principle: bool = False
) -> Rule:
    """A boolean fact the document requires to hold, e.g. 具有独立法人资格."""

    def check(facts: Facts) -> Outcome:
        value = read_bool(facts, key)
        message = f"{label(key)}：是" if value else f"{label(key)}：否，要求为是"
        return Outcome(value, message, {key: value})

    return Rule(code, article, check, clause=clause, in_principle=in_principle, reads=(key,))


def must_be_false(
    code: str, key: str, *, article: str, clause: str = "", in_principle: bool = False
) -> Rule:
    """A boolean fact the document forbids, e.g. 近三年被动态调整出绿色制造名单."""

    def check(facts: Facts) -> Outcome:
        value = read_bool(facts, key)
        message = f"{label(key)}：是，要求为否" if value else f"{label(key)}：否"
        return Outcome(not value, message, {key: value})

    return Rule(code, article, check, clause=clause, in_principle=in_principle, reads=(key,))


def any_true(
    code: str,
    keys: Sequence[str],
    *,
    article: str,
    clause: str = "",
    in_principle: bool = False,
) -> Rule:
    """Any one of several boolean facts satisfies the document, e.g. a product standard from the
    MIIT list or a provincial one. Facts after the first true one are not needed."""

    def check(facts: Facts) -> Outcome:
        missing: list[str] = []
        values: dict[str, bool] = {}
        for key in keys:
            if not is_present(facts, key):
                missing.append(key)
                continue
            values[key] = read_bool(facts, key)
            if values[key]:
                return Outcome(True, f"{label(key)}：是", values)
        if missing:
            raise FactProblem(missing_message(missing), tuple(missing))
        return Outcome(False, "以下均不满足：" + "；".join(label(key) for key in keys), values)

    # Asked in order: each later key only matters once the one before it is false.
    return Rule(
        code,
        article,
        check,
        clause=clause,
        in_principle=in_principle,
        reads=tuple(keys),
        required_when={later: (earlier, False) for earlier, later in itertools.pairwise(keys)},
    )


class Comparison(NamedTuple):
    """A comparison as a document words it, when it holds and when it does not."""

    holds: Callable[[Any, Any], bool]
    verb: str
    negated: str


GREATER_THAN = Comparison(operator.gt, "超过", "未超过")  # 工业增加值占比超过50%
HIGHER_THAN = Comparison(operator.gt, "高于", "未高于")  # 废水处理回用率高于行业平均值
NOT_LOWER_THAN = Comparison(operator.ge, "不低于", "低于")
NOT_FEWER_THAN = Comparison(operator.ge, "不少于", "少于")  # 2名以上
NOT_HIGHER_THAN = Comparison(operator.le, "不高于", "高于")

PERCENT = "%"


def compare(
    code: str,
    key: str,
    comparison: Comparison,
    *,
    article: str,
    clause: str = "",
    in_principle: bool = False,
    limit: float | None = None,
    limit_key: str | None = None,
    limit_label: str | None = None,
    unit: str = "",
) -> Rule:
    """A number fact against a fixed ``limit`` or against another fact ``limit_key``.

    The message shows both numbers: ``工业增加值占比 62% 超过 50%``,
    ``废水处理回用率 60% 未高于行业平均值 60%`` (``limit_label`` names the other fact).
    """
    if (limit is None) == (limit_key is None):
        raise ValueError("give exactly one of limit or limit_key")
    percentage = unit == PERCENT

    def check(facts: Facts) -> Outcome:
        if limit_key is None:
            value, bound, bound_label = read_number(facts, key, percentage=percentage), limit, ""
        else:
            require(facts, key, limit_key)
            value = read_number(facts, key, percentage=percentage)
            bound = read_number(facts, limit_key, percentage=percentage)
            bound_label = label(limit_key) if limit_label is None else limit_label
        passed = comparison.holds(value, bound)
        verb = comparison.verb if passed else comparison.negated
        message = (
            f"{label(key)} {format_number(value)}{unit} {verb}{bound_label} "
            f"{format_number(bound)}{unit}"
        )
        return Outcome(passed, message, {key: value, limit_key or "limit": bound})

    reads = (key,) if limit_key is None else (key, limit_key)
    return Rule(code, article, check, clause=clause, in_principle=in_principle, reads=reads)


def greater_than(code: str, key: str, **options: Any) -> Rule:
    """Strictly greater: 工业增加值占比超过50%. Options as for :func:`compare`."""
    return compare(code, key, GREATER_THAN, **options)


def not_lower_than(code: str, key: str, **options: Any) -> Rule:
    """Greater or equal: 不低于45%, 不低于行业平均水平. Options as for :func:`compare`."""
    return compare(code, key, NOT_LOWER_THAN, **options)


def not_higher_than(code: str, key: str, **options: Any) -> Rule:
    """Less or equal: 不高于行业平均水平. Options as for :func:`compare`."""
    return compare(code, key, NOT_HIGHER_THAN, **options)


@dataclass(frozen=True)
class Prerequisite:
    """推荐前置条件: to be recommended to ``target`` level, a unit of these types must already be
    on the ``required`` level's list (e.g. 洛阳 第二十二条: 市级绿色工厂 before 省级)."""

    target: str
    required: str
    unit_types: frozenset[str]
    article: str
    wording: str
    in_principle: bool = False


@dataclass(frozen=True)
class PolicyPeriod:
    """有效期: the days a policy document governs, both ends inclusive, and where it says so.

    ``wording`` is how the portal states the period (the document's own words, with the reading
    we took where the text is incomplete). ``round_year`` is set for a notice that governs one
    year's round only (大连: 2022年度): a batch of any other year is outside it.
    """

    valid_from: date
    valid_until: date
    article: str
    wording: str
    round_year: int | None = None

    def __post_init__(self) -> None:
        if self.valid_until < self.valid_from:
            raise ValueError("PolicyPeriod.valid_until must not be before valid_from")

    @property
    def citation(self) -> str:
        """``第二十六条``; a notice numbered by sections (大连) cites ``通知一``."""
        return self.article if self.article.startswith("第") else f"通知{self.article}"

    @property
    def statement(self) -> str:
        """The period as the portal shows it: the wording and its citation."""
        return f"{self.wording}（{self.citation}）"

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until

    def covers_year(self, year: int) -> bool:
        """A batch year the period can run: the round's own year, or a year it overlaps."""
        if self.round_year is not None:
            return year == self.round_year
        return self.valid_from.year <= year <= self.valid_until.year


@dataclass(frozen=True)
class Policy:
    """One policy document: its conditions per unit type, its score line and its 有效期."""

    code: str
    title: str
    document: str
    rules: Mapping[str, tuple[Rule, ...]]
    threshold: int
    threshold_article: str
    threshold_wording: str
    prerequisites: tuple[Prerequisite, ...] = ()
    period: PolicyPeriod | None = None
