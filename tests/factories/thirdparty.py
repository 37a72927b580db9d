"""Factories of third-party agencies: the engagements that count toward their caps."""

import factory

from greenmfg.directory.models import Organisation
from greenmfg.rules.agency import is_counted
from tests.factories.applications import LUOYANG_CITY, ApplicationFactory
from tests.factories.directory import OrganisationFactory, demo_place
from thirdparty.models import Engagement


class EngagementFactory(factory.django.DjangoModelFactory):
    """An active engagement of a new 洛阳 agency, named on a new application, written straight
    to the table (without the cap's check: use the service where the cap is the point)."""

    class Meta:
        model = Engagement

    agency = factory.SubFactory(
        OrganisationFactory,
        kind=Organisation.Kind.AGENCY,
        jurisdiction=factory.LazyFunction(lambda: demo_place(LUOYANG_CITY)),
    )
    application = factory.SubFactory(
        ApplicationFactory, evaluation_mode="third_party", agency=factory.SelfAttribute("..agency")
    )
    # Copied from the application as the service does, so that the caps count without joins.
    batch = factory.SelfAttribute("application.batch")
    year = factory.LazyAttribute(lambda o: o.batch.year)
    counted = factory.LazyAttribute(lambda o: is_counted(o.application.unit_type))
    created_by = factory.SelfAttribute("application.created_by")
