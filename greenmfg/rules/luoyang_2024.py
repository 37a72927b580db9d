"""洛阳 ``luoyang-2024``.

洛阳市工业和信息化局《洛阳市绿色制造体系梯度培育及管理暂行办法》
（洛工信〔2024〕95号，2024年9月23日印发，自发布之日起实施，有效期五年）.

Conditions encoded, in the document's order:

- 第七条 绿色工厂: (一) 独立法人资格或视同法人的独立核算单位，从事实际生产的制造型
  企业; (二) 重点领域行业能效达到标杆水平，其他行业达到限额标准先进值或1级水平;
  (三) 符合第十四条相关标准要求.
- 第八条 绿色工业园区: (一) 法定边界和范围、统一管理机构、以产品制造和能源供给为
  主要功能、工业增加值占比 **超过**50%; (二) 发布培育计划并组织园区内企业创建;
  (三) 符合第十四条相关标准要求.
- 第九条 绿色供应链管理企业: (一) 独立法人资格、链主企业、积极创建绿色工厂;
  (二) 供应商绿色工厂培育计划; (三) 符合第十四条相关标准要求.
- 第十条 绿色设计产品: (一) 独立法人资格、制造型企业; (二) 全生命周期原则;
  (三) 有相关标准 (第十四条: 工信部《绿色设计产品标准清单》内的产品标准 **或** 河南省
  发布的地方或团体产品评价标准); (四) 符合第十四条相关标准要求.
- 第十五条 负面清单 (企业或园区，近三年), every unit type; a serious inspection problem
  bars the unit even when rectified.
- 第十四条 分数线: 得分80分（含）以上 (see ``meets_threshold``).

Added fact keys (not in the public contract): ``meets_evaluation_standard``,
``main_function_manufacturing_and_energy``, ``is_chain_leader``, ``creating_green_factory``
(第九条(一) "积极创建绿色工厂": satisfied by ``is_green_factory`` or by this),
``product_standard_provincial``.

有效期 (第二十六条 本办法自发布之日起实施，有效期五年): issued and in force from 2024-09-23 (the
notice's date), five years to 2029-09-22 inclusive. A batch under this policy must fall in it
(see ``greenmfg.rules.registry.batch_period_finding``).

Not conditions: 第六条 (the counties' cultivation duties). The document does not require
registration in the city, so ``registered_in_city`` is not read.
"""

from __future__ import annotations

from datetime import date

from greenmfg.rules import negative_list
from greenmfg.rules.base import (
    Policy,
    PolicyPeriod,
    Prerequisite,
    Rule,
    any_true,
    greater_than,
    must_be_true,
)
from greenmfg.rules.energy_efficiency import LevelRequirement, energy_efficiency_rule
from greenmfg.rules.evaluation import Intake, one_report_of_the_chosen_mode, self_evaluation_only

CODE = "luoyang-2024"

# 第二十六条 本办法自发布之日起实施，有效期五年. 发布: 2024年9月23日 (洛工信〔2024〕95号).
VALID_FROM = date(2024, 9, 23)
VALID_UNTIL = date(2029, 9, 22)  # five years from the day of issue, that day included
PERIOD = PolicyPeriod(
    valid_from=VALID_FROM,
    valid_until=VALID_UNTIL,
    article="第二十六条",
    wording="自2024年9月23日发布之日起实施，有效期五年，至2029年9月22日",
)

NEGATIVE_LIST = negative_list.NegativeListWording(
    article="第十五条",
    clauses={
        negative_list.NOT_OPERATING: "(一)",
        negative_list.VIOLATION: "(二)",
        negative_list.REMOVED: "(三)",
        negative_list.INSPECTION: "(四)",
        negative_list.ENERGY_SUPERVISION: "(五)",
        negative_list.DISHONEST_DEBTOR: "(六)",
    },
    inspection_forgiven_if_rectified=False,
)


def _legal_entity(article: str) -> Rule:
    return must_be_true(
        "entity.independent_legal_entity",
        "independent_legal_entity",
        article=article,
        clause="(一)",
    )


def _manufacturer(article: str) -> Rule:
    return must_be_true("entity.is_manufacturer", "is_manufacturer", article=article, clause="(一)")


def _evaluation_standard(article: str, clause: str) -> Rule:
    # 符合本办法第十四条相关标准要求
    return must_be_true(
        "standard.evaluation_standard", "meets_evaluation_standard", article=article, clause=clause
    )


FACTORY: tuple[Rule, ...] = (
    _legal_entity("第七条"),
    _manufacturer("第七条"),
    energy_efficiency_rule(
        "factory.energy_efficiency",
        article="第七条",
        clause="(二)",
        key_sector=LevelRequirement({"benchmark"}, "能效标杆水平"),
        other_sector=LevelRequirement(
            {"benchmark", "quota_advanced", "level_1"}, "能源消耗限额标准先进值或1级水平"
        ),
    ),
    _evaluation_standard("第七条", "(三)"),
    *negative_list.rules(NEGATIVE_LIST),
)

PARK: tuple[Rule, ...] = (
    must_be_true("park.legal_boundary", "has_legal_boundary", article="第八条", clause="(一)"),
    must_be_true(
        "park.unified_management", "has_unified_management", article="第八条", clause="(一)"
    ),
    must_be_true(
        "park.main_function",
        "main_function_manufacturing_and_energy",
        article="第八条",
        clause="(一)",
    ),
    greater_than(
        "park.value_added_share",
        "industrial_value_added_share",
        article="第八条",
        clause="(一)",
        limit=50,
        unit="%",
    ),
    must_be_true(
        "park.cultivation_plan", "published_cultivation_plan", article="第八条", clause="(二)"
    ),
    _evaluation_standard("第八条", "(三)"),
    *negative_list.rules(NEGATIVE_LIST),
)

SUPPLY_CHAIN: tuple[Rule, ...] = (
    _legal_entity("第九条"),
    must_be_true("supply_chain.chain_leader", "is_chain_leader", article="第九条", clause="(一)"),
    any_true(
        "supply_chain.green_factory_creation",
        ("is_green_factory", "creating_green_factory"),
        article="第九条",
        clause="(一)",
    ),
    must_be_true(
        "supply_chain.supplier_cultivation_plan",
        "supplier_cultivation_plan",
        article="第九条",
        clause="(二)",
    ),
    _evaluation_standard("第九条", "(三)"),
    *negative_list.rules(NEGATIVE_LIST),
)

DESIGN_PRODUCT: tuple[Rule, ...] = (
    _legal_entity("第十条"),
    _manufacturer("第十条"),
    must_be_true(
        "design_product.lifecycle_principles",
        "lifecycle_principles_followed",
        article="第十条",
        clause="(二)",
    ),
    # 第十四条 names the standards that count: the MIIT list or Henan's local/group standards.
    any_true(
        "design_product.product_standard",
        ("product_standard_in_miit_list", "product_standard_provincial"),
        article="第十条",
        clause="(三)",
    ),
    _evaluation_standard("第十条", "(四)"),
    *negative_list.rules(NEGATIVE_LIST),
)

POLICY = Policy(
    code=CODE,
    title="洛阳市绿色制造体系梯度培育及管理暂行办法",
    document="洛工信〔2024〕95号",
    rules={
        "factory": FACTORY,
        "park": PARK,
        "supply_chain": SUPPLY_CHAIN,
        "design_product": DESIGN_PRODUCT,
    },
    threshold=80,
    threshold_article="第十四条",
    threshold_wording="得分80分（含）以上",
    # 第二十二条 names green factories only; the document sets no condition for the national list.
    prerequisites=(
        Prerequisite(
            target="province",
            required="city",
            unit_types=frozenset({"factory"}),
            article="第二十二条",
            wording="洛阳市绿色工厂是省级绿色工厂推荐的前置条件",
        ),
    ),
    period=PERIOD,
)


# 第十一条: 企业、园区可采取自评价或委托……第三方机构开展评价; 绿色设计产品……开展自评价.
EVALUATION = {
    "factory": one_report_of_the_chosen_mode(article="第十一条", document="洛阳 第十一条"),
    "park": one_report_of_the_chosen_mode(article="第十一条", document="洛阳 第十一条"),
    "supply_chain": one_report_of_the_chosen_mode(article="第十一条", document="洛阳 第十一条"),
    "design_product": self_evaluation_only(article="第十一条", document="洛阳 第十一条"),
}

# 第十二条: units apply through their county to the city; 第二十二条: the city list is the
# condition of a recommendation to the province, so no unit applies to a higher batch itself.
INTAKE = Intake(
    levels=frozenset({"city"}),
    article="第二十二条",
    wording=(
        "企业、园区向所在县区申报市级名单；"
        "省级及以上名单由市级名单单位中推荐产生（洛阳 第二十二条）"
    ),
)
