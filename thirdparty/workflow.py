"""The agency's transition tables: 本机构资质 from draft to approval (大连 二, 济南 第十四条), and
the 评价委托 (engagement) an application gives its agency.

Pure data, run by thirdparty.services.profile and thirdparty.services.agencies, and tested without a
database in tests/thirdparty/test_workflow.py.
"""

from django.utils.translation import gettext_lazy

from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.core.workflow import Transition, Workflow
from thirdparty.models import AgencyProfile, Engagement

S = AgencyProfile.Status
AGENCY = frozenset({Role.AGENCY_STAFF})
APPROVERS = frozenset({*OFFICIAL_ROLES, Role.SYSADMIN})
# The service that reopens an approved profile when the agency changes it.
REOPEN_SERVICE = "agency_profile_change"

profile_workflow = Workflow(
    "agency_profile",
    states=dict(S.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(S.DRAFT, "submit", S.SUBMITTED, AGENCY, gettext_lazy("提交审核")),
        Transition(S.RETURNED, "submit", S.SUBMITTED, AGENCY, gettext_lazy("重新提交审核")),
        Transition(S.SUBMITTED, "approve", S.APPROVED, APPROVERS, gettext_lazy("审核通过")),
        Transition(
            S.SUBMITTED,
            "return",
            S.RETURNED,
            APPROVERS,
            gettext_lazy("退回修改"),
            needs_comment=True,
        ),
        # Taken when the agency changes an approved profile: it is reviewed again.
        Transition(
            S.APPROVED,
            "reopen",
            S.SUBMITTED,
            AGENCY,
            gettext_lazy("资质信息变更，重新提交审核"),
            by_service=True,
        ),
    ],
)

# 评价委托: created "active" when an application names its agency (engagement_sync); withdrawn
# by the same service when the applicant (or the authority, on promotion) changes or drops the
# agency. Whoever may change the application's agency takes it, so every role is listed: the
# permission is the application's, checked before.
ENGAGEMENT_SERVICE = "engagement_sync"
engagement_workflow = Workflow(
    "engagement",
    states=dict(Engagement.Status.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(
            Engagement.Status.ACTIVE,
            "withdraw",
            Engagement.Status.WITHDRAWN,
            frozenset(Role.values),
            gettext_lazy("撤销评价委托"),
            by_service=True,
        )
    ],
)
