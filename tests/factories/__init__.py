"""Factories of the suite, one module per app in the order of apps (directory < applications <
reviews, thirdparty < registry < dynamic_mgmt), re-exported here so that a test imports them
all from ``tests.factories``.

Each builds a valid row with sensible defaults inside the demo directory the suite loads once
(tests/conftest.py): the 洛阳 city bureau, its county 410311, and dates from
``greenmfg.core.clock``. They write rows directly; a test of a transition goes through the
service instead.
"""

from tests.factories.applications import (
    ApplicationFactory,
    BatchFactory,
    BatchQuotaFactory,
    luoyang_bureau,
    unit_types_of,
)
from tests.factories.directory import (
    BureauFactory,
    JurisdictionFactory,
    OrganisationFactory,
    UserFactory,
    bureau_user,
    demo_bureau,
    demo_place,
    official,
    valid_credit_code,
)
from tests.factories.dynamic_mgmt import AnnualTableFactory
from tests.factories.registry import ComplaintFactory, ListingFactory, RemovalProposalFactory
from tests.factories.reviews import ExpertAssignmentFactory, ExpertFactory, ScoreSheetFactory
from tests.factories.thirdparty import EngagementFactory

__all__ = [
    "AnnualTableFactory",
    "ApplicationFactory",
    "BatchFactory",
    "BatchQuotaFactory",
    "BureauFactory",
    "ComplaintFactory",
    "EngagementFactory",
    "ExpertAssignmentFactory",
    "ExpertFactory",
    "JurisdictionFactory",
    "ListingFactory",
    "OrganisationFactory",
    "RemovalProposalFactory",
    "ScoreSheetFactory",
    "UserFactory",
    "bureau_user",
    "demo_bureau",
    "demo_place",
    "luoyang_bureau",
    "official",
    "unit_types_of",
    "valid_credit_code",
]
