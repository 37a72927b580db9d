"""近三年 read two ways, as the documents write them, and each finding says which one applied.

失信被执行人 (洛阳 第十五条(六), 济南 第六条5／第八条5, 大连 一) bars a unit listed at any time
in the last three years, removed or not; 经营异常名单 and 严重违法失信名单 bar it only
「且未被移出」 (洛阳 第十五条(一), 济南 第六条5／第八条5, 大连 一 未正常经营生产).
"""

from __future__ import annotations

import pytest

from greenmfg.rules import evaluate

from .facts import clean_facts, finding

# (policy, unit type, citation of 失信被执行人, citation of 经营异常名单)
CITATIONS = [
    pytest.param("luoyang-2024", "factory", "第十五条(六)", "第十五条(一)", id="luoyang"),
    pytest.param("jinan-2024", "factory", "第六条第5项", "第六条第5项", id="jinan-factory"),
    pytest.param("jinan-2024", "supply_chain", "第八条第5项", "第八条第5项", id="jinan-chain"),
    pytest.param("dalian-2022-national", "factory", "一", "一", id="dalian"),
]


@pytest.mark.parametrize(("policy", "unit_type", "dishonest", "abnormal"), CITATIONS)
def test_dishonest_debtor_finding_says_listing_in_three_years_counts_even_removed(
    policy, unit_type, dishonest, abnormal
):
    verdict = evaluate(
        policy, unit_type, clean_facts(policy, unit_type, dishonest_judgment_debtor=True)
    )

    failed = finding(verdict, "negative.dishonest_judgment_debtor")
    assert verdict.eligible is False
    assert failed.citation == dishonest
    assert failed.policy == policy
    assert failed.message.startswith("近三年曾被列为失信被执行人：是，要求为否（含已移出")
    assert "移出名单不免除本项" in failed.message


@pytest.mark.parametrize(("policy", "unit_type", "dishonest", "abnormal"), CITATIONS)
def test_abnormal_operations_finding_says_only_while_not_removed(
    policy, unit_type, dishonest, abnormal
):
    verdict = evaluate(
        policy, unit_type, clean_facts(policy, unit_type, on_abnormal_operations_list=True)
    )

    failed = finding(verdict, "negative.on_abnormal_operations_list")
    assert failed.citation == abnormal
    assert failed.message == "被列入经营异常名单且未被移出：是，要求为否"
    assert "含已移出" not in failed.message


@pytest.mark.parametrize(("policy", "unit_type", "dishonest", "abnormal"), CITATIONS)
def test_clean_unit_passes_both_readings_with_their_own_wording(
    policy, unit_type, dishonest, abnormal
):
    verdict = evaluate(policy, unit_type, clean_facts(policy, unit_type))

    assert finding(verdict, "negative.dishonest_judgment_debtor").message == (
        "近三年曾被列为失信被执行人：否（含已移出的列入记录）"
    )
    assert finding(verdict, "negative.on_abnormal_operations_list").message == (
        "被列入经营异常名单且未被移出：否"
    )
