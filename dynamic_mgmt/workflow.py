"""动态管理's transition tables: 动态管理表, 变更报告, 移出建议 and 复审 (state, action, roles).

Pure data, run by table_services, change_services, removal_services and rereview_services,
and tested without a database in tests/dynamic_mgmt/test_workflow.py. Which official exactly
may act (the report's subtree, the authority that published the listing) is checked by the
service; the table says which roles may take which step from which state.
"""

from django.utils.translation import gettext_lazy

from dynamic_mgmt.models import AnnualTable, ChangeReport, ReReviewCase
from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.core.workflow import Transition, Workflow
from registry.models import RemovalProposal

# --- 动态管理表 (洛阳 第十八条, 济南 第十九条) ---------------------------------------------

T = AnnualTable.Status
# Filed once, by the listed unit's own users (table_services.can_fill checks which unit).
FILE = "file"

annual_table_workflow = Workflow(
    "annual_table",
    states=dict(T.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(
            T.DRAFT, FILE, T.FILED, frozenset({Role.APPLICANT}), gettext_lazy("填报动态管理表")
        ),
    ],
)

# --- 变更 (洛阳 第十九条, 济南 第十六条、第二十条) ----------------------------------------

S = ChangeReport.Status
# The county records its opinion (县级审核) without moving the report.
COUNTY_REVIEW = "county_review"
# The city — or a level above — decides.
DECIDERS = frozenset({Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL})

change_workflow = Workflow(
    "change_report",
    states=dict(S.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(
            S.SUBMITTED,
            COUNTY_REVIEW,
            S.SUBMITTED,
            frozenset({Role.COUNTY_OFFICIAL}),
            gettext_lazy("县级审核"),
            needs_comment=True,
        ),
        Transition(S.SUBMITTED, "approve", S.APPROVED, DECIDERS, gettext_lazy("确认变更")),
        Transition(
            S.SUBMITTED,
            "re_evaluate",
            S.RE_EVALUATION,
            DECIDERS,
            gettext_lazy("组织再评价"),
            needs_comment=True,
        ),
        Transition(
            S.SUBMITTED,
            "reject",
            S.REJECTED,
            DECIDERS,
            gettext_lazy("不再符合要求，建议移出"),
            needs_comment=True,
        ),
        Transition(
            S.RE_EVALUATION,
            "approve",
            S.APPROVED,
            DECIDERS,
            gettext_lazy("再评价通过，确认变更"),
        ),
        Transition(
            S.RE_EVALUATION,
            "reject",
            S.REJECTED,
            DECIDERS,
            gettext_lazy("再评价不符合，建议移出"),
            needs_comment=True,
        ),
    ],
)

# --- 移出 (洛阳 第十八条, 济南 第十九条) -------------------------------------------------

R = RemovalProposal.Status
REMOVE, KEEP = "remove", "keep"
# The authority's two answers to a proposal, as its decision form offers them.
DECISIONS = (
    (REMOVE, gettext_lazy("移出名单")),
    (KEEP, gettext_lazy("不予移出")),
)
# Closing the listing's other open proposals when one of them removes it.
CLOSE_WITH_REMOVAL = "close_with_removal"

removal_workflow = Workflow(
    "removal_proposal",
    states=dict(R.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(R.OPEN, REMOVE, R.REMOVED, OFFICIAL_ROLES, gettext_lazy("移出名单")),
        Transition(R.OPEN, KEEP, R.KEPT, OFFICIAL_ROLES, gettext_lazy("不予移出"), True),
        Transition(
            R.OPEN,
            CLOSE_WITH_REMOVAL,
            R.REMOVED,
            OFFICIAL_ROLES,
            gettext_lazy("随移出决定一并办结"),
            by_service=True,
        ),
    ],
)

# --- 复审 (济南 第十五条): the authority's conclusion on a listing three years on --------------

RR = ReReviewCase.Status
EXTEND, END = "extend", "end"

re_review_workflow = Workflow(
    "re_review_case",
    states=dict(RR.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(
            RR.OPEN, EXTEND, RR.EXTENDED, OFFICIAL_ROLES, gettext_lazy("复审通过，延长三年")
        ),
        Transition(RR.OPEN, END, RR.ENDED, OFFICIAL_ROLES, gettext_lazy("复审未通过")),
    ],
)
