"""企业绿码 for a year: the filed green factories of a level and industry are graded, the grades
replace that year's (idempotent), non-filers get none, a unit three years in the bottom 5% is
flagged, and the grades show on the unit's public page and the officials' pages."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dynamic_mgmt.models import AnnualTable, GreenGrade
from dynamic_mgmt.services import grade as grade_services
from tests.dynamic_mgmt.dm_helpers import demo_listing, listing_of, unit_user
from tests.factories import AnnualTableFactory

pytestmark = pytest.mark.django_db
YEAR = 2027
INDUSTRY = "水泥制造"


def filed(listing, year=YEAR, **values):
    return AnnualTableFactory(
        listing=listing,
        year=year,
        indicators={"industry": INDUSTRY, **values},
        status=AnnualTable.Status.FILED,
        filed_at=timezone.now(),
        filed_by=unit_user(listing),
    )


def group(count: int, *, city="luoyang", level="city"):
    """``count`` green factories; the first has the lowest energy per unit (the best)."""
    listings = []
    for n in range(1, count + 1):
        listing = listing_of(city=city, level=level)
        filed(listing, energy_per_unit=n, solid_waste_utilisation_rate=100 - n)
        listings.append(listing)
    return listings


def test_a_year_is_graded_per_level_and_industry_and_non_filers_get_none(demo):
    listings = group(20)
    not_filed = listing_of(city="luoyang")
    draft = listing_of(city="luoyang")
    AnnualTableFactory(listing=draft, year=YEAR, indicators={"energy_per_unit": 1})
    other_level = listing_of(city="luoyang", level="province")
    filed(other_level, energy_per_unit=99)
    park = listing_of(city="luoyang", unit_type="park")
    filed(park, energy_per_unit=1)

    run = grade_services.grade_year(year=YEAR)

    assert run.by_grade == {"A+": 2, "A": 7, "B": 12}  # the province group of one is A+
    assert run.groups == 2 and run.graded == 21 and run.not_filed == 2
    grades = {g.listing_id: g for g in GreenGrade.objects.filter(year=YEAR)}
    assert grades[listings[0].pk].grade == "A+" and grades[listings[0].pk].rank == 1
    assert [grades[x.pk].grade for x in listings[1:8]] == ["A"] * 7
    assert {grades[x.pk].grade for x in listings[8:]} == {"B"}
    assert grades[listings[-1].pk].bottom_five
    assert grades[listings[0].pk].industry == INDUSTRY and grades[listings[0].pk].of == 20
    assert not_filed.pk not in grades and draft.pk not in grades and park.pk not in grades
    assert grades[other_level.pk].of == 1


def test_grading_twice_replaces_the_years_grades(demo):
    listings = group(5)
    grade_services.grade_year(year=YEAR)
    first = dict(GreenGrade.objects.values_list("listing_id", "grade"))
    AnnualTable.objects.filter(listing=listings[0]).update(status=AnnualTable.Status.DRAFT)

    grade_services.grade_year(year=YEAR)
    grade_services.grade_year(year=YEAR)

    assert GreenGrade.objects.count() == 4
    assert listings[0].pk in first and not GreenGrade.objects.filter(listing=listings[0])


def test_the_bottom_five_percent_three_years_running_is_flagged(demo):
    listings = [listing_of(city="luoyang") for _ in range(20)]
    for year in (2025, 2026, 2027):
        for n, listing in enumerate(listings, start=1):
            filed(listing, year=year, energy_per_unit=n)
        run = grade_services.grade_year(year=year)

    worst = GreenGrade.objects.get(listing=listings[-1], year=2027)
    assert worst.bottom_five and worst.basis["bottom_three_years"] is True
    assert run.bottom_three_years == [listings[-1].pk]
    assert (
        GreenGrade.objects.get(listing=listings[-1], year=2026).basis["bottom_three_years"] is False
    )
    assert not GreenGrade.objects.get(listing=listings[-2], year=2027).basis["bottom_three_years"]


def test_the_industry_comes_from_the_application_first(demo):
    from applications.services.applications import application_create
    from tests.applications.helpers import city_batch

    application = application_create(
        actor=demo["luoyang-enterprise"], batch=city_batch(), unit_type="factory"
    )
    application.industry = "平板玻璃制造"
    application.save(update_fields=["industry"])
    listing = demo_listing(demo, "luoyang", application=application)
    filed(listing, energy_per_unit=3)
    bare = listing_of(city="luoyang")
    AnnualTableFactory(
        listing=bare,
        year=YEAR,
        indicators={"energy_per_unit": 3},
        status=AnnualTable.Status.FILED,
    )

    grade_services.grade_year(year=YEAR)

    assert GreenGrade.objects.get(listing=listing).industry == "平板玻璃制造"
    assert GreenGrade.objects.get(listing=bare).industry == grade_services.UNKNOWN_INDUSTRY


def test_the_command_and_the_task_function(demo):
    group(3)
    out = io.StringIO()
    call_command("grade_year", "--year", str(YEAR), stdout=out)
    assert "评定 3 家" in out.getvalue() and "A+ 1" in out.getvalue()
    assert grade_services.run_grading(YEAR)["graded"] == 3
    assert GreenGrade.objects.count() == 3


# --- pages --------------------------------------------------------------------------------------


def test_the_public_unit_page_shows_the_grade_and_its_basis_without_values(client, demo):
    listing = demo_listing(demo, "luoyang")
    filed(listing, energy_per_unit=1.2345, solid_waste_utilisation_rate=91)
    group(3)
    grade_services.grade_year(year=YEAR)

    page = client.get(reverse("registry:public-unit", args=[listing.organisation_id]))

    body = page.content.decode()
    assert page.status_code == 200 and "企业绿码" in body
    assert "A+" in body and "单位产品综合能耗" in body
    assert "1.2345" not in body


def test_a_unit_without_grades_shows_no_panel(client, demo):
    listing = demo_listing(demo, "luoyang")
    body = client.get(reverse("registry:public-unit", args=[listing.organisation_id])).content
    assert "企业绿码" not in body.decode()


def test_the_officials_unit_page_shows_the_rank_over_the_years(client, demo):
    listings = [listing_of(city="luoyang") for _ in range(4)]
    for year in (2026, 2027):
        for n, listing in enumerate(listings, start=1):
            filed(listing, year=year, energy_per_unit=n if year == 2026 else 5 - n)
        grade_services.grade_year(year=year)
    client.force_login(demo["luoyang-city"])

    page = client.get(reverse("dynamic_mgmt:grade-listing", args=[listings[0].pk]))

    assert page.status_code == 200
    ranks = [(row["grade"].year, row["grade"].rank) for row in page.context["rows"]]
    assert ranks == [(2027, 4), (2026, 1)]
    assert "单位产品综合能耗" in page.content.decode()
    client.force_login(demo["jinan-city"])
    assert (
        client.get(reverse("dynamic_mgmt:grade-listing", args=[listings[0].pk])).status_code == 404
    )
    client.force_login(unit_user(listings[0]))
    assert (
        client.get(reverse("dynamic_mgmt:grade-listing", args=[listings[0].pk])).status_code == 200
    )
    assert (
        client.get(reverse("dynamic_mgmt:grade-listing", args=[listings[1].pk])).status_code == 404
    )


def test_the_grade_list_is_scoped_filtered_and_exported(client, demo):
    group(20)
    group(2, city="jinan")
    grade_services.grade_year(year=YEAR)
    client.force_login(demo["luoyang-city"])
    url = reverse("dynamic_mgmt:grade-list")

    assert client.get(url).context["paginator"].count == 20
    assert len(client.get(url + "?grade=A").context["grades"]) == 7
    assert len(client.get(url + "?bottom_five=true").context["grades"]) == 1
    assert len(client.get(url + "?flagged=true").context["grades"]) == 0
    assert client.get(url + "?export=xlsx").status_code == 200
    client.force_login(demo["jinan-city"])
    assert client.get(url).context["paginator"].count == 2


def test_the_grade_list_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    client.force_login(demo["luoyang-city"])
    group(5)
    grade_services.grade_year(year=YEAR)
    with django_assert_max_num_queries(15) as small:
        assert client.get(reverse("dynamic_mgmt:grade-list")).status_code == 200
    group(45)
    grade_services.grade_year(year=YEAR)
    assert GreenGrade.objects.count() == 50
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dynamic_mgmt:grade-list"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dynamic_mgmt:grade-list") + "?export=xlsx")


def test_the_listing_panel_for_the_officials_unit_page(demo):
    from django.template.loader import render_to_string

    listings = group(3)
    grade_services.grade_year(year=YEAR)

    html = render_to_string("dynamic_mgmt/grade_listing_panel.html", {"listing": listings[0]})

    assert "企业绿码" in html and "A+" in html and "1 / 3" in html
    assert f"/dynamic/grades/listings/{listings[0].pk}/" in html
