"""Factories of applications: batches, their county quotas, applications."""

from datetime import timedelta

import factory

from greenmfg.core import clock
from greenmfg.directory.models import Level, Organisation
from greenmfg.rules import unit_types
from tests.factories.directory import (
    BureauFactory,
    JurisdictionFactory,
    OrganisationFactory,
    UserFactory,
    demo_place,
)

LUOYANG_CITY = "410300"
LUOYANG_COUNTY = "410311"


def luoyang_bureau() -> Organisation:
    """The 洛阳 city bureau of the demo directory (made, with its city, where it is missing)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.BUREAU, jurisdiction__key=LUOYANG_CITY
    ).first() or BureauFactory(
        jurisdiction=JurisdictionFactory(key=LUOYANG_CITY, name="洛阳市", level=Level.CITY)
    )


class BatchFactory(factory.django.DjangoModelFactory):
    """An open batch of the 洛阳 city bureau, accepting every unit type its policy covers."""

    class Meta:
        model = "applications.Batch"

    authority = factory.LazyFunction(luoyang_bureau)
    jurisdiction = factory.LazyAttribute(lambda b: b.authority.jurisdiction)
    year = 2026
    title = factory.Sequence(lambda n: f"2026年度绿色制造名单申报（第{n}批）")
    policy = "luoyang-2024"
    unit_types = factory.LazyAttribute(lambda b: unit_types_of(b.policy))
    status = "open"
    submission_deadline = factory.LazyFunction(lambda: clock.now() + timedelta(days=30))


def unit_types_of(policy: str) -> list[str]:
    return unit_types(policy)


class BatchQuotaFactory(factory.django.DjangoModelFactory):
    """推荐名额: one recommendation for the demo 洛阳 county in a new batch."""

    class Meta:
        model = "applications.BatchQuota"

    batch = factory.SubFactory(BatchFactory)
    county = factory.LazyFunction(lambda: demo_place(LUOYANG_COUNTY))
    quota = 1


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Application"

    batch = factory.SubFactory(BatchFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    jurisdiction = factory.LazyAttribute(lambda a: a.organisation.jurisdiction)
    unit_type = "factory"
    created_by = factory.LazyAttribute(
        lambda a: a.organisation.users.first() or UserFactory(organisation=a.organisation)
    )
