"""Factories of the published lists: listings, the proposals to remove them, and the public's
complaints about them."""

import factory

from greenmfg.core import clock
from registry.models import Complaint, Listing, RemovalProposal
from tests.factories.applications import LUOYANG_COUNTY, luoyang_bureau
from tests.factories.directory import OrganisationFactory, bureau_user, demo_place


class ListingFactory(factory.django.DjangoModelFactory):
    """A new enterprise of the demo 洛阳 county on the 洛阳 city list, entered directly (no batch)
    and listed today. Pass ``authority`` for another bureau's list: the level follows it."""

    class Meta:
        model = Listing

    class Params:
        removed = factory.Trait(
            status=Listing.Status.REMOVED, removed_on=factory.LazyFunction(clock.today)
        )

    organisation = factory.SubFactory(
        OrganisationFactory, jurisdiction=factory.LazyFunction(lambda: demo_place(LUOYANG_COUNTY))
    )
    # As the publishing services copy them: the unit's county, name and code at listing.
    jurisdiction = factory.LazyAttribute(lambda o: o.organisation.jurisdiction)
    unit_name = factory.LazyAttribute(lambda o: o.organisation.name)
    credit_code = factory.LazyAttribute(lambda o: o.organisation.credit_code)
    unit_type = "factory"
    authority = factory.LazyFunction(luoyang_bureau)
    level = factory.LazyAttribute(lambda o: o.authority.jurisdiction.level)
    listed_on = factory.LazyFunction(clock.today)
    year = factory.LazyAttribute(lambda o: o.listed_on.year)
    document_number = factory.LazyAttributeSequence(
        lambda o, n: f"{o.authority.jurisdiction.name}工信〔{o.year}〕{n + 1}号"
    )
    created_by = factory.LazyAttribute(lambda o: bureau_user(o.authority))


class RemovalProposalFactory(factory.django.DjangoModelFactory):
    """An open proposal to remove a new listing, raised by its authority (source 其他)."""

    class Meta:
        model = RemovalProposal

    listing = factory.SubFactory(ListingFactory)
    source = RemovalProposal.Source.OTHER
    reason = "所提交材料存在造假。"
    created_by = factory.LazyAttribute(lambda o: o.listing.created_by)


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A real-name complaint (举报) about a listed unit, received and handled where the unit is."""

    class Meta:
        model = Complaint

    listing = factory.SubFactory(ListingFactory)
    tracking_code = factory.Sequence(lambda n: f"T{n:09d}")
    subject = Complaint.Subject.LISTING
    handling_jurisdiction = factory.SelfAttribute("listing.jurisdiction")
    name = "李举报"
    id_or_organisation = "410302199001011234"
    phone = "13800138000"
    email = "lijubao@example.cn"
    content = "该企业实际排放长期超标。"
