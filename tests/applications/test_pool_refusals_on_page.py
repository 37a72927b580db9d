"""The candidate page shows 重新纳入 disabled, with the service's own reason, while the unit has
another open candidacy in the same direction (issue 17, item 2): the same guard decides both."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.services.pool import candidate_add, candidate_refusals, candidate_transition
from greenmfg.core.errors import DomainError

pytestmark = pytest.mark.django_db

PLAN = "对标能效标杆水平，实施余热回收改造。"


def add(keeper, organisation):
    return candidate_add(
        actor=keeper,
        organisation=organisation,
        target_unit_type="factory",
        target_year=timezone.localdate().year + 1,
        plan=PLAN,
    )


def test_reinstate_of_a_duplicate_is_disabled_with_the_services_reason(client, demo):
    keeper = demo["luoyang-county"]
    organisation = demo["luoyang-enterprise"].organisation
    withdrawn = add(keeper, organisation)
    candidate_transition(candidate=withdrawn, action="withdraw", actor=keeper, comment="停产")
    add(keeper, organisation)  # the unit is cultivated again under a new candidacy
    withdrawn.refresh_from_db()
    with pytest.raises(DomainError) as refusal:
        candidate_transition(candidate=withdrawn, action="reinstate", actor=keeper)
    client.force_login(keeper)

    body = client.get(reverse("applications:pool-detail", args=[withdrawn.pk])).content.decode()

    refused = re.search(r'<div id="refusals-reinstate" class="refusals">(.*?)</div>', body, re.S)
    shown = re.findall(r"<li>(.*?)</li>", refused.group(1))
    assert shown == [refusal.value.message]
    assert shown == candidate_refusals(candidate=withdrawn, action="reinstate", actor=keeper)
    assert "不能重复纳入" in shown[0]
    assert 'aria-describedby="refusals-reinstate"' in body
    assert 'name="action" value="reinstate"' not in body


def test_reinstate_without_a_duplicate_is_a_form(client, demo):
    keeper = demo["luoyang-county"]
    candidate = add(keeper, demo["luoyang-enterprise"].organisation)
    candidate_transition(candidate=candidate, action="withdraw", actor=keeper, comment="停产")
    client.force_login(keeper)

    body = client.get(reverse("applications:pool-detail", args=[candidate.pk])).content.decode()

    assert 'name="action" value="reinstate"' in body and "refusals-reinstate" not in body
