"""The demo's 对标: 洛阳's green factories of the listed factory's industry filed last year's
tables, so /industry-benchmarks/ and the pre-check have a median; two of another industry are
too few and marked so. Seeding twice creates nothing twice."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, Batch, IndustryBenchmark
from applications.precheck import run_precheck
from dynamic_mgmt.models import AnnualTable
from greenmfg.accounts.models import User
from greenmfg.directory.models import Organisation
from greenmfg.portal.management.commands.seed_demo import LISTED_INDUSTRY
from registry.models import Listing, ListingEvent
from tests.conftest import suite_today

pytestmark = pytest.mark.django_db
URL = reverse("applications:benchmark-list")


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def counts():
    return [
        model.objects.count()
        for model in (Organisation, User, Listing, ListingEvent, AnnualTable, IndustryBenchmark)
    ]


def test_seeding_twice_creates_the_peer_group_once(seeded):
    first = counts()

    call_command("seed_demo", stdout=io.StringIO())

    assert counts() == first


def test_luoyang_has_six_factories_of_the_listed_industry_and_two_of_another(seeded):
    year = suite_today().year - 1
    rows = IndustryBenchmark.objects.filter(region__key="410300", year=year)

    sizes = {(row.industry, row.sample_size) for row in rows}
    assert sizes == {(LISTED_INDUSTRY, 6), ("化学原料和化学制品制造业", 2)}
    energy = rows.get(industry=LISTED_INDUSTRY, indicator="energy_per_unit")
    assert energy.q1 < energy.median < energy.q3
    assert energy.median == pytest.approx(0.4215)
    # No login accounts for the peers; none is a filing unit of the demo's windows.
    peers = Organisation.objects.filter(listings__annual_tables__year=year)
    assert peers.count() == 8 and not User.objects.filter(organisation__in=peers).exists()


def test_the_page_shows_luoyang_s_median_and_marks_the_small_sample(client, seeded):
    client.force_login(User.objects.get(username="luoyang-city"))

    page = client.get(URL, {"region": "410300", "industry": LISTED_INDUSTRY})
    small = client.get(URL, {"region": "410300", "industry": "化学原料和化学制品制造业"})

    html = page.content.decode()
    assert len(page.context["benchmarks"]) == 3 and "0.4215" in html
    assert "样本不足，不作参考" not in html
    assert "样本不足，不作参考" in small.content.decode()


def test_a_luoyang_application_to_the_national_batch_is_held_to_the_median(seeded):
    """The national round runs under the 大连 notice (一(一): 本地区同行业已有绿色工厂): a 洛阳
    factory's pre-check takes 洛阳's median and names its sample."""
    applicant = User.objects.get(username="luoyang-enterprise")
    application = Application.objects.create(
        batch=Batch.objects.get(jurisdiction__key="CN", status="open"),
        organisation=applicant.organisation,
        jurisdiction=applicant.organisation.jurisdiction,
        unit_type="factory",
        industry=LISTED_INDUSTRY,
        facts={"energy_per_unit": 0.40, "water_per_unit": 1.7, "carbon_per_unit": 0.9},
        created_by=applicant,
    )

    precheck = run_precheck(application=application)

    year = suite_today().year - 1
    assert precheck.facts["regional_green_factory_energy_per_unit"] == pytest.approx(0.4215)
    note = f"参考值为本平台洛阳市同行业绿色工厂{year}年度填报数据中位数，样本6家"
    assert any(note in finding["message"] for finding in precheck.findings)
