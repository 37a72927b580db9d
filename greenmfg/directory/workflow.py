"""单位登记: the life of an organisation's registration on the portal."""

from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.core.workflow import Transition, Workflow
from greenmfg.directory.models import Organisation

S = Organisation.Status
OVERSEERS = frozenset({*OFFICIAL_ROLES, Role.SYSADMIN})

organisation_workflow = Workflow(
    "organisation",
    states=dict(S.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(S.PENDING, "approve", S.ACTIVE, OVERSEERS, _("审核通过")),
        Transition(S.PENDING, "reject", S.REJECTED, OVERSEERS, _("退回"), needs_comment=True),
        Transition(
            S.REJECTED,
            "resubmit",
            S.PENDING,
            frozenset({Role.APPLICANT, Role.AGENCY_STAFF}),
            _("重新提交"),
        ),
        Transition(S.ACTIVE, "deactivate", S.DEACTIVATED, OVERSEERS, _("停用"), needs_comment=True),
        Transition(S.DEACTIVATED, "reactivate", S.ACTIVE, OVERSEERS, _("恢复启用")),
    ],
)
