import itertools
from datetime import timedelta

import factory
from django.utils import timezone

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.credit_code import with_check_character
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from greenmfg.rules import unit_types

_serial = itertools.count(1)


def valid_credit_code(division: str = "410311") -> str:
    return with_check_character(f"91{division}MB{next(_serial):07d}")


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = Level.COUNTY
    parent = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    kind = Organisation.Kind.ENTERPRISE
    credit_code = factory.LazyFunction(valid_credit_code)
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    status = Organisation.Status.ACTIVE


class BureauFactory(OrganisationFactory):
    kind = Organisation.Kind.BUREAU
    credit_code = ""
    name = factory.LazyAttribute(lambda o: f"{o.jurisdiction.name}工业和信息化局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    role = Role.APPLICANT
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "Secret-Pass-2026")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def official(jurisdiction: Jurisdiction, **kwargs) -> User:
    """A user of the bureau at ``jurisdiction`` with the role of its level."""
    bureau = Organisation.objects.filter(
        kind=Organisation.Kind.BUREAU, jurisdiction=jurisdiction
    ).first()
    bureau = bureau or BureauFactory(jurisdiction=jurisdiction)
    role = {
        Level.COUNTY: Role.COUNTY_OFFICIAL,
        Level.CITY: Role.CITY_OFFICIAL,
        Level.PROVINCE: Role.PROVINCE_OFFICIAL,
        Level.NATIONAL: Role.NATIONAL_OFFICIAL,
    }[jurisdiction.level]
    return UserFactory(role=role, organisation=bureau, **kwargs)


class BatchFactory(factory.django.DjangoModelFactory):
    """An open batch of the 洛阳 city bureau, accepting every unit type its policy covers."""

    class Meta:
        model = "applications.Batch"

    authority = factory.LazyFunction(
        lambda: (
            Organisation.objects.filter(
                kind=Organisation.Kind.BUREAU, jurisdiction__key="410300"
            ).first()
            or BureauFactory(
                jurisdiction=JurisdictionFactory(key="410300", name="洛阳市", level=Level.CITY)
            )
        )
    )
    jurisdiction = factory.LazyAttribute(lambda b: b.authority.jurisdiction)
    year = 2026
    title = factory.Sequence(lambda n: f"2026年度绿色制造名单申报（第{n}批）")
    policy = "luoyang-2024"
    unit_types = factory.LazyAttribute(lambda b: unit_types_of(b.policy))
    status = "open"
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


def unit_types_of(policy: str) -> list[str]:
    return unit_types(policy)


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
