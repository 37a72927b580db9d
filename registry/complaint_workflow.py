"""举报办理的状态机 (洛阳 第二十一条, 济南 第二十一条).

A complaint is received when the public files it, the handling bureau (the county of the unit,
the city where the complainant filed there, or the bureau of the agency's jurisdiction) or one
above it starts verifying it, and closes it with an outcome and a note. Who may act on which
complaint (the jurisdiction) is checked by the service; the table says which roles may take
which step from which state.
"""

from django.utils.translation import gettext_lazy

from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.core.workflow import Transition, Workflow

from .models import Complaint

S = Complaint.Status
# 县区工业和信息化主管部门或市工业和信息化局 (and the bureaus above them) handle complaints;
# administrators keep the system, they do not verify complaints.
HANDLERS = frozenset(OFFICIAL_ROLES)

complaint_workflow = Workflow(
    "complaint",
    states=dict(S.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(S.RECEIVED, "verify", S.VERIFYING, HANDLERS, gettext_lazy("开始核实")),
        Transition(
            S.VERIFYING,
            "close",
            S.CLOSED,
            HANDLERS,
            gettext_lazy("办结"),
            needs_comment=True,
        ),
    ],
)
