"""The registration workflow: who may move it, where, and what the trail records."""

import pytest
from django.urls import reverse

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Organisation
from greenmfg.directory.services import organisation_transition
from greenmfg.notifications.models import Notification
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    organisation = OrganisationFactory(jurisdiction=county, status=Organisation.Status.PENDING)
    member = demo["luoyang-enterprise"]
    member.organisation = organisation
    member.save()
    return organisation


def test_county_official_approves_with_audit_entry_and_notice(demo, pending):
    actor = demo["luoyang-county"]
    organisation_transition(organisation=pending, action="approve", actor=actor, comment="材料齐全")
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.ACTIVE
    entry = AuditEntry.objects.filter(object_id=str(pending.pk)).latest("at")
    assert (entry.actor, entry.from_state, entry.to_state, entry.comment) == (
        actor,
        "pending",
        "active",
        "材料齐全",
    )
    assert Notification.objects.filter(recipient=demo["luoyang-enterprise"]).exists()


def test_other_county_official_cannot_approve(demo, pending):
    with pytest.raises(NotPermitted, match="不在您的管辖范围内"):
        organisation_transition(
            organisation=pending, action="approve", actor=demo["luoyang-county2"]
        )
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.PENDING


def test_applicant_cannot_approve_own_registration(demo, pending):
    with pytest.raises(NotPermitted, match="无权执行"):
        organisation_transition(
            organisation=pending, action="approve", actor=demo["luoyang-enterprise"]
        )


def test_reject_needs_a_reason(demo, pending):
    with pytest.raises(DomainError, match="须填写理由"):
        organisation_transition(organisation=pending, action="reject", actor=demo["luoyang-county"])


def test_invalid_move_is_refused_with_state_named(demo, pending):
    organisation_transition(organisation=pending, action="approve", actor=demo["luoyang-county"])
    with pytest.raises(DomainError, match="当前状态为「正常」"):
        organisation_transition(
            organisation=pending, action="approve", actor=demo["luoyang-county"]
        )


def test_rejected_applicant_sees_reason_and_resubmits(client, demo, pending):
    organisation_transition(
        organisation=pending,
        action="reject",
        actor=demo["luoyang-county"],
        comment="营业执照不清晰",
    )
    client.force_login(demo["luoyang-enterprise"])
    page = client.get(reverse("directory:organisation-detail", args=[pending.pk])).content.decode()
    assert "营业执照不清晰" in page
    response = client.post(
        reverse("directory:organisation-transition", args=[pending.pk]),
        {"action": "resubmit", "comment": ""},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Organisation.Status.PENDING


def test_transition_api_refuses_with_message(client, demo, pending):
    client.force_login(demo["luoyang-county"])
    response = client.post(
        f"/api/organisations/{pending.pk}/transition/",
        {"action": "deactivate"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "当前状态为「待审核」" in response.json()["detail"]


def test_audit_trail_is_shown_to_officials_only(client, demo, pending):
    organisation_transition(organisation=pending, action="approve", actor=demo["luoyang-county"])
    url = reverse("directory:organisation-detail", args=[pending.pk])
    client.force_login(demo["luoyang-city"])
    assert "操作留痕" in client.get(url).content.decode()
    assert client.get(f"/api/organisations/{pending.pk}/audit/").json()["count"] == 1
    client.force_login(demo["luoyang-enterprise"])
    assert "操作留痕" not in client.get(url).content.decode()
    assert client.get(f"/api/organisations/{pending.pk}/audit/").status_code == 403
