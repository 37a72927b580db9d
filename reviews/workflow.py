"""The review's transition tables: 专家库成员, 评审分配, 评分表, 公示 and 公示异议.

Pure data, read by the services that run each transition (expert_services, sheet_services,
publicity_services) and tested without a database in tests/reviews/test_workflow.py.
"""

from django.utils.translation import gettext_lazy

from applications.workflow import AUTHORITY
from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.core.workflow import Transition, Workflow
from reviews.models import ExpertAssignment, Objection, Publicity, ScoreSheet

A = ExpertAssignment.Status
EXPERTS = frozenset({Role.EXPERT})

# 专家库成员: the pool keeper moves a member out of the pool and back.
ACTIVE, INACTIVE = "active", "inactive"
membership_workflow = Workflow(
    "expert_membership",
    states={ACTIVE: gettext_lazy("在库"), INACTIVE: gettext_lazy("已移出")},
    role_labels=dict(Role.choices),
    transitions=[
        Transition(
            ACTIVE,
            "deactivate",
            INACTIVE,
            AUTHORITY,
            gettext_lazy("移出专家库"),
            needs_comment=True,
        ),
        Transition(INACTIVE, "reactivate", ACTIVE, AUTHORITY, gettext_lazy("恢复入库")),
    ],
)

# 评审分配: created "assigned" by the authority (assignment_create / assignment_auto).
assignment_workflow = Workflow(
    "expert_assignment",
    states=dict(A.choices),
    role_labels=dict(Role.choices),
    transitions=[
        # Taken by the score-sheet service when the expert submits the sheet.
        Transition(A.ASSIGNED, "submit", A.SUBMITTED, EXPERTS, gettext_lazy("提交评分")),
        # A conflict found late takes even a submitted score off the panel.
        *(
            Transition(
                state,
                "withdraw",
                A.WITHDRAWN,
                AUTHORITY,
                gettext_lazy("撤回分配"),
                needs_comment=True,
            )
            for state in (A.ASSIGNED, A.SUBMITTED)
        ),
        # The expert declares a conflict of interest (conflict_declare).
        *(
            Transition(
                state,
                "recuse",
                A.WITHDRAWN,
                EXPERTS,
                gettext_lazy("利益冲突回避"),
                needs_comment=True,
            )
            for state in (A.ASSIGNED, A.SUBMITTED)
        ),
    ],
)

sheet_workflow = Workflow(
    "score_sheet",
    states=dict(ScoreSheet.Status.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(
            ScoreSheet.Status.DRAFT,
            "submit",
            ScoreSheet.Status.SUBMITTED,
            EXPERTS,
            gettext_lazy("提交评分"),
        )
    ],
)

# 公示 and its objections are the batch's authority's: who speaks for it is
# ``is_batch_authority``'s answer, asked first, so every official role and the administrator
# are listed in these tables.
BATCH_AUTHORITY_ROLES = frozenset({*OFFICIAL_ROLES, Role.SYSADMIN})

# 公示: opened "open" with its proposed list (publicity_start); the night after its last day the
# portal ends it (publicities_end: "ended", 公示期满); the authority publishes the list once the
# period has ended and every objection is answered (publicity_publish) — from "ended", or from
# "open" when the sweep has not run yet (the date is checked either way).
PUBLICITY_SYSTEM = "system"  # the portal itself (actor None in the trail)
publicity_workflow = Workflow(
    "publicity",
    states=dict(Publicity.Status.choices),
    role_labels={**dict(Role.choices), PUBLICITY_SYSTEM: gettext_lazy("系统")},
    transitions=[
        Transition(
            Publicity.Status.OPEN,
            "end",
            Publicity.Status.ENDED,
            frozenset({PUBLICITY_SYSTEM}),
            gettext_lazy("公示期满"),
        ),
        *(
            Transition(
                state,
                "publish",
                Publicity.Status.PUBLISHED,
                BATCH_AUTHORITY_ROLES,
                gettext_lazy("发布名单"),
            )
            for state in (Publicity.Status.OPEN, Publicity.Status.ENDED)
        ),
    ],
)

# 公示异议: lodged "pending" by anyone (objection_lodge); the authority answers it once, upheld or
# dismissed (objection_decide, whose trail calls both "decide", 处理异议).
OBJ = Objection.Status
objection_workflow = Workflow(
    "objection",
    states=dict(OBJ.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(
            OBJ.PENDING,
            "uphold",
            OBJ.UPHELD,
            BATCH_AUTHORITY_ROLES,
            gettext_lazy("认定异议成立"),
            needs_comment=True,
        ),
        Transition(
            OBJ.PENDING,
            "dismiss",
            OBJ.DISMISSED,
            BATCH_AUTHORITY_ROLES,
            gettext_lazy("认定异议不成立"),
            needs_comment=True,
        ),
    ],
)
