"""The application, batch and 培育库 tables, every (state, action, role), without a database.

申报 (洛阳 第十二条, 济南 第十条): the applicant submits, the county reviews and recommends, the
bureau that opened the batch runs the expert review, decides, publicises and publishes the list;
大连 一: a city's round ends in its recommendation upward. 培育库 (洛阳 第四条、第六条): only the
county keeps the pool; the portal itself records the application and the listing.
"""

from applications.models import Application, Batch, CultivationCandidate
from applications.workflow import application_workflow, batch_workflow, pool_workflow
from greenmfg.accounts.roles import Role
from tests.workflow_cases import cases, check_case, check_table, step

A = Application.Status
B = Batch.Status
P = CultivationCandidate.Status
APPLICANT = {Role.APPLICANT}
COUNTY = {Role.COUNTY_OFFICIAL, Role.SYSADMIN}
AUTHORITY = {Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL, Role.SYSADMIN}
POOL_KEEPERS = {Role.COUNTY_OFFICIAL, Role.SYSADMIN}
PORTAL = {"system"}

APPLICATION = (
    step(A.DRAFT, "submit", A.SUBMITTED, APPLICANT),
    step(A.RETURNED, "submit", A.SUBMITTED, APPLICANT),
    step(A.SUBMITTED, "withdraw", A.DRAFT, APPLICANT),
    step(A.SUBMITTED, "return", A.RETURNED, COUNTY, comment=True),
    step(A.SUBMITTED, "start_review", A.COUNTY_REVIEW, COUNTY),
    step(A.COUNTY_REVIEW, "return", A.RETURNED, COUNTY, comment=True),
    step(A.COUNTY_REVIEW, "recommend", A.RECOMMENDED, COUNTY),
    step(A.COUNTY_REVIEW, "not_recommend", A.NOT_RECOMMENDED, COUNTY, comment=True),
    step(A.RECOMMENDED, "revoke_recommendation", A.COUNTY_REVIEW, COUNTY, comment=True),
    step(A.RECOMMENDED, "start_expert_review", A.EXPERT_REVIEW, AUTHORITY),
    step(A.EXPERT_REVIEW, "request_onsite", A.ONSITE_CHECK, AUTHORITY),
    step(A.EXPERT_REVIEW, "decide_pass", A.PASSED, AUTHORITY),
    step(A.ONSITE_CHECK, "decide_pass", A.PASSED, AUTHORITY),
    step(A.EXPERT_REVIEW, "decide_fail", A.FAILED, AUTHORITY, comment=True),
    step(A.ONSITE_CHECK, "decide_fail", A.FAILED, AUTHORITY, comment=True),
    step(A.PASSED, "reopen_decision", A.EXPERT_REVIEW, AUTHORITY, comment=True),
    step(A.FAILED, "reopen_decision", A.EXPERT_REVIEW, AUTHORITY, comment=True),
    step(A.PASSED, "start_publicity", A.IN_PUBLICITY, AUTHORITY, service=True),
    step(A.IN_PUBLICITY, "uphold_objection", A.NOT_LISTED, AUTHORITY, comment=True, service=True),
    step(A.IN_PUBLICITY, "publish_list", A.LISTED, AUTHORITY, service=True),
    step(A.PASSED, "recommend_upward", A.PROMOTED, AUTHORITY, service=True),
    step(
        A.RECOMMENDED,
        "withdraw_promotion",
        A.NOT_RECOMMENDED,
        AUTHORITY,
        comment=True,
        service=True,
    ),
    step(A.NOT_RECOMMENDED, "renew_promotion", A.RECOMMENDED, AUTHORITY, service=True),
)

BATCH = (
    step(B.DRAFT, "publish", B.OPEN, AUTHORITY),
    step(B.OPEN, "close", B.CLOSED, AUTHORITY),
    step(B.CLOSED, "reopen", B.OPEN, AUTHORITY, comment=True),
)

POOL = (
    step(P.CULTIVATING, "invite", P.INVITED, POOL_KEEPERS),
    step(P.INVITED, "cancel_invitation", P.CULTIVATING, POOL_KEEPERS),
    step(P.CULTIVATING, "withdraw", P.WITHDRAWN, POOL_KEEPERS, comment=True),
    step(P.WITHDRAWN, "reinstate", P.CULTIVATING, POOL_KEEPERS),
    step(P.CULTIVATING, "apply", P.APPLIED, PORTAL),
    step(P.INVITED, "apply", P.APPLIED, PORTAL),
    step(P.APPLIED, "list", P.LISTED, PORTAL),
)


def test_application_table_is_complete_and_every_state_is_reached_from_draft():
    check_table(application_workflow, APPLICATION, entry=[A.DRAFT])


@cases(application_workflow, APPLICATION)
def test_application_step_is_allowed_only_as_listed(state, action, role):
    check_case(application_workflow, APPLICATION, state, action, role)


def test_batch_table_is_complete_and_every_state_is_reached_from_draft():
    check_table(batch_workflow, BATCH, entry=[B.DRAFT])


@cases(batch_workflow, BATCH)
def test_batch_step_is_allowed_only_as_listed(state, action, role):
    check_case(batch_workflow, BATCH, state, action, role)


def test_pool_table_is_complete_and_every_state_is_reached_from_cultivating():
    check_table(pool_workflow, POOL, entry=[P.CULTIVATING])


@cases(pool_workflow, POOL)
def test_pool_step_is_allowed_only_as_listed(state, action, role):
    check_case(pool_workflow, POOL, state, action, role)
