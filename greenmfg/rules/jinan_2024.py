"""济南 ``jinan-2024``.

《济南市绿色制造单位梯度培育及管理办法》（2024年7月起实施，有效期至2027年7月；
废止济工信绿发字〔2019〕4号）. It covers factories, parks and supply-chain enterprises; it has
no design products.

Conditions encoded, in the document's order:

- 第六条 绿色工厂: 1 本市登记注册、独立法人资格、从事实际生产的制造业企业、遵守
  法律法规政策标准; 2 对利益相关方的承诺、绩效优于同行业平均水平; 3 管理水平和
  制度体系; 4 节能诊断、节水诊断、固废综合利用评价; 5 近三年负面清单 (督查严重问题
  **已整改的不计**); 6 用地集约化、原料无害化、生产洁净化、废物资源化、能源低碳化
  指标 (废水处理回用率须 **高于** 行业平均值，其余“不低于／不高于”); 8 符合评价标准.
- 第七条 绿色工业园区: 1 法定边界、统一管理机构、以产品制造和能源供给为主要功能、
  原则上工业增加值占比 **不低于45%**、法律法规政策标准得到贯彻、化工园区须经省级
  人民政府或其授权机构认定; 2 培育计划; 3 近三年无重大污染安全事故或重大生态破坏、
  未在督查中被发现严重问题、未被调整出名单、完成节能减排降碳指标、环境质量达标、
  企业达标排放、总量达标、强制性清洁生产审核100%; 4 不使用淘汰技术工艺设备、不生产
  淘汰产品; 5 绿色发展工作机构2名以上工作人员; 7 符合评价标准.
- 第八条 绿色供应链管理企业: 1 本市登记注册、独立法人资格、链主企业、管理水平和
  制度、守法; 2 供应商培育计划，原则上本身为绿色工厂; 3 供应商数量和影响力、供应商
  管理体系; 4 财务制度、盈利能力、绿色供应链目标计划措施; 5 近三年负面清单
  (督查严重问题不因整改免除); 7 符合评价标准.
- 第十一条: 综合得分80分以上 (inclusive: 以上 includes the number; see
  ``meets_threshold``). Its 优先推荐 conditions (能效标杆水平等, 能效水效领跑者及节能节水
  荣誉) are advisory findings that never fail.

有效期 (第二十六条 本办法自2024年7月  日起实施，有效期至2027年7月  日): the published text
leaves both days blank, so the period is read by the month: from 2024-07-01 (the first day it
can have started) to 2027-07-31 (the last day of the month it names). Refusing a batch in July
2027 would refuse one the document may still govern; the portal's wording says the day is blank.

Not conditions: 第六条7 and 第八条6 (区级单位优先推荐), 第七条6 (鼓励), and 第六条4's
"具备条件的企业应积极参加…创建活动" (an encouragement to whoever qualifies).

Added fact keys (not in the public contract): ``complies_with_laws_and_standards``,
``stakeholder_commitments_met``, ``performance_better_than_industry_avg``,
``management_systems_sound``, ``conservation_diagnostics_conducted``, ``waste_gas_per_unit`` and
``industry_avg_waste_gas_per_unit`` (第六条6 names 废气产生量), ``industry_avg_energy_per_unit``
(used when no 限额 standard applies, i.e. ``energy_quota_per_unit`` is absent; like
``industry_avg_carbon_per_unit`` it may be the portal's median of the city's green factories of
the industry where the bureau published no figure, and the message then says so with the sample
size — greenmfg.rules.benchmarks),
``meets_evaluation_standard``, ``main_function_manufacturing_and_energy``,
``major_ecological_damage``, ``environmental_quality_standard_met``,
``enterprise_emissions_compliant``, ``pollutant_totals_within_caps``, ``obsolete_products_made``,
``is_chain_leader``, ``supplier_base_influential``, ``sound_financial_management``,
``profitability_industry_leading``, ``green_supply_chain_goals_set``,
``efficiency_leader_or_saving_honour`` (advisory).
"""

from __future__ import annotations

from datetime import date

from greenmfg.rules import negative_list
from greenmfg.rules.base import (
    HIGHER_THAN,
    NOT_FEWER_THAN,
    FactProblem,
    Facts,
    Outcome,
    Policy,
    PolicyPeriod,
    Prerequisite,
    Rule,
    compare,
    describe_fact,
    is_present,
    must_be_false,
    must_be_true,
    not_higher_than,
    not_lower_than,
    read_bool,
)
from greenmfg.rules.benchmarks import noted, shortfall, with_basis
from greenmfg.rules.energy_efficiency import LevelRequirement, energy_efficiency_rule
from greenmfg.rules.evaluation import Intake, one_report_of_the_chosen_mode
from greenmfg.rules.fact_keys import label

CODE = "jinan-2024"

# 第二十六条 本办法自2024年7月  日起实施，有效期至2027年7月  日 (both days blank: read by month).
VALID_FROM = date(2024, 7, 1)
VALID_UNTIL = date(2027, 7, 31)
PERIOD = PolicyPeriod(
    valid_from=VALID_FROM,
    valid_until=VALID_UNTIL,
    article="第二十六条",
    wording="自2024年7月起实施，有效期至2027年7月（原文未填具体日期，按2027年7月31日计）",
)

INDUSTRY_AVERAGE = "行业平均水平"


def _evaluation_standard(article: str, clause: str) -> Rule:
    return must_be_true(
        "standard.evaluation_standard", "meets_evaluation_standard", article=article, clause=clause
    )


def _honour_preferred(facts: Facts) -> Outcome:
    """第十一条 优先支持获得省级及以上能效和水效领跑者单位以及市级以上节能、节水荣誉称号的单位."""
    key = "efficiency_leader_or_saving_honour"
    value = read_bool(facts, key)
    return Outcome(value, f"{label(key)}：{'是，优先支持' if value else '否'}", {key: value})


HONOUR_PREFERRED = Rule(
    "priority.efficiency_leader_or_honour",
    "第十一条",
    _honour_preferred,
    advisory=True,
    reads=("efficiency_leader_or_saving_honour",),
)


# --- 第六条 绿色工厂 ---

_ENERGY_VS_QUOTA = not_higher_than(
    "factory.energy_per_unit",
    "energy_per_unit",
    article="第六条",
    clause="6",
    limit_key="energy_quota_per_unit",
    limit_label="限额",
)
_ENERGY_VS_AVERAGE = not_higher_than(
    "factory.energy_per_unit",
    "energy_per_unit",
    article="第六条",
    clause="6",
    limit_key="industry_avg_energy_per_unit",
    limit_label=INDUSTRY_AVERAGE,
)


def _energy_per_unit(facts: Facts) -> Outcome:
    """单位产品综合能耗应符合相关标准中的限额要求。未指定相关标准的，应达到行业平均水平."""
    if is_present(facts, "energy_quota_per_unit"):
        return _ENERGY_VS_QUOTA.check(facts)
    if is_present(facts, "industry_avg_energy_per_unit"):
        outcome = _ENERGY_VS_AVERAGE.check(facts)
        return outcome._replace(
            message=f"{outcome.message}（未指定限额标准，按行业平均水平）"
            + noted(facts, "industry_avg_energy_per_unit")
        )
    missing = () if is_present(facts, "energy_per_unit") else ("energy_per_unit",)
    either = (
        f"{describe_fact('energy_quota_per_unit')}或{describe_fact('industry_avg_energy_per_unit')}"
    )
    raise FactProblem(
        "缺少事实："
        + "、".join([*map(describe_fact, missing), either])
        + shortfall(facts, "industry_avg_energy_per_unit"),
        (*missing, "energy_quota_per_unit", "industry_avg_energy_per_unit"),
    )


_NEGATIVE_LIST_FACTORY = negative_list.NegativeListWording.single_item(
    "第六条", "5", inspection_forgiven_if_rectified=True
)

FACTORY: tuple[Rule, ...] = (
    # 1
    must_be_true("entity.registered_in_city", "registered_in_city", article="第六条", clause="1"),
    must_be_true(
        "entity.independent_legal_entity", "independent_legal_entity", article="第六条", clause="1"
    ),
    must_be_true("entity.is_manufacturer", "is_manufacturer", article="第六条", clause="1"),
    must_be_true(
        "entity.legal_compliance", "complies_with_laws_and_standards", article="第六条", clause="1"
    ),
    # 2
    must_be_true(
        "factory.stakeholder_commitments",
        "stakeholder_commitments_met",
        article="第六条",
        clause="2",
    ),
    must_be_true(
        "factory.performance_above_industry_avg",
        "performance_better_than_industry_avg",
        article="第六条",
        clause="2",
    ),
    # 3
    must_be_true(
        "entity.management_systems", "management_systems_sound", article="第六条", clause="3"
    ),
    # 4
    must_be_true(
        "factory.conservation_diagnostics",
        "conservation_diagnostics_conducted",
        article="第六条",
        clause="4",
    ),
    # 5
    *negative_list.rules(_NEGATIVE_LIST_FACTORY),
    # 6 用地集约化
    not_lower_than(
        "factory.plot_ratio",
        "plot_ratio",
        article="第六条",
        clause="6",
        limit_key="plot_ratio_required",
        limit_label="《工业项目建设用地控制指标》要求",
    ),
    not_lower_than(
        "factory.building_density",
        "building_density",
        article="第六条",
        clause="6",
        limit=30,
        unit="%",
    ),
    not_lower_than(
        "factory.output_per_land_area",
        "output_per_land_area",
        article="第六条",
        clause="6",
        limit_key="city_avg_output_per_land_area",
        limit_label="全市平均水平",
    ),
    # 6 原料无害化
    not_lower_than(
        "factory.green_material_rate",
        "green_material_rate",
        article="第六条",
        clause="6",
        limit_key="industry_avg_green_material_rate",
        limit_label=INDUSTRY_AVERAGE,
        unit="%",
    ),
    # 6 生产洁净化
    not_higher_than(
        "factory.pollutant_per_unit",
        "pollutant_per_unit",
        article="第六条",
        clause="6",
        limit_key="industry_avg_pollutant_per_unit",
        limit_label=INDUSTRY_AVERAGE,
    ),
    not_higher_than(
        "factory.waste_gas_per_unit",
        "waste_gas_per_unit",
        article="第六条",
        clause="6",
        limit_key="industry_avg_waste_gas_per_unit",
        limit_label=INDUSTRY_AVERAGE,
    ),
    not_higher_than(
        "factory.wastewater_per_unit",
        "wastewater_per_unit",
        article="第六条",
        clause="6",
        limit_key="industry_avg_wastewater_per_unit",
        limit_label=INDUSTRY_AVERAGE,
    ),
    # 6 废物资源化
    not_higher_than(
        "factory.raw_material_per_unit",
        "raw_material_per_unit",
        article="第六条",
        clause="6",
        limit_key="industry_avg_raw_material_per_unit",
        limit_label=INDUSTRY_AVERAGE,
    ),
    not_lower_than(
        "factory.solid_waste_utilisation_rate",
        "solid_waste_utilisation_rate",
        article="第六条",
        clause="6",
        limit_key="industry_avg_solid_waste_utilisation_rate",
        limit_label=INDUSTRY_AVERAGE,
        unit="%",
    ),
    # The one indicator the document wants strictly above the average: 废水处理回用率高于行业平均值.
    compare(
        "factory.wastewater_reuse_rate",
        "wastewater_reuse_rate",
        HIGHER_THAN,
        article="第六条",
        clause="6",
        limit_key="industry_avg_wastewater_reuse_rate",
        limit_label="行业平均值",
        unit="%",
    ),
    # 6 能源低碳化
    Rule(
        "factory.energy_per_unit",
        "第六条",
        _energy_per_unit,
        clause="6",
        # Whatever the two comparisons it delegates to read; either reference value will do.
        reads=tuple(dict.fromkeys(_ENERGY_VS_QUOTA.reads + _ENERGY_VS_AVERAGE.reads)),
        alternatives=(("energy_quota_per_unit", "industry_avg_energy_per_unit"),),
    ),
    # Where the bureau published no 行业平均, the portal's median of the city's green factories
    # of the industry stands in (the message names it and its sample size).
    with_basis(
        not_higher_than(
            "factory.carbon_per_unit",
            "carbon_per_unit",
            article="第六条",
            clause="6",
            limit_key="industry_avg_carbon_per_unit",
            limit_label=INDUSTRY_AVERAGE,
        ),
        "industry_avg_carbon_per_unit",
    ),
    # 8
    _evaluation_standard("第六条", "8"),
    # 第十一条 优先推荐: the benchmark that 洛阳 requires is only a preference here.
    energy_efficiency_rule(
        "priority.energy_efficiency",
        article="第十一条",
        key_sector=LevelRequirement({"benchmark"}, "能效标杆水平"),
        other_sector=LevelRequirement(
            {"benchmark", "quota_advanced", "level_1"}, "能源消耗限额标准先进值或1级水平"
        ),
        advisory=True,
    ),
    HONOUR_PREFERRED,
)


# --- 第七条 绿色工业园区 ---


def _chemical_park(facts: Facts) -> Outcome:
    """涉及化工园区的应通过省级人民政府或其授权机构认定."""
    if not read_bool(facts, "is_chemical_park"):
        return Outcome(True, "非化工园区，无需化工园区认定", {"is_chemical_park": False})
    recognised = read_bool(facts, "chemical_park_recognised")
    verb = "已通过" if recognised else "未通过"
    return Outcome(
        recognised,
        f"化工园区，{verb}省级人民政府或其授权机构认定",
        {"is_chemical_park": True, "chemical_park_recognised": recognised},
    )


PARK: tuple[Rule, ...] = (
    # 1
    must_be_true("park.legal_boundary", "has_legal_boundary", article="第七条", clause="1"),
    must_be_true("park.unified_management", "has_unified_management", article="第七条", clause="1"),
    must_be_true(
        "park.main_function",
        "main_function_manufacturing_and_energy",
        article="第七条",
        clause="1",
    ),
    not_lower_than(
        "park.value_added_share",
        "industrial_value_added_share",
        article="第七条",
        clause="1",
        in_principle=True,  # 原则上工业增加值占比不低于45%
        limit=45,
        unit="%",
    ),
    must_be_true(
        "entity.legal_compliance", "complies_with_laws_and_standards", article="第七条", clause="1"
    ),
    Rule(
        "park.chemical_park_recognised",
        "第七条",
        _chemical_park,
        clause="1",
        reads=("is_chemical_park", "chemical_park_recognised"),
        required_when={"chemical_park_recognised": ("is_chemical_park", True)},
    ),
    # 2
    must_be_true(
        "park.cultivation_plan", "published_cultivation_plan", article="第七条", clause="2"
    ),
    # 3 近三年: the park's own list (no 工商注销, 失信被执行人 etc.; a rectified problem still bars)
    must_be_false(
        "park.major_pollution_or_safety_accident",
        "major_pollution_or_safety_accident",
        article="第七条",
        clause="3",
    ),
    must_be_false(
        "park.major_ecological_damage", "major_ecological_damage", article="第七条", clause="3"
    ),
    negative_list.inspection_rule(article="第七条", clause="3", forgiven_if_rectified=False),
    negative_list.removed_from_list_rule(article="第七条", clause="3"),
    must_be_true("park.energy_targets", "energy_targets_met", article="第七条", clause="3"),
    must_be_true(
        "park.environmental_quality",
        "environmental_quality_standard_met",
        article="第七条",
        clause="3",
    ),
    must_be_true(
        "park.enterprise_emissions", "enterprise_emissions_compliant", article="第七条", clause="3"
    ),
    must_be_true(
        "park.pollutant_totals", "pollutant_totals_within_caps", article="第七条", clause="3"
    ),
    not_lower_than(
        "park.clean_production_audit",
        "mandatory_clean_production_audit_rate",
        article="第七条",
        clause="3",
        limit=100,
        unit="%",
    ),
    # 4
    must_be_false(
        "park.obsolete_equipment", "obsolete_equipment_in_use", article="第七条", clause="4"
    ),
    must_be_false("park.obsolete_products", "obsolete_products_made", article="第七条", clause="4"),
    # 5 建立履行绿色发展工作职责的机构并配备2名以上工作人员 (以上 includes 2)
    compare(
        "park.green_office",
        "green_office_staff",
        NOT_FEWER_THAN,
        article="第七条",
        clause="5",
        limit=2,
        unit=" 名",
    ),
    # 7
    _evaluation_standard("第七条", "7"),
    HONOUR_PREFERRED,
)


# --- 第八条 绿色供应链管理企业 ---

_NEGATIVE_LIST_SUPPLY_CHAIN = negative_list.NegativeListWording.single_item(
    "第八条", "5", inspection_forgiven_if_rectified=False
)

SUPPLY_CHAIN: tuple[Rule, ...] = (
    # 1
    must_be_true("entity.registered_in_city", "registered_in_city", article="第八条", clause="1"),
    must_be_true(
        "entity.independent_legal_entity", "independent_legal_entity", article="第八条", clause="1"
    ),
    must_be_true("supply_chain.chain_leader", "is_chain_leader", article="第八条", clause="1"),
    must_be_true(
        "entity.management_systems", "management_systems_sound", article="第八条", clause="1"
    ),
    must_be_true(
        "entity.legal_compliance", "complies_with_laws_and_standards", article="第八条", clause="1"
    ),
    # 2
    must_be_true(
        "supply_chain.supplier_cultivation_plan",
        "supplier_cultivation_plan",
        article="第八条",
        clause="2",
    ),
    must_be_true(
        "supply_chain.is_green_factory",
        "is_green_factory",
        article="第八条",
        clause="2",
        in_principle=True,  # 原则上本身应为绿色工厂
    ),
    # 3
    must_be_true(
        "supply_chain.supplier_base", "supplier_base_influential", article="第八条", clause="3"
    ),
    must_be_true(
        "supply_chain.supplier_management_system",
        "supplier_management_system",
        article="第八条",
        clause="3",
    ),
    # 4
    must_be_true(
        "supply_chain.financial_management",
        "sound_financial_management",
        article="第八条",
        clause="4",
    ),
    must_be_true(
        "supply_chain.profitability",
        "profitability_industry_leading",
        article="第八条",
        clause="4",
    ),
    must_be_true(
        "supply_chain.green_goals", "green_supply_chain_goals_set", article="第八条", clause="4"
    ),
    # 5
    *negative_list.rules(_NEGATIVE_LIST_SUPPLY_CHAIN),
    # 7
    _evaluation_standard("第八条", "7"),
    HONOUR_PREFERRED,
)

POLICY = Policy(
    code=CODE,
    title="济南市绿色制造单位梯度培育及管理办法",
    document="济南市工业和信息化局，2024年（废止济工信绿发字〔2019〕4号）",
    rules={"factory": FACTORY, "park": PARK, "supply_chain": SUPPLY_CHAIN},
    threshold=80,
    threshold_article="第十一条",
    threshold_wording="综合得分应在80分以上（含80分）",
    # 第十二条: 原则上 — it fails like any condition, and an official may record an override.
    prerequisites=(
        Prerequisite(
            target="province",
            required="city",
            unit_types=frozenset({"factory", "park", "supply_chain"}),
            article="第十二条",
            wording="申报省级绿色制造单位原则上应为市级绿色制造单位",
            in_principle=True,
        ),
        Prerequisite(
            target="national",
            required="province",
            unit_types=frozenset({"factory", "park", "supply_chain"}),
            article="第十二条",
            wording="申报国家级绿色制造单位原则上应为省级绿色制造单位",
            in_principle=True,
        ),
    ),
    period=PERIOD,
)


# 第九条: 采取自评价或委托具备评价能力的第三方机构评价……提交自评价报告或第三方评价报告.
EVALUATION = {
    unit_type: one_report_of_the_chosen_mode(article="第九条", document="济南 第九条")
    for unit_type in ("factory", "park", "supply_chain")
}

# 第二条: four levels, 区县（含功能区）and city run by the city's 办法; 第十二条: provincial and
# national units are recommended from the level below under the province's and the ministry's
# own documents, never applied for through this one.
INTAKE = Intake(
    levels=frozenset({"city", "county"}),
    article="第十二条",
    wording=(
        "企业、园区申报区县级、市级名单；"
        "省级、国家级名单按上级文件从下一级名单中推荐（济南 第十二条）"
    ),
)
