"""申报流程: an application from draft to submission (the review states follow in reviews/)."""

from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import Role
from greenmfg.core.workflow import Transition, Workflow

from .models import Application

S = Application.Status
APPLICANT = frozenset({Role.APPLICANT})
COUNTY = frozenset({Role.COUNTY_OFFICIAL, Role.SYSADMIN})

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
