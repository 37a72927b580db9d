"""绿色工厂 per GB/T 36132-2018《绿色工厂评价通则》.

The standard's chapters are the sheet: 基本要求 (chapter 4, one-vote veto), then 基础设施,
管理体系, 能源与资源投入, 产品, 环境排放 and 绩效 (chapters 5–10) as the six groups, weighted
20/15/15/10/10/30 as the evaluation sheets built on this standard commonly are. Within a group
the required items' full marks add up to the group's weight, so a paper sheet reads the same.
Items the standard words as 宜 and that earn extra points (绿色建筑, 社会责任报告, 可再生能源
使用, 碳足迹核算, 温室气体核查) are 可选; they make up points lost elsewhere in their group
but never lift it above its weight. Every indicator is scored by hand: the 2018 standard sets
no 基准值 or 引领值.
"""

from reviews.scoring import BasicRequirement, Indicator, IndicatorGroup, ScoringTemplate

TEMPLATE = ScoringTemplate(
    code="green-factory",
    version="2018",
    title="绿色工厂评价（GB/T 36132-2018）",
    unit_type="factory",
    standard="GB/T 36132-2018",
    basic_requirements=(
        BasicRequirement(
            "basic.established", "依法设立，在建设和生产过程中遵守有关法律、法规、政策和标准"
        ),
        BasicRequirement(
            "basic.no_accident",
            "近三年（成立不足三年的自成立以来）无较大及以上安全、环保、质量等事故",
        ),
        BasicRequirement(
            "basic.compliant", "合法合规：污染物排放、能源消耗等符合国家和地方的相关要求"
        ),
        BasicRequirement(
            "basic.stakeholder_commitment", "对利益相关方的环境要求作出承诺的，同时满足有关承诺"
        ),
        BasicRequirement(
            "basic.top_management",
            "最高管理者明确绿色工厂管理职责，为创建和实施绿色工厂提供必要的资源",
        ),
        BasicRequirement(
            "basic.organisation",
            "设有绿色工厂管理机构，制定绿色工厂中长期规划及年度目标、指标和实施方案",
        ),
        BasicRequirement(
            "basic.training", "传播绿色制造理念，定期开展绿色制造相关知识的教育和培训"
        ),
    ),
    groups=(
        IndicatorGroup(
            "infrastructure",
            "基础设施",
            20,
            (
                Indicator("infrastructure.building", "建筑", 5),
                Indicator("infrastructure.green_building", "绿色建筑", 2, required=False),
                Indicator("infrastructure.lighting", "照明", 3),
                Indicator("infrastructure.special_equipment", "专用设备", 3),
                Indicator("infrastructure.general_equipment", "通用设备", 3),
                Indicator("infrastructure.metering", "计量设备", 3),
                Indicator("infrastructure.pollution_treatment", "污染物处理设备", 3),
            ),
        ),
        IndicatorGroup(
            "management",
            "管理体系",
            15,
            (
                Indicator("management.quality", "质量管理体系", 3),
                Indicator("management.occupational_health", "职业健康安全管理体系", 3),
                Indicator("management.environment", "环境管理体系", 4),
                Indicator("management.energy", "能源管理体系", 5),
                Indicator("management.social_responsibility", "社会责任报告", 2, required=False),
            ),
        ),
        IndicatorGroup(
            "inputs",
            "能源与资源投入",
            15,
            (
                Indicator("inputs.energy", "能源投入", 5),
                Indicator("inputs.renewable_energy", "可再生能源使用", 2, required=False),
                Indicator("inputs.resources", "资源投入", 5),
                Indicator("inputs.procurement", "采购", 5),
            ),
        ),
        IndicatorGroup(
            "product",
            "产品",
            10,
            (
                Indicator("product.ecodesign", "生态设计", 3),
                Indicator("product.hazardous_substances", "有害物质限制使用", 4),
                Indicator("product.energy_saving", "节能", 3),
                Indicator("product.carbon_footprint", "碳足迹核算", 2, required=False),
                Indicator("product.recyclability", "可回收利用率", 2, required=False),
            ),
        ),
        IndicatorGroup(
            "emissions",
            "环境排放",
            10,
            (
                Indicator("emissions.air", "大气污染物", 2),
                Indicator("emissions.water", "水体污染物", 2),
                Indicator("emissions.solid_waste", "固体废弃物", 2),
                Indicator("emissions.noise", "噪声", 2),
                Indicator("emissions.greenhouse_gas", "温室气体", 2),
                Indicator(
                    "emissions.greenhouse_gas_verification",
                    "温室气体排放第三方核查",
                    1,
                    required=False,
                ),
            ),
        ),
        IndicatorGroup(
            "performance",
            "绩效",
            30,
            (
                Indicator("performance.land", "用地集约化", 6),
                Indicator("performance.materials", "原料无害化", 6),
                Indicator("performance.clean_production", "生产洁净化", 6),
                Indicator("performance.waste_recycling", "废物资源化", 6),
                Indicator("performance.low_carbon_energy", "能源低碳化", 6),
            ),
        ),
    ),
)
