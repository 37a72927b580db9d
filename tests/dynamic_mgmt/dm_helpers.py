"""Arrangements of the change, incident, removal and grade tests: listed units of the demo cities
and a pinned "today" (the services read greenmfg.core.clock)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.models import IndustryReference
from dynamic_mgmt.services import removal as removal_services
from greenmfg.accounts.models import User
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from registry.models import Listing, RemovalProposal
from tests.factories import ListingFactory, OrganisationFactory, UserFactory, valid_credit_code

TODAY = datetime.date(2026, 11, 27)
BEIJING = ZoneInfo("Asia/Shanghai")
CITY_KEYS = {"luoyang": "410300", "jinan": "370100", "dalian": "210200"}
COUNTY_KEYS = {"luoyang": "410311", "jinan": "370102", "dalian": "210213"}
_serial = itertools.count(1)


@pytest.fixture
def pinned_today():
    """Move the clock to 10:00 Beijing time of a day (TODAY unless given); returns the setter."""
    travellers = []

    def pin(day: datetime.date = TODAY):
        moment = datetime.datetime.combine(day, datetime.time(10), BEIJING)
        travellers.append(time_machine.travel(moment))
        travellers[-1].start()
        return day

    pin()
    yield pin
    for traveller in reversed(travellers):
        traveller.stop()


def bureau(key: str) -> Organisation:
    return Organisation.objects.filter(kind=Organisation.Kind.BUREAU, jurisdiction__key=key).first()


def new_unit(city: str = "luoyang", name: str | None = None) -> Organisation:
    place = Jurisdiction.objects.get(key=COUNTY_KEYS[city])
    return OrganisationFactory(
        jurisdiction=place,
        name=name or f"动态测试企业{next(_serial):04d}有限公司",
        credit_code=valid_credit_code(place.code or "410311"),
    )


def listing_of(
    organisation: Organisation | None = None,
    *,
    city: str = "luoyang",
    level: str = Level.CITY,
    unit_type: str = "factory",
    listed_on: datetime.date = datetime.date(2025, 6, 30),
    batch=None,
    application=None,
    authority_key: str | None = None,
) -> Listing:
    """A unit on its city's published list (entered directly unless ``batch`` is given); on
    another bureau's list (a province's, a county's) with ``authority_key``."""
    organisation = organisation or new_unit(city)
    authority = bureau(authority_key or CITY_KEYS[city])
    return ListingFactory(
        organisation=organisation,
        unit_type=unit_type,
        level=level,
        authority=authority,
        batch=batch,
        application=application,
        document_number=f"{authority.jurisdiction.name}工信〔{listed_on.year}〕8号",
        listed_on=listed_on,
        created_by=User.objects.get(username=f"{city}-city"),
    )


def demo_listing(demo, city: str = "luoyang", **kwargs) -> Listing:
    """The demo enterprise of ``city`` (its user is ``<city>-enterprise``) on the city's list."""
    return listing_of(demo[f"{city}-enterprise"].organisation, city=city, **kwargs)


def unit_user(listing: Listing) -> User:
    existing = User.objects.filter(organisation=listing.organisation, role="applicant").first()
    return existing or UserFactory(organisation=listing.organisation)


PROVINCE_KEYS = {"luoyang": "410000", "jinan": "370000", "dalian": "210000"}


def park_on_city_and_province(demo, city: str = "jinan", unit_type: str = "park"):
    """The demo park of ``city`` on its city's 2025 list and on its province's 2025 list."""
    organisation = demo[f"{city}-park"].organisation
    city_listing = listing_of(organisation, city=city, unit_type=unit_type)
    province_listing = listing_of(
        organisation,
        city=city,
        unit_type=unit_type,
        level=Level.PROVINCE,
        authority_key=PROVINCE_KEYS[city],
    )
    return city_listing, province_listing


def remove_listing(listing: Listing, actor: User, *, document_number: str) -> RemovalProposal:
    """Remove ``listing`` through the removal door: a proposal, then the authority's decision."""
    proposal = removal_services.propose_removal(
        listing=listing,
        source=RemovalProposal.Source.OTHER,
        ground_code="fraud",
        reason="所提交材料存在造假。",
        actor=actor,
    )
    return removal_services.removal_decide(
        proposal=proposal,
        actor=actor,
        decision="remove",
        document_number=document_number,
        comment="经研究，决定移出。",
    )


def bureau_reference(demo, city: str, *, industry: str, year: int, values: dict):
    """The reference figures a city's bureau entered by hand for ``industry`` and ``year``."""
    return IndustryReference.objects.create(
        jurisdiction=Jurisdiction.objects.get(key=CITY_KEYS[city]),
        year=year,
        industry=industry,
        values=values,
        updated_by=demo[f"{city}-city"],
    )
