"""Rows made in bulk for the budget tests: many units, applications and listings at once.

Each maker takes the number of rows to add, so a test can add 5 and then 45 more.
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from applications.models import Application, Batch
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from registry.models import Listing
from tests.applications.helpers import city_batch
from tests.dynamic_mgmt.dm_helpers import CITY_KEYS, COUNTY_KEYS, bureau
from tests.factories import ListingFactory, valid_credit_code

_serial = itertools.count(1)


def place(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)


def units(
    count: int, *, county: str = "410311", kind: str = Organisation.Kind.ENTERPRISE, **fields
) -> list[Organisation]:
    """``count`` new active organisations of ``kind`` in ``county``, each with its credit code."""
    jurisdiction = place(county)
    division = jurisdiction.code or "410311"
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"预算测试单位{serial:05d}有限公司",
            kind=kind,
            credit_code=valid_credit_code(division),
            jurisdiction=jurisdiction,
            **fields,
        )
        for serial in itertools.islice(_serial, count)
    )


def users(organisations: list[Organisation], *, role: str = Role.APPLICANT) -> list[User]:
    """One user of ``role`` in each organisation (no usable password: tests force_login)."""
    return User.objects.bulk_create(
        User(
            username=f"budget-{organisation.pk}-{next(_serial)}",
            role=role,
            organisation=organisation,
            full_name=f"联系人{organisation.pk}",
            password="!",
        )
        for organisation in organisations
    )


def applications(
    count: int,
    *,
    batch: Batch | None = None,
    county: str = "410311",
    status: str = Application.Status.SUBMITTED,
    organisation: Organisation | None = None,
    **fields,
) -> list[Application]:
    """``count`` applications of new units of ``county`` (or of ``organisation``, as products)."""
    batch = batch or city_batch()
    if organisation is None:
        owners = units(count, county=county)
        creators = users(owners)
    else:
        owners = [organisation] * count
        creator = organisation.users.first() or users([organisation])[0]
        creators = [creator] * count
        fields.setdefault("unit_type", "design_product")
    now = timezone.now()
    return Application.objects.bulk_create(
        Application(
            batch=batch,
            organisation=owner,
            jurisdiction=owner.jurisdiction,
            unit_type=fields.get("unit_type", "factory"),
            product_name=f"产品{next(_serial)}" if organisation is not None else "",
            status=status,
            submitted_at=None if status == Application.Status.DRAFT else now,
            created_by=creator,
            **{key: value for key, value in fields.items() if key != "unit_type"},
        )
        for owner, creator in zip(owners, creators, strict=True)
    )


def listings(
    count: int,
    *,
    city: str = "luoyang",
    county: str | None = None,
    level: str = Level.CITY,
    listed_on: datetime.date = datetime.date(2025, 6, 30),
    organisations: list[Organisation] | None = None,
    applications: list[Application] | None = None,
    **fields,
) -> list[Listing]:
    """``count`` units on ``city``'s published list (entered directly, as the registry allows),
    each from its application in ``applications`` when given."""
    organisations = organisations or units(count, county=county or COUNTY_KEYS[city])
    sources = applications or [None] * count
    authority = bureau(CITY_KEYS[city])
    creator = User.objects.get(username=f"{city}-city")
    return Listing.objects.bulk_create(
        ListingFactory.build(
            organisation=organisation,
            unit_type=fields.get("unit_type", "factory"),
            level=level,
            authority=authority,
            document_number=f"{authority.jurisdiction.name}工信〔{listed_on.year}〕8号",
            listed_on=listed_on,
            created_by=creator,
            application=source,
            **{key: value for key, value in fields.items() if key != "unit_type"},
        )
        for organisation, source in zip(organisations, sources, strict=True)
    )
