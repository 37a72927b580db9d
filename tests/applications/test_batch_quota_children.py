"""A batch's quota table offers the children of its jurisdiction that are still divisions: one
withdrawn from the national tree gets no new quota, but a quota it already holds stays shown."""

import pytest

from applications.models import BatchQuota
from applications.selectors.batches import batch_children, batch_quota_rows
from greenmfg.directory.models import Jurisdiction
from tests.factories.applications import BatchFactory

pytestmark = pytest.mark.django_db


def test_a_withdrawn_division_is_offered_no_quota_unless_it_holds_one(demo):
    city = Jurisdiction.objects.get(key="410300")
    batch = BatchFactory(jurisdiction=city)
    children = list(Jurisdiction.objects.filter(parent=city).order_by("path"))
    withdrawn, holding = children[0], children[1]
    Jurisdiction.objects.filter(pk__in=[withdrawn.pk, holding.pk]).update(active=False)
    BatchQuota.objects.create(batch=batch, county=holding, quota=2)

    offered = list(batch_children(batch=batch))

    assert withdrawn not in offered
    assert holding in offered
    assert len(offered) == len(children) - 1
    rows = {row["jurisdiction"].pk: row["quota"] for row in batch_quota_rows(batch=batch)}
    assert rows[holding.pk] == 2
