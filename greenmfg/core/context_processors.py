from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import Role


def navigation(request) -> dict:
    """The menu of the signed-in user's role."""
    user = getattr(request, "user", None)
    public = (_("公示公告"), reverse("reviews:public-publicity-list"))
    complain = (_("我要举报"), reverse("registry:public-complaint-new"))
    lists = (_("名单查询"), reverse("registry:public-list"))
    if user is None or not user.is_authenticated:
        return {"nav_items": [lists, public, complain]}
    items = [(_("工作台"), reverse("dashboard"))]
    if user.role == Role.APPLICANT:
        items.append((_("我的申报"), reverse("applications:application-list")))
        items.append((_("动态管理表"), reverse("dynamic_mgmt:table-mine")))
        items.append((_("变更报告"), reverse("dynamic_mgmt:change-list")))
    if user.role in (Role.DEPARTMENT_OFFICIAL, Role.COUNTY_OFFICIAL):
        items.append((_("征求意见"), reverse("reviews:opinion-list")))
    if user.role == Role.EXPERT:
        items.append((_("我的评审任务"), reverse("reviews:expert-task-list")))
        items.append((_("我的评分"), reverse("reviews:sheet-list")))
        items.append((_("利益冲突申报"), reverse("reviews:expert-conflicts")))
    if user.role == Role.AGENCY_STAFF:
        items.append((_("本机构资质"), reverse("thirdparty:profile")))
        items.append((_("评价委托"), reverse("thirdparty:engagement-list")))
        items.append((_("项目上限"), reverse("thirdparty:engagement-usage")))
        items.append((_("年度工作报告"), reverse("thirdparty:annual-mine")))
    if user.role in (
        Role.CITY_OFFICIAL,
        Role.PROVINCE_OFFICIAL,
        Role.NATIONAL_OFFICIAL,
        Role.SYSADMIN,
    ):
        items.append((_("专家库"), reverse("reviews:expert-pool-list")))
        items.append((_("公示管理"), reverse("reviews:publicity-list")))
    if user.is_official or user.is_sysadmin:
        items.append((_("申报受理"), reverse("applications:application-list")))
        items.append((_("申报批次"), reverse("applications:batch-list")))
        if user.role in (Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL, Role.SYSADMIN):
            items.append((_("培育库"), reverse("applications:pool-list")))
        items.append((_("信用数据"), reverse("applications:credit-import-list")))
        items.append((_("行业参考值"), reverse("applications:industry-list")))
        items.append((_("评价机构"), reverse("thirdparty:agency-list")))
        items.append((_("评价委托"), reverse("thirdparty:engagement-list")))
        items.append((_("机构黑名单"), reverse("thirdparty:blacklist-list")))
        items.append((_("举报"), reverse("registry:complaint-list")))
        items.append((_("机构年度报告"), reverse("thirdparty:annual-list")))
        items.append((_("单位管理"), reverse("directory:organisation-list")))
        items.append((_("名单管理"), reverse("registry:listing-list")))
        items.append((_("动态管理表"), reverse("dynamic_mgmt:table-overview")))
        items.append((_("填报期"), reverse("dynamic_mgmt:window-list")))
        items.append((_("变更报告"), reverse("dynamic_mgmt:change-list")))
        items.append((_("事故事件"), reverse("dynamic_mgmt:incident-list")))
        items.append((_("三年复审"), reverse("dynamic_mgmt:rereview-list")))
        items.append((_("移出建议"), reverse("dynamic_mgmt:removal-list")))
        items.append((_("企业绿码"), reverse("dynamic_mgmt:grade-list")))
    elif user.organisation_id:
        items.append(
            (_("本单位"), reverse("directory:organisation-detail", args=[user.organisation_id]))
        )
    items.append((_("消息"), reverse("notifications")))
    if user.role == Role.SYSADMIN or user.is_staff:
        items.append((_("系统管理"), reverse("admin:index")))
    items.append(lists)
    items.append(public)
    items.append(complain)
    items.append((_("接口文档"), reverse("api-docs")))
    return {"nav_items": items}
