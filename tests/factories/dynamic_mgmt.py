"""Factories of dynamic management: the yearly tables of listed units."""

import factory

from dynamic_mgmt.models import AnnualTable
from greenmfg.core import clock
from tests.factories.registry import ListingFactory


class AnnualTableFactory(factory.django.DjangoModelFactory):
    """A draft 动态管理表 of a new listing for this year, no indicators entered yet."""

    class Meta:
        model = AnnualTable

    listing = factory.SubFactory(ListingFactory)
    year = factory.LazyFunction(lambda: clock.today().year)
    indicators = factory.LazyFunction(dict)
