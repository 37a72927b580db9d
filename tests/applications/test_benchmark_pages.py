"""对标 page and endpoint: the regions an official oversees or sits in, officials only, a bounded
number of queries, and the Excel export."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import IndustryBenchmark
from greenmfg.directory.models import Jurisdiction

pytestmark = pytest.mark.django_db
URL = reverse("applications:benchmark-list")


def benchmarks(region_key: str, count: int, *, sample_size: int = 8) -> None:
    region = Jurisdiction.objects.get(key=region_key)
    IndustryBenchmark.objects.bulk_create(
        IndustryBenchmark(
            region=region,
            industry=f"行业{n}",
            year=2025,
            indicator="energy_per_unit",
            sample_size=sample_size,
            q1=1,
            median=2,
            q3=3,
            computed_at=timezone.now(),
        )
        for n in range(count)
    )


def test_an_official_sees_their_citys_benchmarks_not_another_citys(client, demo):
    benchmarks("370100", 1)
    benchmarks("410300", 1, sample_size=2)
    client.force_login(demo["jinan-city"])

    page = client.get(URL)

    assert page.status_code == 200
    rows = list(page.context["benchmarks"])
    assert [row.region.key for row in rows] == ["370100"]
    assert "济南市" in page.content.decode() and "洛阳市" not in page.content.decode()


def test_a_too_small_sample_is_marked_as_not_used(client, demo):
    benchmarks("410300", 1, sample_size=2)
    client.force_login(demo["luoyang-city"])

    assert "样本不足，不作参考" in client.get(URL).content.decode()


def test_an_enterprise_is_refused_the_page_and_the_endpoint(client, demo):
    benchmarks("370100", 1)
    client.force_login(demo["jinan-enterprise"])

    assert client.get(URL).status_code == 403
    assert client.get("/api/industry-benchmarks/").status_code == 403


def test_the_endpoint_lists_the_officials_regions(client, demo):
    benchmarks("370100", 2)
    benchmarks("410300", 1)
    client.force_login(demo["jinan-city"])

    results = client.get("/api/industry-benchmarks/", {"indicator": "energy_per_unit"}).json()[
        "results"
    ]

    assert {row["region"] for row in results} == {"370100"}
    assert {row["sample_size"] for row in results} == {8}
    assert results[0]["median"] == 2


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_and_its_export_read_a_constant_number_of_queries(
    client, demo, count, django_assert_max_num_queries
):
    benchmarks("370100", count)
    client.force_login(demo["jinan-city"])

    with django_assert_max_num_queries(12):
        page = client.get(URL)
    with django_assert_max_num_queries(14):
        export = client.get(URL, {"export": "xlsx"})

    assert page.status_code == 200 and len(page.context["benchmarks"]) == min(count, 25)
    assert export.status_code == 200


def test_the_region_picker_narrows_to_the_chosen_city(client, demo):
    benchmarks("410000", 1)
    benchmarks("410300", 2)
    client.force_login(demo["henan"])

    page = client.get(URL, {"region": ["410000", "410300"]})

    assert page.status_code == 200
    assert {row.region.key for row in page.context["benchmarks"]} == {"410300"}
    html = page.content.decode()
    # The picker: one <select> per level down to the chosen city, not a text input.
    assert 'name="region"' in html and '<input type="text" name="region"' not in html
    assert 'value="410300" selected' in html


def test_a_county_official_can_pick_their_city_but_not_another(client, demo):
    benchmarks("410300", 1)
    benchmarks("370100", 1)
    client.force_login(demo["luoyang-county"])

    own = client.get(URL, {"region": "410300"})
    other = client.get(URL, {"region": "370100"})
    api = client.get("/api/industry-benchmarks/", {"region": "370100"})

    assert [row.region.key for row in own.context["benchmarks"]] == ["410300"]
    assert other.status_code == 200
    assert "所选地区不存在或不在您的辖区内：370100" in other.content.decode()
    assert api.status_code == 400 and "370100" in api.content.decode()


def test_an_unknown_region_in_the_export_is_refused_with_its_reason(client, demo):
    client.force_login(demo["luoyang-city"])

    export = client.get(URL, {"export": "xlsx", "region": "nowhere"}, follow=True)

    # Back to the page (greenmfg.core.export), which says why: no 500, no file.
    assert export.status_code == 200
    assert export.redirect_chain and "xlsx" not in export.redirect_chain[-1][0]
    assert "所选地区不存在或不在您的辖区内：nowhere" in export.content.decode()
