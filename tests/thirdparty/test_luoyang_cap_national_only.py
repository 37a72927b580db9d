"""洛阳 第二十条: 同一法定代表人的第三方机构每年度开展的国家级层面绿色制造评价项目（包括绿色工厂、
绿色工业园区、绿色供应链管理企业）总计不得超过 15 项.

Only projects in national-level batches count, and only they are capped: 洛阳's city and
provincial projects are neither. The cap follows 洛阳 into the national batch (run under the
大连 notice in the demo): it reaches a 洛阳 unit's project and a 洛阳 agency's project there.
大连 二 keeps its per-batch count; 济南 sets no cap.
"""

import pytest
from django.urls import reverse

from thirdparty.models import Engagement
from thirdparty.selectors.agencies import year_usage

from .helpers import (
    batch_of,
    draft,
    engage_many,
    name_agency,
    national_batch,
    qualified_agency,
    upper_level_batch,
)

pytestmark = pytest.mark.django_db

USAGE_PAGE = reverse("thirdparty:engagement-usage")
USAGE_API = "/api/engagements/usage/"
EXPLANATION = "按洛阳 第二十条，仅计国家级层面绿色制造评价项目（绿色工厂、园区、供应链）"


def fifteen_national(agency, *, county: str = "luoyang") -> None:
    """Fifteen national projects in two national batches of the year (so that no single batch
    reaches 大连 二's own fifteen, and only 洛阳 第二十条 can refuse the next)."""
    engage_many(national_batch(), agency, 8, county=county)
    engage_many(national_batch(), agency, 7, county=county)


def test_a_luoyang_agency_with_fifteen_national_projects_is_refused_the_sixteenth():
    agency = qualified_agency()
    fifteen_national(agency)

    sixteenth, applicant = draft(national_batch())
    [refusal] = name_agency(sixteenth, applicant, agency)

    assert "洛阳 第二十条" in refusal
    assert "国家级层面已承担 15 项，再增加 1 项为 16 项，超过 15 项上限" in refusal
    assert "大连" not in refusal  # the finding cites only its own document
    sixteenth.refresh_from_db()
    assert sixteenth.agency is None
    assert year_usage(agency_id=agency.pk, year=2026) == 15


@pytest.mark.parametrize("level", ["city", "province"], ids=["市级", "省级"])
def test_the_same_agency_is_not_refused_a_city_or_provincial_project(level):
    agency = qualified_agency()
    fifteen_national(agency)
    batch = batch_of("luoyang") if level == "city" else upper_level_batch("province")

    # More than fifteen at that level: none of them is capped.
    engage_many(batch, agency, 16)

    assert Engagement.objects.filter(agency=agency, batch=batch, status="active").count() == 16
    assert year_usage(agency_id=agency.pk, year=2026) == 15


def test_city_and_provincial_projects_do_not_count_toward_the_national_fifteen():
    agency = qualified_agency()
    engage_many(batch_of("luoyang"), agency, 16)
    engage_many(upper_level_batch("province"), agency, 3)
    engage_many(national_batch(), agency, 14)
    assert year_usage(agency_id=agency.pk, year=2026) == 14

    fifteenth, applicant = draft(national_batch())
    assert name_agency(fifteenth, applicant, agency) == []
    sixteenth, applicant = draft(national_batch())
    assert "第二十条" in name_agency(sixteenth, applicant, agency)[0]


def test_the_cap_reaches_a_luoyang_unit_evaluated_by_an_agency_from_elsewhere():
    """The unit lies in 洛阳 (本辖区): its national project falls under 第二十条, whoever the
    agency."""
    agency = qualified_agency(city_key="370100")  # a 济南 agency
    fifteen_national(agency)

    luoyang_unit, applicant = draft(national_batch())
    assert "洛阳 第二十条" in name_agency(luoyang_unit, applicant, agency)[0]

    # A 济南 unit with the 济南 agency: 洛阳's document does not reach it.
    jinan_unit, applicant = draft(national_batch(), county="jinan")
    assert name_agency(jinan_unit, applicant, agency) == []


def test_the_cap_reaches_a_luoyang_agency_evaluating_a_unit_elsewhere():
    """The agency is registered in 洛阳 (the city bureau supervises it): its total counts."""
    agency = qualified_agency()
    fifteen_national(agency, county="jinan")

    jinan_unit, applicant = draft(national_batch(), county="jinan")

    assert "洛阳 第二十条" in name_agency(jinan_unit, applicant, agency)[0]


def test_a_national_batch_under_the_dalian_notice_applies_both_caps_each_citing_its_own():
    agency = qualified_agency()
    batch = national_batch()
    engage_many(batch, agency, 15)

    late, applicant = draft(batch)
    refusals = name_agency(late, applicant, agency)

    assert len(refusals) == 2
    [dalian] = [r for r in refusals if "大连 二" in r]
    [luoyang] = [r for r in refusals if "洛阳 第二十条" in r]
    assert "本批次同一法人及其关联单位已承担 15 项" in dalian and "洛阳" not in dalian
    assert "国家级层面已承担 15 项" in luoyang and "大连" not in luoyang


def test_dalian_still_caps_per_batch_and_luoyang_does_not_reach_a_dalian_city_batch():
    agency = qualified_agency(city_key="210200")
    batch = batch_of("dalian")
    engage_many(batch, agency, 15, county="dalian")

    late, applicant = draft(batch, county="dalian")
    [refusal] = name_agency(late, applicant, agency)
    assert "大连 二" in refusal and "本批次同一法人及其关联单位已承担 15 项" in refusal

    other, applicant = draft(batch_of("dalian"), county="dalian")
    assert name_agency(other, applicant, agency) == []


def test_jinan_sets_no_cap_even_on_national_projects():
    agency = qualified_agency(city_key="370100")
    batch = national_batch(policy="jinan-2024")

    engage_many(batch, agency, 16, county="jinan")

    assert Engagement.objects.filter(agency=agency, status="active").count() == 16


# --- what the agency sees ---------------------------------------------------------------------


@pytest.fixture
def mixed(demo):
    """A 洛阳 agency with two city projects and three national ones."""
    agency = qualified_agency()
    city, national = batch_of("luoyang"), national_batch()
    engage_many(city, agency, 2)
    engage_many(national, agency, 3)
    return agency, city, national


def test_the_usage_page_shows_the_national_count_and_says_why(client, mixed):
    agency, city, national = mixed
    client.force_login(agency.users.get())

    response = client.get(USAGE_PAGE, {"year": 2026})

    usage = response.context["usage"]
    assert usage.year_used == 3 and usage.year_left == 12
    rows = {row.batch.pk: row for row in usage.batches}
    assert rows[city.pk].caps == [] and not rows[city.pk].counted_in_year
    assert [u.cap.citation for u in rows[national.pk].caps] == ["大连 二", "洛阳 第二十条"]
    body = response.content.decode()
    assert "3 / 15" in body
    assert EXPLANATION in body and "市级、省级项目不计入" in body
    assert "本批次为市级，不计入" in body


def test_the_usage_api_shows_the_national_count_and_says_why(client, mixed):
    agency, city, national = mixed
    client.force_login(agency.users.get())

    body = client.get(USAGE_API, {"year": 2026}).json()

    assert body["year_used"] == 3 and body["year_left"] == 12
    assert body["year_rule"]["levels"] == ["national"]
    assert body["year_rule"]["explanation"].startswith(EXPLANATION)
    rows = {row["batch"]: row for row in body["batches"]}
    city_row, national_row = rows[city.pk], rows[national.pk]
    assert city_row["level"] == "city" and city_row["counted_in_year"] is False
    assert city_row["caps"] == [] and city_row["cap"] is None
    assert "市级、省级项目不计入" in city_row["note"]
    assert national_row["counted_in_year"] is True and national_row["note"] == ""
    luoyang = next(c for c in national_row["caps"] if c["cap"]["policy"] == "luoyang-2024")
    assert luoyang["used"] == 3 and luoyang["left"] == 12
    assert luoyang["cap"]["citation"] == "洛阳 第二十条"
