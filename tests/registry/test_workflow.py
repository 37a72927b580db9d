"""The complaint table (洛阳 第二十一条, 济南 第二十一条), every (state, action, role), no database.

A bureau (county, city, province or national) starts verifying a received complaint and closes
it with a note; administrators keep the system and do not handle complaints.
"""

from greenmfg.accounts.roles import Role
from registry.models import Complaint
from registry.workflow import complaint_workflow
from tests.workflow_cases import cases, check_case, check_table, step

C = Complaint.Status
HANDLERS = {
    Role.COUNTY_OFFICIAL,
    Role.CITY_OFFICIAL,
    Role.PROVINCE_OFFICIAL,
    Role.NATIONAL_OFFICIAL,
}

COMPLAINT = (
    step(C.RECEIVED, "verify", C.VERIFYING, HANDLERS),
    step(C.VERIFYING, "close", C.CLOSED, HANDLERS, comment=True),
)


def test_complaint_table_is_complete_and_every_state_is_reached_from_received():
    check_table(complaint_workflow, COMPLAINT, entry=[C.RECEIVED])


@cases(complaint_workflow, COMPLAINT)
def test_complaint_step_is_allowed_only_as_listed(state, action, role):
    check_case(complaint_workflow, COMPLAINT, state, action, role)
