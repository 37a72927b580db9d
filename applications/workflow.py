"""申报流程: an application from draft to submission (the review states follow in reviews/)."""

from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import Role
from greenmfg.core.workflow import Transition, Workflow

from .models import Application

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
        # its own (reviews/promotion_services.py round_recommend).
        Transition(
            S.PASSED,
            "recommend_upward",
            S.PROMOTED,
            AUTHORITY,
            _("推荐至上级"),
            by_service=True,
        ),
        # 推荐至上级 (reviews/promotion_services.py): the lower bureau withdraws or renews it.
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
