"""大连 二: the basic conditions of a third-party evaluation agency, on the pure function, and
who the roster counts (``counts_from_rows``, the in-memory twin of the selector's SQL)."""

from __future__ import annotations

import datetime

import pytest

from greenmfg.rules.agency import agency_qualification
from thirdparty.models import StaffMember
from thirdparty.selectors.profile import counts_from_rows, qualification_facts

DECLARATIONS = {
    "independent_legal_entity": True,
    "has_fixed_office": True,
    "has_finance_system": True,
    "staff_compliance": True,
    "evaluation_capability": True,
}
TODAY = datetime.date(2026, 11, 27)


def facts(**changes):
    return {
        **DECLARATIONS,
        "full_time_green_staff": 10,
        "senior_key_field_staff": 5,
        "recent_experience": 1,
        **changes,
    }


def finding(verdict, code):
    [found] = [f for f in verdict.findings if f.code == code]
    return found


def member(**changes) -> StaffMember:
    values = {
        "name": "评价员",
        "full_time": True,
        "title_level": "intermediate",
        "field": "energy",
        "green_evaluation": True,
    }
    return StaffMember(**{**values, **changes})


def roster(green: int = 10, senior: int = 5, extra=()):
    """``green`` counted staff, the first ``senior`` of them senior in a key field."""
    rows = [
        member(title_level="senior" if index < senior else "intermediate") for index in range(green)
    ]
    return [*rows, *extra]


def judged(staff, years=(2025,)):
    counts = counts_from_rows(staff, years, today=TODAY)
    return agency_qualification({**DECLARATIONS, **counts})


def test_a_full_agency_meets_every_condition():
    verdict = agency_qualification(facts())
    assert verdict.eligible
    assert [f.citation for f in verdict.findings] == [
        "二(一)",
        "二(二)",
        "二(二)",
        "二(三)",
        "二(三)",
        "二(四)",
        "二(五)",
        "二(五)",
    ]


@pytest.mark.parametrize(("count", "passed"), [(9, False), (10, True), (11, True), (0, False)])
def test_ten_full_time_green_staff(count, passed):
    verdict = agency_qualification(facts(full_time_green_staff=count))
    staff = finding(verdict, "agency.staff")
    assert staff.passed is passed and verdict.eligible is passed
    assert f"专职人员 {count} 人" in staff.message
    assert ("达到 10 人" if passed else "少于 10 人") in staff.message


@pytest.mark.parametrize(("count", "passed"), [(4, False), (5, True), (6, True)])
def test_five_senior_staff_in_the_named_fields(count, passed):
    verdict = agency_qualification(facts(senior_key_field_staff=count))
    senior = finding(verdict, "agency.senior_staff")
    assert senior.passed is passed and verdict.eligible is passed
    assert "能源、环境、生态、低碳、生命周期评价" in senior.message
    assert f"{count} 人" in senior.message


@pytest.mark.parametrize(("count", "passed"), [(0, False), (1, True), (3, True)])
def test_experience_within_five_years(count, passed):
    verdict = agency_qualification(facts(recent_experience=count))
    experience = finding(verdict, "agency.experience")
    assert experience.passed is passed and verdict.eligible is passed
    assert ("无绿色制造" in experience.message) is not passed


@pytest.mark.parametrize(
    ("name", "code", "clause"),
    [
        ("independent_legal_entity", "agency.legal_entity", "(一)"),
        ("has_fixed_office", "agency.office", "(二)"),
        ("has_finance_system", "agency.finance", "(二)"),
        ("staff_compliance", "agency.compliance", "(四)"),
        ("evaluation_capability", "agency.capability", "(五)"),
    ],
)
@pytest.mark.parametrize("value", [False, None])
def test_each_declaration_is_required(name, code, clause, value):
    verdict = agency_qualification(facts(**{name: value}))
    assert not verdict.eligible
    [failed] = verdict.failed
    assert failed.code == code and failed.clause == clause
    assert "未声明或不具备" in failed.message


def test_counts_that_are_not_numbers_fail_with_a_message():
    verdict = agency_qualification(facts(full_time_green_staff=True, senior_key_field_staff=None))
    assert finding(verdict, "agency.staff").message == "缺少专职评价人员人数"
    assert finding(verdict, "agency.senior_staff").message == "缺少高级职称人员人数"


def test_no_profile_declares_nothing():
    checked = agency_qualification(qualification_facts(profile=None, green=10, senior=5, recent=1))
    assert {f.code for f in checked.failed} == {
        "agency.legal_entity",
        "agency.office",
        "agency.finance",
        "agency.compliance",
        "agency.capability",
    }


# --- who the roster counts ---------------------------------------------------------------------


def test_ten_counted_staff_five_senior_qualify():
    assert judged(roster()).eligible


@pytest.mark.parametrize(
    "outsider",
    [
        member(full_time=False),
        member(title_level="none"),
        member(green_evaluation=False),
    ],
    ids=["part-timer", "junior-title", "not-green-evaluation"],
)
def test_a_part_timer_a_junior_title_or_a_non_green_evaluator_is_not_counted(outsider):
    counts = counts_from_rows(roster(green=9, extra=[outsider]), [], today=TODAY)
    assert counts["full_time_green_staff"] == 9
    assert not finding(judged(roster(green=9, extra=[outsider])), "agency.staff").passed
    assert judged(roster(green=10, extra=[outsider])).eligible


@pytest.mark.parametrize(
    "outsider",
    [
        member(title_level="senior", full_time=False),
        member(title_level="senior", green_evaluation=False),
    ],
    ids=["senior-part-timer", "senior-not-green"],
)
def test_a_senior_who_is_not_counted_staff_is_not_among_the_five(outsider):
    counts = counts_from_rows(roster(senior=4, extra=[outsider]), [], today=TODAY)
    assert counts["senior_key_field_staff"] == 4


def test_a_senior_in_another_field_counts_among_the_ten_but_not_the_five():
    staff = roster(green=9, senior=4, extra=[member(title_level="senior", field="other")])
    counts = counts_from_rows(staff, [], today=TODAY)
    assert counts == {
        "full_time_green_staff": 10,
        "senior_key_field_staff": 4,
        "recent_experience": 0,
    }
    verdict = judged(staff)
    assert finding(verdict, "agency.staff").passed
    assert not finding(verdict, "agency.senior_staff").passed


@pytest.mark.parametrize("field", ["energy", "environment", "ecology", "low_carbon", "life_cycle"])
def test_each_named_field_counts_among_the_five(field):
    counts = counts_from_rows([member(title_level="senior", field=field)], [], today=TODAY)
    assert counts["senior_key_field_staff"] == 1


@pytest.mark.parametrize(
    ("year", "counted"),
    [(2026, True), (2022, True), (2021, False), (2027, False)],
    ids=["this-year", "four-years-ago", "five-years-ago", "next-year"],
)
def test_recent_experience_is_this_year_and_the_four_before(year, counted):
    assert counts_from_rows([], [year], today=TODAY)["recent_experience"] == int(counted)
    assert finding(judged(roster(), years=[year]), "agency.experience").passed is counted
