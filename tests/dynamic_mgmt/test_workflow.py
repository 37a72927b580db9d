"""The annual-table, change-report and removal-proposal tables, every (state, action, role), no
database.

动态管理表: the listed unit's own users file the year's table once; nobody moves it back.
复审 (济南 第十五条): an official concludes an open case once, extended or ended.

变更 (洛阳 第十九条, 济南 第十六条、第二十条): the county records its opinion without moving the
report; the city or a level above confirms it, sends it to re-evaluation or finds the unit no
longer meets the standard. 移出 (洛阳 第十八条, 济南 第十九条): an official removes or keeps;
the listing's other open proposals close with a removal only through the removal's own service.
"""

from dynamic_mgmt.models import AnnualTable, ChangeReport, ReReviewCase
from dynamic_mgmt.workflow import (
    annual_table_workflow,
    change_workflow,
    re_review_workflow,
    removal_workflow,
)
from greenmfg.accounts.roles import Role
from registry.models import RemovalProposal
from tests.workflow_cases import cases, check_case, check_table, step

A = AnnualTable.Status
C = ChangeReport.Status
R = RemovalProposal.Status
RR = ReReviewCase.Status
DECIDERS = {Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL}
OFFICIALS = {*DECIDERS, Role.COUNTY_OFFICIAL}

TABLE = (step(A.DRAFT, "file", A.FILED, {Role.APPLICANT}),)

CHANGE = (
    step(C.SUBMITTED, "county_review", C.SUBMITTED, {Role.COUNTY_OFFICIAL}, comment=True),
    step(C.SUBMITTED, "approve", C.APPROVED, DECIDERS),
    step(C.SUBMITTED, "re_evaluate", C.RE_EVALUATION, DECIDERS, comment=True),
    step(C.SUBMITTED, "reject", C.REJECTED, DECIDERS, comment=True),
    step(C.RE_EVALUATION, "approve", C.APPROVED, DECIDERS),
    step(C.RE_EVALUATION, "reject", C.REJECTED, DECIDERS, comment=True),
)

REMOVAL = (
    step(R.OPEN, "remove", R.REMOVED, OFFICIALS),
    step(R.OPEN, "keep", R.KEPT, OFFICIALS, comment=True),
    step(R.OPEN, "close_with_removal", R.REMOVED, OFFICIALS, service=True),
)

RE_REVIEW = (
    step(RR.OPEN, "extend", RR.EXTENDED, OFFICIALS),
    step(RR.OPEN, "end", RR.ENDED, OFFICIALS),
)


def test_annual_table_is_complete_and_filed_is_reached_from_draft():
    check_table(annual_table_workflow, TABLE, entry=[A.DRAFT])


@cases(annual_table_workflow, TABLE)
def test_annual_table_step_is_allowed_only_as_listed(state, action, role):
    check_case(annual_table_workflow, TABLE, state, action, role)


def test_change_table_is_complete_and_every_state_is_reached_from_submitted():
    check_table(change_workflow, CHANGE, entry=[C.SUBMITTED])


@cases(change_workflow, CHANGE)
def test_change_step_is_allowed_only_as_listed(state, action, role):
    check_case(change_workflow, CHANGE, state, action, role)


def test_removal_table_is_complete_and_every_state_is_reached_from_open():
    check_table(removal_workflow, REMOVAL, entry=[R.OPEN])


@cases(removal_workflow, REMOVAL)
def test_removal_step_is_allowed_only_as_listed(state, action, role):
    check_case(removal_workflow, REMOVAL, state, action, role)


def test_re_review_table_is_complete_and_every_state_is_reached_from_open():
    check_table(re_review_workflow, RE_REVIEW, entry=[RR.OPEN])


@cases(re_review_workflow, RE_REVIEW)
def test_re_review_step_is_allowed_only_as_listed(state, action, role):
    check_case(re_review_workflow, RE_REVIEW, state, action, role)
