"""The change report page shows every step the table offers; one the service would refuse now
is disabled, with the service's own reason (issue 17, item 2): the same guard decides both."""

import re

import pytest
from django.urls import reverse

from dynamic_mgmt.services import change as services
from greenmfg.core.errors import DomainError
from tests.dynamic_mgmt.dm_helpers import pinned_today
from tests.dynamic_mgmt.test_change_revised_report import in_re_evaluation, upload

pytestmark = pytest.mark.django_db
__all__ = ["pinned_today"]


def test_approve_waits_for_the_revised_report_disabled_with_the_services_reason(
    client, demo, pinned_today
):
    change = in_re_evaluation(demo)
    city = demo["jinan-city"]
    with pytest.raises(DomainError) as refusal:
        services.change_report_transition(report=change, action="approve", actor=city)
    client.force_login(city)

    body = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()

    assert re.search(
        r'<button type="button" class="button" disabled aria-disabled="true" '
        r'aria-describedby="refusals-approve">',
        body,
    )
    refused = re.search(r'<div id="refusals-approve" class="refusals">(.*?)</div>', body, re.S)
    shown = re.findall(r"<li>(.*?)</li>", refused.group(1))
    assert shown == [refusal.value.message]
    assert shown == services.change_report_refusals(report=change, action="approve", actor=city)
    assert 'name="action" value="approve"' not in body
    assert 'name="action" value="reject"' in body  # 不予确认 needs no revised report


def test_once_the_revised_report_is_in_approve_is_a_form(client, demo, pinned_today):
    change = in_re_evaluation(demo)
    upload(change, demo["jinan-enterprise"])
    client.force_login(demo["jinan-city"])

    body = client.get(reverse("dynamic_mgmt:change-detail", args=[change.pk])).content.decode()

    assert 'name="action" value="approve"' in body
    assert "refusals-approve" not in body
