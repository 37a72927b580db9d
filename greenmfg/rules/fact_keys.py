"""The fact keys the rules read: each key's Chinese name, and how the portal's form asks for it.

One table, so the names in findings, the values the rules accept and the form the portal renders
(:func:`greenmfg.rules.fact_schema`) cannot disagree. ``CONTRACT_FACTS`` are the keys of the public
contract (/work/shared/rules-contract.md). ``ADDED_FACTS`` are keys this package added because a
condition of the documents had no key in the contract; each names the article that needs it.
Percentages are numbers from 0 to 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The value a fact takes: a yes/no question, a non-negative number, a percentage 0–100, one of a
# closed set of codes, or free text.
FactKind = Literal["bool", "number", "percentage", "choice", "text"]
FACT_KINDS: tuple[FactKind, ...] = ("bool", "number", "percentage", "choice", "text")

# --- The values of the choice facts (the rules validate against these same dicts) ---

ENERGY_EFFICIENCY_LEVELS: dict[str, str] = {
    "benchmark": "标杆水平",
    "quota_advanced": "能源消耗限额标准先进值",
    "level_1": "1级水平",
    "baseline": "基准水平",
    "below_baseline": "低于基准水平",
}

PARK_LEVELS: dict[str, str] = {
    "national": "国家级",
    "provincial": "省级",
    "city": "市级",
    "county": "县级",
}

# The contract lets ``industry`` be any name; these three are the ones it names, and the ones the
# national 绿色供应链管理企业评价指标体系 covers. The form offers them as suggestions only.
SUPPLY_CHAIN_INDUSTRIES: dict[str, str] = {
    "electronics": "电子电器",
    "machinery": "机械",
    "automotive": "汽车",
}

# --- The form's sections (按政策文件条款归组) ---

NEGATIVE_LIST = "负面清单（近三年）"
ENTITY = "主体资格"
MANAGEMENT = "管理与绩效"
ENERGY_EFFICIENCY = "能效"
LAND_USE = "用地集约化"
RAW_MATERIALS = "原料无害化"
CLEAN_PRODUCTION = "生产洁净化"
WASTE_RECOVERY = "废物资源化"
LOW_CARBON_ENERGY = "能源低碳化"
PARK = "园区"
PARK_ENVIRONMENT = "园区环境与节能"
SUPPLY_CHAIN = "供应链"
PRODUCT = "产品"
EVALUATION_STANDARD = "评价标准"
PRIORITY = "优先推荐条件"


@dataclass(frozen=True)
class FactDefinition:
    """One fact key: its Chinese name and how it is asked for.

    ``choices`` are (code, Chinese name) pairs: the closed set for a ``choice`` fact, suggestions
    for a ``text`` fact. ``industry_average`` marks a reference value for the industry or the city
    rather than the applicant's own data (the county official enters it, not the enterprise).
    ``credit_data`` marks a negative-list fact that the officials' imported credit data supplies.
    """

    label: str
    kind: FactKind
    group: str
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    industry_average: bool = False
    credit_data: bool = False


def _yes_no(label: str, group: str, *, credit_data: bool = False) -> FactDefinition:
    return FactDefinition(label, "bool", group, credit_data=credit_data)


def _number(
    label: str, group: str, unit: str = "", *, industry_average: bool = False
) -> FactDefinition:
    return FactDefinition(label, "number", group, unit, industry_average=industry_average)


def _percentage(label: str, group: str, *, industry_average: bool = False) -> FactDefinition:
    return FactDefinition(label, "percentage", group, "%", industry_average=industry_average)


def _choice(label: str, group: str, choices: dict[str, str]) -> FactDefinition:
    return FactDefinition(label, "choice", group, choices=tuple(choices.items()))


def _text(label: str, group: str, suggestions: dict[str, str]) -> FactDefinition:
    return FactDefinition(label, "text", group, choices=tuple(suggestions.items()))


CONTRACT_FACTS: dict[str, FactDefinition] = {
    # 负面清单（近三年）
    "deregistered": _yes_no("近三年工商注销", NEGATIVE_LIST, credit_data=True),
    # Not in the credit data: how long a plant stood still is the enterprise's own record.
    "months_halted_consecutive": _number("近三年最长连续停产", NEGATIVE_LIST, "月"),
    "on_abnormal_operations_list": _yes_no(
        "被列入经营异常名单且未被移出", NEGATIVE_LIST, credit_data=True
    ),
    "on_serious_illegal_dishonest_list": _yes_no(
        "被列入严重违法失信名单且未被移出", NEGATIVE_LIST, credit_data=True
    ),
    "accident_safety": _yes_no("近三年发生安全（含安全生产）事故", NEGATIVE_LIST, credit_data=True),
    "accident_cyber_or_data_security": _yes_no(
        "近三年发生网络安全或数据安全事故", NEGATIVE_LIST, credit_data=True
    ),
    "accident_quality": _yes_no("近三年发生（产品）质量事故", NEGATIVE_LIST, credit_data=True),
    "accident_environment": _yes_no("近三年发生环境污染事故", NEGATIVE_LIST, credit_data=True),
    "tax_violation": _yes_no("近三年有偷漏税等违法违规行为", NEGATIVE_LIST, credit_data=True),
    "removed_from_list": _yes_no("近三年被动态调整出绿色制造名单", NEGATIVE_LIST, credit_data=True),
    "inspection_serious_problem": _yes_no(
        "近三年在督查中被发现存在严重问题", NEGATIVE_LIST, credit_data=True
    ),
    # Not in the credit data: whether the rectification was completed is shown by the applicant.
    "inspection_problem_rectified": _yes_no("督查发现的严重问题已按要求完成整改", NEGATIVE_LIST),
    "energy_supervision_unrectified": _yes_no(
        "被列入工业节能监察整改名单且未按要求完成整改", NEGATIVE_LIST, credit_data=True
    ),
    # No 「且未被移出」 in any document (洛阳 第十五条(六), 济南 第六条5, 大连 一): the label says
    # a removal does not lift it, so an applicant removed last year does not answer 否.
    "dishonest_judgment_debtor": _yes_no(
        "近三年曾被列为失信被执行人（含已移出）", NEGATIVE_LIST, credit_data=True
    ),
    # 主体
    "independent_legal_entity": _yes_no(
        "依法设立并具有独立法人资格或视同法人的独立核算单位", ENTITY
    ),
    "is_manufacturer": _yes_no("从事实际生产的制造业企业", ENTITY),
    "registered_in_city": _yes_no("在本市辖区内登记注册", ENTITY),
    # 绿色工厂
    "key_energy_sector": _yes_no(
        "属于已发布能效标杆水平的重点领域（重点用能）行业", ENERGY_EFFICIENCY
    ),
    "energy_efficiency_level": _choice("能效水平", ENERGY_EFFICIENCY, ENERGY_EFFICIENCY_LEVELS),
    "better_than_regional_green_factories": _yes_no(
        "能效水平等主要指标优于本地区同行业已有绿色工厂", ENERGY_EFFICIENCY
    ),
    "plot_ratio": _number("工厂容积率", LAND_USE),
    "plot_ratio_required": _number(
        "《工业项目建设用地控制指标》要求的容积率", LAND_USE, industry_average=True
    ),
    "building_density": _percentage("工厂建筑密度", LAND_USE),
    "output_per_land_area": _number("单位用地面积产能或产值", LAND_USE),
    "city_avg_output_per_land_area": _number(
        "全市单位用地面积产能或产值平均水平", LAND_USE, industry_average=True
    ),
    "green_material_rate": _percentage("绿色物料使用率", RAW_MATERIALS),
    "industry_avg_green_material_rate": _percentage(
        "行业平均绿色物料使用率", RAW_MATERIALS, industry_average=True
    ),
    "pollutant_per_unit": _number("单位产品主要污染物产生量", CLEAN_PRODUCTION),
    "industry_avg_pollutant_per_unit": _number(
        "行业平均单位产品主要污染物产生量", CLEAN_PRODUCTION, industry_average=True
    ),
    "wastewater_per_unit": _number("单位产品废水产生量", CLEAN_PRODUCTION),
    "industry_avg_wastewater_per_unit": _number(
        "行业平均单位产品废水产生量", CLEAN_PRODUCTION, industry_average=True
    ),
    "raw_material_per_unit": _number("单位产品主要原材料消耗量", WASTE_RECOVERY),
    "industry_avg_raw_material_per_unit": _number(
        "行业平均单位产品主要原材料消耗量", WASTE_RECOVERY, industry_average=True
    ),
    "solid_waste_utilisation_rate": _percentage("工业固体废物综合利用率", WASTE_RECOVERY),
    "industry_avg_solid_waste_utilisation_rate": _percentage(
        "行业平均工业固体废物综合利用率", WASTE_RECOVERY, industry_average=True
    ),
    "wastewater_reuse_rate": _percentage("废水处理回用率", WASTE_RECOVERY),
    "industry_avg_wastewater_reuse_rate": _percentage(
        "行业平均废水处理回用率", WASTE_RECOVERY, industry_average=True
    ),
    "energy_per_unit": _number("单位产品综合能耗", LOW_CARBON_ENERGY),
    # The 限额 comes from a published standard, not from the applicant: an official enters it.
    "energy_quota_per_unit": _number(
        "单位产品综合能耗限额", LOW_CARBON_ENERGY, industry_average=True
    ),
    "carbon_per_unit": _number("单位产品碳排放量", LOW_CARBON_ENERGY),
    "industry_avg_carbon_per_unit": _number(
        "行业平均单位产品碳排放量", LOW_CARBON_ENERGY, industry_average=True
    ),
    # 绿色工业园区
    "has_legal_boundary": _yes_no("具有法定边界和范围", PARK),
    "has_unified_management": _yes_no("具备统一管理机构", PARK),
    "industrial_value_added_share": _percentage("工业增加值占比", PARK),
    "park_level": _choice("园区级别", PARK, PARK_LEVELS),
    "is_chemical_park": _yes_no("属于化工园区", PARK),
    "chemical_park_recognised": _yes_no("化工园区已通过省级人民政府或其授权机构认定", PARK),
    "published_cultivation_plan": _yes_no("发布园区绿色工厂培育计划并组织园区内企业开展创建", PARK),
    "green_office_staff": _number("履行绿色发展工作职责的机构工作人员", PARK, "人"),
    "mandatory_clean_production_audit_rate": _percentage(
        "强制性清洁生产审核企业依法开展审核的比例", PARK_ENVIRONMENT
    ),
    # 济南 第七条3 is the park's own 近三年 list, so its accident row sits with the negative list.
    "major_pollution_or_safety_accident": _yes_no("近三年发生重大污染、安全等事故", NEGATIVE_LIST),
    "energy_targets_met": _yes_no("完成国家或地方政府下达的节能减排降碳指标", PARK_ENVIRONMENT),
    "obsolete_equipment_in_use": _yes_no(
        "园区企业使用国家列入淘汰目录的落后生产技术、工艺和设备", PARK_ENVIRONMENT
    ),
    # 绿色供应链管理企业
    "supplier_cultivation_plan": _yes_no(
        "制定供应商绿色工厂培育计划并推动供应商开展绿色工厂创建", SUPPLY_CHAIN
    ),
    "is_green_factory": _yes_no("本身为绿色工厂", SUPPLY_CHAIN),
    "industry": _text("所属行业", SUPPLY_CHAIN, SUPPLY_CHAIN_INDUSTRIES),
    "supplier_management_system": _yes_no(
        "有完善的供应商管理体系，建立健全供应商认证、选择、审核、绩效管理和退出机制",
        SUPPLY_CHAIN,
    ),
    # 绿色设计产品
    "product_standard_in_miit_list": _yes_no(
        "产品标准在工业和信息化部《绿色设计产品标准清单》内", PRODUCT
    ),
    "lifecycle_principles_followed": _yes_no(
        "产品全生命周期遵循能源资源消耗最低化、生态环境影响最小化、可再生率最大化原则", PRODUCT
    ),
}

ADDED_FACTS: dict[str, FactDefinition] = {
    # 洛阳 第七条(三)、第八条(三)、第九条(三)、第十条(四) (第十四条所列标准);
    # 济南 第六条8、第七条7、第八条7
    "meets_evaluation_standard": _yes_no("符合相关评价标准要求", EVALUATION_STANDARD),
    # 洛阳 第八条(一)；济南 第七条1；大连 一(三)
    "main_function_manufacturing_and_energy": _yes_no("以产品制造和能源供给为主要功能", PARK),
    # 大连 一(三)
    "park_foundation_strong": _yes_no("工业基础好、基础设施完善、绿色制造水平高", PARK),
    # 洛阳 第九条(一)；济南 第八条1；大连 一(四)
    "is_chain_leader": _yes_no(
        "行业影响力大、经营实力雄厚、产业链完整、绿色供应链管理基础好、"
        "在产业链发挥主导作用的链主企业",
        SUPPLY_CHAIN,
    ),
    # 洛阳 第九条(一)“积极创建绿色工厂”
    "creating_green_factory": _yes_no("正在积极创建绿色工厂", SUPPLY_CHAIN),
    # 洛阳 第十条(三)，第十四条：我省发布的地方或团体产品评价标准
    "product_standard_provincial": _yes_no("产品有河南省发布的地方或团体产品评价标准", PRODUCT),
    # 济南 第六条1、第七条1、第八条1
    "complies_with_laws_and_standards": _yes_no(
        "遵守（有效贯彻执行）国家和地方有关法律法规、政策和标准", MANAGEMENT
    ),
    # 济南 第六条2
    "stakeholder_commitments_met": _yes_no(
        "对利益相关方的环境要求做出承诺并满足承诺要求", MANAGEMENT
    ),
    "performance_better_than_industry_avg": _yes_no(
        "经济技术基础和经济效益较好，相关绩效指标优于同行业平均水平，在全市同行业中具有较强竞争优势",
        MANAGEMENT,
    ),
    # 济南 第六条3、第八条1
    "management_systems_sound": _yes_no(
        "质量、环保、安全生产和能源资源管理水平较高，各项管理制度健全", MANAGEMENT
    ),
    # 济南 第六条4
    "conservation_diagnostics_conducted": _yes_no(
        "开展节能诊断、节水诊断、工业固体废物资源综合利用评价", MANAGEMENT
    ),
    # 济南 第六条6 生产洁净化
    "waste_gas_per_unit": _number("单位产品废气产生量", CLEAN_PRODUCTION),
    "industry_avg_waste_gas_per_unit": _number(
        "行业平均单位产品废气产生量", CLEAN_PRODUCTION, industry_average=True
    ),
    # 济南 第六条6 能源低碳化：未指定限额标准时“应达到行业平均水平”
    "industry_avg_energy_per_unit": _number(
        "行业平均单位产品综合能耗", LOW_CARBON_ENERGY, industry_average=True
    ),
    # 济南 第七条3
    "major_ecological_damage": _yes_no("近三年发生重大生态破坏事件", NEGATIVE_LIST),
    "environmental_quality_standard_met": _yes_no(
        "环境质量达到国家或地方规定的环境功能区环境质量标准", PARK_ENVIRONMENT
    ),
    "enterprise_emissions_compliant": _yes_no("园区内企业污染物达标排放", PARK_ENVIRONMENT),
    "pollutant_totals_within_caps": _yes_no(
        "各类重点污染物排放总量均不超过国家或地方的总量控制要求", PARK_ENVIRONMENT
    ),
    # 济南 第七条4
    "obsolete_products_made": _yes_no("园区企业生产国家列入淘汰目录的产品", PARK_ENVIRONMENT),
    # 济南 第八条3、第八条4
    "supplier_base_influential": _yes_no(
        "拥有数量较多的供应商，在供应商中有很强的影响力，与上下游供应商建立良好的合作关系",
        SUPPLY_CHAIN,
    ),
    "sound_financial_management": _yes_no("有健全的财务管理制度", SUPPLY_CHAIN),
    "profitability_industry_leading": _yes_no("销售盈利能力处于行业领先水平", SUPPLY_CHAIN),
    "green_supply_chain_goals_set": _yes_no(
        "对实施绿色供应链管理有明确的工作目标、计划和措施", SUPPLY_CHAIN
    ),
    # 大连 一(一)：能效水平等主要指标应优于本地区同行业已有绿色工厂. The applicant's own
    # intensities (energy_per_unit and carbon_per_unit are the contract's) against those of the
    # region's green factories of its industry: the portal's median of their filed annual tables
    # (greenmfg.rules.benchmarks), or a figure a bureau entered by hand.
    "water_per_unit": _number("单位产品取水量", ENERGY_EFFICIENCY),
    "regional_green_factory_energy_per_unit": _number(
        "本地区同行业已有绿色工厂单位产品综合能耗", ENERGY_EFFICIENCY, industry_average=True
    ),
    "regional_green_factory_water_per_unit": _number(
        "本地区同行业已有绿色工厂单位产品取水量", ENERGY_EFFICIENCY, industry_average=True
    ),
    "regional_green_factory_carbon_per_unit": _number(
        "本地区同行业已有绿色工厂单位产品碳排放量", ENERGY_EFFICIENCY, industry_average=True
    ),
    # 济南 第十一条（优先条件，不影响资格）
    "efficiency_leader_or_saving_honour": _yes_no(
        "获得省级及以上能效和水效领跑者或市级以上节能、节水荣誉称号", PRIORITY
    ),
}

FACTS: dict[str, FactDefinition] = {**CONTRACT_FACTS, **ADDED_FACTS}

# --- How a reference value was obtained (对标; greenmfg.rules.benchmarks) ---
# Not facts a rule decides on, so not on any form and not in FACTS: the pre-check adds them beside
# a reference value the portal computed from its own listed units' filed annual tables, and the
# rules only word their messages with them (the source and the sample size, or why the portal's
# figure was not used). ``<key>_sample_size`` and ``<key>_sample_shortfall`` exist for each key of
# ``BENCHMARKED_FACTS``.

# Reference fact → the applicant's own fact whose distribution among green factories it is.
BENCHMARKED_FACTS: dict[str, str] = {
    "regional_green_factory_energy_per_unit": "energy_per_unit",
    "regional_green_factory_water_per_unit": "water_per_unit",
    "regional_green_factory_carbon_per_unit": "carbon_per_unit",
    "industry_avg_energy_per_unit": "energy_per_unit",
    "industry_avg_carbon_per_unit": "carbon_per_unit",
}
BENCHMARK_SOURCE = "benchmark_source"
BENCHMARK_MIN_SAMPLE = "benchmark_min_sample_size"


def sample_size_key(key: str) -> str:
    """The number of green factories whose median ``key``'s value is (only when it is one)."""
    return f"{key}_sample_size"


def sample_shortfall_key(key: str) -> str:
    """The number of green factories the portal had for ``key`` when too few to use."""
    return f"{key}_sample_shortfall"


BENCHMARK_BASIS_KEYS: frozenset[str] = frozenset(
    {
        BENCHMARK_SOURCE,
        BENCHMARK_MIN_SAMPLE,
        *map(sample_size_key, BENCHMARKED_FACTS),
        *map(sample_shortfall_key, BENCHMARKED_FACTS),
    }
)

FACT_LABELS: dict[str, str] = {key: definition.label for key, definition in FACTS.items()}


def label(key: str) -> str:
    """The Chinese name of a fact key; an unknown key names itself."""
    return FACT_LABELS.get(key, key)
