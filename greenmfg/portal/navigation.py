"""The menu of each role, grouped by task (申报与受理, 评审, 公示与名单 …), with its pending work.

A link is shown only when its page would open for the user: each link carries the predicate the
page's view checks (the selectors' named predicates where a view uses one, otherwise the
official-or-administrator test of ``greenmfg.core.permissions.OfficialRequiredMixin``).
``tests/portal/test_navigation.py`` opens every link shown, and every link hidden, as each role.

The counts are the dashboard's 待办 (:mod:`greenmfg.portal.inbox`, read in
:mod:`reviews.selectors.inbox`) cut down to what a menu needs: the same filters, counted in one
statement of scalar subqueries per role, so that every page pays one query at most, and only a
user who has work to count (an official, a department, an expert, an applicant) pays it.
That query reads an official's whole subtree (12–17 ms for a city at 100,000 units), so its
answer is kept in the cache for ``NAV_COUNTS_SECONDS`` (60 s): a badge may lag a colleague's
work by a minute, never the user's own — any POST, PUT, PATCH or DELETE of theirs drops it
(:class:`greenmfg.portal.middleware.FreshCountsMiddleware`). The dashboard's 待办 stays exact.
The menu sits here, at the top of the order of apps, because those counts come from the apps
below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.selectors.batches import can_create_batches
from greenmfg.accounts.imports import StaffImporter
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.core.queries import count_per
from greenmfg.portal.statistics.selectors import may_read_statistics
from reviews.models import ExpertAssignment, Objection, OnsiteCheck, OpinionRequest
from reviews.selectors.expert import keeps_expert_pool
from reviews.selectors.inbox import AUTHORITY_ROLES, SCORING_STATES, is_authority_user

S = Application.Status
A = ExpertAssignment.Status

# --- who may open what: the views' own tests ---------------------------------------------------


def _official(user) -> bool:
    """``OfficialRequiredMixin``: officials of any level and administrators."""
    return user.is_official or user.is_sysadmin


def _county(user) -> bool:
    return user.effective_role == Role.COUNTY_OFFICIAL


def _authority_or_admin(user) -> bool:
    return user.effective_role in AUTHORITY_ROLES or user.is_sysadmin


def _applicant(user) -> bool:
    return user.role == Role.APPLICANT and user.organisation_id is not None


def _expert(user) -> bool:
    """``ExpertRequiredMixin`` and the sheet list's own test."""
    return user.role == Role.EXPERT


def _agency_staff(user) -> bool:
    """``AgencyStaffRequiredMixin`` of the agency's pages."""
    return user.role == Role.AGENCY_STAFF and user.organisation_id is not None


def _department(user) -> bool:
    return user.role == Role.DEPARTMENT_OFFICIAL and user.organisation_id is not None


def _has_organisation_page(user) -> bool:
    """本单位: everyone but officials and administrators, who reach units through 单位管理."""
    return not _official(user) and user.organisation_id is not None


def _staff(user) -> bool:
    return user.is_sysadmin or user.is_staff


def _anyone(user) -> bool:
    return True


def _staff_import(user) -> bool:
    """The staff import's own test (``StaffImporter.allowed``)."""
    return StaffImporter().allowed(user)


def _expert_pool(user) -> bool:
    return keeps_expert_pool(user=user)


def _batch_author(user) -> bool:
    return can_create_batches(user=user)


# --- the menu as data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One entry: its page (a URL name, with a fixed query), who may open it, and which pending
    counts (keys of :func:`pending_counts`) it shows."""

    label: Promise
    url_name: str
    allowed: Callable[[User], bool]
    query: dict[str, str] = field(default_factory=dict)
    args: Callable[[User], list] | None = None
    counts: tuple[str, ...] = ()
    # Other paths that count as this place (e.g. the agency profile's edit pages).
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    key: str
    label: Promise
    links: tuple[Link, ...]


WORKBENCH = Link(_("工作台"), "dashboard", _anyone)
MESSAGES = Link(_("消息"), "notifications", _anyone)
OWN_UNIT = Link(
    _("本单位"),
    "directory:organisation-detail",
    _has_organisation_page,
    args=lambda user: [user.organisation_id],
)

OFFICIAL_GROUPS: tuple[Group, ...] = (
    Group(
        "intake",
        _("申报与受理"),
        (
            Link(
                _("申报受理"),
                "applications:application-list",
                _official,
                counts=("submitted", "county_review"),
            ),
            Link(_("申报批次"), "applications:batch-list", _official),
            Link(_("培育库"), "applications:pool-list", _official),
            Link(_("单位管理"), "directory:organisation-list", _official),
            Link(
                _("信用数据"), "applications:credit-import-list", _official, prefixes=("/credit/",)
            ),
            Link(_("行业参考值"), "applications:industry-list", _official),
        ),
    ),
    Group(
        "review",
        _("评审"),
        (
            Link(
                _("征求意见"),
                "reviews:opinion-list",
                _county,
                counts=("opinions_pending",),
            ),
            Link(
                _("待开始专家评审"),
                "applications:application-list",
                _authority_or_admin,
                query={"status": S.RECOMMENDED},
                counts=("recommended",),
            ),
            Link(
                _("专家评审中"),
                "applications:application-list",
                _authority_or_admin,
                query={"status": S.EXPERT_REVIEW},
                counts=("panel_incomplete", "ready"),
            ),
            Link(
                _("现场核查"),
                "applications:application-list",
                _authority_or_admin,
                query={"status": S.ONSITE_CHECK},
                counts=("onsite_pending",),
            ),
            Link(_("专家库"), "reviews:expert-pool-list", _expert_pool),
        ),
    ),
    Group(
        "publicity",
        _("公示与名单"),
        (
            Link(
                _("评审通过待公示"),
                "applications:application-list",
                _authority_or_admin,
                query={"status": S.PASSED},
                counts=("passed",),
            ),
            Link(
                _("公示管理"),
                "reviews:publicity-list",
                _authority_or_admin,
                counts=("objections",),
            ),
            Link(_("名单管理"), "registry:listing-list", _official),
        ),
    ),
    Group(
        "dynamic",
        _("动态管理"),
        (
            Link(_("动态管理表"), "dynamic_mgmt:table-overview", _official),
            Link(_("填报期"), "dynamic_mgmt:window-list", _official),
            Link(_("变更报告"), "dynamic_mgmt:change-list", _official),
            Link(_("事故事件"), "dynamic_mgmt:incident-list", _official),
            Link(_("三年复审"), "dynamic_mgmt:rereview-list", _official),
            Link(_("移出建议"), "dynamic_mgmt:removal-list", _official),
        ),
    ),
    Group(
        "agencies",
        _("第三方机构"),
        (
            Link(_("评价机构"), "thirdparty:agency-list", _official),
            Link(_("评价委托"), "thirdparty:engagement-list", _official),
            Link(_("机构年度报告"), "thirdparty:annual-list", _official),
        ),
    ),
    Group(
        "oversight",
        _("监督（举报、黑名单）"),
        (
            Link(_("举报"), "registry:complaint-list", _official),
            Link(_("机构黑名单"), "thirdparty:blacklist-list", _official),
        ),
    ),
    Group(
        "statistics",
        _("数据统计"),
        (
            Link(_("统计分析"), "statistics:official", may_read_statistics),
            Link(_("企业绿码"), "dynamic_mgmt:grade-list", _official),
            Link(_("同行业对标"), "applications:benchmark-list", _official),
        ),
    ),
)

PUBLIC_GROUP = Group(
    "public",
    _("公开信息"),
    (
        Link(_("名单查询"), "registry:public-list", _anyone),
        Link(_("公示公告"), "reviews:public-publicity-list", _anyone),
        Link(_("我要举报"), "registry:public-complaint-new", _anyone),
        Link(_("统计数据"), "statistics:public", _anyone),
    ),
)

SYSTEM_GROUP = Group(
    "system",
    _("系统"),
    (
        Link(_("系统管理"), "admin:index", _staff),
        Link(_("批量导入工作人员账号"), "accounts:staff-import", _staff_import),
        Link(_("接口文档"), "api-docs", _anyone),
    ),
)

ROLE_GROUPS: dict[str, tuple[Group, ...]] = {
    Role.APPLICANT: (
        Group(
            "apply",
            _("申报"),
            (
                Link(
                    _("我的申报"),
                    "applications:application-list",
                    _applicant,
                    counts=("draft", "returned"),
                ),
                Link(_("申报批次"), "applications:batch-list", _applicant),
            ),
        ),
        Group(
            "dynamic",
            _("动态管理"),
            (
                Link(_("动态管理表"), "dynamic_mgmt:table-mine", _applicant),
                Link(_("变更报告"), "dynamic_mgmt:change-list", _applicant),
            ),
        ),
    ),
    Role.EXPERT: (
        Group(
            "review",
            _("评审"),
            (
                Link(
                    _("我的评审任务"),
                    "reviews:expert-task-list",
                    _expert,
                    counts=("to_score",),
                ),
                Link(_("我的评分"), "reviews:sheet-list", _expert),
                Link(_("利益冲突申报"), "reviews:expert-conflicts", _expert),
            ),
        ),
    ),
    Role.AGENCY_STAFF: (
        Group(
            "agency",
            _("第三方机构"),
            (
                Link(_("本机构资质"), "thirdparty:profile", _agency_staff, prefixes=("/agency/",)),
                Link(_("评价委托"), "thirdparty:engagement-list", _agency_staff),
                Link(_("项目上限"), "thirdparty:engagement-usage", _agency_staff),
                Link(_("年度工作报告"), "thirdparty:annual-mine", _agency_staff),
            ),
        ),
    ),
    Role.DEPARTMENT_OFFICIAL: (
        Group(
            "review",
            _("评审"),
            (
                Link(
                    _("征求意见"),
                    "reviews:opinion-list",
                    _department,
                    counts=("opinions_pending",),
                ),
            ),
        ),
    ),
}


def groups_for(user) -> tuple[Group, ...]:
    """The groups of the user's role, before each link's own test."""
    if not user.is_authenticated:
        return (PUBLIC_GROUP,)
    if _official(user):
        return (*OFFICIAL_GROUPS, PUBLIC_GROUP, SYSTEM_GROUP)
    return (*ROLE_GROUPS.get(user.role, ()), PUBLIC_GROUP, SYSTEM_GROUP)


# --- the pending counts: one query -------------------------------------------------------------


def _count(rows: QuerySet) -> Coalesce:
    """The number of ``rows`` as a scalar subquery (SELECT COUNT(*) … without GROUP BY)."""
    counted = rows.order_by().values(total=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _county_counts(user) -> dict:
    """``county_inbox``: submitted and in-review applications, the departments' pending
    opinions, within the county's subtree."""
    applications = Application.objects.filter(jurisdiction_q(user, field="jurisdiction"))
    return {
        "submitted": _count(applications.filter(status=S.SUBMITTED)),
        "county_review": _count(applications.filter(status=S.COUNTY_REVIEW)),
        "opinions_pending": _count(
            OpinionRequest.objects.filter(
                jurisdiction_q(user, field="application__jurisdiction"),
                status=OpinionRequest.Status.PENDING,
            )
        ),
    }


def _authority_counts(user) -> dict:
    """``authority_inbox``: the review work of the batches the user's bureau opened."""
    if not is_authority_user(user):
        return {}
    own = Application.objects.filter(
        jurisdiction_q(user, field="jurisdiction"), batch__authority_id=user.organisation_id
    )
    on_panel = ExpertAssignment.objects.filter(application=OuterRef("pk")).exclude(
        status=A.WITHDRAWN
    )
    scoring = own.filter(status__in=SCORING_STATES).annotate(
        panel=count_per(on_panel, per="application"),
        outstanding=count_per(on_panel.filter(status=A.ASSIGNED), per="application"),
        checked=Exists(OnsiteCheck.objects.filter(application=OuterRef("pk"))),
    )
    decidable = Q(panel__gt=0, outstanding=0) & (Q(status=S.EXPERT_REVIEW) | Q(checked=True))
    return {
        "recommended": _count(own.filter(status=S.RECOMMENDED)),
        "panel_incomplete": _count(
            scoring.filter(status=S.EXPERT_REVIEW, panel__lt=F("batch__experts_per_application"))
        ),
        "ready": _count(scoring.filter(decidable)),
        "onsite_pending": _count(scoring.filter(status=S.ONSITE_CHECK, checked=False)),
        "passed": _count(own.filter(status=S.PASSED)),
        "objections": _count(
            Objection.objects.filter(
                jurisdiction_q(user, field="item__publicity__batch__jurisdiction"),
                item__publicity__batch__authority_id=user.organisation_id,
                status=Objection.Status.PENDING,
            )
        ),
    }


def _department_counts(user) -> dict:
    return {
        "opinions_pending": _count(
            OpinionRequest.objects.filter(
                department_id=user.organisation_id, status=OpinionRequest.Status.PENDING
            )
        )
    }


def _expert_counts(user) -> dict:
    return {
        "to_score": _count(
            ExpertAssignment.objects.filter(
                expert_id=user.pk, status=A.ASSIGNED, application__status__in=SCORING_STATES
            )
        )
    }


def _applicant_counts(user) -> dict:
    own = Application.objects.filter(organisation_id=user.organisation_id)
    return {
        "draft": _count(own.filter(status=S.DRAFT)),
        "returned": _count(own.filter(status=S.RETURNED)),
    }


def _count_expressions(user) -> dict:
    role = user.effective_role
    if role == Role.COUNTY_OFFICIAL and user.organisation_id:
        return _county_counts(user)
    if role in AUTHORITY_ROLES:
        return _authority_counts(user)
    if _department(user):
        return _department_counts(user)
    if _expert(user):
        return _expert_counts(user)
    if _applicant(user):
        return _applicant_counts(user)
    return {}


def counts_cache_key(user) -> str:
    """The cache key of ``user``'s menu counts (their role and bureau are part of it)."""
    return f"nav-counts:{user.pk}:{user.effective_role}:{user.organisation_id}"


def pending_counts(user) -> dict[str, int]:
    """The menu's pending work of ``user``: one query (none for a role without an inbox), or
    none while the cache holds the answer of the last ``NAV_COUNTS_SECONDS``."""
    if not user.is_authenticated:
        return {}
    seconds = getattr(settings, "NAV_COUNTS_SECONDS", 0)
    key = counts_cache_key(user)
    if seconds:
        cached = cache.get(key)
        if cached is not None:
            return cached
    expressions = _count_expressions(user)
    if not expressions:
        return {}
    row = User.objects.filter(pk=user.pk).values(**expressions).first() or {}
    if seconds:
        cache.set(key, row, seconds)
    return row


# --- what a page renders ---------------------------------------------------------------------


@dataclass
class NavLink:
    label: Promise
    url: str
    count: int | None
    current: bool = False


@dataclass
class NavGroup:
    key: str
    label: Promise
    links: list[NavLink]
    current: bool = False

    @property
    def count(self) -> int | None:
        counts = [link.count for link in self.links if link.count is not None]
        return sum(counts) if counts else None


def _match(link: Link, url_path: str, path: str, query) -> int:
    """How well ``path`` (and its query) falls under ``link``: the length of the longest
    prefix it starts with, more when the link's fixed query matches too; 0 when it does not."""
    if link.query and any(query.get(key) != value for key, value in link.query.items()):
        return 0
    best = max(
        (len(prefix) for prefix in (url_path, *link.prefixes) if path.startswith(prefix)),
        default=0,
    )
    return best + len(link.query) if best else 0


@dataclass
class Navigation:
    """The request's menu, built on first use and once per request."""

    user: User
    path: str
    query: dict = field(default_factory=dict)

    @cached_property
    def counts(self) -> dict[str, int]:
        return pending_counts(self.user)

    def _link(self, link: Link) -> NavLink:
        args = link.args(self.user) if link.args else []
        url = reverse(link.url_name, args=args)
        counted = [self.counts[key] for key in link.counts if key in self.counts]
        return NavLink(
            label=link.label,
            url=f"{url}?{urlencode(link.query)}" if link.query else url,
            count=sum(counted) if counted else None,
        )

    @cached_property
    def _built(self) -> tuple[list[NavLink], list[NavGroup]]:
        user = self.user
        # (how well the page falls under the link, the link, its group): the best marks the
        # current place, so a sub-page highlights the list it belongs to.
        scored: list[tuple[int, NavLink, NavGroup | None]] = []
        top: list[NavLink] = []
        if user.is_authenticated:
            for link in (WORKBENCH, MESSAGES, OWN_UNIT):
                if link.allowed(user):
                    item = self._link(link)
                    top.append(item)
                    scored.append((self._score(link), item, None))
        groups: list[NavGroup] = []
        for group in groups_for(user):
            allowed = [link for link in group.links if link.allowed(user)]
            if not allowed:
                continue
            nav_group = NavGroup(
                key=group.key, label=group.label, links=[self._link(link) for link in allowed]
            )
            groups.append(nav_group)
            for link, item in zip(allowed, nav_group.links, strict=True):
                scored.append((self._score(link), item, nav_group))
        score, best, owner = max(scored, key=lambda row: row[0], default=(0, None, None))
        if score and best is not None:
            best.current = True
            if owner is not None:
                owner.current = True
        return top, groups

    def _score(self, link: Link) -> int:
        args = link.args(self.user) if link.args else []
        return _match(link, reverse(link.url_name, args=args), self.path, self.query)

    @property
    def top(self) -> list[NavLink]:
        return self._built[0]

    @property
    def groups(self) -> list[NavGroup]:
        return self._built[1]

    @property
    def total(self) -> int:
        """The pending work of every group, shown on 菜单 when the menu is folded."""
        return sum(group.count or 0 for group in self.groups)

    @property
    def grouped(self) -> bool:
        """Whether the menu is a sidebar of groups (signed in) or one row (a visitor)."""
        return self.user.is_authenticated


def navigation_for(request) -> Navigation:
    """The request's menu, cached on the request so that every template rendered shares it."""
    cached = getattr(request, "_greenmfg_navigation", None)
    if cached is None:
        user = getattr(request, "user", None) or AnonymousUser()
        cached = Navigation(user=user, path=request.path, query=request.GET)
        request._greenmfg_navigation = cached
    return cached
