"""大连 ``dalian-2022-national``.

大连市工业和信息化局《关于组织推荐2022年度国家绿色制造名单相关工作的通知》, after
《工业和信息化部办公厅关于开展2022年度绿色制造名单推荐工作的通知》(工信厅节函〔2022〕235号).

The notice is numbered by sections, so findings cite the section: ``一`` for the negative list
in the preamble of section 一, ``一(一)`` … ``一(四)`` for the four unit types.

Conditions encoded:

- 一 近三年负面清单 (every unit type): 未正常经营生产; 安全（含网络安全、数据安全）、
  质量、环境污染事故及偷漏税等; 被动态调整出名单; 在国务院及有关部门督查中被发现
  严重问题 (**整改与否不论**); 工业节能监察整改名单未完成整改; 失信被执行人.
- 一(一) 绿色工厂: 重点用能行业能效 **原则上** 达到或优于标杆值; 未规定标杆值的行业
  **原则上** 达到或优于能源消耗限额标准先进值 (unlike 洛阳, 1级 is not named and does
  not satisfy); 能效水平等主要指标 **应** 优于本地区同行业已有绿色工厂.
- 一(二) 绿色设计产品: 仅限《绿色设计产品标准清单》中载明标准的产品.
- 一(三) 绿色工业园区: 工业基础好、基础设施完善、绿色制造水平高; 以产品制造和
  能源供给为主要功能; 工业增加值占比 **超过**50%; 法定边界和范围; 统一管理机构;
  **省级及以上** 工业园区.
- 一(四) 绿色供应链管理企业: 链主企业; 电子电器、机械、汽车3个行业按“绿色供应链
  管理企业评价指标体系”评价，其他行业参照《通知》 (``industry`` is needed to say which;
  the finding records it and passes).

Score line: the notice sets none; the national evaluation's 80 points are used (see
``meets_threshold``).

有效期: the notice governs one round, the 2022年度 national recommendation (its title and 一:
“2022年度绿色制造名单推荐工作”). It sets no period in words and the text carries no date of
issue; every date it sets (10月15日 materials, 10月20日 agency reports, 11月15日 dynamic tables)
falls in 2022. So a batch under it must be of the year 2022 and take its applications in 2022
(2022-01-01 to 2022-12-31); a later year's round needs that year's notice.

Not conditions: the instruction to evaluate by GB/T 36132-2018 or the sector standards (that
is how the score is reached), the 鼓励 of 国家低碳工业园区试点, the deadlines and the
third-party agency rules.

Added fact keys (not in the public contract): ``park_foundation_strong``,
``main_function_manufacturing_and_energy``, ``is_chain_leader``; for 一(一) ``water_per_unit``
and ``regional_green_factory_{energy,water,carbon}_per_unit`` (the region's green factories of
the applicant's industry: the portal's median of their filed annual tables, or a figure entered
by hand). Where both the applicant's figure and the region's are known, 一(一) compares them;
otherwise it reads the applicant's ``better_than_regional_green_factories``.
"""

from __future__ import annotations

from datetime import date

from greenmfg.rules import negative_list
from greenmfg.rules.base import (
    FactProblem,
    Facts,
    Outcome,
    Policy,
    PolicyPeriod,
    Rule,
    describe_fact,
    format_number,
    greater_than,
    is_present,
    must_be_true,
    read_bool,
    read_choice,
    read_number,
    read_text,
)
from greenmfg.rules.benchmarks import basis, shortfall
from greenmfg.rules.energy_efficiency import LevelRequirement, energy_efficiency_rule
from greenmfg.rules.evaluation import (
    SELF_EVALUATION,
    THIRD_PARTY,
    THIRD_PARTY_REPORT,
    Evaluation,
    Intake,
    RoundEnd,
    self_evaluation_only,
)
from greenmfg.rules.fact_keys import PARK_LEVELS, SUPPLY_CHAIN_INDUSTRIES, label

CODE = "dalian-2022-national"

# The 2022年度 round only: no date of issue in the text; all its deadlines fall in 2022.
ROUND_YEAR = 2022
VALID_FROM = date(ROUND_YEAR, 1, 1)
VALID_UNTIL = date(ROUND_YEAR, 12, 31)
PERIOD = PolicyPeriod(
    valid_from=VALID_FROM,
    valid_until=VALID_UNTIL,
    article="一",
    wording="仅适用于2022年度国家绿色制造名单推荐工作（2022年度批次，2022年内受理）",
    round_year=ROUND_YEAR,
)

NEGATIVE_LIST = negative_list.NegativeListWording.single_item(
    "一", "", inspection_forgiven_if_rectified=False
)

# PARK_LEVELS lives with the fact keys, so the form offers exactly the levels this reads.
PROVINCIAL_OR_ABOVE = frozenset({"national", "provincial"})

# 对于电子电器、机械、汽车等3个行业，根据“绿色供应链管理企业评价指标体系”进行自评价和第三方评价:
# the same three industries the contract names for ``industry``, which the form suggests.
INDEX_SYSTEM_INDUSTRIES: dict[str, str] = SUPPLY_CHAIN_INDUSTRIES


def _park_level(facts: Facts) -> Outcome:
    level = read_choice(facts, "park_level", PARK_LEVELS)
    passed = level in PROVINCIAL_OR_ABOVE
    verb = "属于" if passed else "不属于"
    return Outcome(
        passed, f"园区级别为{PARK_LEVELS[level]}，{verb}省级及以上工业园区", {"park_level": level}
    )


# 一(一) 能效水平等主要指标应优于本地区同行业已有绿色工厂: each intensity the applicant reports
# against the same intensity of the region's green factories of its industry. Lower is better for
# all three; 优于 is strictly below (equal to the median is not better than the factories).
REGIONAL_INDICATORS: tuple[tuple[str, str], ...] = (
    ("energy_per_unit", "regional_green_factory_energy_per_unit"),
    ("water_per_unit", "regional_green_factory_water_per_unit"),
    ("carbon_per_unit", "regional_green_factory_carbon_per_unit"),
)
BETTER_THAN_REGIONAL = "better_than_regional_green_factories"


def _better_than_regional(facts: Facts) -> Outcome:
    """Compared indicator by indicator where both figures are known (the portal's median of the
    region's green factories, or a figure a bureau entered); else the applicant's declaration."""
    pairs = [
        (own, reference)
        for own, reference in REGIONAL_INDICATORS
        if is_present(facts, own) and is_present(facts, reference)
    ]
    unused = "".join(shortfall(facts, reference) for _own, reference in REGIONAL_INDICATORS)
    if pairs:
        parts, values, passed = [], {}, True
        for own, reference in pairs:
            value, bound = read_number(facts, own), read_number(facts, reference)
            better = value < bound
            passed = passed and better
            verb = "优于" if better else "未优于"
            parts.append(
                f"{label(own)} {format_number(value)} {verb}本地区同行业已有绿色工厂 "
                f"{format_number(bound)}{basis(facts, reference)}"
            )
            values[own], values[reference] = value, bound
        return Outcome(passed, "；".join(parts) + unused, values)
    if not is_present(facts, BETTER_THAN_REGIONAL):
        raise FactProblem(
            f"缺少事实：{describe_fact(BETTER_THAN_REGIONAL)}，或单位产品综合能耗等指标及"
            f"本地区同行业已有绿色工厂的同一指标{unused}",
            (BETTER_THAN_REGIONAL,),
        )
    declared = read_bool(facts, BETTER_THAN_REGIONAL)
    answer = "是" if declared else "否，要求为是"
    return Outcome(
        declared,
        f"{label(BETTER_THAN_REGIONAL)}：{answer}{unused}",
        {BETTER_THAN_REGIONAL: declared},
    )


def _supply_chain_evaluation_basis(facts: Facts) -> Outcome:
    industry = read_text(facts, "industry")
    if industry in INDEX_SYSTEM_INDUSTRIES:
        basis = "按“绿色供应链管理企业评价指标体系”进行自评价和第三方评价"
        name = INDEX_SYSTEM_INDUSTRIES[industry]
    else:
        basis = "参照《通知》中绿色供应链评价有关要求开展自评价和第三方评价"
        name = industry
    return Outcome(
        True,
        f"所属行业：{name}，{basis}",
        {"industry": industry, "index_system": industry in INDEX_SYSTEM_INDUSTRIES},
    )


FACTORY: tuple[Rule, ...] = (
    *negative_list.rules(NEGATIVE_LIST),
    energy_efficiency_rule(
        "factory.energy_efficiency",
        article="一(一)",
        in_principle=True,  # 原则上要达到或优于
        key_sector=LevelRequirement({"benchmark"}, "能效标杆值"),
        other_sector=LevelRequirement({"benchmark", "quota_advanced"}, "能源消耗限额标准先进值"),
    ),
    Rule(
        "factory.better_than_regional_green_factories",
        "一(一)",
        _better_than_regional,
        reads=(BETTER_THAN_REGIONAL, *(key for pair in REGIONAL_INDICATORS for key in pair)),
        # The declaration, or the applicant's own figures (compared with the region's).
        alternatives=((BETTER_THAN_REGIONAL, *(own for own, _ref in REGIONAL_INDICATORS)),),
    ),
)

DESIGN_PRODUCT: tuple[Rule, ...] = (
    *negative_list.rules(NEGATIVE_LIST),
    # 申请产品仅限清单中载明标准的产品: a provincial standard does not count here.
    must_be_true(
        "design_product.product_standard", "product_standard_in_miit_list", article="一(二)"
    ),
)

PARK: tuple[Rule, ...] = (
    *negative_list.rules(NEGATIVE_LIST),
    must_be_true("park.foundation", "park_foundation_strong", article="一(三)"),
    must_be_true("park.main_function", "main_function_manufacturing_and_energy", article="一(三)"),
    greater_than(
        "park.value_added_share",
        "industrial_value_added_share",
        article="一(三)",
        limit=50,
        unit="%",
    ),
    must_be_true("park.legal_boundary", "has_legal_boundary", article="一(三)"),
    must_be_true("park.unified_management", "has_unified_management", article="一(三)"),
    Rule("park.level", "一(三)", _park_level, reads=("park_level",)),
)

SUPPLY_CHAIN: tuple[Rule, ...] = (
    *negative_list.rules(NEGATIVE_LIST),
    must_be_true("supply_chain.chain_leader", "is_chain_leader", article="一(四)"),
    Rule(
        "supply_chain.evaluation_basis",
        "一(四)",
        _supply_chain_evaluation_basis,
        reads=("industry",),
    ),
)

POLICY = Policy(
    code=CODE,
    title="关于组织推荐2022年度国家绿色制造名单相关工作的通知",
    document="大连市工业和信息化局，依据工信厅节函〔2022〕235号",
    rules={
        "factory": FACTORY,
        "park": PARK,
        "supply_chain": SUPPLY_CHAIN,
        "design_product": DESIGN_PRODUCT,
    },
    # The notice sets no score line of its own; the national evaluation's 80 points apply.
    threshold=80,
    threshold_article="一",
    threshold_wording="本通知未规定分数线，采用国家绿色制造评价的80分（含）线",
    period=PERIOD,
)


def _self_and_third_party(article: str) -> Evaluation:
    # 附件2/4/5 are each titled 自评价报告及第三方评价报告: both, the second by the agency.
    return Evaluation(
        modes={THIRD_PARTY: (SELF_EVALUATION, THIRD_PARTY_REPORT)},
        article=article,
        wording=(
            f"开展自评价和第三方评价，提交自评价报告及第三方评价报告（大连 {article}，附件2、4、5）"
        ),
        agency_uploads_report=True,
    )


EVALUATION = {
    "factory": _self_and_third_party("一(一)"),
    "park": _self_and_third_party("一(三)"),
    "supply_chain": _self_and_third_party("一(四)"),
    # 一(二): 编写绿色设计产品自评价报告 (附件3 自评价报告).
    "design_product": self_evaluation_only(article="一(二)", document="大连 一(二)，附件3"),
}

# 一: the city organises its units' applications and 遴选确定本地区……推荐名单 for the ministry;
# the national list takes no application from a unit itself.
INTAKE = Intake(
    levels=frozenset({"city"}),
    article="一",
    wording="企业、园区向大连市工业和信息化局申报，由市局遴选后推荐国家级名单（大连 一）",
)

# 一: the notice organises 大连's recommendation to the national list (大连 is a 计划单列市 and
# recommends to the ministry itself, 附件1 推荐汇总表); it sets up no 大连 city list.
ROUND_ENDS = {
    "city": RoundEnd(
        lists=False,
        recommends_to="national",
        article="一",
        wording=(
            "市级遴选后直接向工业和信息化部推荐国家级绿色制造名单，报送推荐汇总表（附件1），"
            "不发布市级名单（大连 一）"
        ),
    )
}
