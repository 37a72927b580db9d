"""绿色工业园区 per 《绿色园区评价要求》 (工业和信息化部, 《关于开展绿色制造体系建设的通知》
工信厅节函〔2016〕586号 附件).

The document's 基本要求 are the vetoes; its six 一级指标 are the groups: 能源利用绿色化,
资源利用绿色化, 基础设施绿色化, 产业绿色化, 生态环境绿色化 and 运行管理绿色化, weighted
20/20/15/15/20/10 on this platform. Experts score each indicator by hand against the
document's 引导值 for it; items the document leaves optional (中水回用率, 余热资源回收利用率,
绿色建筑 beyond the required share, 公交覆盖, 园区能源监测管理平台 …) are 可选 and only make up
points lost elsewhere in their group.
"""

from reviews.scoring import BasicRequirement, Indicator, IndicatorGroup, ScoringTemplate

TEMPLATE = ScoringTemplate(
    code="green-park",
    version="2016",
    title="绿色工业园区评价",
    unit_type="park",
    standard="《绿色园区评价要求》（工信厅节函〔2016〕586号附件）",
    basic_requirements=(
        BasicRequirement(
            "basic.laws_enforced",
            "国家与地方绿色、循环和低碳相关法律法规、政策和标准得到有效贯彻执行",
        ),
        BasicRequirement(
            "basic.no_major_incident",
            "近三年未发生重大污染事故或重大生态破坏事件，完成国家或地方下达的节能减排指标",
        ),
        BasicRequirement(
            "basic.environment_quality",
            "环境质量达到功能区标准，园区内企业污染物达标排放，重点污染物排放总量不超过控制要求",
        ),
        BasicRequirement("basic.cleaner_production_audit", "园区重点企业100%实施清洁生产审核"),
        BasicRequirement(
            "basic.no_obsolete",
            "园区企业未使用、未生产列入国家淘汰目录的落后技术、工艺、设备和产品",
        ),
        BasicRequirement(
            "basic.green_office", "建立履行绿色发展工作职责的机构，配备2名以上专职工作人员"
        ),
    ),
    groups=(
        IndicatorGroup(
            "energy",
            "能源利用绿色化",
            20,
            (
                Indicator("energy.productivity", "能源产出率", 7),
                Indicator("energy.renewable_share", "可再生能源使用比例", 7),
                Indicator("energy.clean_share", "清洁能源使用率", 6),
            ),
        ),
        IndicatorGroup(
            "resources",
            "资源利用绿色化",
            20,
            (
                Indicator("resources.water_productivity", "水资源产出率", 5),
                Indicator("resources.land_productivity", "土地资源产出率", 5),
                Indicator("resources.solid_waste_utilisation", "工业固体废弃物综合利用率", 5),
                Indicator("resources.water_reuse", "工业用水重复利用率", 5),
                Indicator("resources.reclaimed_water", "中水回用率", 2, required=False),
                Indicator("resources.waste_heat", "余热资源回收利用率", 2, required=False),
                Indicator("resources.waste_gas", "废气资源回收利用率", 2, required=False),
                Indicator("resources.renewable_resources", "再生资源回收利用率", 2, required=False),
            ),
        ),
        IndicatorGroup(
            "infrastructure",
            "基础设施绿色化",
            15,
            (
                Indicator("infrastructure.sewage_treatment", "污水集中处理设施", 6),
                Indicator(
                    "infrastructure.green_industrial_buildings", "新建工业建筑中绿色建筑的比例", 5
                ),
                Indicator(
                    "infrastructure.green_public_buildings", "新建公共建筑中绿色建筑的比例", 4
                ),
                Indicator("infrastructure.bus_coverage", "500米公交站点覆盖率", 2, required=False),
                Indicator(
                    "infrastructure.clean_buses", "节能与新能源公交车比例", 2, required=False
                ),
            ),
        ),
        IndicatorGroup(
            "industry",
            "产业绿色化",
            15,
            (
                Indicator("industry.high_tech_share", "高新技术产业产值占园区工业总产值比例", 4),
                Indicator("industry.green_industry_share", "绿色产业增加值占园区工业增加值比例", 4),
                Indicator("industry.value_added_per_capita", "人均工业增加值", 4),
                Indicator("industry.modern_services_share", "现代服务业比例", 3),
            ),
        ),
        IndicatorGroup(
            "environment",
            "生态环境绿色化",
            20,
            (
                Indicator(
                    "environment.solid_waste_disposal", "工业固体废物（含危废）处置利用率", 4
                ),
                Indicator("environment.carbon_reduction", "万元工业增加值碳排放量消减率", 4),
                Indicator("environment.wastewater_per_value", "单位工业增加值废水排放量", 4),
                Indicator("environment.pollutant_elasticity", "主要污染物弹性系数", 3),
                Indicator("environment.air_quality", "园区空气质量优良率", 3),
                Indicator("environment.green_coverage", "绿化覆盖率", 2),
            ),
        ),
        IndicatorGroup(
            "management",
            "运行管理绿色化",
            10,
            (
                Indicator("management.standards", "绿色园区标准体系完善程度", 3),
                Indicator("management.plan", "编制绿色园区发展规划", 4),
                Indicator("management.information_platform", "绿色园区信息平台完善程度", 3),
                Indicator(
                    "management.energy_monitoring", "园区能源监测管理平台", 2, required=False
                ),
                Indicator(
                    "management.systems",
                    "建立并运行环境管理体系和能源管理体系",
                    2,
                    required=False,
                ),
            ),
        ),
    ),
)
