"""The fact keys the rules read, with the Chinese names findings use for them.

``CONTRACT_FACTS`` are the keys of the public contract (/work/shared/rules-contract.md).
``ADDED_FACTS`` are keys this package added because a condition of the documents had no key in the
contract; each names the article that needs it. Percentages are numbers from 0 to 100.
"""

from __future__ import annotations

CONTRACT_FACTS: dict[str, str] = {
    # 负面清单（近三年）
    "deregistered": "近三年工商注销",
    "months_halted_consecutive": "近三年最长连续停产",
    "on_abnormal_operations_list": "被列入经营异常名单且未被移出",
    "on_serious_illegal_dishonest_list": "被列入严重违法失信名单且未被移出",
    "accident_safety": "近三年发生安全（含安全生产）事故",
    "accident_cyber_or_data_security": "近三年发生网络安全或数据安全事故",
    "accident_quality": "近三年发生（产品）质量事故",
    "accident_environment": "近三年发生环境污染事故",
    "tax_violation": "近三年有偷漏税等违法违规行为",
    "removed_from_list": "近三年被动态调整出绿色制造名单",
    "inspection_serious_problem": "近三年在督查中被发现存在严重问题",
    "inspection_problem_rectified": "督查发现的严重问题已按要求完成整改",
    "energy_supervision_unrectified": "被列入工业节能监察整改名单且未按要求完成整改",
    "dishonest_judgment_debtor": "被列为失信被执行人",
    # 主体
    "independent_legal_entity": "依法设立并具有独立法人资格或视同法人的独立核算单位",
    "is_manufacturer": "从事实际生产的制造业企业",
    "registered_in_city": "在本市辖区内登记注册",
    # 绿色工厂
    "key_energy_sector": "属于已发布能效标杆水平的重点领域（重点用能）行业",
    "energy_efficiency_level": "能效水平",
    "better_than_regional_green_factories": "能效水平等主要指标优于本地区同行业已有绿色工厂",
    "plot_ratio": "工厂容积率",
    "plot_ratio_required": "《工业项目建设用地控制指标》要求的容积率",
    "building_density": "工厂建筑密度",
    "output_per_land_area": "单位用地面积产能或产值",
    "city_avg_output_per_land_area": "全市单位用地面积产能或产值平均水平",
    "green_material_rate": "绿色物料使用率",
    "industry_avg_green_material_rate": "行业平均绿色物料使用率",
    "pollutant_per_unit": "单位产品主要污染物产生量",
    "industry_avg_pollutant_per_unit": "行业平均单位产品主要污染物产生量",
    "wastewater_per_unit": "单位产品废水产生量",
    "industry_avg_wastewater_per_unit": "行业平均单位产品废水产生量",
    "raw_material_per_unit": "单位产品主要原材料消耗量",
    "industry_avg_raw_material_per_unit": "行业平均单位产品主要原材料消耗量",
    "solid_waste_utilisation_rate": "工业固体废物综合利用率",
    "industry_avg_solid_waste_utilisation_rate": "行业平均工业固体废物综合利用率",
    "wastewater_reuse_rate": "废水处理回用率",
    "industry_avg_wastewater_reuse_rate": "行业平均废水处理回用率",
    "energy_per_unit": "单位产品综合能耗",
    "energy_quota_per_unit": "单位产品综合能耗限额",
    "carbon_per_unit": "单位产品碳排放量",
    "industry_avg_carbon_per_unit": "行业平均单位产品碳排放量",
    # 绿色工业园区
    "has_legal_boundary": "具有法定边界和范围",
    "has_unified_management": "具备统一管理机构",
    "industrial_value_added_share": "工业增加值占比",
    "park_level": "园区级别",
    "is_chemical_park": "属于化工园区",
    "chemical_park_recognised": "化工园区已通过省级人民政府或其授权机构认定",
    "published_cultivation_plan": "发布园区绿色工厂培育计划并组织园区内企业开展创建",
    "green_office_staff": "履行绿色发展工作职责的机构工作人员",
    "mandatory_clean_production_audit_rate": "强制性清洁生产审核企业依法开展审核的比例",
    "major_pollution_or_safety_accident": "近三年发生重大污染、安全等事故",
    "energy_targets_met": "完成国家或地方政府下达的节能减排降碳指标",
    "obsolete_equipment_in_use": "园区企业使用国家列入淘汰目录的落后生产技术、工艺和设备",
    # 绿色供应链管理企业
    "supplier_cultivation_plan": "制定供应商绿色工厂培育计划并推动供应商开展绿色工厂创建",
    "is_green_factory": "本身为绿色工厂",
    "industry": "所属行业",
    "supplier_management_system": (
        "有完善的供应商管理体系，建立健全供应商认证、选择、审核、绩效管理和退出机制"
    ),
    # 绿色设计产品
    "product_standard_in_miit_list": "产品标准在工业和信息化部《绿色设计产品标准清单》内",
    "lifecycle_principles_followed": (
        "产品全生命周期遵循能源资源消耗最低化、生态环境影响最小化、可再生率最大化原则"
    ),
}

ADDED_FACTS: dict[str, str] = {
    # 洛阳 第七条(三)、第八条(三)、第九条(三)、第十条(四) (第十四条所列标准);
    # 济南 第六条8、第七条7、第八条7
    "meets_evaluation_standard": "符合相关评价标准要求",
    # 洛阳 第八条(一)；济南 第七条1；大连 一(三)
    "main_function_manufacturing_and_energy": "以产品制造和能源供给为主要功能",
    # 大连 一(三)
    "park_foundation_strong": "工业基础好、基础设施完善、绿色制造水平高",
    # 洛阳 第九条(一)；济南 第八条1；大连 一(四)
    "is_chain_leader": (
        "行业影响力大、经营实力雄厚、产业链完整、绿色供应链管理基础好、"
        "在产业链发挥主导作用的链主企业"
    ),
    # 洛阳 第九条(一)“积极创建绿色工厂”
    "creating_green_factory": "正在积极创建绿色工厂",
    # 洛阳 第十条(三)，第十四条：我省发布的地方或团体产品评价标准
    "product_standard_provincial": "产品有河南省发布的地方或团体产品评价标准",
    # 济南 第六条1、第七条1、第八条1
    "complies_with_laws_and_standards": "遵守（有效贯彻执行）国家和地方有关法律法规、政策和标准",
    # 济南 第六条2
    "stakeholder_commitments_met": "对利益相关方的环境要求做出承诺并满足承诺要求",
    "performance_better_than_industry_avg": (
        "经济技术基础和经济效益较好，相关绩效指标优于同行业平均水平，在全市同行业中具有较强竞争优势"
    ),
    # 济南 第六条3、第八条1
    "management_systems_sound": "质量、环保、安全生产和能源资源管理水平较高，各项管理制度健全",
    # 济南 第六条4
    "conservation_diagnostics_conducted": "开展节能诊断、节水诊断、工业固体废物资源综合利用评价",
    # 济南 第六条6 生产洁净化
    "waste_gas_per_unit": "单位产品废气产生量",
    "industry_avg_waste_gas_per_unit": "行业平均单位产品废气产生量",
    # 济南 第六条6 能源低碳化：未指定限额标准时“应达到行业平均水平”
    "industry_avg_energy_per_unit": "行业平均单位产品综合能耗",
    # 济南 第七条3
    "major_ecological_damage": "近三年发生重大生态破坏事件",
    "environmental_quality_standard_met": "环境质量达到国家或地方规定的环境功能区环境质量标准",
    "enterprise_emissions_compliant": "园区内企业污染物达标排放",
    "pollutant_totals_within_caps": "各类重点污染物排放总量均不超过国家或地方的总量控制要求",
    # 济南 第七条4
    "obsolete_products_made": "园区企业生产国家列入淘汰目录的产品",
    # 济南 第八条3、第八条4
    "supplier_base_influential": (
        "拥有数量较多的供应商，在供应商中有很强的影响力，与上下游供应商建立良好的合作关系"
    ),
    "sound_financial_management": "有健全的财务管理制度",
    "profitability_industry_leading": "销售盈利能力处于行业领先水平",
    "green_supply_chain_goals_set": "对实施绿色供应链管理有明确的工作目标、计划和措施",
    # 济南 第十一条（优先条件，不影响资格）
    "efficiency_leader_or_saving_honour": (
        "获得省级及以上能效和水效领跑者或市级以上节能、节水荣誉称号"
    ),
}

FACT_LABELS: dict[str, str] = {**CONTRACT_FACTS, **ADDED_FACTS}


def label(key: str) -> str:
    """The Chinese name of a fact key; an unknown key names itself."""
    return FACT_LABELS.get(key, key)
