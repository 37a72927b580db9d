"""绿色工厂 per GB/T 36132-2025《绿色工厂评价通则》 (replaces GB/T 36132-2018).

The 2025 standard rebuilds the sheet around the 新五化: 能源低碳化, 资源高效化, 生产洁净化,
产品绿色化 and 用地集约化, weighted 30/25/20/15/10 here. Its quantitative indicators carry 60%
of the total and are scored against a 基准值 (0 points) and a 引领值 (full marks): here each
quantitative item's full marks are its share of its group, and those shares times the groups'
weights add up to exactly 60 (the tests hold the template to it).

The 基准值 and 引领值 below are placeholders of a plausible order of magnitude, not the
standard's numbers: they differ by industry and are per-industry settings an administrator
edits (a copy of this template with the industry's values, under its own version). Lower is
better for the per-unit consumptions and emissions, higher for the rates and 容积率.

The basic requirements carry over the 2018 standard's general ones (依法设立, 无较大及以上事故,
合法合规) plus 无淘汰落后设备; like the indicator list, they are the platform's reading and an
administrator aligns them with the published text and the industry's detailed standard.
"""

from reviews.scoring import (
    INTERPOLATED,
    BasicRequirement,
    Indicator,
    IndicatorGroup,
    ScoringTemplate,
)


def quantitative(
    code: str, name: str, max_points: int, *, unit: str, baseline: str, leading: str
) -> Indicator:
    """A required quantitative indicator, interpolated between 基准值 and 引领值."""
    return Indicator(
        code, name, max_points, method=INTERPOLATED, baseline=baseline, leading=leading, unit=unit
    )


TEMPLATE = ScoringTemplate(
    code="green-factory",
    version="2025",
    title="绿色工厂评价（GB/T 36132-2025）",
    unit_type="factory",
    standard="GB/T 36132-2025",
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
        BasicRequirement("basic.no_obsolete_equipment", "未使用国家明令淘汰的落后生产工艺和设备"),
        BasicRequirement(
            "basic.organisation",
            "设有绿色工厂管理机构，制定绿色工厂中长期规划及年度目标、指标和实施方案",
        ),
    ),
    groups=(
        IndicatorGroup(
            "energy",
            "能源低碳化",
            30,
            (
                quantitative(
                    "energy.consumption_per_unit",
                    "单位产品综合能耗",
                    10,
                    unit="kgce/t",
                    baseline="120",
                    leading="80",
                ),
                quantitative(
                    "energy.carbon_per_unit",
                    "单位产品碳排放量",
                    8,
                    unit="tCO₂e/t",
                    baseline="0.50",
                    leading="0.30",
                ),
                quantitative(
                    "energy.renewable_share",
                    "可再生能源使用比例",
                    6,
                    unit="%",
                    baseline="5",
                    leading="30",
                ),
                Indicator("energy.management", "能源与碳排放管理", 6),
                Indicator("energy.waste_heat", "余热余压利用", 2, required=False),
            ),
        ),
        IndicatorGroup(
            "resources",
            "资源高效化",
            25,
            (
                quantitative(
                    "resources.water_per_unit",
                    "单位产品取水量",
                    5,
                    unit="m³/t",
                    baseline="3.0",
                    leading="1.5",
                ),
                quantitative(
                    "resources.solid_waste_utilisation",
                    "工业固体废物综合利用率",
                    5,
                    unit="%",
                    baseline="70",
                    leading="95",
                ),
                quantitative(
                    "resources.wastewater_reuse",
                    "废水处理回用率",
                    5,
                    unit="%",
                    baseline="30",
                    leading="80",
                ),
                Indicator("resources.green_materials", "绿色物料使用与绿色采购", 5),
                Indicator("resources.hazardous_substitution", "有害物质减量与替代", 5),
            ),
        ),
        IndicatorGroup(
            "clean_production",
            "生产洁净化",
            20,
            (
                quantitative(
                    "clean_production.pollutant_per_unit",
                    "单位产品主要污染物产生量",
                    5,
                    unit="kg/t",
                    baseline="1.0",
                    leading="0.4",
                ),
                quantitative(
                    "clean_production.wastewater_per_unit",
                    "单位产品废水产生量",
                    5,
                    unit="m³/t",
                    baseline="2.0",
                    leading="1.0",
                ),
                Indicator("clean_production.treatment", "污染物治理设施及运行", 5),
                Indicator("clean_production.audit", "清洁生产审核", 5),
            ),
        ),
        IndicatorGroup(
            "product",
            "产品绿色化",
            15,
            (
                Indicator("product.ecodesign", "生态设计", 4),
                Indicator("product.hazardous_substances", "有害物质限制使用", 4),
                Indicator("product.efficiency", "产品能效、水效", 4),
                quantitative(
                    "product.recyclability",
                    "产品可回收利用率",
                    3,
                    unit="%",
                    baseline="60",
                    leading="90",
                ),
                Indicator("product.carbon_footprint", "产品碳足迹核算", 2, required=False),
            ),
        ),
        IndicatorGroup(
            "land",
            "用地集约化",
            10,
            (
                quantitative(
                    "land.plot_ratio", "容积率", 4, unit="", baseline="0.8", leading="1.5"
                ),
                quantitative(
                    "land.output_per_area",
                    "单位用地面积产值",
                    4,
                    unit="万元/公顷",
                    baseline="5000",
                    leading="15000",
                ),
                Indicator("land.layout", "厂区布局与多层厂房", 2),
            ),
        ),
    ),
)
