"""The 近三年 negative list the three documents share, parametrised by how each words it.

All three bar a unit that, in the last three years:
- did not operate normally (工商注销, 连续停产12个月以上, 列入经营异常名单／严重违法失信名单
  且未被移出);
- had a safety (including cyber and data security), quality or environmental-pollution
  accident, or evaded tax;
- was 动态调整出 a green manufacturing list;
- had a serious problem found in an inspection (督查);
- is on the 工业节能监察整改名单 without completing rectification;
- or is a 失信被执行人.

Two readings of 近三年, kept apart as the documents write them:

- 经营异常名单、严重违法失信名单 count only 「且未被移出」 (洛阳 第十五条(一), 济南 第六条5 and
  第八条5): a unit removed from them is not barred, however recent the listing.
- 失信被执行人 carries no such proviso (洛阳 第十五条(六) 「企业被列为失信被执行人」, 济南
  「被列为失信被执行人」, 大连 「失信被执行人等」, each under 近三年): a unit listed at any time in
  the last three years is barred even after removal (the contract's ``dishonest_judgment_debtor``).
  The findings say which reading applied, so a removed unit sees why it is still caught.

Where they differ:

- Inspection problems. 洛阳 第十五条(四) and 大连 一 bar any serious problem found
  "在国务院及有关部委（部门）相关督查工作中", rectified or not. 济南 第六条5 (factories) bars
  it only "且未按要求完成整改", so a rectified problem is forgiven; 济南 第八条5 (supply
  chains) and 第七条3 (parks) have no such proviso and bar it outright.
- 严重违法失信名单. 济南 names it. 洛阳 第十五条(一) names only 经营异常名单 and ends its
  examples with "等"; 大连 only says "未正常经营生产的". Both also bar 违法违规行为 judged
  by the 国家企业信用信息公示系统, where that list is published, so all three check it.
- 大连 gives no examples of 未正常经营生产; the other two documents' examples (the national
  wording) are used.
- 济南 parks have their own list (第七条3, see ``jinan_2024``); only the inspection and
  removal rows are shared from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from greenmfg.rules.base import (
    FactProblem,
    Facts,
    Outcome,
    Rule,
    format_number,
    must_be_false,
    read_bool,
    read_number,
)
from greenmfg.rules.fact_keys import label

HALT_MONTHS_LIMIT = 12  # 连续停产12个月以上: 以上 includes the number itself

# The groups of the list, in the order all three documents give them.
NOT_OPERATING = "not_operating"
VIOLATION = "violation"
REMOVED = "removed"
INSPECTION = "inspection"
ENERGY_SUPERVISION = "energy_supervision"
DISHONEST_DEBTOR = "dishonest_debtor"
GROUPS = (NOT_OPERATING, VIOLATION, REMOVED, INSPECTION, ENERGY_SUPERVISION, DISHONEST_DEBTOR)


@dataclass(frozen=True)
class NegativeListWording:
    """Where one document states its negative list and how it treats a rectified inspection problem.

    ``clauses`` maps each group to the document's item label; a document that numbers the list as
    one item gives the same label to every group.
    """

    article: str
    clauses: Mapping[str, str]
    inspection_forgiven_if_rectified: bool

    @classmethod
    def single_item(
        cls, article: str, clause: str, *, inspection_forgiven_if_rectified: bool
    ) -> NegativeListWording:
        return cls(
            article=article,
            clauses=dict.fromkeys(GROUPS, clause),
            inspection_forgiven_if_rectified=inspection_forgiven_if_rectified,
        )


def months_halted_rule(*, article: str, clause: str) -> Rule:
    def check(facts: Facts) -> Outcome:
        key = "months_halted_consecutive"
        months = read_number(facts, key)
        passed = months < HALT_MONTHS_LIMIT
        verb = "未达" if passed else "达到"
        message = (
            f"{label(key)} {format_number(months)} 个月，"
            f"{verb}连续停产 {HALT_MONTHS_LIMIT} 个月以上"
        )
        return Outcome(passed, message, {key: months, "limit": HALT_MONTHS_LIMIT})

    return Rule(
        "negative.months_halted_consecutive",
        article,
        check,
        clause=clause,
        reads=("months_halted_consecutive",),
    )


def inspection_rule(*, article: str, clause: str, forgiven_if_rectified: bool) -> Rule:
    """督查中被发现存在严重问题: barred outright, or only when not rectified as required."""

    def check(facts: Facts) -> Outcome:
        problem = label("inspection_serious_problem")
        if not read_bool(facts, "inspection_serious_problem"):
            return Outcome(True, f"{problem}：否", {"serious": False})
        if not forgiven_if_rectified:
            message = f"{problem}：是，要求为否"
            if facts.get("inspection_problem_rectified") is True:
                message += "（本条不因已整改而免除）"
            return Outcome(False, message, {"serious": True})
        try:
            rectified = read_bool(facts, "inspection_problem_rectified")
        except FactProblem as missing:
            raise FactProblem(f"{problem}：是；{missing.message}", missing.missing) from None
        outcome = "但已按要求完成整改" if rectified else "且未按要求完成整改"
        return Outcome(
            rectified, f"{problem}：是，{outcome}", {"serious": True, "rectified": rectified}
        )

    if not forgiven_if_rectified:
        # The rectification only words the message here; the form need not ask for it.
        return Rule(
            "negative.inspection_serious_problem",
            article,
            check,
            clause=clause,
            reads=("inspection_serious_problem",),
        )
    return Rule(
        "negative.inspection_serious_problem",
        article,
        check,
        clause=clause,
        reads=("inspection_serious_problem", "inspection_problem_rectified"),
        required_when={"inspection_problem_rectified": ("inspection_serious_problem", True)},
    )


# Not 「且未被移出」: the wording says a removal does not lift it.
DISHONEST_DEBTOR_WORDING = "近三年曾被列为失信被执行人"


def dishonest_debtor_rule(*, article: str, clause: str) -> Rule:
    """失信被执行人 within 近三年: a listing in the three years counts even once removed."""

    def check(facts: Facts) -> Outcome:
        key = "dishonest_judgment_debtor"
        listed = read_bool(facts, key)
        if listed:
            message = f"{DISHONEST_DEBTOR_WORDING}：是，要求为否（含已移出：移出名单不免除本项）"
        else:
            message = f"{DISHONEST_DEBTOR_WORDING}：否（含已移出的列入记录）"
        return Outcome(not listed, message, {key: listed})

    return Rule(
        "negative.dishonest_judgment_debtor",
        article,
        check,
        clause=clause,
        reads=("dishonest_judgment_debtor",),
    )


def removed_from_list_rule(*, article: str, clause: str) -> Rule:
    return must_be_false(
        "negative.removed_from_list", "removed_from_list", article=article, clause=clause
    )


def rules(wording: NegativeListWording) -> tuple[Rule, ...]:
    """Every row of the negative list as ``wording`` states it."""
    article = wording.article

    def barred(key: str, group: str) -> Rule:
        return must_be_false(f"negative.{key}", key, article=article, clause=wording.clauses[group])

    return (
        barred("deregistered", NOT_OPERATING),
        months_halted_rule(article=article, clause=wording.clauses[NOT_OPERATING]),
        barred("on_abnormal_operations_list", NOT_OPERATING),
        barred("on_serious_illegal_dishonest_list", NOT_OPERATING),
        barred("accident_safety", VIOLATION),
        barred("accident_cyber_or_data_security", VIOLATION),
        barred("accident_quality", VIOLATION),
        barred("accident_environment", VIOLATION),
        barred("tax_violation", VIOLATION),
        removed_from_list_rule(article=article, clause=wording.clauses[REMOVED]),
        inspection_rule(
            article=article,
            clause=wording.clauses[INSPECTION],
            forgiven_if_rectified=wording.inspection_forgiven_if_rectified,
        ),
        barred("energy_supervision_unrectified", ENERGY_SUPERVISION),
        dishonest_debtor_rule(article=article, clause=wording.clauses[DISHONEST_DEBTOR]),
    )
