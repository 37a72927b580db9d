"""The caps on an agency's projects, as pure rules: which documents set one, and the boundary."""

import pytest

from greenmfg.rules.agency import (
    PER_BATCH_LEGAL_ENTITY,
    PER_YEAR_LEGAL_REPRESENTATIVE,
    agency_cap,
    cap_finding,
    is_counted,
)


@pytest.mark.parametrize(
    ("policy", "scope", "article"),
    [
        ("luoyang-2024", PER_YEAR_LEGAL_REPRESENTATIVE, "第二十条"),
        ("dalian-2022-national", PER_BATCH_LEGAL_ENTITY, "二"),
    ],
)
def test_the_documents_that_set_a_cap_of_fifteen(policy, scope, article):
    cap = agency_cap(policy)

    assert (cap.scope, cap.limit, cap.article) == (scope, 15, article)


def test_jinan_sets_no_cap():
    assert agency_cap("jinan-2024") is None
    finding = cap_finding("jinan-2024", used=99)
    assert finding.passed and "未设" in finding.message


@pytest.mark.parametrize("policy", ["luoyang-2024", "dalian-2022-national"])
@pytest.mark.parametrize(("used", "passed"), [(13, True), (14, True), (15, False), (16, False)])
def test_the_fifteenth_is_taken_and_the_sixteenth_refused(policy, used, passed):
    finding = cap_finding(policy, used=used)

    assert finding.passed is passed
    assert f"再增加 1 项为 {used + 1} 项" in finding.message
    assert finding.values["limit"] == 15


@pytest.mark.parametrize(
    ("unit_type", "counted"),
    [("factory", True), ("park", True), ("supply_chain", True), ("design_product", False)],
)
def test_design_products_are_not_counted(unit_type, counted):
    assert is_counted(unit_type) is counted
