import io
from pathlib import Path

import pytest
from django.core.management import call_command

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.loaders import REFERENCE_CSV
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.portal.management.commands.seed_demo import PEERS
from tests.conftest import suite_today

pytestmark = pytest.mark.django_db
SHARED_CSV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "jurisdictions.csv"


def counts():
    return Jurisdiction.objects.count(), Organisation.objects.count(), User.objects.count()


def test_seed_demo_is_idempotent(demo):
    """The workflow data reuses the directory's rows; it adds only 洛阳's 对标 peer group, whose
    factories have no accounts (test_seed_demo_benchmarks seeds it twice)."""
    jurisdictions, organisations, users = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == (jurisdictions, organisations + len(PEERS["luoyang"]), users)


def test_seed_demo_loads_the_real_division_codes(demo):
    assert Jurisdiction.objects.get(code="410307").name == "偃师区"
    assert Jurisdiction.objects.get(key="DL-JPXQ").parent.code == "210200"
    assert Jurisdiction.objects.get(key="JN-QBQ").level == "county"
    assert Jurisdiction.objects.filter(parent__key="370100").count() == 15


def test_every_role_has_a_demo_user_in_each_city(demo):
    for city in ["luoyang", "jinan", "dalian"]:
        roles = set(
            User.objects.filter(username__startswith=f"{city}-").values_list("role", flat=True)
        )
        assert roles >= {
            Role.CITY_OFFICIAL,
            Role.COUNTY_OFFICIAL,
            Role.APPLICANT,
            Role.AGENCY_STAFF,
            Role.EXPERT,
            Role.DEPARTMENT_OFFICIAL,
        }
    assert User.objects.filter(role=Role.PROVINCE_OFFICIAL).count() == 3
    assert User.objects.filter(role=Role.NATIONAL_OFFICIAL).exists()
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.skipif(not SHARED_CSV.exists(), reason="shared/ is not beside this checkout")
def test_bundled_csv_is_the_shared_reference_data():
    assert REFERENCE_CSV.read_bytes() == SHARED_CSV.read_bytes()


def test_full_demo_has_an_open_batch_and_a_candidate_per_city(db):
    from applications.models import Batch, CultivationCandidate

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    city_batches = Batch.objects.filter(status="open", jurisdiction__level="city")
    assert city_batches.count() == 3
    assert set(city_batches.values_list("policy", flat=True)) == {
        "luoyang-2024",
        "jinan-2024",
        "dalian-2022-national",
    }
    assert CultivationCandidate.objects.count() == 3


def test_full_demo_has_last_years_lists_and_the_batches_above(db):
    """洛阳 and 济南 each published one factory on last year's city list; 大连 recommended its
    factory to the ministry, which listed it nationally (大连 一: no 大连 city list). Henan and
    Shandong and the nation take recommendations (the national round until 31 July, with a
    15-day publicity)."""
    from applications.models import Application, Batch
    from registry.models import Listing

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    # Last year's lists (洛阳's 对标 peer group is on an earlier list).
    city_lists = Listing.objects.filter(level="city", year=suite_today().year - 1)
    assert sorted(city_lists.values_list("authority__jurisdiction__key", flat=True)) == [
        "370100",
        "410300",
    ]
    dalian = Listing.objects.get(jurisdiction__path__contains="/210200/")
    assert (dalian.level, dalian.authority.jurisdiction.key) == ("national", "CN")
    source = dalian.application.source_application
    assert (source.batch.jurisdiction.key, source.status) == ("210200", "promoted")
    assert not Application.objects.filter(
        batch__jurisdiction__key="210200", status="listed"
    ).exists()
    upper = Batch.objects.filter(status="open").exclude(jurisdiction__level="city")
    assert sorted(upper.values_list("jurisdiction__key", flat=True)) == ["370000", "410000", "CN"]
    national = upper.get(jurisdiction__key="CN")
    assert (national.publicity_days, national.recommendation_deadline.month) == (15, 7)
    assert all(batch.accepts_recommendations() for batch in upper)


def test_full_demo_fills_each_city_pool_with_a_panel(db):
    from reviews.models import ExpertMembership

    call_command("seed_demo", stdout=io.StringIO())
    for city_key in ("410300", "370100", "210200"):
        assert ExpertMembership.objects.filter(authority__jurisdiction__key=city_key).count() == 3


def test_the_demo_city_can_recommend_its_listed_factory_to_the_province(db):
    from applications.models import Batch
    from registry.models import Listing
    from reviews.services.promotion import promote

    call_command("seed_demo", stdout=io.StringIO())
    listing = Listing.objects.get(organisation__users__username="luoyang-listed")
    province = Batch.objects.get(jurisdiction__key="410000")

    application = promote(
        batch=province, listing=listing, actor=User.objects.get(username="luoyang-city")
    )

    assert application.status == "recommended"


def test_the_demo_agency_has_fourteen_engagements_so_the_sixteenth_is_refused(db):
    """大连 二 counts the city batch's projects per batch: the demo's 大连 agency has 14, so the
    15th is taken and the 16th refused. 洛阳 第二十条 counts national projects only, and 济南
    sets no cap: neither city's agency is seeded with engagements."""
    from applications.models import Batch
    from applications.services.applications import application_save_draft
    from greenmfg.directory.models import Organisation
    from thirdparty.models import Engagement

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    agency = Organisation.objects.get(users__username="dalian-agency")
    batch = Batch.objects.get(authority__jurisdiction__key="210200", status="open")
    assert Engagement.objects.filter(agency=agency, batch=batch, counted=True).count() == 14
    assert not Engagement.objects.filter(
        agency__users__username__in=["jinan-agency", "luoyang-agency"]
    ).exists()

    for username, refused in (("dalian-enterprise", False), ("dalian-park", True)):
        applicant = User.objects.get(username=username)
        application = batch.applications.create(
            organisation=applicant.organisation,
            jurisdiction=applicant.organisation.jurisdiction,
            unit_type="factory" if username.endswith("enterprise") else "park",
            evaluation_mode="third_party",
            created_by=applicant,
        )
        _application, errors = application_save_draft(
            application=application, actor=applicant, evaluation_mode="third_party", agency=agency
        )
        assert bool(errors.get("agency")) is refused, errors
    assert "再增加 1 项为 16 项" in errors["agency"][0]
