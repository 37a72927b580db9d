"""数据统计: the officials' figures against a plain COUNT of the same rows, the scope refusals,
bad filters, empty selections, the public page's published facts only, and the Excel export."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from applications.models import Application
from greenmfg.core import clock
from greenmfg.portal.statistics.charts import Point, bar_chart, line_chart
from registry.models import Listing
from tests.factories.applications import ApplicationFactory, BatchFactory
from tests.factories.directory import OrganisationFactory
from tests.factories.dynamic_mgmt import AnnualTableFactory
from tests.factories.registry import ListingFactory
from tests.factories.reviews import ScoreSheetFactory

pytestmark = pytest.mark.django_db

CURRENT = (Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW)
OFFICIAL = "/statistics/"
PUBLIC = "/tongji/"


def place_of(demo, username):
    return demo[username].organisation.jurisdiction


def listing_in(place, **kwargs):
    return ListingFactory(organisation=OrganisationFactory(jurisdiction=place), **kwargs)


def table(response, key):
    for _title, tables in response.context["sections"]:
        for candidate in tables:
            if candidate.key == key:
                return candidate
    raise AssertionError(f"no table {key}")


def values(stat_table) -> dict:
    """First column → the rest, as shown."""
    return {str(row[0]): [cell.value for cell in row[1:]] for row in stat_table.rows}


@pytest.fixture
def listings(demo):
    county, county2 = place_of(demo, "luoyang-county"), place_of(demo, "luoyang-county2")
    jinan = place_of(demo, "jinan-county")
    for _ in range(3):
        listing_in(county)
    listing_in(county, unit_type="park")
    listing_in(county, removed=True)
    listing_in(county, status=Listing.Status.UNDER_REVIEW)
    for _ in range(2):
        listing_in(county2)
    listing_in(jinan)
    return county, county2, jinan


def plain_count(**filters) -> int:
    return Listing.objects.filter(status__in=CURRENT, **filters).count()


def test_city_official_counts_match_a_plain_count(client, demo, listings):
    county, county2, _jinan = listings
    city = place_of(demo, "luoyang-city")
    client.force_login(demo["luoyang-city"])
    response = client.get(OFFICIAL)
    assert response.status_code == 200
    in_city = plain_count(jurisdiction__path__startswith=city.path)
    assert sum(row[0] for row in values(table(response, "level")).values()) == in_city
    by_type = values(table(response, "type"))
    assert by_type["绿色工厂"][0] == plain_count(
        jurisdiction__path__startswith=city.path, unit_type="factory"
    )
    by_region = values(table(response, "region"))
    assert by_region[county.name] == [plain_count(jurisdiction=county)]
    assert by_region[county2.name] == [plain_count(jurisdiction=county2)]
    # Each child is a drill-down link to the same page for that child.
    links = {str(row[0]): row[0].link for row in table(response, "region").rows}
    assert links[county.name] == f"{OFFICIAL}?region={county.key}"
    assert f'href="{OFFICIAL}?region={county.key}"' in response.content.decode()
    by_year = values(table(response, "year"))
    assert by_year[str(clock.today().year)] == [in_city]


def test_drill_down_to_a_county(client, demo, listings):
    county, _county2, _jinan = listings
    client.force_login(demo["luoyang-city"])
    response = client.get(OFFICIAL, {"region": county.key})
    assert response.status_code == 200
    level = values(table(response, "level"))
    assert sum(row[0] for row in level.values()) == plain_count(jurisdiction=county)


def test_county_official_sees_only_the_own_county(client, demo, listings):
    county, _county2, _jinan = listings
    client.force_login(demo["luoyang-county"])
    response = client.get(OFFICIAL)
    assert response.status_code == 200
    level = values(table(response, "level"))
    assert sum(row[0] for row in level.values()) == plain_count(jurisdiction=county)


@pytest.mark.parametrize(
    ("username", "other"),
    [("luoyang-county", "luoyang-county2"), ("luoyang-city", "jinan-county")],
    ids=["other-county", "other-city"],
)
def test_a_region_outside_the_scope_is_refused(client, demo, username, other):
    client.force_login(demo[username])
    response = client.get(OFFICIAL, {"region": place_of(demo, other).key})
    assert response.status_code == 400
    text = response.content.decode()
    assert "不在您的管辖范围" in text
    assert response.context["sections"] == []


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"region": "999999"}, "未知的地区：999999"),
        ({"year": "abc"}, "未知的年度：abc"),
        ({"year": "1999"}, "未知的年度：1999"),
        ({"year": "2999"}, "未知的年度：2999"),
        ({"county": "x"}, "未知的筛选条件：county"),
    ],
    ids=["region", "year-text", "year-early", "year-late", "parameter"],
)
@pytest.mark.parametrize("url", [OFFICIAL, PUBLIC], ids=["official", "public"])
def test_bad_filters_are_refused_with_their_reason(client, demo, url, query, reason):
    client.force_login(demo["luoyang-city"])
    response = client.get(url, query)
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_an_empty_selection_says_no_data(client, demo, listings):
    client.force_login(demo["luoyang-city"])
    response = client.get(OFFICIAL, {"year": "2016"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "暂无数据" in text
    assert table(response, "level").empty
    assert table(response, "level").chart is None
    assert "<svg" not in text.split("按名单层级", 1)[1].split("按类型", 1)[0]


def test_charts_are_accessible_svg_without_inline_style_or_script(client, demo, listings):
    client.force_login(demo["luoyang-city"])
    text = client.get(OFFICIAL).content.decode()
    assert '<svg class="stat-chart" role="img" aria-labelledby="stat-level-title' in text
    assert '<title id="stat-level-title">' in text
    assert "<desc" in text
    assert "style=" not in text.split("<main", 1)[1]
    assert "<script" not in text.split("<main", 1)[1]


def test_other_roles_may_not_read_the_officials_page(client, demo):
    assert client.get(OFFICIAL).status_code == 302
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(OFFICIAL).status_code == 403


def test_public_page_counts_published_listings_only(client, demo, listings):
    county, _county2, _jinan = listings
    ApplicationFactory(organisation=OrganisationFactory(jurisdiction=county), status="passed")
    response = client.get(PUBLIC)
    assert response.status_code == 200
    level = values(table(response, "level"))
    assert sum(row[0] for row in level.values()) == plain_count()
    text = response.content.decode()
    assert "申报与评审" not in text
    assert "评审通过" not in text
    assert "填报" not in text
    county_page = client.get(PUBLIC, {"region": county.key})
    level = values(table(county_page, "level"))
    # The removed listing of the county is not counted.
    assert sum(row[0] for row in level.values()) == plain_count(jurisdiction=county)
    assert Listing.objects.filter(jurisdiction=county).count() > plain_count(jurisdiction=county)


def test_applications_by_state_and_review_per_batch(client, demo):
    county = place_of(demo, "luoyang-county")
    batch = BatchFactory()
    statuses = ["submitted", "submitted", "passed", "failed", "listed", "expert_review"]
    applications = [
        ApplicationFactory(
            batch=batch, organisation=OrganisationFactory(jurisdiction=county), status=status
        )
        for status in statuses
    ]
    # Mean scores 85 (two sheets, 80 and 90) and 55.
    for application, totals in ((applications[2], (80, 90)), (applications[3], (55,))):
        for total in totals:
            ScoreSheetFactory(
                assignment__application=application, status="submitted", total=Decimal(total)
            )
    ScoreSheetFactory(assignment__application=applications[4], status="draft", total=99)
    client.force_login(demo["luoyang-city"])
    response = client.get(OFFICIAL)
    states = table(response, "states")
    headers = [str(header) for header in states.headers]
    row = next(r for r in states.rows if r[0].value == batch.title)
    for status, label in Application.Status.choices:
        plain = Application.objects.filter(batch=batch, status=status).count()
        if plain:
            assert row[headers.index(str(label))].value == plain
    assert row[-1].value == Application.objects.filter(batch=batch).count()
    review = values(table(response, "review"))[batch.title]
    # passed and listed pass; failed fails.
    assert review == [batch.year, 2, 1, 3, 66.7]
    scores = values(table(response, "scores"))[batch.title]
    headers = [str(h) for h in table(response, "scores").headers][1:]
    assert scores[headers.index("<60分")] == 1
    assert scores[headers.index("80–89分")] == 1
    assert scores[-1] == 2


def test_the_county_official_does_not_count_another_countys_applications(client, demo):
    county2 = place_of(demo, "luoyang-county2")
    batch = BatchFactory()
    ApplicationFactory(batch=batch, organisation=OrganisationFactory(jurisdiction=county2))
    client.force_login(demo["luoyang-county"])
    response = client.get(OFFICIAL)
    assert table(response, "states").empty


def test_excel_export_holds_the_tables_numbers(client, demo, listings):
    county, county2, _jinan = listings
    client.force_login(demo["luoyang-city"])
    response = client.get(OFFICIAL, {"export": "xlsx", "table": "region"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["下级区划", "名单单位数"]
    exported = {row[0]: row[1] for row in rows[1:]}
    assert exported[county.name] == plain_count(jurisdiction=county)
    assert exported[county2.name] == plain_count(jurisdiction=county2)
    page = client.get(OFFICIAL)
    assert "export=xlsx" in page.content.decode()
    assert client.get(OFFICIAL, {"export": "xlsx", "table": "nope"}).status_code == 404


def test_public_export(client, demo, listings):
    response = client.get(PUBLIC, {"export": "xlsx", "table": "type"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["类型", "名单单位数"]
    assert sum(row[1] for row in rows[1:]) == plain_count()


def test_filing_table_follows_the_overview(client, demo):
    client.force_login(demo["luoyang-city"])
    response = client.get(OFFICIAL)
    filing = table(response, "filing")
    assert str(clock.today().year) in filing.title


def test_a_chart_of_nothing_is_not_drawn_and_long_labels_are_shortened():
    assert bar_chart(chart_id="x", title="空", points=[]) is None
    assert bar_chart(chart_id="x", title="零", points=[Point("甲", 0)]) is None
    assert line_chart(chart_id="x", title="空", points=[]) is None
    label = "2026年度洛阳市绿色制造名单申报（第一批）"
    svg = bar_chart(chart_id="x", title="长", points=[Point(label, 3), Point("<乙>", 1)])
    assert f'<desc id="x-desc">{label}：3；&lt;乙&gt;：1</desc>' in svg
    assert ">2026年度洛阳市绿色…</text>" in svg


def test_indicator_trends_are_the_median_and_quartiles_of_the_filed_tables(client, demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    year = clock.today().year
    for energy, status in ((100, "filed"), (200, "filed"), (999, "draft")):
        AnnualTableFactory(
            listing=listing_in(county),
            year=year,
            status=status,
            indicators={"energy_per_unit": energy, "water_per_unit": 2.5},
        )
    # Another city's factory is not counted.
    AnnualTableFactory(
        listing=listing_in(demo["jinan-county"].organisation.jurisdiction),
        year=year,
        status="filed",
        indicators={"energy_per_unit": 5000},
    )
    client.force_login(demo["luoyang-city"])
    response = client.get(OFFICIAL)
    # percentile_cont: the median of 100 and 200 is 150, the quartiles 125 and 175.
    assert values(table(response, "trend-energy_per_unit")) == {str(year): [2, 150.0, 125.0, 175.0]}
    assert values(table(response, "trend-water_per_unit")) == {str(year): [2, 2.5, 2.5, 2.5]}
    assert "中位数" in table(response, "trend-energy_per_unit").title
    assert table(response, "trend-carbon_per_unit").chart is None
    assert client.get(OFFICIAL, {"year": year - 1}).context["sections"][-1][1][0].empty
