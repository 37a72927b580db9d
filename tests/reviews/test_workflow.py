"""The expert pool, assignment and score-sheet tables, every (state, action, role), no database.

The bureau that opened the batch keeps its 专家库 and withdraws an assignment; the expert submits
the score or recuses for a conflict of interest (a conflict found late takes even a submitted
score off the panel); a sheet is submitted once, by the expert. The batch's authority publishes
the list of a publicity once, and answers each objection once, upheld or dismissed, with a reason
(any official role passes these tables; ``is_batch_authority`` decides).
"""

from greenmfg.accounts.roles import Role
from reviews.models import ExpertAssignment, Objection, Publicity, ScoreSheet
from reviews.workflow import (
    ACTIVE,
    INACTIVE,
    assignment_workflow,
    membership_workflow,
    objection_workflow,
    publicity_workflow,
    sheet_workflow,
)
from tests.workflow_cases import cases, check_case, check_table, step

A = ExpertAssignment.Status
S = ScoreSheet.Status
EXPERT = {Role.EXPERT}
AUTHORITY = {Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL, Role.SYSADMIN}

MEMBERSHIP = (
    step(ACTIVE, "deactivate", INACTIVE, AUTHORITY, comment=True),
    step(INACTIVE, "reactivate", ACTIVE, AUTHORITY),
)

ASSIGNMENT = (
    step(A.ASSIGNED, "submit", A.SUBMITTED, EXPERT),
    step(A.ASSIGNED, "withdraw", A.WITHDRAWN, AUTHORITY, comment=True),
    step(A.SUBMITTED, "withdraw", A.WITHDRAWN, AUTHORITY, comment=True),
    step(A.ASSIGNED, "recuse", A.WITHDRAWN, EXPERT, comment=True),
    step(A.SUBMITTED, "recuse", A.WITHDRAWN, EXPERT, comment=True),
)

SHEET = (step(S.DRAFT, "submit", S.SUBMITTED, EXPERT),)

P = Publicity.Status
OFFICIALS = {
    Role.COUNTY_OFFICIAL,
    Role.CITY_OFFICIAL,
    Role.PROVINCE_OFFICIAL,
    Role.NATIONAL_OFFICIAL,
    Role.SYSADMIN,
}
PUBLICITY = (
    step(P.OPEN, "end", P.ENDED, {"system"}),  # the nightly sweep, the day after the last day
    step(P.OPEN, "publish", P.PUBLISHED, OFFICIALS),  # the sweep has not run: the date decides
    step(P.ENDED, "publish", P.PUBLISHED, OFFICIALS),
)

OBJ = Objection.Status
OBJECTION = (
    step(OBJ.PENDING, "uphold", OBJ.UPHELD, OFFICIALS, comment=True),
    step(OBJ.PENDING, "dismiss", OBJ.DISMISSED, OFFICIALS, comment=True),
)


def test_membership_table_is_complete_and_every_state_is_reached_from_active():
    check_table(membership_workflow, MEMBERSHIP, entry=[ACTIVE])


@cases(membership_workflow, MEMBERSHIP)
def test_membership_step_is_allowed_only_as_listed(state, action, role):
    check_case(membership_workflow, MEMBERSHIP, state, action, role)


def test_assignment_table_is_complete_and_every_state_is_reached_from_assigned():
    check_table(assignment_workflow, ASSIGNMENT, entry=[A.ASSIGNED])


@cases(assignment_workflow, ASSIGNMENT)
def test_assignment_step_is_allowed_only_as_listed(state, action, role):
    check_case(assignment_workflow, ASSIGNMENT, state, action, role)


def test_sheet_table_is_complete_and_every_state_is_reached_from_draft():
    check_table(sheet_workflow, SHEET, entry=[S.DRAFT])


@cases(sheet_workflow, SHEET)
def test_sheet_step_is_allowed_only_as_listed(state, action, role):
    check_case(sheet_workflow, SHEET, state, action, role)


def test_publicity_table_is_complete_and_every_state_is_reached_from_open():
    check_table(publicity_workflow, PUBLICITY, entry=[P.OPEN])


@cases(publicity_workflow, PUBLICITY)
def test_publicity_step_is_allowed_only_as_listed(state, action, role):
    check_case(publicity_workflow, PUBLICITY, state, action, role)


def test_objection_table_is_complete_and_every_state_is_reached_from_pending():
    check_table(objection_workflow, OBJECTION, entry=[OBJ.PENDING])


@cases(objection_workflow, OBJECTION)
def test_objection_step_is_allowed_only_as_listed(state, action, role):
    check_case(objection_workflow, OBJECTION, state, action, role)
