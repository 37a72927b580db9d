"""The grouped menu: each role's groups and links, every link shown opens and every page the role
is refused is not shown, the current place (sub-pages too), and the pending counts: the
dashboard's 待办 in one query."""

import pytest
from django.urls import reverse

from greenmfg.portal.inbox import inbox_for
from greenmfg.portal.navigation import (
    OFFICIAL_GROUPS,
    PUBLIC_GROUP,
    ROLE_GROUPS,
    SYSTEM_GROUP,
    Navigation,
    pending_counts,
)

pytestmark = pytest.mark.django_db

GROUPS = {
    "luoyang-city": [
        "intake",
        "review",
        "publicity",
        "dynamic",
        "agencies",
        "oversight",
        "statistics",
        "public",
        "system",
    ],
    "henan": [
        "intake",
        "review",
        "publicity",
        "dynamic",
        "agencies",
        "oversight",
        "statistics",
        "public",
        "system",
    ],
    "luoyang-county": [
        "intake",
        "review",
        "publicity",
        "dynamic",
        "agencies",
        "oversight",
        "statistics",
        "public",
        "system",
    ],
    "luoyang-enterprise": ["apply", "dynamic", "public", "system"],
    "luoyang-listed": ["apply", "dynamic", "public", "system"],
    "luoyang-expert": ["review", "public", "system"],
    "luoyang-agency": ["agency", "public", "system"],
    "luoyang-env": ["review", "public", "system"],
    "admin": [
        "intake",
        "review",
        "publicity",
        "dynamic",
        "agencies",
        "oversight",
        "statistics",
        "public",
        "system",
    ],
}

ALL_LINKS = {
    (link.url_name, tuple(sorted(link.query.items())))
    for group in (
        *OFFICIAL_GROUPS,
        PUBLIC_GROUP,
        SYSTEM_GROUP,
        *(group for groups in ROLE_GROUPS.values() for group in groups),
    )
    for link in group.links
}


def menu(user, path="/dashboard/", query=None) -> Navigation:
    return Navigation(user=user, path=path, query=query or {})


def labels(nav: Navigation) -> dict[str, list[str]]:
    return {group.key: [str(link.label) for link in group.links] for group in nav.groups}


@pytest.mark.parametrize("username", list(GROUPS))
def test_each_role_has_its_own_groups(demo, username):
    nav = menu(demo[username])
    assert [group.key for group in nav.groups] == GROUPS[username]


def test_a_visitor_sees_the_public_links_only(client):
    response = client.get(reverse("registry:public-list"))
    nav = response.context["nav"]
    assert not nav.grouped and nav.top == []
    assert labels(nav) == {"public": ["名单查询", "公示公告", "我要举报", "统计数据"]}
    html = response.content.decode()
    assert 'class="main-nav"' in html and "side-nav" not in html


def test_the_short_menus_of_the_other_roles(demo):
    assert labels(menu(demo["luoyang-enterprise"]))["apply"] == ["我的申报", "申报批次"]
    assert labels(menu(demo["luoyang-expert"]))["review"] == [
        "我的评审任务",
        "我的评分",
        "利益冲突申报",
    ]
    assert labels(menu(demo["luoyang-agency"]))["agency"] == [
        "本机构资质",
        "评价委托",
        "项目上限",
        "年度工作报告",
    ]
    assert labels(menu(demo["luoyang-env"]))["review"] == ["征求意见"]
    # Only the bureaus that keep an expert pool and open batches see the review steps.
    county = labels(menu(demo["luoyang-county"]))
    assert county["review"] == ["征求意见"]
    assert county["publicity"] == ["名单管理"]
    city = labels(menu(demo["luoyang-city"]))
    assert city["review"] == ["待开始专家评审", "专家评审中", "现场核查", "专家库"]
    assert "系统管理" not in labels(menu(demo["luoyang-city"]))["system"]
    assert "系统管理" in labels(menu(demo["admin"]))["system"]


def _shown(nav: Navigation) -> set[str]:
    return {link.url for group in nav.groups for link in group.links} | {
        link.url for link in nav.top
    }


@pytest.mark.parametrize("username", list(GROUPS))
def test_every_link_shown_opens(client, demo, username):
    """No link the role would be refused: every page the menu offers answers 200 (a refused page
    answers 403, 404 or a redirect)."""
    user = demo[username]
    client.force_login(user)
    for url in _shown(menu(user)):
        if url.startswith("/admin/"):
            continue  # Django's admin has its own test of staff
        response = client.get(url)
        assert response.status_code == 200, f"{username} is shown {url} but gets {response}"


@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-expert", "luoyang-agency"])
def test_every_hidden_official_page_is_refused_or_outside_the_role(client, demo, username):
    """The pages of the officials' menu that a role does not see: each one is refused to it, or
    is a page the role's short menu leaves out on purpose (named here)."""
    user = demo[username]
    client.force_login(user)
    shown = _shown(menu(user))
    left_out = {
        # Open to every signed-in user, scoped to their own rows: not their work.
        "/applications/",
        "/batches/",
        "/reviews/publicity/",
        "/dynamic/changes/",
        "/dynamic/re-reviews/",
        "/dynamic/grades/",
        "/engagements/",
        "/opinions/",
        "/dynamic/tables/mine/",
        # An agency's caps, reached from the agency's page by an official.
        "/engagements/usage/",
    }
    for url_name, query in ALL_LINKS:
        url = reverse(url_name)
        if url in shown or url in left_out or url.startswith("/admin/"):
            continue
        if query:
            continue  # the same page as its list, filtered
        status = client.get(url).status_code
        assert status in (302, 403, 404), f"{username}: {url} answers {status} but is hidden"


REFUSED = {
    "luoyang-county": ["专家库", "公示管理", "待开始专家评审", "我的评分", "本机构资质"],
    "luoyang-city": ["我的评分", "本机构资质", "我的申报", "征求意见"],
    "luoyang-enterprise": ["申报受理", "名单管理", "举报", "评价机构", "专家库", "统计分析"],
    "luoyang-expert": ["申报受理", "名单管理", "本机构资质", "专家库", "统计分析"],
    "luoyang-agency": ["申报受理", "评价机构", "机构年度报告", "机构黑名单", "我的评分"],
    "luoyang-env": ["申报受理", "名单管理", "专家库", "我的评分", "举报"],
}


@pytest.mark.parametrize("username", list(REFUSED))
def test_pages_a_role_is_refused_are_not_in_its_menu(client, demo, username):
    """The refusals, named: the page answers 403/404/302 and the menu does not offer it."""
    user = demo[username]
    nav = menu(user)
    every = [str(label) for group in labels(nav).values() for label in group]
    for label in REFUSED[username]:
        assert label not in every, f"{username} is offered {label}"
    client.force_login(user)
    pages = {
        "专家库": "reviews:expert-pool-list",
        "我的评分": "reviews:sheet-list",
        "本机构资质": "thirdparty:profile",
        "名单管理": "registry:listing-list",
        "举报": "registry:complaint-list",
        "评价机构": "thirdparty:agency-list",
        "机构年度报告": "thirdparty:annual-list",
        "机构黑名单": "thirdparty:blacklist-list",
        "统计分析": "statistics:official",
    }
    for label in REFUSED[username]:
        if label in pages:
            assert client.get(reverse(pages[label])).status_code in (302, 403, 404), label


# --- the current place ------------------------------------------------------------------------


def current(nav: Navigation) -> tuple[str | None, str | None]:
    group = next((group.key for group in nav.groups if group.current), None)
    link = next(
        (str(link.label) for group in nav.groups for link in group.links if link.current),
        next((str(link.label) for link in nav.top if link.current), None),
    )
    return group, link


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/dashboard/", {}, (None, "工作台")),
        ("/applications/", {}, ("intake", "申报受理")),
        ("/applications/123/", {}, ("intake", "申报受理")),
        ("/applications/", {"status": "recommended"}, ("review", "待开始专家评审")),
        ("/applications/", {"status": "passed"}, ("publicity", "评审通过待公示")),
        ("/reviews/publicity/7/", {}, ("publicity", "公示管理")),
        ("/experts/new/", {}, ("review", "专家库")),
        ("/credit/events/", {}, ("intake", "信用数据")),
        ("/dynamic/removals/3/", {}, ("dynamic", "移出建议")),
        ("/agency-blacklist/new/", {}, ("oversight", "机构黑名单")),
        ("/mingdan/", {}, ("public", "名单查询")),
        ("/gongshi/complaints/new/", {}, ("public", "我要举报")),
        ("/statistics/", {"level": "city"}, ("statistics", "统计分析")),
        ("/tongji/", {}, ("public", "统计数据")),
        ("/accounts/password_change/", {}, (None, None)),
    ],
)
def test_the_current_place_is_marked_for_sub_pages_too(demo, path, query, expected):
    nav = menu(demo["luoyang-city"], path, query)
    assert current(nav) == expected
    marked = [link for group in nav.groups for link in group.links if link.current]
    assert len(marked) <= 1


def test_the_page_marks_the_current_link_and_group(client, demo):
    client.force_login(demo["luoyang-city"])
    response = client.get(reverse("registry:listing-list"))
    html = response.content.decode()
    assert '<a href="/registry/listings/" aria-current="page">' in html, (
        "the current link carries aria-current"
    )
    assert 'class="nav-group is-current" data-group="publicity"' in html
    assert html.count('aria-current="page"') == 1


# --- the pending counts -----------------------------------------------------------------------


def test_county_counts_are_the_dashboards(demo, county_work):
    user = demo["luoyang-county"]
    items = {item.key: item.count for item in inbox_for(user=user).items}
    counts = pending_counts(user)
    for key in ("submitted", "county_review", "opinions_pending"):
        assert counts[key] == items[key], key
    nav = menu(user)
    intake = next(group for group in nav.groups if group.key == "intake")
    assert intake.links[0].count == items["submitted"] + items["county_review"] == 5
    assert intake.count == 5


def test_authority_counts_are_the_dashboards(demo, authority_work):
    user = demo["luoyang-city"]
    items = {item.key: item.count for item in inbox_for(user=user).items}
    counts = pending_counts(user)
    for key in ("recommended", "panel_incomplete", "ready", "onsite_pending", "passed"):
        assert counts[key] == items[key], key
    assert counts["objections"] == items["objections"] == 2
    review = next(group for group in menu(user).groups if group.key == "review")
    assert review.count == 2 + 1 + 2 + 1


@pytest.mark.parametrize(("username", "count"), [("jinan-city", 1), ("henan", 1), ("nation", 0)])
def test_other_authorities_count_their_own_batches(demo, authority_work, username, count):
    assert pending_counts(demo[username])["recommended"] == count


@pytest.mark.parametrize(
    ("username", "queries"),
    [
        ("luoyang-city", 1),
        ("luoyang-county", 1),
        ("luoyang-env", 1),
        ("luoyang-expert", 1),
        ("luoyang-enterprise", 1),
        ("luoyang-agency", 0),
        ("admin", 0),
    ],
)
def test_the_whole_menu_costs_one_query_at_most(
    demo, authority_work, username, queries, django_assert_num_queries
):
    user = demo[username]
    user.organisation  # noqa: B018 (loaded with the user on a request)
    nav = menu(user, "/applications/")
    with django_assert_num_queries(queries):
        assert nav.groups and nav.top
        nav.groups  # noqa: B018 (built once per request)


def test_a_visitor_costs_no_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_counts_show_on_the_page(client, demo, county_work):
    client.force_login(demo["luoyang-county"])
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert 'class="nav-count">5<span class="visually-hidden">项待办</span>' in html
    # 菜单, which folds the menu on a phone, carries the total: 5 applications, 2 opinions.
    assert response.context["nav"].total == 7
    assert '菜单 <span class="nav-count">7<span' in html
