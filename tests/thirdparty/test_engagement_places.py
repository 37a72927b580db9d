"""An engagement carries its application's county, city and province (issue 16): set when it is
made (one by one or in bulk), equal to the application's, and the officials' scope read from it
is the scope of the application's path (another jurisdiction's official does not see it)."""

import pytest

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Jurisdiction, Organisation
from tests.factories import EngagementFactory, UserFactory
from tests.thirdparty.helpers import batch_of, draft, name_agency
from thirdparty.models import Engagement
from thirdparty.selectors.blacklist import agencies_overseen
from thirdparty.selectors.portal import engagement_list

pytestmark = pytest.mark.django_db

LIST = "/api/engagements/"


def place(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)


@pytest.fixture
def engaged(demo):
    """Engagements made by the service: one in 洛龙区 (洛阳), one in 历下区 (济南)."""
    luoyang, luoyang_applicant = draft(batch_of("luoyang"))
    jinan, jinan_applicant = draft(batch_of("jinan"), county="jinan")
    assert name_agency(luoyang, luoyang_applicant, demo["luoyang-agency"].organisation) == []
    assert name_agency(jinan, jinan_applicant, demo["jinan-agency"].organisation) == []
    return {
        "luoyang": Engagement.objects.get(application=luoyang),
        "jinan": Engagement.objects.get(application=jinan),
    }


def test_an_engagement_made_by_the_service_carries_its_applications_places(engaged):
    engagement = engaged["luoyang"]
    assert engagement.jurisdiction_id == engagement.application.jurisdiction_id
    assert engagement.jurisdiction == place("410311")
    assert engagement.city == place("410300")
    assert engagement.province == place("410000")
    jinan = engaged["jinan"]
    assert (jinan.jurisdiction, jinan.city, jinan.province) == (
        place("370102"),
        place("370100"),
        place("370000"),
    )


def test_engagements_created_in_bulk_carry_their_applications_places(demo):
    agency = demo["luoyang-agency"].organisation
    luoyang, luoyang_applicant = draft(batch_of("luoyang"), county="yanshi")
    jinan, jinan_applicant = draft(batch_of("jinan"), county="jinan")
    made = Engagement.objects.bulk_create(
        [
            # One with its application at hand, one with only the application's id.
            Engagement(
                agency=agency,
                application=luoyang,
                batch=luoyang.batch,
                year=luoyang.batch.year,
                counted=True,
                created_by=luoyang_applicant,
            ),
            Engagement(
                agency=agency,
                application_id=jinan.pk,
                batch=jinan.batch,
                year=jinan.batch.year,
                counted=True,
                created_by=jinan_applicant,
            ),
        ]
    )
    stored = Engagement.objects.in_bulk([engagement.pk for engagement in made])
    first, second = (stored[engagement.pk] for engagement in made)
    assert (first.jurisdiction, first.city, first.province) == (
        place("410307"),
        place("410300"),
        place("410000"),
    )
    assert (second.jurisdiction, second.city, second.province) == (
        place("370102"),
        place("370100"),
        place("370000"),
    )


def test_a_factory_engagement_carries_its_applications_places(demo):
    engagement = EngagementFactory()
    engagement.refresh_from_db()
    applicant = engagement.application.organisation
    assert engagement.jurisdiction_id == engagement.application.jurisdiction_id
    # The same city and province as the directory gives the applicant in the same county.
    assert (engagement.city_id, engagement.province_id) == (
        applicant.city_id,
        applicant.province_id,
    )


def test_every_engagement_matches_its_application(engaged):
    for engagement in Engagement.objects.select_related(
        "application__jurisdiction", "jurisdiction", "city", "province"
    ):
        county = engagement.application.jurisdiction
        assert engagement.jurisdiction == county
        assert county.path.startswith(engagement.city.path)
        assert county.path.startswith(engagement.province.path)
        assert engagement.city.level == "city" and engagement.province.level == "province"


@pytest.mark.parametrize(
    ("username", "sees_luoyang", "sees_jinan"),
    [
        ("luoyang-county", True, False),
        ("luoyang-county2", False, False),  # 偃师区: another county of the same city
        ("luoyang-city", True, False),
        ("henan", True, False),
        ("jinan-county", False, True),
        ("jinan-city", False, True),
        ("shandong", False, True),
        ("liaoning", False, False),
        ("dalian-city", False, False),
        ("nation", True, True),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_officials_see_the_engagements_of_their_subtree_only(
    client, demo, engaged, username, sees_luoyang, sees_jinan
):
    user = demo[username]
    expected = {
        engaged[city].pk
        for city, sees in (("luoyang", sees_luoyang), ("jinan", sees_jinan))
        if sees
    }
    assert set(engagement_list(user=user).values_list("pk", flat=True)) == expected
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == expected


def test_the_scope_by_places_is_the_scope_by_the_applications_path(demo, engaged):
    """The same rows as the path prefix on the application, for every official of the demo."""
    officials = [user for user in User.objects.exclude(organisation=None) if user.is_official]
    assert len(officials) >= 10
    for user in officials:
        root = user.organisation.jurisdiction
        by_path = set(
            Engagement.objects.filter(
                application__jurisdiction__path__startswith=root.path
            ).values_list("pk", flat=True)
        )
        assert set(engagement_list(user=user).values_list("pk", flat=True)) == by_path, user


def test_an_agency_engaged_elsewhere_is_not_overseen_through_the_engagement(demo, engaged):
    luoyang_agency = demo["luoyang-agency"].organisation
    official = UserFactory(
        role=Role.CITY_OFFICIAL,
        organisation=Organisation.objects.get(
            kind=Organisation.Kind.BUREAU, jurisdiction__key="370100"
        ),
    )
    assert luoyang_agency not in agencies_overseen(user=official)
    assert luoyang_agency in agencies_overseen(user=demo["luoyang-city"])
    assert demo["jinan-agency"].organisation in agencies_overseen(user=official)
