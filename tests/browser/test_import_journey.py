"""Journey (issue 18): a city official brings last year's city list into the platform.

洛阳's city official opens 名单管理 → 导入存量名单单位, downloads the Excel template and fills
it (here: the test writes 500 rows under the template's own headers), with three bad rows of
different kinds: a credit code whose check character is wrong, a region that does not exist,
and a publication date after today. The preview writes nothing and names each bad row's
number, column and reason; the official corrects the three cells, uploads the file again,
reads a clean preview and imports it. One of the units is then on the public list
(/mingdan/, with its 导入名单 history entry), and when the city sets this year's filing window,
the imported units owe its 动态管理表 like any other listed unit (the server-side side of the
last step: tests/imports/test_listing_import_dynamic_management.py).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from dynamic_mgmt.models import FilingWindow
from greenmfg.core.imports.models import ImportRun
from registry.models import Listing
from tests.browser.journey import assert_accessible, login, logout, open_menu
from tests.conftest import suite_today
from tests.factories.directory import valid_credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 500
IMPORT_PATH = "/registry/listings/import/"
CITATION = "洛阳 第十六条"
# Sheet row numbers (the header is row 1) of the three bad rows, and the row the journey follows
# to the public list and the filing window.
BAD_CODE_ROW, BAD_REGION_ROW, FUTURE_DATE_ROW = 37, 212, 468
FOLLOWED_ROW = 300


@dataclass
class Journey:
    base: str
    password: str
    folder: Path
    today: datetime.date = field(default_factory=suite_today)
    dashboards_checked: set[str] = field(default_factory=set)
    headers: list[str] = field(default_factory=list)
    rows: dict[int, dict[str, str]] = field(default_factory=dict)  # by sheet row number

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    @property
    def year(self) -> int:
        """The list's year: last year's city list."""
        return self.today.year - 1

    @property
    def followed(self) -> dict[str, str]:
        return self.rows[FOLLOWED_ROW]

    def write(self, name: str) -> Path:
        """The rows as the official's workbook, under the downloaded template's headers."""
        book = Workbook()
        sheet = book.active
        sheet.append(self.headers)
        for number in sorted(self.rows):
            sheet.append([self.rows[number].get(header, "") for header in self.headers])
        path = self.folder / name
        book.save(path)
        return path


def good_row(journey: Journey, number: int) -> dict[str, str]:
    year = journey.year
    return {
        "单位名称": f"洛阳存量名单导入{number:03d}号制造有限公司",
        "统一社会信用代码": valid_credit_code("410311"),
        "名单层级": "市级",
        "名单类型": "绿色工厂",
        "年度": str(year),
        "发文文号": f"洛工信〔{year}〕45号",
        "发布日期": f"{year}-06-30",
        "所在地区": "410311",
    }


def wrong_check_character(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


# --- 1. The template and the file ---


def official_downloads_the_template(page: Page, journey: Journey) -> None:
    login(page, journey, "luoyang-city")
    open_menu(page, "公示与名单", "名单管理")
    page.get_by_role("link", name="导入存量名单单位").click()
    expect(page).to_have_url(journey.url(IMPORT_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text("导入存量名单单位")
    assert_accessible(page, "import-upload")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel 模板（.xlsx）").click()
    template = journey.folder / "template.xlsx"
    download.value.save_as(template)
    sheet = load_workbook(template).worksheets[0]
    journey.headers = [cell.value for cell in sheet[1] if cell.value]
    assert {"统一社会信用代码", "所在地区", "发布日期"} <= set(journey.headers), journey.headers


def official_fills_the_file(journey: Journey) -> None:
    journey.rows = {number: good_row(journey, number) for number in range(2, ROWS + 2)}
    bad = journey.rows
    bad[BAD_CODE_ROW]["统一社会信用代码"] = wrong_check_character(
        bad[BAD_CODE_ROW]["统一社会信用代码"]
    )
    bad[BAD_REGION_ROW]["所在地区"] = "洛阳不存在县"
    bad[FUTURE_DATE_ROW]["发布日期"] = (journey.today + datetime.timedelta(days=20)).isoformat()


def upload(page: Page, journey: Journey, path: Path) -> None:
    """Upload from the import page and wait for the preview (500 rows are checked inline; a
    larger file would be checked in the background, the page refreshing itself)."""
    page.goto(journey.url(IMPORT_PATH))
    page.get_by_label("导入文件").set_input_files(path)
    page.get_by_role("button", name="上传并预检").click()
    expect(page).to_have_url(re.compile(re.escape(journey.url(IMPORT_PATH)) + r"\d+/$"))
    expect(page.get_by_role("heading", level=2, name=path.name)).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("已预检，待导入", timeout=60_000)


# --- 2. The preview names the three bad rows ---


def result_rows(page: Page):
    return page.get_by_role("region", name="逐行结果（错误在前）").locator("tbody tr")


def official_reads_the_three_reasons(page: Page, journey: Journey) -> None:
    upload(page, journey, journey.write("洛阳市级名单（存量）.xlsx"))
    expect(page.locator(".facts")).to_contain_text(
        f"新增 {ROWS - 3} 行，匹配已有单位 0 行，无变化 0 行，错误 3 行"
    )
    expect(page.get_by_text("有 3 行存在错误。")).to_be_visible()
    future = journey.rows[FUTURE_DATE_ROW]["发布日期"]
    expected = [
        (BAD_CODE_ROW, "统一社会信用代码", "校验位"),
        (BAD_REGION_ROW, "所在地区", "未找到地区「洛阳不存在县」"),
        (FUTURE_DATE_ROW, "发布日期", f"发布日期 {future} 晚于今天（{journey.today.isoformat()}）"),
    ]
    rows = result_rows(page)
    for index, (number, column, reason) in enumerate(expected):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(str(number))
        # A cell the file's reader refused leaves the row unnamed (—); a row the importer
        # refused is named.
        if column == "所在地区":
            expect(cells.nth(1)).to_have_text(journey.rows[number]["单位名称"])
        expect(cells.nth(2)).to_have_text("错误")
        expect(cells.nth(3)).to_have_text(column)
        expect(cells.nth(4)).to_contain_text(reason)
    expect(rows.nth(3).locator("td").nth(2)).to_have_text("新增")
    assert_accessible(page, "import-preview-errors")

    # Applying as it is writes nothing.
    page.get_by_role("button", name="执行导入").click()
    expect(page.get_by_role("alert").first).to_contain_text("未写入任何数据")
    assert not Listing.objects.exists()


# --- 3. Corrected, again, and applied ---


def official_corrects_and_imports(page: Page, journey: Journey) -> None:
    rows = journey.rows
    rows[BAD_CODE_ROW]["统一社会信用代码"] = valid_credit_code("410311")
    rows[BAD_REGION_ROW]["所在地区"] = "洛阳市洛龙区"  # by name this time, with its city
    rows[FUTURE_DATE_ROW]["发布日期"] = f"{journey.year}-06-30"
    upload(page, journey, journey.write("洛阳市级名单（存量，已更正）.xlsx"))
    expect(page.locator(".facts")).to_contain_text(
        f"新增 {ROWS} 行，匹配已有单位 0 行，无变化 0 行，错误 0 行"
    )
    expect(page.get_by_text(f"将写入 {ROWS} 行；无变化的行不会改动。")).to_be_visible()
    assert_accessible(page, "import-preview-clean")

    page.get_by_role("button", name="执行导入").click()
    expect(page.locator(".messages")).to_contain_text(f"导入完成：写入 {ROWS} 条记录。")
    expect(page.locator(".facts")).to_contain_text("已导入")
    assert_accessible(page, "import-applied")

    run = ImportRun.objects.get(state=ImportRun.State.APPLIED)
    assert (run.rows, run.new, run.errors, run.written) == (ROWS, ROWS, 0, ROWS)
    assert Listing.objects.filter(import_run=run).count() == ROWS


# --- 4. On the public list ---


def the_unit_is_on_the_public_list(page: Page, journey: Journey) -> None:
    unit = journey.followed
    page.goto(journey.url("/mingdan/"))
    page.get_by_label("单位名称或信用代码").fill(unit["单位名称"])
    page.get_by_role("button", name="查询").click()
    table = page.get_by_role("region", name="绿色制造名单查询")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(unit["统一社会信用代码"])
    assert_accessible(page, "import-public-list")
    rows.first.get_by_role("link", name=unit["单位名称"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(unit["单位名称"])
    expect(page.get_by_text("导入名单").first).to_be_visible()


# --- 5. In the next filing window ---


def city_sets_the_window_and_the_units_owe_their_tables(page: Page, journey: Journey) -> None:
    unit = journey.followed
    opens_on, deadline = journey.today, journey.today + datetime.timedelta(days=30)
    open_menu(page, "动态管理", "填报期")
    page.get_by_role("link", name="设置填报期").click()
    page.get_by_label("名单层级").select_option(label="市级")
    expect(page.get_by_label("填报年度")).to_have_value(str(journey.today.year))
    page.get_by_label("开始填报日期").fill(opens_on.isoformat())
    page.get_by_label("填报截止日期").fill(deadline.isoformat())
    page.get_by_label("截止前提醒（天）").fill("7,1")
    page.get_by_label("依据").fill(CITATION)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(f"截止日期 {deadline.isoformat()}")

    open_menu(page, "动态管理", "动态管理表")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{journey.today.year}年度动态管理表填报情况"
    )
    # Every imported unit owes this year's table (and nothing else in 洛阳 is listed).
    expect(page.locator("#summary-heading")).to_have_text(f"应填报单位 {ROWS} 家")
    page.get_by_label("单位名称或信用代码").fill(unit["统一社会信用代码"])
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(unit["单位名称"])
    expect(rows.first.locator(".status")).to_have_text("待填报")
    expect(rows.first).to_contain_text(deadline.isoformat())
    assert_accessible(page, "import-window-overview")
    logout(page)

    window = FilingWindow.objects.get(year=journey.today.year, level="city")
    assert window.jurisdiction.key == "410300"


def test_a_city_official_imports_last_years_list_and_the_units_are_managed(
    page: Page, live_server, demo, settings, tmp_path
):
    journey = Journey(base=live_server.url, password=settings.DEMO_PASSWORD, folder=tmp_path)

    official_downloads_the_template(page, journey)
    official_fills_the_file(journey)
    official_reads_the_three_reasons(page, journey)
    official_corrects_and_imports(page, journey)
    the_unit_is_on_the_public_list(page, journey)
    city_sets_the_window_and_the_units_owe_their_tables(page, journey)
