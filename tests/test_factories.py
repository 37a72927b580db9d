"""The suite's factories: each builds a row its model accepts (``full_clean``), inside the demo
directory, and two builds never collide on a unique constraint."""

import pytest

from greenmfg.core import clock
from tests.factories import (
    AnnualTableFactory,
    ApplicationFactory,
    BatchFactory,
    BatchQuotaFactory,
    EngagementFactory,
    ExpertAssignmentFactory,
    ListingFactory,
    OrganisationFactory,
    RemovalProposalFactory,
    ScoreSheetFactory,
    UserFactory,
    demo_bureau,
)

pytestmark = pytest.mark.django_db

FACTORIES = [
    OrganisationFactory,
    UserFactory,
    BatchFactory,
    BatchQuotaFactory,
    ApplicationFactory,
    ListingFactory,
    RemovalProposalFactory,
    AnnualTableFactory,
    ExpertAssignmentFactory,
    ScoreSheetFactory,
    EngagementFactory,
]

# Fields a service fills later (the pre-check's verdict, the sheet's basic requirements on
# submission, a draft table's indicators): the models leave them empty on a new row, as the
# services themselves write it, but declare them without ``blank=True``, so ``full_clean``
# would refuse every new row; it checks everything else.
FILLED_LATER = {
    ApplicationFactory: ["precheck_eligible"],
    ScoreSheetFactory: ["basic_met"],
    AnnualTableFactory: ["indicators"],
}


def check(row, make) -> None:
    row.full_clean(exclude=FILLED_LATER.get(make, []))


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_builds_a_row_its_model_accepts(make):
    row = make()

    check(row, make)
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("make", FACTORIES, ids=lambda f: f.__name__)
def test_two_builds_of_a_factory_do_not_collide(make):
    first, second = make(), make()

    check(first, make)
    check(second, make)  # validate_unique and the constraints see the first row
    assert first.pk != second.pk


def test_a_listing_is_on_the_luoyang_city_list_of_a_unit_in_its_county_listed_today():
    listing = ListingFactory()

    assert (listing.level, listing.authority.jurisdiction.key) == ("city", "410300")
    assert listing.jurisdiction.key == "410311"
    assert listing.jurisdiction.parent == listing.authority.jurisdiction
    assert (listing.listed_on, listing.year) == (clock.today(), clock.today().year)
    assert (listing.unit_name, listing.credit_code) == (
        listing.organisation.name,
        listing.organisation.credit_code,
    )
    assert listing.created_by.organisation == listing.authority
    assert listing.status == "active" and listing.removed_on is None


def test_a_removed_listing_was_removed_today():
    listing = ListingFactory(removed=True)

    assert (listing.status, listing.removed_on) == ("removed", clock.today())


def test_a_listing_of_the_province_is_on_the_province_level():
    listing = ListingFactory(authority=demo_bureau("410000"))

    assert listing.level == "province"
    assert listing.created_by.organisation.jurisdiction.key == "410000"


def test_an_engagement_counts_as_the_service_would_and_names_its_agency_on_the_application():
    engagement = EngagementFactory()

    assert engagement.counted is True  # a 绿色工厂 counts toward the cap
    assert engagement.application.agency == engagement.agency
    assert engagement.agency.kind == "agency"
    assert (engagement.batch, engagement.year) == (
        engagement.application.batch,
        engagement.application.batch.year,
    )


def test_an_assignment_is_made_by_the_batchs_bureau_to_an_expert():
    assignment = ExpertAssignmentFactory()

    assert assignment.expert.role == "expert"
    assert assignment.application.status == "expert_review"
    assert assignment.assigned_by.organisation == assignment.application.batch.authority
