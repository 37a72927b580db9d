"""The agency profile table (大连 二; 济南 第十四条), every (state, action, role), no database.

The agency's staff submit the profile; an official (county to national) or the administrator
approves it or returns it with reasons; a change to an approved profile reopens it for review,
only through the profile-change service. An engagement (评价委托) is withdrawn only by the
service that follows the application's choice of agency, whoever changed it.
"""

from greenmfg.accounts.roles import Role
from tests.workflow_cases import cases, check_case, check_table, step
from thirdparty.models import AgencyProfile, Engagement
from thirdparty.workflow import engagement_workflow, profile_workflow

P = AgencyProfile.Status
E = Engagement.Status
EVERYONE = set(Role.values)
AGENCY = {Role.AGENCY_STAFF}
APPROVERS = {
    Role.COUNTY_OFFICIAL,
    Role.CITY_OFFICIAL,
    Role.PROVINCE_OFFICIAL,
    Role.NATIONAL_OFFICIAL,
    Role.SYSADMIN,
}

PROFILE = (
    step(P.DRAFT, "submit", P.SUBMITTED, AGENCY),
    step(P.RETURNED, "submit", P.SUBMITTED, AGENCY),
    step(P.SUBMITTED, "approve", P.APPROVED, APPROVERS),
    step(P.SUBMITTED, "return", P.RETURNED, APPROVERS, comment=True),
    step(P.APPROVED, "reopen", P.SUBMITTED, AGENCY, service=True),
)


def test_profile_table_is_complete_and_every_state_is_reached_from_draft():
    check_table(profile_workflow, PROFILE, entry=[P.DRAFT])


@cases(profile_workflow, PROFILE)
def test_profile_step_is_allowed_only_as_listed(state, action, role):
    check_case(profile_workflow, PROFILE, state, action, role)


ENGAGEMENT = (step(E.ACTIVE, "withdraw", E.WITHDRAWN, EVERYONE, service=True),)


def test_engagement_table_is_complete_and_every_state_is_reached_from_active():
    check_table(engagement_workflow, ENGAGEMENT, entry=[E.ACTIVE])


@cases(engagement_workflow, ENGAGEMENT)
def test_engagement_step_is_allowed_only_as_listed(state, action, role):
    check_case(engagement_workflow, ENGAGEMENT, state, action, role)
