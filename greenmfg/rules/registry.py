"""Which policies exist, which unit types each covers, and the entry points that consult them."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from greenmfg.rules import dalian_2022_national, jinan_2024, luoyang_2024
from greenmfg.rules.base import Finding, Policy, PolicyPeriod, Rule, Verdict, format_number

# The contract's order: 绿色工厂, 绿色工业园区, 绿色供应链管理企业, 绿色设计产品.
UNIT_TYPES: dict[str, str] = {
    "factory": "绿色工厂",
    "park": "绿色工业园区",
    "supply_chain": "绿色供应链管理企业",
    "design_product": "绿色设计产品",
}

POLICIES: dict[str, Policy] = {
    module.POLICY.code: module.POLICY for module in (luoyang_2024, jinan_2024, dalian_2022_national)
}

# Which city runs which policy: a fact below every app (third-party agencies and dynamic
# management both ask it of a jurisdiction path).
CITY_POLICIES = {
    "410300": "luoyang-2024",  # 洛阳
    "370100": "jinan-2024",  # 济南
    "210200": "dalian-2022-national",  # 大连
}


def policy_of_path(path: str) -> str:
    """The policy of the city on a jurisdiction path ("" when none is known)."""
    for key in path.strip("/").split("/"):
        if key in CITY_POLICIES:
            return CITY_POLICIES[key]
    return ""


class UnknownPolicy(ValueError):
    def __init__(self, policy: str) -> None:
        self.policy = policy
        known = ", ".join(sorted(POLICIES))
        super().__init__(
            f"未知的政策：{policy!r}（可用：{known}）。Unknown policy {policy!r}; known: {known}."
        )


class UnsupportedUnitType(ValueError):
    def __init__(self, policy: str, unit_type: str, covered: list[str]) -> None:
        self.policy = policy
        self.unit_type = unit_type
        covered_text = ", ".join(covered)
        if unit_type in UNIT_TYPES:
            chinese = f"政策 {policy} 不涵盖{UNIT_TYPES[unit_type]}（{unit_type}）"
        else:
            chinese = f"未知的单位类型：{unit_type!r}"
        super().__init__(
            f"{chinese}，该政策涵盖：{covered_text}。"
            f"Policy {policy!r} does not cover unit type {unit_type!r}; it covers: {covered_text}."
        )


def get_policy(policy: str) -> Policy:
    try:
        return POLICIES[policy]
    except (KeyError, TypeError):
        raise UnknownPolicy(policy) from None


def policies() -> list[str]:
    return sorted(POLICIES)


def unit_types(policy: str) -> list[str]:
    rules = get_policy(policy).rules
    return [unit_type for unit_type in UNIT_TYPES if unit_type in rules]


def policy_rules(policy: str, unit_type: str) -> tuple[Rule, ...]:
    """The rules ``policy`` sets for ``unit_type``; raises as the contract says for either."""
    rules = get_policy(policy).rules
    if unit_type not in rules:
        raise UnsupportedUnitType(policy, unit_type, unit_types(policy))
    return rules[unit_type]


def evaluate(policy: str, unit_type: str, facts: Mapping[str, Any] | None) -> Verdict:
    """Check every condition ``policy`` sets for ``unit_type`` against ``facts``.

    Unknown fact keys are ignored; a missing or unusable fact fails its own finding, never raises.
    """
    rules = policy_rules(policy, unit_type)
    if facts is None:
        facts = {}
    if not isinstance(facts, Mapping):
        raise TypeError(f"facts must be a mapping of fact key to value, not {type(facts).__name__}")
    findings = [_with_policy(rule(facts), policy) for rule in rules]
    return Verdict.from_findings(findings, policy=policy, unit_type=unit_type)


def _with_policy(finding: Finding, policy: str) -> Finding:
    # Rules are shared between policies, so the policy is stamped here rather than in each row.
    return replace(finding, policy=policy)


def _valid_score(score: Any) -> bool:
    return (
        isinstance(score, numbers.Real | Decimal)
        and not isinstance(score, bool)
        and math.isfinite(score)
    )


def meets_threshold(
    policy: str, score: float | Decimal | None, basic_requirements_met: bool
) -> bool:
    """True when every basic requirement is met and ``score`` reaches the policy's line (inclusive).

    洛阳 第十四条 80分（含）以上; 济南 第十一条 80分以上 (以上 includes 80). 大连: the notice sets
    no line of its own, so the national evaluation's 80 applies (``Policy.threshold`` is where a
    different line would go). A missing score (None) reaches no line.
    """
    line = get_policy(policy).threshold
    return basic_requirements_met is True and _valid_score(score) and score >= line


def threshold_finding(
    policy: str, score: float | Decimal | None, basic_requirements_met: bool
) -> Finding:
    """``meets_threshold`` as a finding that cites the article and says which line was used."""
    document = get_policy(policy)
    passed = meets_threshold(policy, score, basic_requirements_met)
    score_text = f"{format_number(score)} 分" if _valid_score(score) else "无有效得分"
    verb = "达到" if _valid_score(score) and score >= document.threshold else "未达到"
    message = (
        f"综合得分 {score_text}，{verb} {document.threshold} 分（{document.threshold_wording}）"
    )
    if basic_requirements_met is not True:
        message = f"基本要求未全部满足；{message}"
    return Finding(
        code="score.threshold",
        article=document.threshold_article,
        passed=passed,
        message=message,
        policy=policy,
        values={
            "score": score,
            "threshold": document.threshold,
            "basic_requirements_met": basic_requirements_met is True,
        },
    )


LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "county": "县（区）级"}


def promotion_verdict(
    policy: str, unit_type: str, target_level: str, listed_levels: set[str] | frozenset[str]
) -> Verdict:
    """May a unit be recommended to ``target_level``, given the levels whose lists it is on?

    The policy is the recommending authority's own (the document it works under): 洛阳
    第二十二条 asks a city list before a provincial recommendation of a green factory; 济南
    第十二条 asks, 原则上, a city list before provincial and a provincial list before national;
    the 大连 notice sets no such condition. No condition gives an empty, eligible verdict.
    """
    document = get_policy(policy)
    if target_level not in LEVEL_NAMES:
        raise ValueError(f"未知的名单层级：{target_level}")
    findings = []
    for prerequisite in document.prerequisites:
        if prerequisite.target != target_level or unit_type not in prerequisite.unit_types:
            continue
        passed = prerequisite.required in listed_levels
        required = LEVEL_NAMES[prerequisite.required]
        unit = UNIT_TYPES.get(unit_type, unit_type)
        message = (
            f"已列入{required}{unit}名单"
            if passed
            else f"未列入{required}{unit}名单：{prerequisite.wording}"
        )
        findings.append(
            Finding(
                code=f"promotion.{target_level}.requires_{prerequisite.required}",
                article=prerequisite.article,
                passed=passed,
                message=message,
                policy=policy,
                in_principle=prerequisite.in_principle,
                values={"target": target_level, "listed_levels": sorted(listed_levels)},
            )
        )
    return Verdict.from_findings(findings, policy=policy, unit_type=unit_type)


# --- 有效期 ---


def policy_period(policy: str) -> PolicyPeriod:
    """The days ``policy`` governs (洛阳 第二十六条, 济南 第二十六条, 大连: its 2022 round)."""
    period = get_policy(policy).period
    if period is None:  # every document states one; a new module must declare its own
        raise ValueError(f"政策 {policy} 未声明有效期。Policy {policy!r} declares no period.")
    return period


def policy_in_force(policy: str, day: date) -> bool:
    """Whether ``policy`` is in force on ``day`` (both ends of its period included)."""
    return policy_period(policy).covers(day)


def batch_period_finding(
    policy: str, *, year: int, deadline: date, action: str = "创建"
) -> Finding:
    """May a batch of ``year`` whose applications are due on ``deadline`` run under ``policy``?

    A document governs the days it is in force, and a batch is run on the days it takes
    applications, up to its 网上申报截止时间: those are the days the applications are judged
    under the document. So the deadline must fall in the period; the start need not be checked
    separately, since a batch only opens while its deadline is ahead. The year is checked too,
    so no batch is labelled with a year the document does not reach (济南 ends in July 2027: no
    2028 batch) or, for a notice of one round (大连), any year but that round's. The day the
    batch is drafted does not matter: a past round may be recorded afterwards as a draft.
    ``action`` words the refusal: 创建, or 组织 when an edit changes the policy, year or date.
    """
    document = get_policy(policy)
    period = policy_period(policy)
    citation = period.citation
    stated = f"《{document.title}》{period.statement}"
    span = f"{period.valid_from.isoformat()} 至 {period.valid_until.isoformat()}"
    values = {
        "year": year,
        "deadline": deadline.isoformat(),
        "valid_from": period.valid_from.isoformat(),
        "valid_until": period.valid_until.isoformat(),
    }
    if not period.covers_year(year):
        message = f"{stated}，不能据此{action}{year}年度批次。"
        passed = False
    elif not period.covers(deadline):
        message = (
            f"{stated}，网上申报截止时间 {deadline.isoformat()} 不在有效期（{span}）内，"
            f"不能据此{action}批次。"
        )
        passed = False
    else:
        message = (
            f"{year}年度批次，网上申报截止时间 {deadline.isoformat()}，"
            f"在《{document.title}》有效期（{span}）内（{citation}）"
        )
        passed = True
    return Finding(
        code="policy.period",
        article=period.article,
        passed=passed,
        message=message,
        policy=policy,
        values=values,
    )
