"""大连 附件1「工业和信息化主管部门推荐汇总表」: every bureau that recommends (a county into the
city's batch, a city into the batch above) prints the same summary, titled with its own region's
name, one table per unit type in the order of the notice's 一(一)-(四), with only the columns that
describe the recommended unit (序号, 所属行业 and 产品名称 each in its own column) and none of the
portal's workflow columns; the page, the PDF and the Excel file show the same columns in the
same order.

The notice's text names 附件1 only by its title; it does not reproduce the table's columns, so
ANNEX1_HEADERS is the portal's reading of it, kept in one place (annex1_columns).
"""

import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from applications.models import Application
from applications.services.applications import application_transition
from greenmfg.directory.models import Jurisdiction
from reviews.selectors.promotion import ANNEX1_UNIT_ORDER
from tests.applications.helpers import city_batch
from tests.budgets.rows import units, users
from tests.reviews.helpers import in_county_review, ready_to_recommend
from tests.reviews.test_promotion import upper_batch

pytestmark = pytest.mark.django_db

S = Application.Status
ANNEX1_HEADERS = [
    "序号",
    "地区",
    "单位名称",
    "统一社会信用代码",
    "所属行业",
    "产品名称",
    "评价方式",
    "第三方评价机构",
    "已列入名单",
]
INTERNAL_HEADERS = ["状态", "申报类型", "推荐时间", "ID", "id", "办理"]
DALIAN, JINZHOU, JINPU = "210200", "210213", "DL-JPXQ"


def recommended_into(batch, *, county, status=S.RECOMMENDED, **fields):
    """One application of a new unit of ``county`` in ``batch``, at ``status``."""
    [unit] = units(1, county=county)
    [creator] = users([unit])
    return Application.objects.create(
        batch=batch,
        organisation=unit,
        jurisdiction=unit.jurisdiction,
        status=status,
        submitted_at=timezone.now(),
        created_by=creator,
        **{"unit_type": "factory", **fields},
    )


def dalian_city_batch():
    """大连's batch, with what its counties did: two recommendations of 金州区 (a factory and a
    design product, the latter already in expert review), one of 金普新区 (a park), and two
    applications 金州区 did not recommend (still in review, refused)."""
    batch = city_batch(DALIAN, policy="dalian-2022-national", unit_types=list(ANNEX1_UNIT_ORDER))
    made = {
        "factory": recommended_into(batch, county=JINZHOU, industry="钢铁"),
        "product": recommended_into(
            batch,
            county=JINZHOU,
            status=S.EXPERT_REVIEW,
            unit_type="design_product",
            product_name="高效节能电机",
            industry="电机制造",
        ),
        "park": recommended_into(batch, county=JINPU, unit_type="park", industry="综合"),
        "in_review": recommended_into(batch, county=JINZHOU, status=S.COUNTY_REVIEW),
        "refused": recommended_into(batch, county=JINZHOU, status=S.NOT_RECOMMENDED),
    }
    return batch, made


def summary_url(batch, **query) -> str:
    url = reverse("reviews:recommendation-summary", args=[batch.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pdf_url(batch, **query) -> str:
    url = reverse("reviews:recommendation-summary-pdf", args=[batch.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class SummaryPage(HTMLParser):
    """What a reader sees of the summary page's own content (<main>, not the menu's group
    headings): headings, the summary tables (headers and rows of cells), the links and the
    whole text."""

    def __init__(self, content: str):
        super().__init__()
        self.h1, self.h2, self.links, self.tables, self.text = "", [], [], [], []
        self._in, self._cell, self._section = None, None, None
        start = content.find("<main")
        self.feed(content[start : content.find("</main>", start) + 7] if start >= 0 else content)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href"))
        if tag in ("h1", "h2"):
            self._in = tag
            if tag == "h2":
                self.h2.append("")
        if tag == "table" and "summary-table" in (attrs.get("class") or ""):
            self.tables.append({"headers": [], "rows": []})
        if self.tables and tag in ("thead", "tbody"):
            self._section = tag
        if self.tables and tag == "tr" and self._section == "tbody":
            self.tables[-1]["rows"].append([])
        if self.tables and tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("h1", "h2"):
            self._in = None
        if tag == "table":
            self._section = None
        if tag in ("th", "td") and self._cell is not None and self.tables:
            table = self.tables[-1]
            target = table["headers"] if self._section == "thead" else table["rows"][-1]
            target.append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in == "h1":
            self.h1 += data
        elif self._in == "h2":
            self.h2[-1] += data
        if self._cell is not None:
            self._cell += data

    @property
    def body(self) -> str:
        return "".join(self.text)


def page_of(client, url) -> SummaryPage:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return SummaryPage(response.content.decode())


def pdf_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def workbook_of(client, url):
    response = client.get(url + ("&" if "?" in url else "?") + "export=xlsx")
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def county_name(key: str) -> str:
    return Jurisdiction.objects.get(key=key).name


# --- Title -------------------------------------------------------------------------------------


def test_the_title_names_the_recommending_county_in_page_pdf_and_excel(client, demo):
    """A county's summary is 「XX区工业和信息化主管部门推荐汇总表」."""
    batch, _made = dalian_city_batch()
    title = f"{county_name(JINZHOU)}工业和信息化主管部门推荐汇总表"
    client.force_login(demo["dalian-county"])

    tree = page_of(client, summary_url(batch))
    assert tree.h1.startswith(title)
    assert title in pdf_text(client, pdf_url(batch))
    workbook = workbook_of(client, summary_url(batch))
    assert all(sheet["A1"].value.startswith(title) for sheet in workbook.worksheets)


def test_the_title_names_the_recommending_city_for_the_batch_above(client, demo):
    """大连 recommending into the batch above prints 「大连市工业和信息化主管部门推荐汇总表」."""
    batch = upper_batch("210000", "dalian-2022-national")
    recommended_into(batch, county=JINZHOU)
    client.force_login(demo["dalian-city"])

    tree = page_of(client, summary_url(batch))

    assert tree.h1.startswith("大连市工业和信息化主管部门推荐汇总表")
    assert "大连市工业和信息化主管部门推荐汇总表" in pdf_text(client, pdf_url(batch))


# --- Columns -----------------------------------------------------------------------------------


def test_the_columns_follow_annex1_in_page_pdf_and_excel(client, demo):
    """Every table of the summary has 附件1's columns, in one order, and nothing else."""
    batch, _made = dalian_city_batch()
    client.force_login(demo["dalian-county"])

    assert [t["headers"] for t in page_of(client, summary_url(batch)).tables] == [
        ANNEX1_HEADERS,
        ANNEX1_HEADERS,
    ]
    text = pdf_text(client, pdf_url(batch))
    assert text.count("".join(ANNEX1_HEADERS)) == 2
    for sheet in workbook_of(client, summary_url(batch)).worksheets:
        assert sheet_rows(sheet)[2] == ANNEX1_HEADERS


def test_no_internal_workflow_column_is_shown(client, demo):
    """No status, type code, id or internal flag: 附件1 describes the units, not our workflow."""
    batch, _made = dalian_city_batch()
    client.force_login(demo["dalian-city"])

    headers = [h for t in page_of(client, summary_url(batch)).tables for h in t["headers"]]
    text = pdf_text(client, pdf_url(batch))
    cells = [
        cell
        for sheet in workbook_of(client, summary_url(batch)).worksheets
        for row in sheet_rows(sheet)
        for cell in row
    ]

    for internal in INTERNAL_HEADERS:
        assert internal not in headers and internal not in cells
    for shown in (text, " ".join(str(c) for c in cells if c)):
        assert "已推荐" not in shown and "专家评审中" not in shown
        assert "recommended" not in shown and "expert_review" not in shown


def test_rows_are_grouped_by_unit_type_in_the_notices_order(client, demo):
    """一(一) 绿色工厂, (二) 绿色设计产品, (三) 绿色工业园区, (四) 绿色供应链管理企业."""
    batch, _made = dalian_city_batch()
    client.force_login(demo["dalian-city"])

    tree = page_of(client, summary_url(batch))
    workbook = workbook_of(client, summary_url(batch))
    text = pdf_text(client, pdf_url(batch))

    assert tree.h2 == [
        "绿色工厂",
        "绿色设计产品",
        "绿色工业园区",
    ]
    assert workbook.sheetnames == ["绿色工厂", "绿色设计产品", "绿色工业园区"]
    assert text.index("绿色工厂（") < text.index("绿色设计产品（") < text.index("绿色工业园区（")


def test_the_product_name_of_a_design_product_has_its_own_column(client, demo):
    """产品名称 filled for a 绿色设计产品, 所属行业 in its own column; blank for a factory."""
    batch, made = dalian_city_batch()
    client.force_login(demo["dalian-county"])
    product, factory = made["product"], made["factory"]

    [factory_sheet, product_sheet] = workbook_of(client, summary_url(batch)).worksheets
    [factory_row] = sheet_rows(factory_sheet)[3:]
    [product_row] = sheet_rows(product_sheet)[3:]
    name, industry, product_column = (
        ANNEX1_HEADERS.index(h) for h in ("单位名称", "所属行业", "产品名称")
    )

    assert product_row[0] == 1 and product_row[name] == product.organisation.name
    assert (product_row[industry], product_row[product_column]) == ("电机制造", "高效节能电机")
    assert factory_row[name] == factory.organisation.name
    assert (factory_row[industry], factory_row[product_column]) == ("钢铁", None)
    tree = page_of(client, summary_url(batch))
    product_cells = tree.tables[1]["rows"][0]
    assert product_cells[product_column] == "高效节能电机"
    assert product_cells[industry] == "电机制造"


# --- A county's summary for a city batch -------------------------------------------------------


def test_a_county_summary_lists_what_the_county_recommended(client, demo):
    """Recommended and beyond (expert review...) count; applications still in review or not
    recommended do not, nor does another county's recommendation."""
    batch, made = dalian_city_batch()
    client.force_login(demo["dalian-county"])

    body = page_of(client, summary_url(batch)).body
    text = pdf_text(client, pdf_url(batch))

    for key in ("factory", "product"):
        assert made[key].organisation.name in body and made[key].organisation.name in text
    for key in ("in_review", "refused", "park"):
        assert made[key].organisation.name not in body
        assert made[key].organisation.name not in text
    assert "合计推荐2项" in text


def test_a_county_recommendation_through_the_workflow_appears(client, demo):
    """The county's own 推荐 (the county_review → recommended transition) puts the unit on the
    county's summary."""
    application, county = in_county_review(demo)
    ready_to_recommend(demo, application, county)
    client.force_login(county)
    url = summary_url(application.batch)
    assert application.organisation.name not in page_of(client, url).body

    application_transition(application=application, action="recommend", actor=county)

    tree = page_of(client, url)
    county_title = f"{county.organisation.jurisdiction.name}工业和信息化主管部门推荐汇总表"
    assert tree.h1.startswith(county_title)
    assert application.organisation.name in tree.body


def test_the_batch_page_links_a_county_official_to_the_summary(client, demo):
    batch, _made = dalian_city_batch()
    client.force_login(demo["dalian-county"])

    tree = page_of(client, reverse("applications:batch-detail", args=[batch.pk]) + "?tab=publicity")

    assert summary_url(batch) in tree.links


def test_the_city_sees_each_countys_summary(client, demo):
    """The city filters by county: the title then names that county."""
    batch, made = dalian_city_batch()
    jinpu = Jurisdiction.objects.get(key=JINPU)
    client.force_login(demo["dalian-city"])

    every = page_of(client, summary_url(batch)).body
    one = page_of(client, summary_url(batch, region=jinpu.pk))
    workbook = workbook_of(client, summary_url(batch, region=jinpu.pk))

    assert all(made[key].organisation.name in every for key in ("factory", "product", "park"))
    assert one.h1.startswith(f"{jinpu.name}工业和信息化主管部门推荐汇总表")
    assert made["park"].organisation.name in one.body
    assert made["factory"].organisation.name not in one.body
    assert workbook.sheetnames == ["绿色工业园区"]
    assert f"{jinpu.name}工业和信息化主管部门推荐汇总表" in pdf_text(
        client, pdf_url(batch, region=jinpu.pk)
    )


# --- Refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["page", "pdf", "xlsx"], ids=["page", "pdf", "excel"])
def test_another_countys_summary_is_refused(client, demo, form):
    """金普新区's official may not open 金州区's summary."""
    batch, _made = dalian_city_batch()
    jinzhou = Jurisdiction.objects.get(key=JINZHOU)
    client.force_login(demo["dalian-county2"])
    url = {
        "page": summary_url(batch, region=jinzhou.pk),
        "pdf": pdf_url(batch, region=jinzhou.pk),
        "xlsx": summary_url(batch, region=jinzhou.pk, export="xlsx"),
    }[form]

    assert client.get(url).status_code == 404


def test_a_county_sees_only_its_own_recommendations(client, demo):
    batch, made = dalian_city_batch()
    client.force_login(demo["dalian-county2"])

    body = page_of(client, summary_url(batch)).body
    text = pdf_text(client, pdf_url(batch))

    assert made["park"].organisation.name in body and made["park"].organisation.name in text
    assert made["factory"].organisation.name not in body
    assert made["factory"].organisation.name not in text


@pytest.mark.parametrize("region", ["²", "abc", "99999999999999999999"])
def test_a_malformed_region_is_not_found(client, demo, region):
    batch, _made = dalian_city_batch()
    client.force_login(demo["dalian-city"])

    assert client.get(summary_url(batch, region=region)).status_code == 404
    assert client.get(f"/api/promotions/?batch={batch.pk}&region={region}").status_code == 404


@pytest.mark.parametrize("who", ["luoyang-county", "dalian-enterprise"])
def test_others_cannot_open_a_countys_summary(client, demo, who):
    """Another city's county sees no 大连 batch; an applicant gets no summary at all."""
    batch, _made = dalian_city_batch()
    jinzhou = Jurisdiction.objects.get(key=JINZHOU)
    client.force_login(demo[who])

    assert client.get(summary_url(batch, region=jinzhou.pk)).status_code == 404
    assert client.get(pdf_url(batch, region=jinzhou.pk)).status_code == 404


def test_the_api_filters_by_county_and_refuses_another(client, demo):
    batch, made = dalian_city_batch()
    jinzhou = Jurisdiction.objects.get(key=JINZHOU)
    client.force_login(demo["dalian-city"])

    response = client.get(f"/api/promotions/?batch={batch.pk}&region={jinzhou.pk}")
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {made["factory"].pk, made["product"].pk}

    client.force_login(demo["dalian-county2"])
    response = client.get(f"/api/promotions/?batch={batch.pk}&region={jinzhou.pk}")
    assert response.status_code == 404
