"""Arrangements for the agency tests: qualified agencies, drafts that name them."""

from stdnum.cn import ric

from applications.services.applications import application_save_draft
from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Jurisdiction, Organisation
from tests.applications.helpers import city_batch
from tests.factories import ApplicationFactory, BatchFactory, OrganisationFactory, UserFactory
from thirdparty.models import AgencyProfile, RelatedEntity

CITIES = {"luoyang": ("410300", "luoyang-2024"), "jinan": ("370100", "jinan-2024")}
COUNTIES = {"luoyang": "410311", "yanshi": "410307", "jinan": "370102", "dalian": "210213"}


def id_number(serial: int) -> str:
    """A well-formed ID number, unique per ``serial`` (and never a demo agency's)."""
    first = f"1101011990{serial:07d}"
    return first + ric.calc_check_digit(first + "0")


def qualified_agency(*, representative: str = "", city_key: str = "410300") -> Organisation:
    """An active, approved agency; ``representative`` is its legal representative's ID number."""
    agency = OrganisationFactory(
        kind=Organisation.Kind.AGENCY, jurisdiction=Jurisdiction.objects.get(key=city_key)
    )
    UserFactory(role=Role.AGENCY_STAFF, organisation=agency)
    AgencyProfile.objects.create(
        organisation=agency,
        legal_representative="张法人",
        legal_representative_id=representative or id_number(agency.pk),
        independent_legal_entity=True,
        has_fixed_office=True,
        has_finance_system=True,
        staff_compliance=True,
        evaluation_capability=True,
        status=AgencyProfile.Status.APPROVED,
    )
    return agency


def relate(agency: Organisation, other: Organisation) -> RelatedEntity:
    """``agency`` declares ``other`` a related entity (by its credit code only)."""
    return RelatedEntity.objects.create(
        agency=agency, name=other.name, credit_code=other.credit_code, relation="parent"
    )


def draft(batch, *, county: str = "luoyang", unit_type: str = "factory"):
    """A new enterprise's draft in ``batch``, and its applicant user."""
    organisation = OrganisationFactory(
        kind=Organisation.Kind.ENTERPRISE,
        jurisdiction=Jurisdiction.objects.get(key=COUNTIES[county]),
    )
    applicant = UserFactory(role=Role.APPLICANT, organisation=organisation)
    application = ApplicationFactory(
        batch=batch, organisation=organisation, created_by=applicant, unit_type=unit_type
    )
    return application, applicant


def name_agency(application, applicant, agency) -> list[str]:
    """The applicant names ``agency``; returns the refusals (empty when it was accepted)."""
    _application, errors = application_save_draft(
        application=application, actor=applicant, evaluation_mode="third_party", agency=agency
    )
    return errors.get("agency", [])


def engage_many(batch, agency, count: int, *, county: str = "luoyang") -> list:
    applications = []
    for _ in range(count):
        application, applicant = draft(batch, county=county)
        assert name_agency(application, applicant, agency) == []
        applications.append((application, applicant))
    return applications


def batch_of(city: str = "luoyang", **kwargs):
    if city == "dalian":
        return city_batch("210200", "dalian-2022-national", **kwargs)
    key, policy = CITIES[city]
    return city_batch(key, policy, **kwargs)


# The upper levels' bureaus and the policy their batches run under in the demo (the ministry's
# national round follows the 大连 notice; the province takes its cities' recommendations).
UPPER = {
    "national": ("CN", "dalian-2022-national"),
    "province": ("410000", "luoyang-2024"),
}


def upper_level_batch(level: str = "national", *, policy: str = "", **kwargs):
    """A batch of the national (or 河南 provincial) bureau: its level is its jurisdiction's."""
    key, default_policy = UPPER[level]
    authority = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key=key)
    return BatchFactory(
        authority=authority,
        jurisdiction=authority.jurisdiction,
        policy=policy or default_policy,
        **kwargs,
    )


def national_batch(**kwargs):
    return upper_level_batch("national", **kwargs)
