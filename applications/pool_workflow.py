"""培育库: a county's candidate is cultivated, invited to apply, applies, or is withdrawn.

洛阳 第四条、第六条: the county bureau keeps the pool, so only county officials (and the system
administrator) move a candidate by hand. ``apply`` is taken by the system when the candidate's
application is submitted, never from a page.
"""

from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import Role
from greenmfg.core.workflow import Transition, Workflow

from .models import CultivationCandidate

S = CultivationCandidate.Status
SYSTEM = "system"  # the role of a step the portal takes itself (actor None in the trail)
POOL_KEEPERS = frozenset({Role.COUNTY_OFFICIAL, Role.SYSADMIN})
PORTAL = frozenset({SYSTEM})
# Taken through candidate_invite (it needs a batch) or by the system, not by a plain button.
SPECIAL_ACTIONS = frozenset({"invite", "apply", "list"})
# A candidacy in these states counts as open: one per organisation and unit type.
OPEN_STATES = frozenset({S.CULTIVATING, S.INVITED, S.APPLIED, S.LISTED})

pool_workflow = Workflow(
    "cultivation_candidate",
    states=dict(S.choices),
    role_labels={**dict(Role.choices), SYSTEM: _("系统")},
    transitions=[
        Transition(S.CULTIVATING, "invite", S.INVITED, POOL_KEEPERS, _("邀请申报")),
        Transition(S.INVITED, "cancel_invitation", S.CULTIVATING, POOL_KEEPERS, _("撤回邀请")),
        Transition(
            S.CULTIVATING, "withdraw", S.WITHDRAWN, POOL_KEEPERS, _("退出培育"), needs_comment=True
        ),
        Transition(S.WITHDRAWN, "reinstate", S.CULTIVATING, POOL_KEEPERS, _("重新纳入")),
        Transition(S.CULTIVATING, "apply", S.APPLIED, PORTAL, _("已提交申报")),
        Transition(S.INVITED, "apply", S.APPLIED, PORTAL, _("已提交申报")),
        # Taken when the application is published on a list (reviews/publicity_services.py).
        Transition(S.APPLIED, "list", S.LISTED, PORTAL, _("已列入名单")),
    ],
)
