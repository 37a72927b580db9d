"""初审核对清单: what the county checks on every application before recommending it.

Pure data. The items follow what the three documents ask the county to verify (洛阳 第十二条,
济南 第十条, 大连 一): the materials, their truthfulness, the negative list, and the
type-specific basis of the application.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: str


COMMON = (
    ChecklistItem("materials_complete", "申报材料齐全，电子版与纸质材料一致"),
    ChecklistItem("identity_verified", "单位名称、统一社会信用代码与营业执照一致"),
    ChecklistItem("report_authentic", "自评价或第三方评价报告真实、完整，数据来源可核实"),
    ChecklistItem("negative_list_verified", "已核实近三年无负面清单情形（信用记录、事故、督查）"),
)

BY_UNIT_TYPE = {
    "factory": (
        ChecklistItem("energy_data_consistent", "能耗、水耗、排放等数据与统计报表口径一致"),
        ChecklistItem("on_site_representative", "工厂具有代表性和引领性（优中选优）"),
    ),
    "park": (
        ChecklistItem("boundary_verified", "园区法定边界、管理机构和工业增加值占比已核实"),
        ChecklistItem("enterprises_compliant", "园区内重点企业排放达标，无重大污染或安全事故"),
    ),
    "supply_chain": (
        ChecklistItem("chain_leader_verified", "企业在产业链中的主导地位和供应商管理体系已核实"),
        ChecklistItem("supplier_plan_verified", "供应商绿色培育计划已落实"),
    ),
    "design_product": (
        ChecklistItem("standard_verified", "产品评价标准在工信部清单或本省发布标准之内"),
        ChecklistItem("product_tested", "产品检测报告真实有效"),
    ),
}


def checklist_for(unit_type: str) -> tuple[ChecklistItem, ...]:
    return COMMON + BY_UNIT_TYPE.get(unit_type, ())


# The departments each policy requires the county to consult before recommending.
REQUIRED_DEPARTMENTS = {
    # 洛阳 第十二条：充分征求县区生态环境、应急管理、市场监管等部门意见
    "luoyang-2024": ("ecology_environment", "emergency_management", "market_regulation"),
    # 济南 第十条：征求区县（功能区）生态环境、应急管理、市场监管、税务等部门意见
    "jinan-2024": ("ecology_environment", "emergency_management", "market_regulation", "tax"),
    # 大连 一：充分征求生态环境、应急管理、市场监管等部门意见
    "dalian-2022-national": ("ecology_environment", "emergency_management", "market_regulation"),
}

REQUIRED_DEPARTMENTS_CITATION = {
    "luoyang-2024": "洛阳 第十二条",
    "jinan-2024": "济南 第十条",
    "dalian-2022-national": "大连 一",
}
