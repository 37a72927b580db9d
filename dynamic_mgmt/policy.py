"""Which policy governs a listed unit's dynamic management.

A listing made from a batch follows the batch's policy. A listing entered without one (last
years' lists typed in from the published documents) follows the policy of its city: the
authority's city where the authority is a city or county bureau, otherwise the unit's own city
(a provincial or national list's unit is managed by its city, 洛阳 第十六条, 济南 第十四条).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from greenmfg.rules.registry import policy_of_path


def listing_policy(listing) -> str:
    """The policy code of ``listing`` ("" when neither its batch nor its city names one)."""
    if listing.batch_id:
        return listing.batch.policy
    return policy_of_path(listing.authority.jurisdiction.path) or policy_of_path(
        listing.jurisdiction.path
    )


# --- 变更: which article governs each kind of change, and how soon it is reported -------------


@dataclass(frozen=True)
class ChangeRule:
    """How a policy wants one kind of change reported.

    ``months`` / ``working_days`` count the period from the day the formalities were completed;
    neither means the document sets no number (``timely`` says it asks for 及时). ``re_evaluation``
    is 济南 第十六条: the unit applies for re-evaluation with a revised evaluation report."""

    article: str
    basis: str
    months: int = 0
    working_days: int = 0
    timely: bool = False
    re_evaluation: bool = False

    @property
    def counted(self) -> bool:
        return bool(self.months or self.working_days)


LUOYANG_CHANGE = ChangeRule(
    "第十九条", gettext_lazy("洛阳 第十九条：办理完相关手续后1个月内上报"), months=1
)
JINAN_NAME_CHANGE = ChangeRule(
    "第二十条",
    gettext_lazy("济南 第二十条：名称变更在办理完相关手续后30个工作日内上报"),
    working_days=30,
)
JINAN_MAJOR_CHANGE = ChangeRule(
    "第十六条",
    gettext_lazy("应及时报告（济南 第十六条）"),
    timely=True,
    re_evaluation=True,
)
NO_CHANGE_RULE = ChangeRule("", gettext_lazy("未规定上报期限"))

# Keyed by ChangeReport.Kind values; "*" is every kind a policy does not name.
CHANGE_RULES: dict[str, dict[str, ChangeRule]] = {
    # 第十九条 puts a name change and a major change of scope, address or boundary in one
    # sentence with one month.
    "luoyang-2024": {"*": LUOYANG_CHANGE},
    # 第二十条 is about a name change only; a major change of scope, address or organisation
    # boundary (投资、并购、管理或其他原因) is 第十六条: 应及时申请再评价，提交修正后的评价报告.
    "jinan-2024": {"name": JINAN_NAME_CHANGE, "*": JINAN_MAJOR_CHANGE},
}


def change_rule(policy: str, kind: str) -> ChangeRule:
    """The rule ``policy`` sets for a change of ``kind`` (the 大连 notice sets none)."""
    rules = CHANGE_RULES.get(policy, {})
    return rules.get(kind) or rules.get("*") or NO_CHANGE_RULE


RE_EVALUATION_NOTE = gettext_lazy(
    "须申请再评价，提交修正后的评价报告，经区县（功能区）工业和信息化部门初审后由市工业和信息化局"
    "审查（济南 第十六条）"
)
