"""Journeys (issue 18): a city official brings the bureau's people into the platform.

The expert pool: 洛阳's city official opens 评审 → 专家库 → 批量导入专家, downloads the template and
fills it with three experts, one of them in a 专业领域 the portal does not have and one working
at a university that is not on the portal. The preview names the bad row's column and reason
and says the university will be created; the official corrects the cell, imports, and finds the
three experts, with the university as their 所在单位, on the pool's page.

The county's staff: the same official opens 系统 → 批量导入工作人员账号 and imports an account for
洛龙区's bureau; once applied, its person receives the set-password e-mail, sets a password with
its link and signs in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from greenmfg.accounts.models import User
from reviews.models import ExpertMembership
from tests.browser.journey import assert_accessible, login, logout, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPERT_IMPORT_PATH = "/experts/import/"
STAFF_IMPORT_PATH = "/accounts/staff/import/"
# The demo's 洛阳 research institute, and a university the portal does not hold.
INSTITUTE = "洛阳示范绿色制造研究院（演示）"
UNIVERSITY = "河南科技大学（旅程）"
NEW_PASSWORD = "Lvse-Zhizao-2026!"


@dataclass
class Journey:
    base: str
    password: str
    folder: Path
    dashboards_checked: set[str] = field(default_factory=set)
    headers: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def write(self, name: str) -> Path:
        """The rows as the official's workbook, under the downloaded template's headers."""
        book = Workbook()
        sheet = book.active
        sheet.append(self.headers)
        for row in self.rows:
            sheet.append([row.get(header, "") for header in self.headers])
        path = self.folder / name
        book.save(path)
        return path


def download_template(page: Page, journey: Journey, title: str, screenshot: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page, screenshot)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel 模板（.xlsx）").click()
    template = journey.folder / f"{screenshot}.xlsx"
    download.value.save_as(template)
    header = load_workbook(template).worksheets[0][1]
    journey.headers = [cell.value for cell in header if cell.value]


def upload(page: Page, journey: Journey, import_path: str, name: str) -> None:
    path = journey.write(name)
    page.goto(journey.url(import_path))
    page.get_by_label("导入文件").set_input_files(path)
    page.get_by_role("button", name="上传并预检").click()
    expect(page).to_have_url(re.compile(re.escape(journey.url(import_path)) + r"\d+/$"))
    expect(page.get_by_role("heading", level=2, name=path.name)).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("已预检，待导入")


def result_rows(page: Page):
    return page.get_by_role("region", name="逐行结果（错误在前）").locator("tbody tr")


# --- The expert pool ---


def expert(name: str, phone: str, organisation: str, field: str = "节能") -> dict[str, str]:
    return {
        "姓名": name,
        "手机号码": phone,
        "所在单位": organisation,
        "专业领域": field,
        "职称": "正高级工程师",
        "专家库": "洛阳市工业和信息化局",
    }


def official_reads_the_bad_rows_reason(page: Page, journey: Journey) -> None:
    login(page, journey, "luoyang-city")
    open_menu(page, "评审", "专家库")
    page.get_by_role("link", name="批量导入专家").click()
    expect(page).to_have_url(journey.url(EXPERT_IMPORT_PATH))
    download_template(page, journey, "导入专家库成员", "expert-import-upload")
    assert {"姓名", "手机号码", "所在单位", "专家库"} <= set(journey.headers), journey.headers
    journey.rows = [
        expert("周旅程", "13912340001", INSTITUTE),
        expert("吴旅程", "13912340002", INSTITUTE, field="化学"),
        expert("郑旅程", "13912340003", UNIVERSITY, field="低碳"),
    ]
    upload(page, journey, EXPERT_IMPORT_PATH, "洛阳市专家库.xlsx")
    expect(page.locator(".facts")).to_contain_text(
        "新增 2 行，匹配已有专家 0 行，无变化 0 行，错误 1 行"
    )
    rows = result_rows(page)
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("3")
    expect(cells.nth(1)).to_have_text("吴旅程")
    expect(cells.nth(2)).to_have_text("错误")
    expect(cells.nth(3)).to_have_text("专业领域")
    expect(cells.nth(4)).to_contain_text("「化学」不是专业领域")
    # The university is not on the portal: the preview says it will be created.
    university_row = rows.filter(has_text="郑旅程")
    expect(university_row).to_contain_text(f"将新建单位「{UNIVERSITY}」")
    assert_accessible(page, "expert-import-preview-error")

    page.get_by_role("button", name="执行导入").click()
    expect(page.get_by_role("alert").first).to_contain_text("未写入任何数据")
    assert not ExpertMembership.objects.exists()


def official_corrects_and_imports_the_experts(page: Page, journey: Journey) -> None:
    journey.rows[1]["专业领域"] = "环保"
    upload(page, journey, EXPERT_IMPORT_PATH, "洛阳市专家库（已更正）.xlsx")
    expect(page.locator(".facts")).to_contain_text(
        "新增 3 行，匹配已有专家 0 行，无变化 0 行，错误 0 行"
    )
    page.get_by_role("button", name="执行导入").click()
    expect(page.locator(".messages")).to_contain_text("导入完成：写入 3 条记录。")
    assert_accessible(page, "expert-import-applied")


def the_experts_are_in_the_pool(page: Page, journey: Journey) -> None:
    open_menu(page, "评审", "专家库")
    pool = page.get_by_role("region", name="专家库")
    for row in journey.rows:
        line = pool.locator("tbody tr", has=page.get_by_role("link", name=row["姓名"]))
        expect(line).to_contain_text(row["所在单位"])
        expect(line).to_contain_text("在库")
    assert_accessible(page, "expert-pool-imported")
    logout(page)


def test_a_city_official_imports_the_expert_pool(page: Page, live_server, demo, settings, tmp_path):
    journey = Journey(base=live_server.url, password=settings.DEMO_PASSWORD, folder=tmp_path)

    official_reads_the_bad_rows_reason(page, journey)
    official_corrects_and_imports_the_experts(page, journey)
    the_experts_are_in_the_pool(page, journey)


# --- The county's staff ---


def official_imports_a_county_account(page: Page, journey: Journey) -> None:
    login(page, journey, "luoyang-city")
    open_menu(page, "系统", "批量导入工作人员账号")
    expect(page).to_have_url(journey.url(STAFF_IMPORT_PATH))
    download_template(page, journey, "批量导入工作人员账号", "staff-import-upload")
    journey.rows = [
        {
            "用户名": "luolong-chen",
            "姓名": "陈静",
            "角色": "县（区）工信部门",
            "所属单位": "洛龙区工业和信息化局",
            "电子邮箱": "chenjing@gov.example.cn",
        }
    ]
    upload(page, journey, STAFF_IMPORT_PATH, "洛龙区工作人员.xlsx")
    expect(page.locator(".facts")).to_contain_text("新增 1 行")
    expect(result_rows(page).first).to_contain_text(
        "新开通账号，导入后向 chenjing@gov.example.cn 发送设置密码邮件。"
    )
    assert_accessible(page, "staff-import-preview")
    page.get_by_role("button", name="执行导入").click()
    expect(page.locator(".messages")).to_contain_text("导入完成：写入 1 条记录。")
    logout(page)


def the_new_official_sets_a_password_and_signs_in(page: Page, journey: Journey) -> None:
    (message,) = [m for m in mail.outbox if m.to == ["chenjing@gov.example.cn"]]
    assert "用户名：luolong-chen" in message.body
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    page.goto(journey.url("/" + link.split("/", 3)[3]))
    expect(page.get_by_role("heading", level=1)).to_have_text("设置新密码")
    assert_accessible(page, "staff-set-password")
    page.locator('input[name="new_password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="new_password2"]').fill(NEW_PASSWORD)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("密码已重置")

    journey.password = NEW_PASSWORD
    login(page, journey, "luolong-chen")
    user = User.objects.get(username="luolong-chen")
    assert (user.role, user.organisation.name) == ("county_official", "洛龙区工业和信息化局")


def test_a_city_official_imports_county_staff_who_set_their_password(
    page: Page, live_server, demo, settings, tmp_path
):
    journey = Journey(base=live_server.url, password=settings.DEMO_PASSWORD, folder=tmp_path)

    official_imports_a_county_account(page, journey)
    the_new_official_sets_a_password_and_signs_in(page, journey)
