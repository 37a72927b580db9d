"""Journey: a new 第三方评价机构 from its registration to its blacklisting (issue 5), in 洛阳.

The agency registers on /register/ in 洛阳市; the city bureau (the officials of the area it
chose) approves the registration; the agency's user fills in its qualification profile on
本机构资质 — the page shows each condition of 大连 二 met with its numbers — and submits it; the
city approves it. With fourteen other engagements arranged in the 洛阳 city batch, the demo
enterprise names the agency (the 15th) and the demo park the 16th: both are accepted, because
洛阳 第二十条 caps national projects only (the refusal of a 16th national project is in
tests/thirdparty/test_luoyang_cap_national_only.py). The agency uploads its report on 评价委托
and sees its SHA-256; the city blacklists it with evidence; a new version of the report is
refused, the county sees the flag on the enterprise's application, and the public sees the
agency on the blacklist page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from stdnum.cn import ric

from applications.models import Application, Batch
from greenmfg.directory.models import Organisation
from tests.applications.helpers import city_batch, pdf_bytes
from tests.applications.test_submission import ready_application
from tests.browser.journey import SCREENSHOTS, assert_accessible, new_public_page, open_menu
from tests.factories import valid_credit_code
from tests.thirdparty.helpers import engage_many
from thirdparty.forms.profile import ProfileForm
from thirdparty.models import AgencyProfile, BlacklistEntry, Engagement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENCY_NAME = "洛阳绿衡评价咨询有限公司"
AGENCY_USER = "lvheng"
AGENCY_PASSWORD = "Lvheng-Green-2026"
REPRESENTATIVE_ID_FIRST = "11010119900101123"
REPRESENTATIVE_ID = REPRESENTATIVE_ID_FIRST + ric.calc_check_digit(REPRESENTATIVE_ID_FIRST + "0")

# Ten full-time evaluators doing green evaluation: five senior in the fields 大连 二(三) names,
# five intermediate in other fields.
STAFF = [
    ("李能源", "高级", "能源"),
    ("王环境", "高级", "环境"),
    ("张生态", "高级", "生态"),
    ("刘低碳", "高级", "低碳"),
    ("陈周期", "高级", "生命周期评价"),
    ("杨中一", "中级", "其他"),
    ("赵中二", "中级", "其他"),
    ("黄中三", "中级", "能源"),
    ("周中四", "中级", "环境"),
    ("吴中五", "中级", "其他"),
]
OTHER_ENGAGEMENTS = 14
BLACKLIST_REASON = "经查实，该机构在绿色工厂评价报告中伪造现场核查记录，弄虚作假。"


@dataclass
class Journey:
    base: str
    password: str
    batch: Batch
    enterprise_application: Application
    park_application: Application
    credit_code: str
    dashboards_checked: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def shot(self, page: Page, step: str, *, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"agency-{step}.png", full_page=full_page)

    @property
    def agency(self) -> Organisation:
        return Organisation.objects.get(name=AGENCY_NAME)

    @property
    def enterprise_name(self) -> str:
        return self.enterprise_application.organisation.name


def login(page: Page, journey: Journey, username: str, password: str = "") -> None:
    page.goto(journey.url("/accounts/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or journey.password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(journey.url("/dashboard/"))
    if username not in journey.dashboards_checked:
        journey.dashboards_checked.add(username)
        assert_accessible(page, f"agency-dashboard-{username}")


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您已安全退出")


def arrange(demo, *, base: str, password: str) -> Journey:
    """The stage, none of it part of the agency's own story:

    - the open 洛阳 city batch: setting up a batch is the subject of other journeys;
    - the demo enterprise's complete factory draft and the demo park's park draft
      (``ready_application``): filling in the application forms is the application journey.
    """
    batch = city_batch()
    enterprise_application, _ = ready_application(demo, batch=batch)
    park_application, _ = ready_application(demo, unit_type="park", batch=batch)
    return Journey(
        base=base,
        password=password,
        batch=batch,
        enterprise_application=enterprise_application,
        park_application=park_application,
        credit_code=valid_credit_code("410300"),
    )


# --- 1. 注册 ---


def agency_registers(page: Page, journey: Journey) -> None:
    page.goto(journey.url("/"))
    page.get_by_role("link", name="单位注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("企业/园区/第三方评价机构注册")
    page.get_by_label("单位类别").select_option(label="第三方评价机构")
    page.get_by_label("单位名称").fill(AGENCY_NAME)
    page.get_by_label("统一社会信用代码").fill(journey.credit_code)
    # The place is chosen level by level: the province, then its cities appear.
    # The picker's script sets it up once the page has loaded (data-ready).
    expect(page.locator(".region-picker[data-ready]")).to_have_count(1)
    page.get_by_label("所在区划").select_option(label="河南省")
    page.get_by_label("市级").select_option(label="洛阳市")
    page.get_by_label("地址").fill("洛阳市洛龙区开元大道9号")
    page.get_by_label(re.compile("^联系人")).fill("赵敏")
    page.get_by_label("联系电话").fill("13900000000")
    page.get_by_label("账号使用人姓名").fill("赵敏")
    page.get_by_label("用户名").fill(AGENCY_USER)
    page.get_by_label("电子邮箱").fill("zhaomin@lvheng.example.cn")
    page.get_by_label(re.compile("^密码")).fill(AGENCY_PASSWORD)
    page.get_by_label("确认密码").fill(AGENCY_PASSWORD)
    assert_accessible(page, "agency-register")
    journey.shot(page, "1a-register")
    page.get_by_role("button", name="提交注册").click()
    expect(page).to_have_url(journey.url("/dashboard/"))
    expect(page.get_by_text("注册已提交，请等待「洛阳市」工信部门审核。")).to_be_visible()
    assert_accessible(page, "agency-registered")
    journey.shot(page, "1b-registered")
    logout(page)
    agency = journey.agency
    assert agency.kind == Organisation.Kind.AGENCY
    assert agency.status == Organisation.Status.PENDING
    assert agency.users.get().username == AGENCY_USER


# --- 2. 注册审核 ---


def city_approves_registration(page: Page, journey: Journey) -> None:
    """``registration_submit`` tells the officials of the area chosen: 洛阳市, the city bureau."""
    login(page, journey, "luoyang-city")
    pending = page.locator("section[aria-labelledby=pending-heading]")
    pending.get_by_role("link", name=AGENCY_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(AGENCY_NAME)
    expect(page.locator(".facts")).to_contain_text(journey.credit_code)
    expect(page.locator(".facts")).to_contain_text("第三方评价机构")
    assert_accessible(page, "agency-city-registration")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    expect(page.locator(".facts .status")).to_have_text(
        str(Organisation.Status.ACTIVE.label), use_inner_text=True
    )
    journey.shot(page, "2-registration-approved")
    logout(page)
    assert journey.agency.status == Organisation.Status.ACTIVE


# --- 3. 本机构资质 ---


def agency_fills_profile_and_submits(page: Page, journey: Journey) -> None:
    login(page, journey, AGENCY_USER, AGENCY_PASSWORD)
    open_menu(page, "第三方机构", "本机构资质")
    expect(page.get_by_role("heading", level=1)).to_contain_text(AGENCY_NAME)
    assert_accessible(page, "agency-profile-empty")

    page.locator("#profile").get_by_role("link", name="填写/修改").click()
    assert_accessible(page, "agency-profile-form")
    page.get_by_label("法定代表人", exact=True).fill("赵衡")
    page.get_by_label("法定代表人身份证号码").fill(REPRESENTATIVE_ID)
    page.get_by_label("办公地址").fill("洛阳市洛龙区开元大道9号B座")
    for name in ProfileForm.DECLARATION_FIELDS:
        page.get_by_label(str(ProfileForm.base_fields[name].label)).check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("资质基本信息已保存。")).to_be_visible()

    for number, (name, level, speciality) in enumerate(STAFF):
        page.locator("#staff").get_by_role("link", name="新增人员").click()
        if number == 0:
            assert_accessible(page, "agency-staff-form")
        page.get_by_label("姓名").fill(name)
        expect(page.get_by_label("专职", exact=True)).to_be_checked()
        page.get_by_label("职称级别").select_option(label=level)
        page.get_by_label("专业领域").select_option(label=speciality)
        expect(page.get_by_label("从事绿色评价工作")).to_be_checked()
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("评价人员已保存。")).to_be_visible()
    expect(page.locator("#staff tbody tr")).to_have_count(len(STAFF))

    year = timezone.localdate().year
    page.locator("#experience").get_by_role("link", name="新增业绩").click()
    assert_accessible(page, "agency-experience-form")
    page.get_by_label("业绩类别").select_option(label="绿色制造相关评审、论证、评价")
    page.get_by_label("项目名称").fill(f"{year - 1}年度洛阳市绿色工厂第三方评价")
    page.get_by_label("年度").fill(str(year - 1))
    page.get_by_label("本机构主导（不勾选为参与）").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("业绩已保存。")).to_be_visible()

    check = page.locator("#qualification")
    expect(check).to_contain_text("符合全部基本条件")
    expect(check.locator("li.failed")).to_have_count(0)
    expect(check).to_contain_text("从事绿色评价的中级职称以上专职人员 10 人，达到 10 人")
    expect(check).to_contain_text(
        "其中能源、环境、生态、低碳、生命周期评价等相关专业高级职称人员 5 人，达到 5 人"
    )
    expect(check).to_contain_text(
        "近五年主导或参与绿色制造相关评审、评价、科研、标准或政策制定 1 项"
    )
    for clause in ("二(一)", "二(二)", "二(三)", "二(四)", "二(五)"):
        expect(check.locator("li.passed", has_text=f"大连 {clause}").first).to_be_visible()
    expect(page.locator("#submit .form-errors")).to_have_count(0)
    assert_accessible(page, "agency-profile")
    journey.shot(page, "3a-profile")

    page.locator("#submit").get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("资质信息已提交审核，审核结果将通过消息通知。")).to_be_visible()
    expect(page.locator("#submit")).to_contain_text("已提交，等待工信部门审核。")
    journey.shot(page, "3b-profile-submitted")
    logout(page)
    assert AgencyProfile.objects.get(organisation=journey.agency).status == "submitted"


# --- 4. 资质审核 ---


def city_approves_profile(page: Page, journey: Journey) -> None:
    agency = journey.agency
    login(page, journey, "luoyang-city")
    open_menu(page, "第三方机构", "评价机构")
    assert_accessible(page, "agency-city-agencies")
    page.get_by_role("link", name=AGENCY_NAME).click()
    expect(page).to_have_url(journey.url(f"/agencies/{agency.pk}/"))
    expect(page.locator("#qualification")).to_contain_text("符合全部基本条件")
    # Officials see the ID number masked.
    expect(page.locator("#profile")).to_contain_text(REPRESENTATIVE_ID[:4])
    expect(page.locator("#profile")).not_to_contain_text(REPRESENTATIVE_ID)
    decision = page.locator("#decision")
    decision.get_by_label("审核通过").check()
    decision.get_by_label("审核意见").fill("资质材料齐全，符合第三方评价机构基本条件。")
    assert_accessible(page, "agency-city-profile-review")
    journey.shot(page, "4a-profile-review")
    decision.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text(f"已审核通过「{AGENCY_NAME}」的资质。")).to_be_visible()
    expect(page.locator("#profile")).to_contain_text("已通过")
    journey.shot(page, "4b-profile-approved")
    logout(page)
    assert AgencyProfile.objects.get(organisation=agency).status == "approved"


# --- 5. 评价委托与项目上限 ---


def open_draft(page: Page, journey: Journey, username: str, organisation_name: str) -> None:
    login(page, journey, username)
    page.get_by_role("link", name="我的申报").click()
    page.get_by_role("link", name=organisation_name).first.click()
    page.get_by_role("link", name="继续填写").click()


def name_agency_on_form(page: Page) -> None:
    """Choose 第三方评价 and the agency; the form autosaves a moment after a change, so wait
    for it before saving by hand (the two would otherwise race)."""
    page.get_by_label("第三方评价", exact=True).check()
    page.get_by_label("第三方评价机构", exact=True).select_option(label=AGENCY_NAME)
    expect(page.locator("#autosave-status")).to_contain_text("自动保存", timeout=10_000)
    page.get_by_role("button", name="保存草稿").click()


def enterprise_names_agency_then_park_refused(page: Page, journey: Journey) -> None:
    agency = journey.agency
    # No page: the fourteen other applicants' drafts that already name the agency in this
    # batch (each through application_save_draft, as their own edit pages would).
    engage_many(journey.batch, agency, OTHER_ENGAGEMENTS)

    open_draft(page, journey, "luoyang-enterprise", journey.enterprise_name)
    name_agency_on_form(page)
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.get_by_label("第三方评价机构", exact=True)).to_have_value(str(agency.pk))
    journey.shot(page, "5a-enterprise-15th")
    logout(page)
    active = Engagement.objects.filter(agency=agency, status=Engagement.Status.ACTIVE)
    assert active.count() == OTHER_ENGAGEMENTS + 1
    assert active.filter(application=journey.enterprise_application).exists()

    open_draft(page, journey, "luoyang-park", journey.park_application.organisation.name)
    name_agency_on_form(page)
    # 洛阳 第二十条 counts national projects only: a 16th city project is not refused.
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.get_by_label("第三方评价机构", exact=True)).to_have_value(str(agency.pk))
    journey.shot(page, "5b-park-16th-city-project-accepted", full_page=False)
    logout(page)
    assert active.count() == OTHER_ENGAGEMENTS + 2
    park = Application.objects.get(pk=journey.park_application.pk)
    assert park.agency_id == agency.pk


# --- 6. 第三方评价报告 ---


def agency_uploads_report(page: Page, journey: Journey, report: Path) -> str:
    sha = hashlib.sha256(report.read_bytes()).hexdigest()
    login(page, journey, AGENCY_USER, AGENCY_PASSWORD)
    open_menu(page, "第三方机构", "评价委托")
    row = page.locator("tbody tr", has_text=journey.enterprise_name)
    expect(row).to_contain_text("未上传")
    assert_accessible(page, "agency-engagements")
    row.get_by_role("link", name="上传报告").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(journey.enterprise_name)
    assert_accessible(page, "agency-engagement")
    page.locator("#report form").get_by_label("第三方评价报告").set_input_files(str(report))
    page.get_by_role("button", name="上传报告").click()
    expect(page.get_by_text(f"已上传第三方评价报告第 1 版（SHA-256 {sha}）。")).to_be_visible()
    expect(page.locator("#report tbody tr").first).to_contain_text(sha)
    assert_accessible(page, "agency-report-uploaded")

    page.get_by_role("link", name="← 返回评价委托").click()
    row = page.locator("tbody tr", has_text=journey.enterprise_name)
    expect(row).to_contain_text("第 1 版")
    expect(row.locator("code.hash")).to_have_attribute("title", sha)
    expect(row.locator("code.hash")).to_contain_text(sha[:10])
    journey.shot(page, "6-report-uploaded")
    logout(page)
    return sha


# --- 7. 黑名单 ---


def city_blacklists_agency(page: Page, journey: Journey, evidence: Path) -> None:
    login(page, journey, "luoyang-city")
    open_menu(page, "监督", "机构黑名单")
    page.get_by_role("link", name="列入黑名单").click()
    page.get_by_label("评价机构").select_option(label=f"{AGENCY_NAME}（{journey.credit_code}）")
    page.get_by_label("列入理由").fill(BLACKLIST_REASON)
    page.get_by_label("证据材料").set_input_files(str(evidence))
    assert_accessible(page, "agency-city-blacklist-form")
    journey.shot(page, "7a-blacklist-form")
    page.get_by_role("button", name="列入黑名单").click()
    expect(page.get_by_text(f"已将「{AGENCY_NAME}」列入黑名单")).to_be_visible()
    open_menu(page, "监督", "机构黑名单")
    row = page.locator("tbody tr", has_text=AGENCY_NAME)
    expect(row).to_contain_text("有效期内")
    assert_accessible(page, "agency-city-blacklist")
    journey.shot(page, "7b-blacklist")
    logout(page)


def agency_upload_refused(page: Page, journey: Journey, report: Path, entry: BlacklistEntry):
    login(page, journey, AGENCY_USER, AGENCY_PASSWORD)
    open_menu(page, "第三方机构", "评价委托")
    page.locator("tbody tr", has_text=journey.enterprise_name).get_by_role(
        "link", name="查看"
    ).click()
    # The page refuses before a file is chosen: no upload form, the reason instead.
    expect(page.get_by_role("button", name="上传新版本")).to_have_count(0)
    expect(
        page.get_by_text(
            f"该评价机构已被{entry.authority.name}列入黑名单，"
            f"{entry.ends_on:%Y-%m-%d} 前不予采信其评价报告。"
        )
    ).to_be_visible()
    expect(page.locator("#report tbody tr")).to_have_count(1)
    assert_accessible(page, "agency-upload-refused")
    journey.shot(page, "7c-upload-refused")
    logout(page)


def county_sees_flag(page: Page, journey: Journey, entry: BlacklistEntry) -> None:
    """The county is told of each flagged application in its area; it opens the enterprise's."""
    login(page, journey, "luoyang-county")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="消息").click()
    assert_accessible(page, "agency-county-messages")
    page.get_by_role(
        "button", name=f"评价机构被列入黑名单：{journey.enterprise_application}"
    ).click()
    expect(page).to_have_url(journey.url(f"/applications/{journey.enterprise_application.pk}/"))
    flag = page.locator("#agency-flag")
    expect(flag).to_contain_text(f"本申报委托的第三方评价机构「{AGENCY_NAME}」")
    expect(flag).to_contain_text(f"已被{entry.authority.name}列入黑名单")
    expect(flag).to_contain_text(f"{entry.ends_on:%Y-%m-%d} 前不予采信其评价报告")
    expect(flag.get_by_role("link", name="查看黑名单记录")).to_be_visible()
    assert_accessible(page, "agency-county-flag")
    journey.shot(page, "7d-county-flag")
    logout(page)


def public_sees_blacklist(public: Page, journey: Journey, entry: BlacklistEntry) -> None:
    public.goto(journey.url("/gongshi/agency-blacklist/"))
    expect(public.get_by_role("heading", level=1)).to_have_text("第三方评价机构黑名单公示")
    row = public.locator("tbody tr", has_text=AGENCY_NAME)
    expect(row).to_contain_text(journey.credit_code)
    expect(row).to_contain_text(entry.authority.name)
    expect(row).to_contain_text(f"{entry.starts_on:%Y-%m-%d} — {entry.ends_on:%Y-%m-%d}")
    expect(row).to_contain_text("有效期内")
    expect(row).to_contain_text(BLACKLIST_REASON)
    expect(public.get_by_role("link", name="证据材料")).to_have_count(0)
    assert_accessible(public, "agency-public-blacklist")
    journey.shot(public, "7e-public-blacklist")


@pytest.fixture
def public(browser: Browser):
    page = new_public_page(browser)
    yield page
    page.context.close()


def test_agency_from_registration_to_blacklist(
    page: Page, public: Page, live_server, demo, settings, tmp_path
):
    journey = arrange(demo, base=live_server.url, password=settings.DEMO_PASSWORD)
    report = tmp_path / "第三方评价报告.pdf"
    report.write_bytes(pdf_bytes(pages=3))
    second = tmp_path / "第三方评价报告（修订）.pdf"
    second.write_bytes(pdf_bytes(pages=4))
    evidence = tmp_path / "现场核查记录比对.pdf"
    evidence.write_bytes(pdf_bytes(pages=1))

    agency_registers(page, journey)
    city_approves_registration(page, journey)
    agency_fills_profile_and_submits(page, journey)
    city_approves_profile(page, journey)
    enterprise_names_agency_then_park_refused(page, journey)
    agency_uploads_report(page, journey, report)

    city_blacklists_agency(page, journey, evidence)
    entry = BlacklistEntry.objects.select_related("authority").get(agency=journey.agency)
    assert entry.jurisdiction.key == "410300"
    agency_upload_refused(page, journey, second, entry)
    county_sees_flag(page, journey, entry)
    public_sees_blacklist(public, journey, entry)
