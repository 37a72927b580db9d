"""申报's transition tables: 申报 (application), 申报批次 (batch) and 培育库 (pool candidate).

Pure data, run by the services (services/applications.py, batches.py, pool.py) and tested
without a database in tests/applications/test_workflow.py.

An application transition also runs *hooks*, registered by action below: guards, which may
refuse it under the application's row lock just before its state changes, and effects, which
run after it inside the same transaction. Each app registers its own in its AppConfig.ready(),
so that the list of an app's hooks is one place: applications/apps.py (the submission's and
the return's notices, the pool candidate), reviews/apps.py (the county's recommendation, the
authority's steps), and applications/ does not have to know about the review models.

Submission alone keeps its check inline in services/applications.py: the pre-check and the
agency's checks (agency_checks.py, which thirdparty/ fills) refuse it with their own message,
kept apart from the transition's guards.
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from applications.models import Application, Batch, CultivationCandidate
from greenmfg.accounts.roles import Role
from greenmfg.core.workflow import Transition, Workflow

# --- 申报: an application from draft to submission; the review states follow in reviews/ ----

S = Application.Status
APPLICANT = frozenset({Role.APPLICANT})
COUNTY = frozenset({Role.COUNTY_OFFICIAL, Role.SYSADMIN})
# The bureau that opened the batch; reviews/ adds the guard that it is that very bureau.
AUTHORITY = frozenset(
    {Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL, Role.SYSADMIN}
)

application_workflow = Workflow(
    "application",
    states=dict(S.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(S.DRAFT, "submit", S.SUBMITTED, APPLICANT, _("提交申报")),
        Transition(S.RETURNED, "submit", S.SUBMITTED, APPLICANT, _("重新提交")),
        Transition(S.SUBMITTED, "withdraw", S.DRAFT, APPLICANT, _("撤回修改")),
        Transition(S.SUBMITTED, "return", S.RETURNED, COUNTY, _("退回修改"), needs_comment=True),
        # 初审 (洛阳 第十二条, 济南 第十条): the county reviews, consults and recommends.
        Transition(S.SUBMITTED, "start_review", S.COUNTY_REVIEW, COUNTY, _("开始初审")),
        Transition(
            S.COUNTY_REVIEW, "return", S.RETURNED, COUNTY, _("退回修改"), needs_comment=True
        ),
        Transition(S.COUNTY_REVIEW, "recommend", S.RECOMMENDED, COUNTY, _("推荐")),
        Transition(
            S.COUNTY_REVIEW,
            "not_recommend",
            S.NOT_RECOMMENDED,
            COUNTY,
            _("不予推荐"),
            needs_comment=True,
        ),
        # 专家评审 and the decision, by the bureau that opened the batch (城市、省、国家).
        Transition(
            S.RECOMMENDED, "start_expert_review", S.EXPERT_REVIEW, AUTHORITY, _("开始专家评审")
        ),
        Transition(S.EXPERT_REVIEW, "request_onsite", S.ONSITE_CHECK, AUTHORITY, _("安排现场核查")),
        Transition(S.EXPERT_REVIEW, "decide_pass", S.PASSED, AUTHORITY, _("评审通过")),
        Transition(S.ONSITE_CHECK, "decide_pass", S.PASSED, AUTHORITY, _("评审通过")),
        Transition(
            S.EXPERT_REVIEW, "decide_fail", S.FAILED, AUTHORITY, _("评审不通过"), needs_comment=True
        ),
        Transition(
            S.ONSITE_CHECK, "decide_fail", S.FAILED, AUTHORITY, _("评审不通过"), needs_comment=True
        ),
        Transition(
            S.PASSED,
            "reopen_decision",
            S.EXPERT_REVIEW,
            AUTHORITY,
            _("撤销决定"),
            needs_comment=True,
        ),
        Transition(
            S.FAILED,
            "reopen_decision",
            S.EXPERT_REVIEW,
            AUTHORITY,
            _("撤销决定"),
            needs_comment=True,
        ),
        # 公示 and the published list (洛阳 第十二条, 济南 第十条): batch-wide commands in reviews/.
        Transition(
            S.PASSED, "start_publicity", S.IN_PUBLICITY, AUTHORITY, _("公示"), by_service=True
        ),
        Transition(
            S.IN_PUBLICITY,
            "uphold_objection",
            S.NOT_LISTED,
            AUTHORITY,
            _("异议成立，移出公示名单"),
            needs_comment=True,
            by_service=True,
        ),
        Transition(
            S.IN_PUBLICITY, "publish_list", S.LISTED, AUTHORITY, _("发布名单"), by_service=True
        ),
        # 大连 一: the city's round ends in its recommendation to the ministry, with no list of
        # its own (reviews/services/promotion.py round_recommend).
        Transition(
            S.PASSED,
            "recommend_upward",
            S.PROMOTED,
            AUTHORITY,
            _("推荐至上级"),
            by_service=True,
        ),
        # 推荐至上级 (reviews/services/promotion.py): the lower bureau withdraws or renews it.
        Transition(
            S.RECOMMENDED,
            "withdraw_promotion",
            S.NOT_RECOMMENDED,
            AUTHORITY,
            _("撤回向上级的推荐"),
            needs_comment=True,
            by_service=True,
        ),
        Transition(
            S.NOT_RECOMMENDED,
            "renew_promotion",
            S.RECOMMENDED,
            AUTHORITY,
            _("重新推荐至上级"),
            by_service=True,
        ),
        Transition(
            S.RECOMMENDED,
            "revoke_recommendation",
            S.COUNTY_REVIEW,
            COUNTY,
            _("撤回推荐"),
            needs_comment=True,
        ),
    ],
)


# --- 申报批次: a batch is drafted, published for applications, closed at the deadline, reopened.
# Only the bureau that organises the batch moves it (the service checks the bureau); the table
# says which roles may open batches at all: city, province and national bureaus, and the system
# administrator. Opening (发布, 重新开放) is also refused while the deadline lies in the past, and
# when the batch's year or deadline falls outside its policy's 有效期 (洛阳 第二十六条, 济南
# 第二十六条, 大连: its 2022年度 round): batch_create's check, made again when the batch opens.

B = Batch.Status
BATCH_AUTHORS = frozenset(
    {Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL, Role.SYSADMIN}
)
# The transitions that lead into 申报中; their guard (services.batches._guard_opening) checks
# the deadline and the policy's 有效期.
OPENING_ACTIONS = frozenset({"publish", "reopen"})

batch_workflow = Workflow(
    "batch",
    states=dict(B.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(B.DRAFT, "publish", B.OPEN, BATCH_AUTHORS, _("发布")),
        Transition(B.OPEN, "close", B.CLOSED, BATCH_AUTHORS, _("截止")),
        Transition(B.CLOSED, "reopen", B.OPEN, BATCH_AUTHORS, _("重新开放"), needs_comment=True),
    ],
)

# --- 培育库: a county's candidate is cultivated, invited to apply, applies, or is withdrawn.
# 洛阳 第四条、第六条: the county bureau keeps the pool, so only county officials (and the system
# administrator) move a candidate by hand. ``apply`` is taken by the system when the candidate's
# application is submitted, never from a page.

P = CultivationCandidate.Status
SYSTEM = "system"  # the role of a step the portal takes itself (actor None in the trail)
POOL_KEEPERS = frozenset({Role.COUNTY_OFFICIAL, Role.SYSADMIN})
PORTAL = frozenset({SYSTEM})
# Taken through candidate_invite (it needs a batch) or by the system, not by a plain button.
SPECIAL_ACTIONS = frozenset({"invite", "apply", "list"})
# A candidacy in these states counts as open: one per organisation and unit type.
OPEN_STATES = frozenset({P.CULTIVATING, P.INVITED, P.APPLIED, P.LISTED})

pool_workflow = Workflow(
    "cultivation_candidate",
    states=dict(P.choices),
    role_labels={**dict(Role.choices), SYSTEM: _("系统")},
    transitions=[
        Transition(P.CULTIVATING, "invite", P.INVITED, POOL_KEEPERS, _("邀请申报")),
        Transition(P.INVITED, "cancel_invitation", P.CULTIVATING, POOL_KEEPERS, _("撤回邀请")),
        Transition(
            P.CULTIVATING, "withdraw", P.WITHDRAWN, POOL_KEEPERS, _("退出培育"), needs_comment=True
        ),
        Transition(P.WITHDRAWN, "reinstate", P.CULTIVATING, POOL_KEEPERS, _("重新纳入")),
        Transition(P.CULTIVATING, "apply", P.APPLIED, PORTAL, _("已提交申报")),
        Transition(P.INVITED, "apply", P.APPLIED, PORTAL, _("已提交申报")),
        # Taken when the application is published on a list (reviews/services/publicity.py).
        Transition(P.APPLIED, "list", P.LISTED, PORTAL, _("已列入名单")),
    ],
)


# --- hooks of an application transition ------------------------------------------------------

Guard = Callable[..., list[str]]
Effect = Callable[..., None]

_GUARDS: dict[str, list[Guard]] = defaultdict(list)
_EFFECTS: dict[str, list[Effect]] = defaultdict(list)


def register_guard(action: str, guard: Guard) -> None:
    """A check that may refuse ``action``: it returns the refusals, each a sentence."""
    if guard not in _GUARDS[action]:
        _GUARDS[action].append(guard)


def register_effect(action: str, effect: Effect) -> None:
    """Something done after ``action``, inside the same transaction, in registration order."""
    if effect not in _EFFECTS[action]:
        _EFFECTS[action].append(effect)


def runner_guards(action: str) -> list[Guard]:
    """The guards registered for ``action``, shaped for run_transition (the row first)."""
    return [
        lambda row, *, transition, actor, comment, guard=guard: guard(
            application=row, actor=actor, comment=comment
        )
        for guard in _GUARDS.get(action, ())
    ]


def runner_effects(action: str) -> list[Effect]:
    """The effects registered for ``action``, shaped for run_transition (the row first)."""
    return [
        lambda row, *, transition, actor, comment, effect=effect: effect(
            application=row, actor=actor, comment=comment
        )
        for effect in _EFFECTS.get(action, ())
    ]
