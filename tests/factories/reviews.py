"""Factories of expert review: experts, their assignments and score sheets."""

import factory

from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Organisation
from reviews.models import ExpertAssignment, ScoreSheet
from tests.factories.applications import ApplicationFactory
from tests.factories.directory import OrganisationFactory, UserFactory, bureau_user


class ExpertFactory(UserFactory):
    """A new expert of a new institute (in no authority's pool)."""

    role = Role.EXPERT
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.INSTITUTION)


class ExpertAssignmentFactory(factory.django.DjangoModelFactory):
    """A new expert assigned, by the batch's bureau, to an application in expert review."""

    class Meta:
        model = ExpertAssignment

    application = factory.SubFactory(ApplicationFactory, status="expert_review")
    expert = factory.SubFactory(ExpertFactory)
    assigned_by = factory.LazyAttribute(lambda o: bureau_user(o.application.batch.authority))


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    """An empty draft sheet of the shipped green-factory template."""

    class Meta:
        model = ScoreSheet

    assignment = factory.SubFactory(ExpertAssignmentFactory)
    template_key = "green-factory@2025"
