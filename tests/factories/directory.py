"""Factories of the directory and accounts: places, organisations, users, officials."""

import itertools

import factory

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.credit_code import with_check_character
from greenmfg.directory.models import Jurisdiction, Level, Organisation

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


def demo_place(key: str) -> Jurisdiction:
    """A jurisdiction of the demo directory (the suite loads it once; see tests/conftest.py)."""
    return Jurisdiction.objects.get(key=key)


def demo_bureau(key: str) -> Organisation:
    """The bureau at the jurisdiction ``key``: the demo's, or a new one where the demo has none
    (then ``key`` names a new city)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.BUREAU, jurisdiction__key=key
    ).first() or BureauFactory(jurisdiction=JurisdictionFactory(key=key, level=Level.CITY))


def bureau_user(bureau: Organisation) -> User:
    """A user of ``bureau``: its first (the demo's ``<city>-city`` for a demo city), else a new
    official."""
    return bureau.users.order_by("pk").first() or official(bureau.jurisdiction)
