"""The organisation registration table, every (state, action, role), without a database.

A unit that registers itself waits for a bureau (or the administrator) to approve it; a bureau
creates units already active. Rejecting and deactivating need a reason; the applicant or agency
resubmits a rejected registration.
"""

from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Organisation
from greenmfg.directory.workflow import organisation_workflow
from tests.workflow_cases import cases, check_case, check_table, step

S = Organisation.Status
OVERSEERS = {
    Role.COUNTY_OFFICIAL,
    Role.CITY_OFFICIAL,
    Role.PROVINCE_OFFICIAL,
    Role.NATIONAL_OFFICIAL,
    Role.SYSADMIN,
}

ORGANISATION = (
    step(S.PENDING, "approve", S.ACTIVE, OVERSEERS),
    step(S.PENDING, "reject", S.REJECTED, OVERSEERS, comment=True),
    step(S.REJECTED, "resubmit", S.PENDING, {Role.APPLICANT, Role.AGENCY_STAFF}),
    step(S.ACTIVE, "deactivate", S.DEACTIVATED, OVERSEERS, comment=True),
    step(S.DEACTIVATED, "reactivate", S.ACTIVE, OVERSEERS),
)


def test_organisation_table_is_complete_and_every_state_is_reached_from_registration():
    check_table(organisation_workflow, ORGANISATION, entry=[S.PENDING, S.ACTIVE])


@cases(organisation_workflow, ORGANISATION)
def test_organisation_step_is_allowed_only_as_listed(state, action, role):
    check_case(organisation_workflow, ORGANISATION, state, action, role)
