"""Shared steps of the browser journeys: who signs in, where screenshots go, and the stages of
an application's full cycle (申报 → 初审 → 专家评审 → 决定 → 公示 → 名单 → 推荐至省级).

Each stage drives the pages as the named user would. What has no page (the batch and its
settings, the expert pool entries of the directory-only demo, time passing) is arranged by
:func:`arrange` and :func:`end_publicity_period`, each saying why.
"""

from __future__ import annotations

import os
import re
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from applications.models import Application, Batch, BatchQuota
from reviews.models import ExpertField
from reviews.scoring_templates import TEMPLATES
from reviews.services.expert import expert_add
from tests.applications.helpers import city_batch
from tests.applications.test_submission import ready_application
from tests.reviews.publicity import end_period
from tests.reviews.test_promotion import upper_batch

# var/ is not committed (.gitignore); GREENMFG_SCREENSHOTS sends the pictures elsewhere.
SCREENSHOTS = Path(
    os.environ.get("GREENMFG_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / "var" / "screenshots"
)
JOURNEY_SCREENSHOTS = SCREENSHOTS / "journeys"

AXE = Axe()  # reads axe-core's script once


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it stands, one readable line per rule:
    its id, impact, help and the first nodes it names (their CSS selectors)."""
    found = []
    for rule in AXE.run(page).response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        more = len(rule["nodes"]) - 5
        found.append(
            f"{rule['id']} ({rule['impact']}): {rule['help']} — {targets}"
            + (f" … and {more} more" if more > 0 else "")
        )
    return found


# Chromium reports each script, style or frame the Content-Security-Policy refused on the
# console, in a message that names the policy (issue 20.2: a journey sees none).
CSP_MESSAGE = "Content Security Policy"
_csp_messages: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


def watch_csp(page: Page) -> list[str]:
    """Start recording the CSP violations the console reports on ``page`` (every page a
    journey opens: the ``page`` fixture by tests/browser/conftest.py, the public's by
    :func:`new_public_page`); the list fills as they come."""
    if page not in _csp_messages:
        found = _csp_messages[page] = []

        def record(message) -> None:
            if CSP_MESSAGE in message.text:
                found.append(f"{page.url}: {message.text}")

        page.on("console", record)
    return _csp_messages[page]


def assert_no_csp_violation(page: Page) -> None:
    found = _csp_messages.get(page, [])
    assert not found, "Content-Security-Policy violations:\n  " + "\n  ".join(found)


def assert_accessible(page: Page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot of the page as ``journeys/<name>.png``, then fail with axe-core's
    violations on it, if any (issue 17: every page at 0 violations), or with the CSP violations
    seen so far. The picture is taken first, so that a failure leaves it to look at."""
    JOURNEY_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=JOURNEY_SCREENSHOTS / f"{name}.png", full_page=full_page)
    assert_no_csp_violation(page)
    found = axe_violations(page)
    assert not found, f"axe-core on {page.url} ({name}):\n  " + "\n  ".join(found)


def open_menu(page: Page, group: str, link: str) -> None:
    """Follow ``link`` of the grouped menu's ``group`` (主导航), as a user finds the work by
    task; folded at a phone's width, the menu is opened first."""
    # nav.js folds the menu on a narrow screen as the page loads: look once it has.
    page.wait_for_load_state()
    menu = page.get_by_role("navigation", name="主导航")
    folded = menu.locator("details.nav-menu:not([open]) > summary")
    if folded.count():
        folded.click()
    section = menu.locator(".nav-group", has=page.get_by_role("heading", name=group))
    # A link's name may end in its pending count (「待开始专家评审 2项待办」).
    name = re.compile(rf"^{re.escape(link)}(\s|$)")
    section.get_by_role("link", name=name).click()
    # The page opened marks it current (in the menu folded again on a narrow screen).
    expect(menu.locator('a[aria-current="page"]')).to_have_text(name)


EXPERT_FIELDS = (ExpertField.ENERGY, ExpertField.ENVIRONMENT, ExpertField.LOW_CARBON)

# Each expert gives this share of every item's full marks (or of the way from 基准值 to 引领值),
# so the three totals differ and their mean is something to check, all above the 80-point line.
EXPERT_SHARES = (Decimal("1"), Decimal("0.95"), Decimal("0.9"))


@dataclass(frozen=True)
class City:
    slug: str
    city_key: str
    policy: str
    province_key: str
    province_user: str
    departments: tuple[str, ...]
    scoring_template: str
    assignment: str  # "auto" or "manual": the panel's two ways of forming the expert group
    contact: str  # 受理异议联系方式 on the publicity
    document_number: str
    promotion_article: str

    @property
    def experts(self) -> tuple[str, ...]:
        return (f"{self.slug}-expert", f"{self.slug}-expert2", f"{self.slug}-expert3")


LUOYANG = City(
    slug="luoyang",
    city_key="410300",
    policy="luoyang-2024",
    province_key="410000",
    province_user="henan",
    departments=("luoyang-env", "luoyang-safety", "luoyang-market"),
    scoring_template="green-factory@2025",
    assignment="auto",
    contact="0379-63900000，洛阳市工业和信息化局绿色制造科",
    document_number="洛工信〔2026〕88号",
    promotion_article="第二十二条",
)
JINAN = City(
    slug="jinan",
    city_key="370100",
    policy="jinan-2024",
    province_key="370000",
    province_user="shandong",
    departments=("jinan-env", "jinan-safety", "jinan-market", "jinan-tax"),
    scoring_template="green-factory@2018",
    assignment="manual",
    contact="0531-51700000，济南市工业和信息化局节能与综合利用处",
    document_number="济工信〔2026〕66号",
    promotion_article="第十二条",
)


@dataclass
class Cycle:
    """Where one journey stands: the base URL, the actors' password and what was arranged."""

    base: str
    password: str
    city: City
    application: Application
    province_batch: Batch
    # The users whose dashboard axe-core has checked: once each is enough.
    dashboards_checked: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def shot(self, page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=SCREENSHOTS / f"full-cycle-{self.city.slug}-{step}.png", full_page=True
        )

    @property
    def organisation_name(self) -> str:
        return self.application.organisation.name

    def refreshed(self) -> Application:
        return Application.objects.get(pk=self.application.pk)


def login(page: Page, cycle: Cycle, username: str) -> None:
    page.goto(cycle.url("/accounts/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(cycle.password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(cycle.url("/dashboard/"))
    if username not in cycle.dashboards_checked:
        cycle.dashboards_checked.add(username)
        assert_accessible(page, f"dashboard-{username}")


def open_tab(page: Page, name: str) -> None:
    """Open one tab of the application page (issue 17: a summary above tabs)."""
    tabs = page.get_by_role("navigation", name="申报页面")
    tabs.get_by_role("link", name=name, exact=True).click()
    expect(tabs.get_by_role("link", name=name, exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def open_tab_if_any(page: Page, pages: str, tab: str) -> None:
    """Open the tab whose name contains ``tab`` in the page's ``pages`` tabs, if the page has
    them: the batch and publicity pages are being split into tabs (issue 17), and before that
    everything is on the page itself."""
    tabs = page.get_by_role("navigation", name=pages)
    if tabs.count():
        link = tabs.get_by_role("link", name=re.compile(re.escape(tab)))
        link.click()
        expect(link).to_have_attribute("aria-current", "page")


def open_batch_publicity(page: Page) -> None:
    """The batch page's 公示、名单与推荐 panel (#publicity)."""
    open_tab_if_any(page, "批次页面", "公示")


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您已安全退出")


def arrange(demo, *, city: City, base: str, password: str) -> Cycle:
    """What the journey starts from, none of it part of the application's own cycle.

    - The city batch with its scoring template and the county's quota: the batch pages exist,
      but setting up a batch is the subject of other tests; here it is the stage, as in the
      county journey.
    - A complete draft (``ready_application``): filling in the forms is the application journey.
    - The three demo experts in the city's pool: ``seed_demo --directory-only`` leaves the pool
      empty; they are added with the pool's own service, as the pool page would.
    - The province batch the city later recommends into, opened by the province bureau.
    """
    batch = city_batch(
        city.city_key, city.policy, scoring_templates={"factory": city.scoring_template}
    )
    application, _applicant = ready_application(
        demo, city=city.slug, policy=city.policy, city_key=city.city_key, batch=batch
    )
    BatchQuota.objects.create(batch=batch, county=application.jurisdiction, quota=1)
    city_official = demo[f"{city.slug}-city"]
    for username, expert_field in zip(city.experts, EXPERT_FIELDS, strict=True):
        expert_add(
            actor=city_official,
            expert=demo[username],
            field=expert_field,
            title="正高级工程师",
            active_from=batch.year - 2,
        )
    province_batch = upper_batch(
        city.province_key,
        city.policy,
        title=f"{batch.year}年度省级绿色工厂推荐",
        unit_types=["factory"],
        status=Batch.Status.OPEN,
    )
    return Cycle(
        base=base,
        password=password,
        city=city,
        application=application,
        province_batch=province_batch,
    )


# --- 1. 申报 ---


def enterprise_submits(page: Page, cycle: Cycle) -> None:
    slug = cycle.city.slug
    login(page, cycle, f"{slug}-enterprise")
    open_menu(page, "申报", "我的申报")
    assert_accessible(page, f"{slug}-enterprise-applications")
    page.get_by_role("link", name=cycle.organisation_name).first.click()
    assert_accessible(page, f"{slug}-enterprise-application")
    page.get_by_role("link", name="继续填写").click()
    assert_accessible(page, f"{slug}-enterprise-edit")
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_text("申报已提交")).to_be_visible()
    assert_accessible(page, f"{slug}-enterprise-submitted")
    cycle.shot(page, "1-submitted")
    logout(page)
    assert cycle.refreshed().status == Application.Status.SUBMITTED


# --- 2. 初审 ---


def county_reviews_and_recommends(page: Page, cycle: Cycle) -> None:
    city = cycle.city
    detail = cycle.url(f"/applications/{cycle.application.pk}/")
    login(page, cycle, f"{city.slug}-county")
    open_menu(page, "申报与受理", "申报受理")
    assert_accessible(page, f"{city.slug}-county-applications")
    page.get_by_role("link", name=cycle.organisation_name).first.click()
    expect(page).to_have_url(detail)
    page.get_by_role("button", name="开始初审").click()
    open_tab(page, "初审与部门意见")
    assert_accessible(page, f"{city.slug}-county-review")
    for box in page.locator("#county-review input[type=checkbox][name^=check_]").all():
        box.check()
    page.get_by_label("本县（区）排序").fill("1")
    page.get_by_role("button", name="保存初审意见").click()
    expect(page.get_by_text("初审意见已保存")).to_be_visible()
    page.get_by_role("button", name="发送征求意见").click()
    expect(page.get_by_text(f"已向 {len(city.departments)} 个部门征求意见")).to_be_visible()
    logout(page)

    for number, username in enumerate(city.departments):
        login(page, cycle, username)
        if number == 0:
            open_menu(page, "评审", "征求意见")
            assert_accessible(page, f"{city.slug}-department-opinions")
        page.get_by_role("link", name=cycle.organisation_name).first.click()
        if number == 0:
            assert_accessible(page, f"{city.slug}-department-opinion")
        page.get_by_label("无异议").check()
        page.get_by_role("button", name="提交意见").click()
        expect(page.get_by_text("意见已回复")).to_be_visible()
        logout(page)

    login(page, cycle, f"{city.slug}-county")
    page.goto(detail)
    open_tab(page, "初审与部门意见")
    answered = page.locator("#county-review tbody tr", has_text="无异议")
    expect(answered).to_have_count(len(city.departments))
    page.get_by_role("button", name="推荐", exact=True).click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    assert_accessible(page, f"{city.slug}-county-recommended")
    cycle.shot(page, "2-recommended")
    logout(page)
    assert cycle.refreshed().status == Application.Status.RECOMMENDED


# --- 3. 专家评审组 ---


def city_forms_panel_and_starts_expert_review(page: Page, cycle: Cycle, demo) -> None:
    """The panel is formed first: ``start_expert_review`` is refused until it is complete."""
    city = cycle.city
    login(page, cycle, f"{city.slug}-city")
    open_menu(page, "评审", "待开始专家评审")
    assert_accessible(page, f"{city.slug}-city-to-start")
    page.get_by_role("link", name=cycle.organisation_name).first.click()
    expect(page).to_have_url(cycle.url(f"/applications/{cycle.application.pk}/"))
    assert_accessible(page, f"{city.slug}-city-application")
    # 开始专家评审 waits, disabled, with the guard's reason, until the panel is complete.
    expect(page.locator("#refusals-start_expert_review")).to_contain_text("评审组尚未组成")
    open_tab(page, "专家评审")
    panel = page.locator("#expert-panel")
    expect(panel).to_contain_text("已分配 0 名专家，每项申报需 3 名")
    assert_accessible(page, f"{city.slug}-city-panel")
    if city.assignment == "auto":
        panel.get_by_role("button", name="自动分配 3 名专家").click()
        expect(page.get_by_text("已自动分配 3 名专家")).to_be_visible()
    else:
        for username in city.experts:
            name = demo[username].display_name
            option = page.locator("#assign-expert option", has_text=f"{name}（")
            page.get_by_label("手工分配").select_option(option.get_attribute("value"))
            page.locator("#expert-panel").get_by_role("button", name="分配", exact=True).click()
            expect(page.get_by_text(f"已分配专家「{name}」")).to_be_visible()
    panel = page.locator("#expert-panel")
    expect(panel).to_contain_text("已分配 3 名专家")
    for username in city.experts:
        expect(panel).to_contain_text(demo[username].display_name)
    page.get_by_role("button", name="开始专家评审").click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    assert_accessible(page, f"{city.slug}-city-expert-review-started")
    cycle.shot(page, "3-panel")
    logout(page)
    assert cycle.refreshed().status == Application.Status.EXPERT_REVIEW


# --- 4. 专家评分 ---


def expert_scores(page: Page, cycle: Cycle, username: str, share: Decimal, *, step: str) -> None:
    """The expert fills every row of the batch's template and submits the sheet."""
    template = TEMPLATES[cycle.city.scoring_template]
    login(page, cycle, username)
    open_menu(page, "评审", "我的评分")
    if step:
        assert_accessible(page, f"{cycle.city.slug}-expert-sheets")
    page.get_by_role("link", name=cycle.organisation_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(cycle.organisation_name)
    expect(page.get_by_text(template.title)).to_be_visible()
    if step:
        assert_accessible(page, f"{cycle.city.slug}-expert-sheet")

    form = page.locator("#sheet-form")
    form.get_by_label("评审意见").fill("管理体系健全，能效和排放指标达到行业先进水平。")
    for requirement in template.basic_requirements:
        form.locator(f"input[name='basic__{requirement.code}'][value='met']").check()
    for indicator in template.indicators:
        if indicator.is_interpolated:
            value = indicator.baseline + share * (indicator.leading - indicator.baseline)
            form.locator(f"input[name='value__{indicator.code}']").fill(str(value))
        else:
            form.locator(f"input[name='points__{indicator.code}']").fill(
                str(share * indicator.max_points)
            )
    # The page saves as the expert goes; submitting only once it reports nothing left to do
    # is what a person sees, and keeps the submission from racing the autosave.
    expect(page.locator("#sheet-remaining")).to_have_text("尚有 0 项未完成", timeout=10_000)
    confirmations = []
    page.once("dialog", lambda dialog: (confirmations.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_text("评分已提交，提交后不能再修改")).to_be_visible()
    assert confirmations == ["提交后不能再修改评分，确定提交吗？"]
    total = Decimal(page.locator("section[aria-labelledby=submitted-heading] strong").inner_text())
    assert total >= 80, f"{username} 的总分 {total} 低于 80 分"
    if step:
        assert_accessible(page, f"{cycle.city.slug}-expert-sheet-submitted")
        cycle.shot(page, step)
    logout(page)


# --- 5. 评审决定 ---


def city_decides_pass(page: Page, cycle: Cycle) -> None:
    slug = cycle.city.slug
    login(page, cycle, f"{slug}-city")
    open_menu(page, "评审", "专家评审中")
    assert_accessible(page, f"{slug}-city-in-expert-review")
    page.get_by_role("link", name=cycle.organisation_name).first.click()
    open_tab(page, "专家评审")
    scores = page.locator("#scores")
    expect(scores).to_contain_text("3 / 3 份")
    totals = [
        Decimal(cell.inner_text())
        for cell in scores.locator("table").nth(1).locator("tbody tr td.num").all()
    ]
    assert len(totals) == 3
    mean = (sum(totals) / 3).quantize(Decimal("0.01"))
    summary = scores.locator("table").first.locator("tbody tr td")
    expect(summary.nth(1)).to_have_text(str(mean))  # 平均分
    expect(scores).to_contain_text("符合通过条件")
    expect(scores).to_contain_text(f"平均得分 {mean} 分，达到 80 分（含）")
    expect(scores).to_contain_text("基本要求全部满足")
    assert_accessible(page, f"{slug}-city-scores")
    cycle.shot(page, "5-decision")
    page.get_by_role("button", name="评审通过", exact=True).click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    expect(page.locator(".facts .status").first).to_have_text("评审通过")
    assert_accessible(page, f"{slug}-city-passed")
    logout(page)
    assert cycle.refreshed().status == Application.Status.PASSED


# --- 6. 公示、异议与名单 ---


def city_starts_publicity(page: Page, cycle: Cycle) -> str:
    """The city publishes the proposed list from the batch page; returns the public URL."""
    slug = cycle.city.slug
    login(page, cycle, f"{slug}-city")
    open_menu(page, "公示与名单", "评审通过待公示")
    assert_accessible(page, f"{slug}-city-passed-list")
    open_menu(page, "申报与受理", "申报批次")
    assert_accessible(page, f"{slug}-city-batches")
    page.get_by_role("link", name=cycle.application.batch.title).first.click()
    expect(page).to_have_url(cycle.url(f"/batches/{cycle.application.batch_id}/"))
    open_batch_publicity(page)
    assert_accessible(page, f"{slug}-city-batch")
    panel = page.locator("#publicity")
    expect(panel.get_by_role("heading", name="公示、名单与推荐")).to_be_visible()
    expect(panel).to_contain_text("本批次有 1 项评审通过的申报")
    panel.get_by_role("link", name="发布公示").click()
    assert_accessible(page, f"{slug}-city-publicity-form")
    proposed = page.locator("input[name=applications]")
    expect(proposed).to_have_count(1)
    expect(proposed).to_be_checked()
    page.get_by_label("受理异议联系方式").fill(cycle.city.contact)
    page.get_by_label("公示说明").fill("公示期内如有异议，请实名向市工信局反映。")
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_text("公示已发布，公示期至")).to_be_visible()
    assert_accessible(page, f"{slug}-city-publicity")
    cycle.shot(page, "6a-publicity")
    public_url = page.get_by_role("link", name="查看公开页面").first.get_attribute("href")
    logout(page)
    assert cycle.refreshed().status == Application.Status.IN_PUBLICITY
    return cycle.url(public_url)


def public_lodges_objection(public: Page, cycle: Cycle, public_url: str) -> str:
    """Anyone, not signed in, reads the proposed list and lodges a real-name objection."""
    public.goto(cycle.url("/"))
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="公示公告").click()
    assert_accessible(public, f"{cycle.city.slug}-public-publicities")
    public.get_by_role("link", name=re.compile("拟列入名单公示")).first.click()
    expect(public).to_have_url(public_url)
    assert_accessible(public, f"{cycle.city.slug}-public-publicity")
    expect(public.locator(".facts")).to_contain_text(cycle.city.contact)
    expect(public.get_by_role("table")).to_contain_text(cycle.organisation_name)
    public.get_by_label("异议针对的单位").select_option(
        label=f"{cycle.organisation_name}（绿色工厂）"
    )
    public.get_by_label("姓名").fill("张三")
    public.get_by_label("工作单位或身份证号").fill("某化工有限公司")
    public.get_by_label("联系电话").fill("13800000000")
    public.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    public.get_by_label("异议内容").fill("该企业2025年曾发生一般环境污染事件，申报材料未如实说明。")
    public.get_by_role("button", name="提交异议").click()
    heading = public.get_by_role("heading", name=re.compile("^查询码 "))
    expect(heading).to_be_visible()
    code = heading.inner_text().removeprefix("查询码 ").strip()
    expect(public.locator(".facts")).to_contain_text("待处理")
    assert_accessible(public, f"{cycle.city.slug}-public-objection")
    cycle.shot(public, "6b-objection")
    return code


def city_dismisses_objection(page: Page, cycle: Cycle) -> None:
    slug = cycle.city.slug
    login(page, cycle, f"{slug}-city")
    open_menu(page, "公示与名单", "公示管理")
    assert_accessible(page, f"{slug}-city-publicities")
    page.get_by_role("link", name=re.compile("拟列入名单公示")).first.click()
    open_tab_if_any(page, "公示页面", "异议")
    objection = page.locator("article.objection")
    expect(objection).to_contain_text("张三（某化工有限公司）")
    assert_accessible(page, f"{slug}-city-objection")
    objection.get_by_label("异议不成立").check()
    objection.get_by_label("处理意见").fill("经核查，该事件已依法处理完毕且不属于较大及以上事故。")
    objection.get_by_role("button", name="保存处理结果").click()
    expect(page.get_by_text("异议处理结果已保存")).to_be_visible()
    expect(page.locator("article.objection .status")).to_have_text("异议不成立")
    logout(page)


def end_publicity_period(cycle: Cycle) -> None:
    """The publicity's days cannot run in a test: its dates are moved into the past."""
    end_period(cycle.refreshed().publicity_item.publicity)


def city_publishes_list(page: Page, cycle: Cycle) -> None:
    login(page, cycle, f"{cycle.city.slug}-city")
    open_menu(page, "公示与名单", "公示管理")
    page.get_by_role("link", name=re.compile("拟列入名单公示")).first.click()
    publish = page.locator("section[aria-labelledby=publish-heading]")
    expect(publish.locator(".refusals")).to_have_count(0)
    publish.get_by_label("名单发文文号").fill(cycle.city.document_number)
    # The date picker offers today's date (ISO, whatever the locale).
    expect(publish.get_by_label("发布日期")).to_have_value(timezone.localdate().isoformat())
    publish.get_by_role("button", name="发布名单").click()
    expect(page.get_by_text("名单已发布，1 家单位列入名单")).to_be_visible()
    facts = page.locator("section[aria-labelledby=publicity-facts]")
    expect(facts).to_contain_text(cycle.city.document_number)
    expect(facts).to_contain_text("已发布名单")
    assert_accessible(page, f"{cycle.city.slug}-city-list-published")
    open_menu(page, "公示与名单", "名单管理")
    expect(page.locator("tbody")).to_contain_text(cycle.organisation_name)
    assert_accessible(page, f"{cycle.city.slug}-city-listings")
    cycle.shot(page, "6c-published")
    logout(page)
    assert cycle.refreshed().status == Application.Status.LISTED


def public_sees_published_list(public: Page, cycle: Cycle, public_url: str, code: str) -> None:
    public.goto(cycle.url(f"/gongshi/objections/{code}/"))
    expect(public.locator(".facts")).to_contain_text("异议不成立")
    expect(public.locator(".facts")).to_contain_text("已依法处理完毕")
    assert_accessible(public, f"{cycle.city.slug}-public-objection-outcome")
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="公示公告").click()
    expect(public.get_by_role("table")).to_contain_text(
        f"名单已发布（{cycle.city.document_number}）"
    )
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="名单查询").click()
    expect(public.locator("tbody")).to_contain_text(cycle.organisation_name)
    assert_accessible(public, f"{cycle.city.slug}-public-list")
    public.goto(public_url)
    expect(public.locator(".facts")).to_contain_text(cycle.city.document_number)
    expect(public.get_by_role("table")).to_contain_text(cycle.organisation_name)
    expect(public.get_by_role("button", name="提交异议")).to_have_count(0)
    assert_accessible(public, f"{cycle.city.slug}-public-publicity-listed")
    cycle.shot(public, "6d-public-list")


# --- 7. 推荐至省级 ---


def city_recommends_to_province(page: Page, cycle: Cycle) -> None:
    city = cycle.city
    batch = cycle.province_batch
    login(page, cycle, f"{city.slug}-city")
    open_menu(page, "申报与受理", "申报批次")
    page.get_by_role("link", name=batch.title).click()
    open_batch_publicity(page)
    assert_accessible(page, f"{city.slug}-city-province-batch")
    page.get_by_role("link", name="推荐本辖区名单单位至本批次").click()
    row = page.locator("tbody tr", has_text=cycle.organisation_name)
    finding = row.locator("p.finding-pass")
    expect(finding).to_contain_text("符合")
    expect(finding).to_contain_text(f"（{city.promotion_article}）")
    expect(row.locator("p.finding-fail")).to_have_count(0)
    expect(row).to_contain_text(city.document_number)
    assert_accessible(page, f"{city.slug}-city-candidates")
    cycle.shot(page, "7a-candidates")
    row.get_by_role("button", name="推荐", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"已推荐 {cycle.organisation_name}")
    expect(row.locator(".status")).to_have_text("已推荐")
    page.get_by_role("link", name="推荐汇总表").click()
    summary = page.locator("tbody tr", has_text=cycle.organisation_name)
    expect(summary).to_contain_text(city.document_number)
    # 大连 附件1 carries no workflow state; the recommending city may still withdraw it.
    expect(summary.get_by_role("button", name="撤回推荐")).to_be_visible()
    assert_accessible(page, f"{city.slug}-city-recommendation-summary")
    logout(page)


def province_sees_recommendation(page: Page, cycle: Cycle) -> None:
    batch = cycle.province_batch
    login(page, cycle, cycle.city.province_user)
    open_menu(page, "申报与受理", "申报批次")
    assert_accessible(page, f"{cycle.city.slug}-province-batches")
    page.get_by_role("link", name=batch.title).click()
    open_batch_publicity(page)
    assert_accessible(page, f"{cycle.city.slug}-province-batch")
    page.locator("#publicity").get_by_role("link", name="推荐汇总表").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(batch.title)
    summary = page.locator("tbody tr", has_text=cycle.organisation_name)
    expect(summary).to_contain_text(cycle.city.document_number)
    expect(summary).not_to_contain_text("已推荐")  # 大连 附件1: no workflow column
    assert_accessible(page, f"{cycle.city.slug}-province-summary")
    cycle.shot(page, "7b-province-summary")
    # Only the city below recommends: the province's own officials are sent back with why.
    page.goto(cycle.url(f"/reviews/batches/{batch.pk}/recommend/"))
    expect(page.get_by_text("只有下一级主管部门可以推荐")).to_be_visible()
    logout(page)
    promoted = Application.objects.get(batch=batch, source_application=cycle.application)
    assert promoted.status == Application.Status.RECOMMENDED


def new_public_page(browser: Browser) -> Page:
    """A browser context of its own, never signed in: the public."""
    page = browser.new_context(locale="zh-CN").new_page()
    watch_csp(page)
    return page
