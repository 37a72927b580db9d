"""The officials' overview of a year's tables — who filed, who filed late, who is late (the
deadline passed and nothing filed) — scoped by the listing's jurisdiction, with filters, sort,
pages and the Excel export; and a unit's indicators over the years with the change year on year
and a chart per indicator (an inline SVG with a table alternative)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from dynamic_mgmt.models import AnnualTable
from dynamic_mgmt.selectors.table import overview_queryset, overview_summary
from dynamic_mgmt.services.table import table_save_draft
from registry.models import Listing

from .test_annual_tables import FACTORY, YEAR, file_table, filer_of, listed, open_window

pytestmark = pytest.mark.django_db
URL = "/dynamic/tables/"
AFTER = datetime.date(2026, 11, 1)  # the 15 April deadline has passed


@pytest.fixture
def year_of_tables(demo):
    """A 洛阳 provincial window of 2025 (deadline 15 April 2026) and its units."""
    open_window(demo["luoyang-city"])
    units = {
        "on_time": listed(name="按时填报企业有限公司"),
        "filed_late": listed(name="逾期填报企业有限公司"),
        "silent": listed(name="未填报企业有限公司"),
        "draft_only": listed(name="只存草稿企业有限公司"),
        "other_county": listed(county="410307", name="偃师未填报企业有限公司"),
        "listed_later": listed(name="新列入企业有限公司", listed_on=datetime.date(2026, 6, 1)),
        "removed": listed(name="已移出企业有限公司", status=Listing.Status.REMOVED),
        "jinan": listed(county="370102", name="济南企业有限公司"),
        "no_window": listed(level="city", name="市级名单企业有限公司"),
    }
    file_table(units["on_time"], today=datetime.date(2026, 4, 15))
    file_table(units["filed_late"], today=datetime.date(2026, 4, 16))
    table_save_draft(
        listing=units["draft_only"],
        year=YEAR,
        actor=filer_of(units["draft_only"]),
        indicators={"energy_per_unit": "9"},
        today=datetime.date(2026, 3, 1),
    )
    return units


def states(user, *, today=AFTER) -> dict[str, str]:
    queryset, _windows = overview_queryset(user=user, year=YEAR, today=today)
    return {row.unit_name: row.state for row in queryset}


def test_the_overview_tells_who_filed_who_filed_late_and_who_is_late(demo, year_of_tables):
    assert states(demo["luoyang-city"]) == {
        "按时填报企业有限公司": "filed",
        "逾期填报企业有限公司": "filed_late",
        "未填报企业有限公司": "overdue",
        "只存草稿企业有限公司": "overdue",
        "偃师未填报企业有限公司": "overdue",
        "市级名单企业有限公司": "no_window",
    }
    # Before the deadline nobody is late yet; the deadline day itself is not late.
    on_deadline = states(demo["luoyang-city"], today=datetime.date(2026, 4, 15))
    assert on_deadline["未填报企业有限公司"] == "open"
    day_after = states(demo["luoyang-city"], today=datetime.date(2026, 4, 16))
    assert day_after["未填报企业有限公司"] == "overdue"
    before = states(demo["luoyang-city"], today=datetime.date(2025, 12, 1))
    assert before["未填报企业有限公司"] == "not_open"


def test_the_overview_is_scoped_by_the_listings_jurisdiction(demo, year_of_tables):
    county = states(demo["luoyang-county"])
    assert "偃师未填报企业有限公司" not in county and "未填报企业有限公司" in county
    assert set(states(demo["luoyang-county2"])) == {"偃师未填报企业有限公司"}
    assert states(demo["jinan-city"]) == {"济南企业有限公司": "no_window"}
    assert "济南企业有限公司" in states(demo["admin"])
    assert states(demo["luoyang-enterprise"]) == {}


def test_the_summary_counts_each_state(demo, year_of_tables):
    queryset, _windows = overview_queryset(user=demo["luoyang-city"], year=YEAR, today=AFTER)
    summary = overview_summary(queryset)
    assert (summary["filed"], summary["filed_late"], summary["overdue"]) == (1, 1, 3)
    assert (summary["no_window"], summary["total"]) == (1, 6)


def test_the_page_lists_the_late_units_with_filters_and_counts(client, demo, year_of_tables):
    client.force_login(demo["luoyang-city"])

    response = client.get(URL, {"year": YEAR, "state": "overdue"})

    assert response.status_code == 200
    names = [row.unit_name for row in response.context["rows"]]
    assert names[0] == "偃师未填报企业有限公司"  # by region first
    assert set(names) == {"偃师未填报企业有限公司", "未填报企业有限公司", "只存草稿企业有限公司"}
    html = response.content.decode()
    assert "逾期未填报" in html and "已保存草稿" in html and "2026-04-15" in html
    assert "应填报单位 6 家" in html
    counts = {s["code"]: s["count"] for s in response.context["states"]}
    assert counts["overdue"] == 3 and counts["filed_late"] == 1

    late = client.get(URL, {"year": YEAR, "state": "filed_late"}).context["rows"]
    assert [row.unit_name for row in late] == ["逾期填报企业有限公司"]
    region = client.get(URL, {"year": YEAR, "region": "410307"}).context["rows"]
    assert [row.unit_name for row in region] == ["偃师未填报企业有限公司"]
    search = client.get(URL, {"year": YEAR, "q": "按时"}).context["rows"]
    assert [row.unit_name for row in search] == ["按时填报企业有限公司"]
    by_filing = client.get(URL, {"year": YEAR, "ordering": "-filed_at", "state": "filed"})
    assert [row.unit_name for row in by_filing.context["rows"]] == ["按时填报企业有限公司"]


def test_the_page_shows_one_window_or_one_level(client, demo, year_of_tables):
    city_window = open_window(
        demo["luoyang-city"], level="city", deadline=datetime.date(2026, 5, 1)
    )
    client.force_login(demo["luoyang-city"])

    rows = client.get(URL, {"year": YEAR, "window": city_window.pk}).context["rows"]
    assert [(row.unit_name, row.state) for row in rows] == [("市级名单企业有限公司", "overdue")]
    province = client.get(URL, {"year": YEAR, "level": "province"}).context["rows"]
    assert len(province) == 5 and {row.level for row in province} == {"province"}


def test_the_page_defaults_to_the_latest_opened_year(client, demo, year_of_tables):
    client.force_login(demo["luoyang-county"])
    response = client.get(URL)
    assert response.context["year"] == YEAR
    assert "2025年度动态管理表填报情况" in response.content.decode()


def test_the_overview_exports_every_filtered_row(client, demo, year_of_tables):
    client.force_login(demo["luoyang-city"])

    response = client.get(URL, {"year": YEAR, "state": "overdue", "export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位名称" and "填报情况" in rows[0]
    assert len(rows) == 4 and {row[6] for row in rows[1:]} == {"逾期未填报"}


def test_the_overview_refuses_applicants(client, demo):
    client.force_login(demo["luoyang-enterprise"])
    assert client.get(URL).status_code == 403


def test_overview_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    open_window(demo["luoyang-city"])
    for index in range(5):
        listing = listed()
        if index % 2:
            file_table(listing, today=datetime.date(2026, 4, 16))
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(25) as few:
        assert len(client.get(URL, {"year": YEAR}).context["rows"]) == 5

    for index in range(45):
        listing = listed()
        if index % 3 == 0:
            file_table(listing)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"year": YEAR})
        assert len(response.context["rows"]) == 25
        assert response.context["total"] == 50


# --- a unit over the years -------------------------------------------------------------------


def test_a_units_indicators_change_year_on_year_with_a_chart(client, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    for year, energy, waste in ((2023, "10", "90"), (2024, "8", "81"), (2025, "8", "85")):
        open_window(
            demo["luoyang-city"],
            year=year,
            opens_on=datetime.date(year + 1, 1, 1),
            deadline=datetime.date(year + 1, 4, 15),
        )
        file_table(
            listing,
            year=year,
            today=datetime.date(year + 1, 4, 15 if year != 2024 else 20),
            values={**FACTORY, "energy_per_unit": energy, "solid_waste_utilisation_rate": waste},
        )
    assert AnnualTable.objects.filter(listing=listing, late=True).count() == 1

    for username in ("luoyang-county", "luoyang-enterprise"):
        client.force_login(demo[username])
        response = client.get(f"/dynamic/tables/{listing.pk}/history/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "下降 20%（改善）" in html  # energy 10 → 8, lower is better
        assert "下降 10%（变差）" in html  # utilisation 90 → 81, higher is better
        assert "上升 4.9%（改善）" in html  # utilisation 81 → 85
        assert "持平" in html
        assert "<svg" in html and 'role="img"' in html and "<desc" in html
        assert "2023年 10 千克标准煤/单位产品" in html  # the chart's text alternative
        assert "逾期填报" in html  # the 2024 table

    rows = {row["indicator"].key: row for row in response.context["rows"]}
    energy = rows["energy_per_unit"]
    assert [cell["value"] for cell in energy["cells"]] == [10, 8, 8]
    assert energy["cells"][0]["change"] is None
    assert energy["cells"][1]["change"].arrow == "↓"
    assert len(energy["chart"]["points"]) == 3

    client.force_login(demo["luoyang-county2"])
    assert client.get(f"/dynamic/tables/{listing.pk}/history/").status_code == 404
    client.force_login(demo["luoyang-enterprise2"])
    assert client.get(f"/dynamic/tables/{listing.pk}/history/").status_code == 404
