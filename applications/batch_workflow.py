"""申报批次: a batch is drafted, published for applications, closed at the deadline, reopened.

Only the bureau that organises the batch moves it (the service checks the bureau); the table
says which roles may open batches at all: city, province and national bureaus, and the system
administrator. Opening (发布, 重新开放) is also refused while the deadline lies in the past, and
when the batch's year or deadline falls outside its policy's 有效期 (洛阳 第二十六条, 济南
第二十六条, 大连: its 2022年度 round): batch_create's check, made again when the batch opens.
"""

from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import Role
from greenmfg.core.workflow import Transition, Workflow

from .models import Batch

S = Batch.Status
BATCH_AUTHORS = frozenset(
    {Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL, Role.SYSADMIN}
)
# The transitions that lead into 申报中; their guard (services.batches._guard_opening) checks
# the deadline and the policy's 有效期.
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
