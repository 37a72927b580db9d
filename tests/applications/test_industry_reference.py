"""Industry reference values published once by a bureau feed every application's pre-check."""

import pytest
from django.core.exceptions import ValidationError

from applications.precheck import run_precheck
from applications.services.applications import application_create, application_save_draft
from applications.services.industry import industry_reference_save
from greenmfg.core.errors import NotPermitted
from tests.applications.helpers import city_batch, split_facts

pytestmark = pytest.mark.django_db

INDUSTRY = "水泥制造"


@pytest.fixture
def jinan_factory(demo):
    applicant = demo["jinan-enterprise"]
    application = application_create(
        actor=applicant, batch=city_batch("370100", policy="jinan-2024"), unit_type="factory"
    )
    mine, _reference = split_facts("jinan-2024", "factory")
    application_save_draft(application=application, actor=applicant, facts=mine, industry=INDUSTRY)
    application.refresh_from_db()
    return application


def test_city_reference_values_make_the_precheck_pass_and_are_cited(demo, jinan_factory):
    _mine, reference = split_facts("jinan-2024", "factory")
    assert not run_precheck(application=jinan_factory).eligible
    industry_reference_save(
        actor=demo["jinan-city"], industry=INDUSTRY, year=2026, values=reference
    )
    result = run_precheck(application=jinan_factory)
    assert result.eligible
    cited = {source for finding in result.findings for source in finding["sources"]}
    assert any("水泥制造（济南市 2026年）" in source for source in cited)


def test_county_value_wins_over_city_value(demo, jinan_factory):
    _mine, reference = split_facts("jinan-2024", "factory")
    industry_reference_save(
        actor=demo["jinan-city"], industry=INDUSTRY, year=2026, values=reference
    )
    industry_reference_save(
        actor=demo["jinan-county"],
        industry=INDUSTRY,
        year=2026,
        values={**reference, "industry_avg_wastewater_reuse_rate": 99},
    )
    result = run_precheck(application=jinan_factory)
    failed = [f for f in result.findings if not f["passed"]]
    assert [f["code"] for f in failed] == ["factory.wastewater_reuse_rate"]
    assert "历下区" in failed[0]["sources"][0]


def test_other_citys_or_years_values_do_not_apply(demo, jinan_factory):
    _mine, reference = split_facts("jinan-2024", "factory")
    industry_reference_save(
        actor=demo["luoyang-city"], industry=INDUSTRY, year=2026, values=reference
    )
    industry_reference_save(
        actor=demo["jinan-city"], industry=INDUSTRY, year=2025, values=reference
    )
    assert not run_precheck(application=jinan_factory).eligible


def test_bad_value_is_refused_with_its_reason(demo):
    with pytest.raises(ValidationError) as error:
        industry_reference_save(
            actor=demo["jinan-city"],
            industry=INDUSTRY,
            year=2026,
            values={"industry_avg_green_material_rate": "120"},
        )
    assert "0 到 100" in str(error.value)


def test_only_officials_publish(demo):
    with pytest.raises(NotPermitted):
        industry_reference_save(
            actor=demo["jinan-enterprise"],
            industry=INDUSTRY,
            year=2026,
            values={"plot_ratio_required": 1},
        )


def test_pages_and_api(client, demo):
    client.force_login(demo["jinan-city"])
    response = client.post(
        "/industry-references/new/",
        {
            "industry": INDUSTRY,
            "year": 2026,
            "source": "协会公报",
            "industry_avg_energy_per_unit": "120",
        },
    )
    assert response.status_code == 302
    assert INDUSTRY in client.get("/industry-references/").content.decode()
    api = client.post(
        "/api/industry-references/",
        {"industry": "平板玻璃", "year": 2026, "values": {"industry_avg_carbon_per_unit": 0.5}},
        content_type="application/json",
    )
    assert api.status_code == 201
    client.force_login(demo["jinan-county"])
    names = [row["industry"] for row in client.get("/api/industry-references/").json()["results"]]
    assert INDUSTRY in names
    client.force_login(demo["luoyang-city"])
    assert client.get("/api/industry-references/").json()["count"] == 0
    client.force_login(demo["jinan-enterprise"])
    assert client.get("/api/industry-references/").status_code == 403
    assert client.get("/industry-references/new/").status_code == 403
