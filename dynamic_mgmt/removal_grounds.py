"""The grounds on which a listed unit is removed, per policy, with the article each comes from.

Pure Python. 洛阳 第十八条 removes for (一) the 第十五条 conditions, (二) refusing to file the
dynamic-management table on time *and* not cooperating with the on-site check, (三) fraud, (四) a
major accident or a level II or higher environmental event. 济南 第十九条 removes for 1–8, among
them 7 refusing to file the table on time (alone), and 第十八条 for accidents found by the
county. The 大连 notice (三) asks for a 动态调整意见 when a key indicator no longer meets the
evaluation's requirements. The differences on late tables and on key indicators are the
documents', kept here as data (:data:`INDICATOR_GROUNDS`), not as branches in the services.

A ground of one policy names only that policy's own articles: never another city's document.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ground:
    code: str
    article: str
    wording: str


GROUNDS: dict[str, dict[str, Ground]] = {
    "luoyang-2024": {
        g.code: g
        for g in (
            Ground("negative_list", "第十八条(一)", "存在第十五条所列情况"),
            Ground(
                "late_table_and_onsite_refused",
                "第十八条(二)",
                "拒不按时填报动态管理表且不配合现场复核",
            ),
            Ground("fraud", "第十八条(三)", "所提交材料或数据存在造假等问题"),
            Ground(
                "incident",
                "第十八条(四)",
                "发生重大及以上生产安全和质量事故、II级（重大）及以上突发环境污染事件",
            ),
        )
    },
    "jinan-2024": {
        g.code: g
        for g in (
            Ground("not_operating", "第十九条第1项", "未正常经营生产"),
            Ground("removed_elsewhere", "第十九条第2项", "被动态调整出绿色制造名单"),
            Ground(
                "negative_list", "第十九条第3项", "发生安全、质量、环境污染等事故或违法违规行为"
            ),
            Ground("inspection", "第十九条第4项", "在督查工作中被发现存在严重问题"),
            Ground(
                "energy_supervision",
                "第十九条第5项",
                "被列入工业节能监察整改名单且未按要求完成整改",
            ),
            Ground("dishonest", "第十九条第6项", "被列为失信被执行人"),
            Ground("late_table", "第十九条第7项", "拒不按时填报动态管理表"),
            Ground("fraud", "第十九条第8项", "所提交材料或数据存在造假等问题"),
            Ground(
                "incident",
                "第十八条",
                "发生重大及以上生产安全和质量事故、Ⅱ级（重大）及以上突发环境污染事件",
            ),
            Ground("re_review_failed", "第十五条", "三年期满复审未通过"),
        )
    },
    "dalian-2022-national": {
        g.code: g
        for g in (
            Ground("negative_list", "一", "近三年存在不得申报的情形"),
            Ground("incident", "三", "发生安全、质量、环境污染等事故以及偷漏税等"),
        )
    },
}

# A key indicator of the annual table that no longer meets its requirement (its limit or the
# reference value the unit was listed on), per policy; a policy missing here raises no proposal
# for it. Only non-compliance counts: a worsening within the requirement is a warning
# (dynamic_mgmt.indicators.worsenings), which none of the documents makes a ground.
#
# - 洛阳: the table reports the key indicators (第十六条); a listed unit that no longer meets them
#   is removed under 第十八条(一), read (issue 14) as failing the conditions of listing that
#   第十五条 names. Reading note: 第十五条's six items name no indicator limit; the nearest
#   requirement in the text is 第七条(二) (能效标杆水平 / 能源消耗限额标准先进值). Kept as one
#   line of data so the city can settle the citation here.
# - 济南: no indicator ground. 第十九条 removes, "在发布年度名单时", for items 1–8, and none of them
#   is a key indicator missing its requirement: 第2项 is having been 动态调整出 a list (the
#   outcome of a decision elsewhere, which the credit sweep reads), 第5项 is the 工业节能监察整改
#   名单, 第7项 a table not filed, 第8项 false data. The document judges 主要绿色制造指标变化情况
#   at the three-year re-review (第十五条) and after a major change (第十六条), which the
#   re-review and change services handle; the sweep raises nothing under it.
# - 大连: 三 — 对于绿色制造水平关键指标不符合绿色制造评价要求的，提出动态调整意见.
INDICATOR_GROUNDS: dict[str, Ground] = {
    "luoyang-2024": Ground(
        "indicator",
        "第十八条(一)",
        "动态管理表（第十六条）上报的绿色制造关键指标不再符合评价要求，按第十五条所列情况移出",
    ),
    "dalian-2022-national": Ground(
        "indicator", "三", "绿色制造水平关键指标不符合绿色制造评价要求，提出动态调整意见"
    ),
}
# One table of grounds per policy: the indicator ground is looked up like the others.
for _code, _indicator in INDICATOR_GROUNDS.items():
    GROUNDS[_code][_indicator.code] = _indicator
del _code, _indicator


# Removed from another, lower list of the same unit (issue 14.12): each higher list the unit is
# still on gets a proposal under the higher list's own policy, for its authority to decide.
# - 洛阳: 第十八条(一) removes for the 第十五条 conditions, among them (三) 被动态调整出名单单位的.
# - 济南: 第十九条第2项 被动态调整出绿色制造名单的 (already a ground above, also read by the credit
#   sweep for a removal recorded in the credit data).
# - 大连: the notice's negative list under 一 (近三年…被动态调整出绿色制造名单的), the same
#   article as its ``negative_list`` ground.
REMOVED_BELOW_GROUNDS: dict[str, Ground] = {
    "luoyang-2024": Ground(
        "removed_elsewhere", "第十八条(一)", "存在第十五条(三)所列情况：被动态调整出名单单位"
    ),
    "jinan-2024": GROUNDS["jinan-2024"]["removed_elsewhere"],
    "dalian-2022-national": Ground(
        "removed_elsewhere", "一", "近三年被动态调整出绿色制造名单，不得列入绿色制造名单"
    ),
}
for _code, _removed in REMOVED_BELOW_GROUNDS.items():
    GROUNDS[_code].setdefault(_removed.code, _removed)
del _code, _removed


# A reported change after which the unit no longer meets the standard (洛阳 第十九条: 变更后不再
# 符合相关标准的; 济南 第十六条: 再评价不再符合标准要求的按程序移出).
CHANGE_GROUNDS = {
    "luoyang-2024": Ground("change", "第十九条", "名称或组织边界等变更后不再符合相关标准"),
    "jinan-2024": Ground("change", "第十六条", "重大变更后再评价不再符合标准要求"),
}


def ground(policy: str, code: str) -> Ground | None:
    if code == "change":
        return CHANGE_GROUNDS.get(policy)
    return GROUNDS.get(policy, {}).get(code)


def late_table_ground(policy: str, *, onsite_refused: bool) -> Ground | None:
    """What a late table alone is under the policy: a ground in 济南 (第十九条第7项); in 洛阳 only
    together with a refused on-site check (第十八条(二)); not one in the 大连 notice."""
    if policy == "jinan-2024":
        return GROUNDS[policy]["late_table"]
    if policy == "luoyang-2024" and onsite_refused:
        return GROUNDS[policy]["late_table_and_onsite_refused"]
    return None


def indicator_ground(policy: str) -> Ground | None:
    """The policy's ground for a key indicator that no longer meets its requirement, or None
    where the policy provides none (济南, see :data:`INDICATOR_GROUNDS`)."""
    return INDICATOR_GROUNDS.get(policy)


def removed_below_ground(policy: str) -> Ground | None:
    """The policy's ground for a unit removed from a lower list (see
    :data:`REMOVED_BELOW_GROUNDS`), or None for a policy that names none."""
    return REMOVED_BELOW_GROUNDS.get(policy)
