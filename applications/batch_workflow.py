"""申报批次: a batch is drafted, published for applications, closed at the deadline, reopened.

Only the bureau that organises the batch moves it (the service checks the bureau); the table
says which roles may open batches at all: city, province and national bureaus, and the system
administrator. Opening (发布, 重新开放) is also refused while the deadline lies in the past.
"""

from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import Role
from greenmfg.core.workflow import Transition, Workflow

from .models import Batch

S = Batch.Status
BATCH_AUTHORS = frozenset(
    {Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL, Role.SYSADMIN}
)
# The transitions that lead into 申报中; their guard checks the deadline.
OPENING_ACTIONS = frozenset({"publish", "reopen"})

batch_workflow = Workflow(
    "batch",
    states=dict(S.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(S.DRAFT, "publish", S.OPEN, BATCH_AUTHORS, _("发布")),
        Transition(S.OPEN, "close", S.CLOSED, BATCH_AUTHORS, _("截止")),
        Transition(S.CLOSED, "reopen", S.OPEN, BATCH_AUTHORS, _("重新开放"), needs_comment=True),
    ],
)
