"""绿色供应链管理企业 per 《绿色供应链管理企业评价要求》 (工业和信息化部, 《关于开展绿色制造
体系建设的通知》工信厅节函〔2016〕586号 附件), read with GB/T 33635-2017《绿色制造 制造企业
绿色供应链管理 导则》.

The document's six 一级指标 are the groups, weighted on this platform 战略 20, 供应商管理 20,
绿色生产 20, 绿色回收 20, 信息平台 10 and 信息披露 10 (the tests hold these weights). Experts
score each indicator by hand; 推动供应商创建绿色工厂 and 废旧产品再制造 are 可选 extra points.
"""

from reviews.scoring import BasicRequirement, Indicator, IndicatorGroup, ScoringTemplate

TEMPLATE = ScoringTemplate(
    code="green-supply-chain",
    version="2016",
    title="绿色供应链管理企业评价",
    unit_type="supply_chain",
    standard="《绿色供应链管理企业评价要求》（工信厅节函〔2016〕586号附件）",
    basic_requirements=(
        BasicRequirement("basic.established", "依法设立，具有独立法人资格，合法合规经营"),
        BasicRequirement("basic.no_accident", "近三年无较大及以上安全、环保、质量等事故"),
        BasicRequirement(
            "basic.system", "建立绿色供应链管理体系，将绿色供应链管理纳入企业管理制度"
        ),
    ),
    groups=(
        IndicatorGroup(
            "strategy",
            "绿色供应链管理战略",
            20,
            (
                Indicator("strategy.development_plan", "纳入公司发展规划", 7),
                Indicator("strategy.targets", "制定绿色供应链管理目标", 7),
                Indicator("strategy.organisation", "设置专门管理机构", 6),
            ),
        ),
        IndicatorGroup(
            "suppliers",
            "实施绿色供应商管理",
            20,
            (
                Indicator("suppliers.procurement_rules", "绿色采购标准和制度", 4),
                Indicator("suppliers.certification", "供应商认证体系", 4),
                Indicator("suppliers.audits", "对供应商定期审核", 4),
                Indicator("suppliers.performance", "供应商绩效评估", 4),
                Indicator("suppliers.training", "定期对供应商开展培训", 2),
                Indicator("suppliers.low_risk_share", "低风险供应商占比", 2),
                Indicator("suppliers.green_factories", "推动供应商创建绿色工厂", 2, required=False),
            ),
        ),
        IndicatorGroup(
            "production",
            "绿色生产",
            20,
            (
                Indicator("production.compliance", "节能减排环保合规", 8),
                Indicator("production.hazardous_substances", "符合有害物质限制使用要求", 6),
                Indicator("production.green_factory", "创建绿色工厂或实施清洁生产审核", 6),
            ),
        ),
        IndicatorGroup(
            "recycling",
            "绿色回收",
            20,
            (
                Indicator("recycling.product_rate", "产品回收率", 7),
                Indicator("recycling.packaging_rate", "包装回收率", 6),
                Indicator("recycling.system", "回收体系完善（自建或委托第三方回收平台）", 7),
                Indicator("recycling.remanufacturing", "废旧产品再制造", 2, required=False),
            ),
        ),
        IndicatorGroup(
            "platform",
            "绿色信息平台建设",
            10,
            (
                Indicator("platform.system", "绿色供应链管理信息平台", 6),
                Indicator("platform.coverage", "平台覆盖供应商和产品全生命周期数据", 4),
            ),
        ),
        IndicatorGroup(
            "disclosure",
            "绿色信息披露",
            10,
            (
                Indicator("disclosure.own_emissions", "披露企业节能减排减碳信息", 3),
                Indicator(
                    "disclosure.supplier_audits", "披露高、中风险供应商审核率及低风险供应商占比", 3
                ),
                Indicator("disclosure.supplier_emissions", "披露供应商节能减排减碳信息", 2),
                Indicator("disclosure.social_responsibility", "发布企业社会责任报告", 2),
            ),
        ),
    ),
)
