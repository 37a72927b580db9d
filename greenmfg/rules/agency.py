"""第三方评价机构: the conditions an evaluation agency must meet, and the caps on its projects.

Pure Python, like the rest of the engine. The agency conditions are the 大连 notice's section 二
(the only document of the three that spells them out; 济南 第十四条 refers to 基本条件 without
listing them, 洛阳 第十一条 to an annex not published with it):

- 二(一) registered in the PRC with independent legal personality, with evaluation experience;
- 二(二) a fixed office and working conditions, a sound finance system;
- 二(三) at least 10 full-time staff with an intermediate title or above doing green evaluation,
  of whom at least 5 hold a senior title in energy, environment, ecology, low carbon or
  life-cycle assessment;
- 二(四) staff abide by the law and the procedure and know the policies and standards;
- 二(五) the capability for factory, park and supply-chain evaluation, and within five years a
  leading or participating role in evaluations, reviews, provincial research, standards or policy.

The caps (15 projects of 绿色工厂、绿色工业园区、绿色供应链管理企业; design products are not
counted) differ by document, in what they count and in which engagements they reach:

- 大连 二 counts 本批次: the projects of one legal entity together with its related entities in
  the batch the notice calls. It reaches the engagements of a batch run under the notice, and
  only those (``reach=REACH_BATCH``), at whatever level that batch is.
- 洛阳 第二十条 counts 每年度开展的国家级层面绿色制造评价项目: per year, across every agency of
  the same legal representative, and only projects for a national-level list (``levels``): a
  batch whose jurisdiction is the nation. The parenthesis (绿色工厂、绿色工业园区、绿色供应链
  管理企业) names the project types, the words 国家级层面 the level; city and provincial projects
  are neither counted nor capped. A national batch is never run under 洛阳's document (the
  ministry calls it; 洛阳 only recommends into it), so a rule that followed the batch's policy
  would never apply. The same article puts the agencies 在本辖区开展业务 under the city bureau's
  supervision: the cap therefore follows 洛阳 into the national batch (``reach=REACH_LOCAL``),
  reaching an engagement when the unit evaluated lies in 洛阳 or the agency is registered there
  (the agencies the bureau supervises), whatever the national batch's own policy. When that
  policy sets a cap of its own (大连 二), both apply, each under its own document.
- 济南 sets none.

:func:`governing_caps` says which caps reach an engagement; the portal counts under each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from greenmfg.rules.base import Finding, Verdict
from greenmfg.rules.registry import LEVEL_NAMES

QUALIFICATION_POLICY = "dalian-2022-national"
CAP_LIMIT = 15
COUNTED_UNIT_TYPES = frozenset({"factory", "park", "supply_chain"})
MIN_GREEN_STAFF = 10
MIN_SENIOR_STAFF = 5
SENIOR_FIELDS = {
    "energy": "能源",
    "environment": "环境",
    "ecology": "生态",
    "low_carbon": "低碳",
    "life_cycle": "生命周期评价",
}

PER_YEAR_LEGAL_REPRESENTATIVE = "year_legal_representative"
PER_BATCH_LEGAL_ENTITY = "batch_legal_entity"

# Which engagements a policy's cap reaches: those of batches run under the policy, or also those
# of the policy's own agencies and units in batches of a counted level run under another one.
REACH_BATCH = "batch"
REACH_LOCAL = "local"

# A batch's level is its jurisdiction's: national, province, city or county.
NATIONAL = "national"


@dataclass(frozen=True)
class AgencyCap:
    scope: str
    limit: int
    article: str
    wording: str
    # The batch levels whose projects count (and are capped); None: every level.
    levels: frozenset[str] | None = None
    reach: str = REACH_BATCH
    policy: str = ""
    city: str = ""  # the document's city, to name it beside the article: 洛阳 第二十条
    explanation: str = ""  # what is counted and why, for the usage page and the API

    def counts_level(self, level: str) -> bool:
        """Do projects in a batch of ``level`` count toward (and fall under) this cap?"""
        return self.levels is None or level in self.levels

    @property
    def citation(self) -> str:
        return f"{self.city} {self.article}"


CAPS: dict[str, AgencyCap] = {
    "luoyang-2024": AgencyCap(
        PER_YEAR_LEGAL_REPRESENTATIVE,
        CAP_LIMIT,
        "第二十条",
        "同一法定代表人的第三方机构每年度开展的国家级层面绿色制造评价项目总计不得超过15项",
        levels=frozenset({NATIONAL}),
        reach=REACH_LOCAL,
        policy="luoyang-2024",
        city="洛阳",
        explanation=(
            "按洛阳 第二十条，仅计国家级层面绿色制造评价项目（绿色工厂、园区、供应链），"
            "按年度、同一法定代表人的全部评价机构合并计；市级、省级项目不计入，也不受该上限限制"
        ),
    ),
    "dalian-2022-national": AgencyCap(
        PER_BATCH_LEGAL_ENTITY,
        CAP_LIMIT,
        "二",
        "同一法人的评价机构（包括与其相关联的企事业单位）开展的本批次评价项目总计不得超过15项",
        policy="dalian-2022-national",
        city="大连",
        explanation=(
            "按大连 二，计本批次同一法人的评价机构（包括与其相关联的企事业单位）开展的"
            "绿色工厂、园区、供应链评价项目"
        ),
    ),
}


def agency_cap(policy: str) -> AgencyCap | None:
    """The cap the policy sets on an agency's projects, or None (济南 sets none)."""
    return CAPS.get(policy)


def is_counted(unit_type: str) -> bool:
    return unit_type in COUNTED_UNIT_TYPES


def governing_caps(
    *, batch_policy: str, batch_level: str, local_policies: Iterable[str] = ()
) -> list[AgencyCap]:
    """The caps that reach an engagement in a batch of ``batch_policy`` at ``batch_level``.

    ``local_policies`` are the policies of the cities where the evaluated unit lies and where the
    agency is registered. The batch's own policy reaches it when that policy counts the batch's
    level (大连 二: its batch; 洛阳 第二十条 only at the national level). A city's policy that
    follows its agencies and units (洛阳 第二十条) reaches it too, at a level it counts. So a
    洛阳 unit's or agency's project in a national batch run under 大连's notice falls under both
    caps, and a 洛阳 city or provincial batch under none.
    """
    caps = []
    for policy in sorted({batch_policy, *local_policies} - {""}):
        cap = agency_cap(policy)
        if cap is None or not cap.counts_level(batch_level):
            continue
        if policy == batch_policy or cap.reach == REACH_LOCAL:
            caps.append(cap)
    return caps


def uncounted_note(policy: str, level: str) -> str:
    """Why a batch of ``policy`` at ``level`` carries no cap ("" when its policy caps it).

    The note cites only the batch's own document.
    """
    cap = agency_cap(policy)
    if cap is None:
        return "本办法未设评价项目数量上限"
    if cap.counts_level(level):
        return ""
    return f"{cap.explanation}；本批次为{LEVEL_NAMES.get(level, level)}，不计入"


def cap_finding(policy: str, *, used: int) -> Finding:
    """May one more project be taken when ``used`` already count toward the policy's cap?"""
    cap = agency_cap(policy)
    if cap is None:
        return Finding(
            code="agency.cap",
            article="",
            passed=True,
            message="本办法未设评价项目数量上限",
            policy=policy,
            values={"used": used},
        )
    if cap.scope == PER_YEAR_LEGAL_REPRESENTATIVE:
        levels = "、".join(LEVEL_NAMES[level] for level in sorted(cap.levels or ()))
        scope = f"本年度同一法定代表人的评价机构{f'在{levels}层面' if levels else ''}"
    else:
        scope = "本批次同一法人及其关联单位"
    passed = used + 1 <= cap.limit
    message = (
        f"{scope}已承担 {used} 项，再增加 1 项为 {used + 1} 项，"
        f"{'未超过' if passed else '超过'} {cap.limit} 项上限"
    )
    return Finding(
        code="agency.cap",
        article=cap.article,
        passed=passed,
        message=message,
        policy=policy,
        values={
            "used": used,
            "limit": cap.limit,
            "scope": cap.scope,
            "levels": sorted(cap.levels) if cap.levels is not None else None,
        },
    )


def _int(facts: Mapping[str, Any], key: str) -> int | None:
    value = facts.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _declared(code: str, clause: str, passed: Any, text: str) -> Finding:
    ok = passed is True
    return Finding(
        code=code,
        article="二",
        clause=clause,
        passed=ok,
        message=f"{text}：{'已声明' if ok else '未声明或不具备'}",
        policy=QUALIFICATION_POLICY,
        values={"declared": ok},
    )


def agency_qualification(facts: Mapping[str, Any]) -> Verdict:
    """The agency conditions of 大连 二 against the agency's roster counts and declarations.

    Facts: ``independent_legal_entity``, ``has_fixed_office``, ``has_finance_system``,
    ``staff_compliance``, ``evaluation_capability`` (booleans, declared);
    ``full_time_green_staff`` (full-time, intermediate title or above, doing green evaluation),
    ``senior_key_field_staff`` (of those, senior title in one of :data:`SENIOR_FIELDS`) and
    ``recent_experience`` (records within the last five years), all counts.
    """
    findings = [
        _declared(
            "agency.legal_entity",
            "(一)",
            facts.get("independent_legal_entity"),
            "在中华人民共和国境内注册并具有独立法人资格",
        ),
        _declared(
            "agency.office", "(二)", facts.get("has_fixed_office"), "具有固定的办公场所和办公条件"
        ),
        _declared(
            "agency.finance", "(二)", facts.get("has_finance_system"), "具有健全的财务管理制度"
        ),
    ]
    staff = _int(facts, "full_time_green_staff")
    findings.append(
        Finding(
            code="agency.staff",
            article="二",
            clause="(三)",
            passed=staff is not None and staff >= MIN_GREEN_STAFF,
            message=(
                f"从事绿色评价的中级职称以上专职人员 {staff} 人，"
                f"{'达到' if staff is not None and staff >= MIN_GREEN_STAFF else '少于'}"
                f" {MIN_GREEN_STAFF} 人"
                if staff is not None
                else "缺少专职评价人员人数"
            ),
            policy=QUALIFICATION_POLICY,
            values={"count": staff, "minimum": MIN_GREEN_STAFF},
        )
    )
    senior = _int(facts, "senior_key_field_staff")
    fields = "、".join(SENIOR_FIELDS.values())
    findings.append(
        Finding(
            code="agency.senior_staff",
            article="二",
            clause="(三)",
            passed=senior is not None and senior >= MIN_SENIOR_STAFF,
            message=(
                f"其中{fields}等相关专业高级职称人员 {senior} 人，"
                f"{'达到' if senior is not None and senior >= MIN_SENIOR_STAFF else '少于'}"
                f" {MIN_SENIOR_STAFF} 人"
                if senior is not None
                else "缺少高级职称人员人数"
            ),
            policy=QUALIFICATION_POLICY,
            values={"count": senior, "minimum": MIN_SENIOR_STAFF},
        )
    )
    findings.append(
        _declared(
            "agency.compliance",
            "(四)",
            facts.get("staff_compliance"),
            "人员遵守法律法规和评价程序，熟悉绿色制造相关政策和标准规范",
        )
    )
    findings.append(
        _declared(
            "agency.capability",
            "(五)",
            facts.get("evaluation_capability"),
            "具备开展绿色工厂、绿色工业园区、绿色供应链等领域评价的能力",
        )
    )
    recent = _int(facts, "recent_experience")
    findings.append(
        Finding(
            code="agency.experience",
            article="二",
            clause="(五)",
            passed=recent is not None and recent >= 1,
            message=(
                f"近五年主导或参与绿色制造相关评审、评价、科研、标准或政策制定 {recent} 项"
                if recent
                else "近五年无绿色制造相关评审、评价、科研、标准或政策制定业绩"
            ),
            policy=QUALIFICATION_POLICY,
            values={"count": recent},
        )
    )
    return Verdict.from_findings(findings, policy=QUALIFICATION_POLICY, unit_type="")
