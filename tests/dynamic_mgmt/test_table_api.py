"""动态管理表 and 填报期 API: the pages' scope and permissions through the same services —
officials write their bureau's windows, everyone in scope reads them; a listed unit's users
write their own tables (draft, file once, late marked), officials read those of their subtree."""

import datetime

import pytest
from rest_framework.test import APIClient

from dynamic_mgmt.models import AnnualTable, FilingWindow
from tests.applications.helpers import pdf_upload
from tests.problems import field_errors

from .test_annual_tables import FACTORY, YEAR, file_table, listed, open_window

pytestmark = pytest.mark.django_db
WINDOWS = "/api/filing-windows/"
TABLES = "/api/annual-tables/"
ALWAYS_OPEN = {"opens_on": datetime.date(2020, 1, 1), "deadline": datetime.date(2099, 4, 15)}


@pytest.fixture
def api():
    return APIClient()


def as_user(api, demo, username):
    api.force_authenticate(demo[username])
    return api


# --- windows -------------------------------------------------------------------------------------


def test_a_city_bureau_sets_and_edits_a_window(api, demo):
    as_user(api, demo, "luoyang-city")

    response = api.post(
        WINDOWS,
        {
            "level": "province",
            "year": YEAR,
            "opens_on": "2026-01-01",
            "deadline": "2026-04-15",
            "reminder_days": [30, 7, 1],
            "citation": "洛阳 第十六条",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["jurisdiction"], body["level"], body["deadline"]) == (
        "410300",
        "province",
        "2026-04-15",
    )
    assert body["reminder_days"] == [30, 7, 1] and body["level_display"] == "省级"
    window_id = body["id"]
    response = api.patch(f"{WINDOWS}{window_id}/", {"deadline": "2026-04-20"}, format="json")
    assert response.status_code == 200 and response.json()["deadline"] == "2026-04-20"


def test_window_refusals_are_400_and_403_with_chinese_messages(api, demo):
    as_user(api, demo, "luoyang-city")
    bad = {"level": "province", "year": YEAR, "opens_on": "2026-04-15", "deadline": "2026-04-01"}
    response = api.post(WINDOWS, {**bad, "reminder_days": [0]}, format="json")
    assert response.status_code == 400
    assert "须晚于开始填报日期" in field_errors(response)["deadline"][0]

    as_user(api, demo, "luoyang-county")
    response = api.post(WINDOWS, {**bad, "deadline": "2026-05-01"}, format="json")
    assert response.status_code == 403
    assert "市级及以上" in response.json()["detail"]

    window = open_window(demo["luoyang-city"])
    response = api.patch(f"{WINDOWS}{window.pk}/", {"citation": "改"}, format="json")
    assert response.status_code == 403
    as_user(api, demo, "jinan-city")
    assert api.patch(f"{WINDOWS}{window.pk}/", {"citation": "改"}, format="json").status_code == 404
    assert FilingWindow.objects.get().citation == "洛阳 第十六条（4月15日前）"


def test_everyone_in_scope_reads_the_windows(api, demo):
    window = open_window(demo["luoyang-city"])
    listed(demo["luoyang-enterprise"].organisation)

    for username in ("luoyang-city", "luoyang-county", "henan", "luoyang-enterprise", "admin"):
        ids = [row["id"] for row in as_user(api, demo, username).get(WINDOWS).json()["results"]]
        assert ids == [window.pk], username
    for username in ("jinan-city", "luoyang-enterprise2", "luoyang-expert"):
        assert as_user(api, demo, username).get(WINDOWS).json()["count"] == 0, username


# --- tables --------------------------------------------------------------------------------------


def test_the_unit_saves_a_draft_and_files_it(api, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(demo["luoyang-city"], **ALWAYS_OPEN)
    as_user(api, demo, "luoyang-enterprise")

    response = api.post(
        TABLES,
        {"listing": listing.pk, "year": YEAR, "indicators": {"energy_per_unit": "12.5"}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    table = response.json()
    assert (table["status"], table["indicators"]) == ("draft", {"energy_per_unit": 12.5})
    assert table["deadline"] == "2099-04-15" and table["unit_type"] == "factory"

    response = api.patch(
        f"{TABLES}{table['id']}/", {"indicators": {"water_per_unit": -1}}, format="json"
    )
    assert response.status_code == 400
    assert field_errors(response)["water_per_unit"] == ["「单位产品取水量」不能为负数。"]

    response = api.post(f"{TABLES}{table['id']}/file/", {}, format="json")
    assert response.status_code == 400 and "water_per_unit" in field_errors(response)

    response = api.post(f"{TABLES}{table['id']}/file/", {"indicators": FACTORY}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["late"]) == ("filed", False)
    response = api.post(f"{TABLES}{table['id']}/file/", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "already_filed"


def test_filing_after_the_deadline_through_the_api_is_marked_late(api, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(
        demo["luoyang-city"],
        opens_on=datetime.date(2020, 1, 1),
        deadline=datetime.date(2020, 4, 15),
    )
    as_user(api, demo, "luoyang-enterprise")

    created = api.post(
        TABLES, {"listing": listing.pk, "year": YEAR, "indicators": FACTORY}, format="json"
    ).json()
    response = api.post(f"{TABLES}{created['id']}/file/", {}, format="json")

    assert response.status_code == 200
    assert response.json()["late"] is True and response.json()["filed_at"]


def test_only_the_units_own_users_write_its_table(api, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(demo["luoyang-city"], **ALWAYS_OPEN)
    payload = {"listing": listing.pk, "year": YEAR, "indicators": FACTORY}

    for username in ("luoyang-enterprise2", "luoyang-county", "luoyang-city", "jinan-enterprise"):
        response = as_user(api, demo, username).post(TABLES, payload, format="json")
        assert response.status_code == 403, username
        assert "本单位的用户" in response.json()["detail"]
    assert not AnnualTable.objects.exists()


def test_tables_are_read_in_scope(api, demo):
    mine = listed(demo["luoyang-enterprise"].organisation)
    other = listed(county="410307")
    open_window(demo["luoyang-city"])
    file_table(mine)
    file_table(other)

    def ids(username):
        return {
            row["listing"] for row in as_user(api, demo, username).get(TABLES).json()["results"]
        }

    assert ids("luoyang-city") == {mine.pk, other.pk}
    assert ids("luoyang-county") == {mine.pk}
    assert ids("luoyang-county2") == {other.pk}
    assert ids("luoyang-enterprise") == {mine.pk}
    assert ids("luoyang-enterprise2") == set()
    assert ids("jinan-city") == set()
    table = AnnualTable.objects.get(listing=other)
    as_user(api, demo, "luoyang-county")
    assert api.get(f"{TABLES}{table.pk}/").status_code == 404
    late = as_user(api, demo, "luoyang-city").get(TABLES, {"late": "true"}).json()
    assert late["count"] == 0


def test_attachments_through_the_api(api, demo):
    listing = listed(demo["luoyang-enterprise"].organisation)
    open_window(demo["luoyang-city"], **ALWAYS_OPEN)
    as_user(api, demo, "luoyang-enterprise")
    table = api.post(TABLES, {"listing": listing.pk, "year": YEAR}, format="json").json()

    response = api.post(
        f"{TABLES}{table['id']}/attachments/", {"file": pdf_upload()}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["sha256"]) == 64
    assert body["download_url"] == f"/dynamic/tables/attachments/{body['id']}/"
    listed_table = api.get(f"{TABLES}{table['id']}/").json()
    assert [a["id"] for a in listed_table["attachments"]] == [body["id"]]
    as_user(api, demo, "luoyang-county")
    response = api.post(
        f"{TABLES}{table['id']}/attachments/", {"file": pdf_upload("x.pdf")}, format="multipart"
    )
    assert response.status_code == 403


def test_the_indicator_definitions_are_published(api, demo):
    rows = (
        as_user(api, demo, "luoyang-enterprise")
        .get(f"{TABLES}indicators/", {"unit_type": "park"})
        .json()
    )
    by_key = {row["key"]: row for row in rows}
    assert by_key["industrial_value_added_share"]["fact_key"] == "industrial_value_added_share"
    assert by_key["industrial_value_added_share"]["kind"] == "percent"
    assert by_key["energy_per_value_added"]["lower_is_better"] is True


def test_api_queries_do_not_grow(api, demo, django_assert_max_num_queries):
    open_window(demo["luoyang-city"])
    for _ in range(5):
        file_table(listed())
    as_user(api, demo, "luoyang-city")
    with django_assert_max_num_queries(15) as tables:
        assert api.get(TABLES).json()["count"] == 5
    with django_assert_max_num_queries(15) as windows:
        assert api.get(WINDOWS).json()["count"] == 1

    for index in range(45):
        file_table(listed())
        if index < 10:
            open_window(demo["luoyang-city"], year=2000 + index)

    with django_assert_max_num_queries(len(tables.captured_queries)):
        assert api.get(TABLES).json()["count"] == 50
    with django_assert_max_num_queries(len(windows.captured_queries)):
        assert api.get(WINDOWS).json()["count"] == 11
