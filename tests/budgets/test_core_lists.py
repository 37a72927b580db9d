"""Query budgets of the lists every role shares: notifications, organisations and their audit
trail, and the jurisdictions.

The dashboard's inbox is budgeted in tests/core/test_inbox.py (5 and 50 items of every kind of
work, at most 15 queries, for five roles).
"""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType

from greenmfg.audit.models import AuditEntry
from greenmfg.directory.models import Jurisdiction, Level, Organisation
from greenmfg.notifications.models import Notification

from .budget import Shown, assert_flat_queries
from .rows import place, units, users

_serial = itertools.count(1)


def test_the_notifications(client, demo):
    user = demo["luoyang-county"]

    def make(count):
        Notification.objects.bulk_create(
            Notification(
                recipient=user,
                subject=f"收到新的申报（{serial}）",
                body="请及时受理。",
                link="/applications/",
                status=Notification.Status.SENT,
            )
            for serial in itertools.islice(_serial, count)
        )

    def shown(response):
        rows = list(response.context["notifications"])
        return Shown(len(rows), Notification.objects.filter(recipient=user).count(), 100)

    client.force_login(user)
    assert_flat_queries(client, "/notifications/", make, count=shown)


def pending_units(count):
    """New units of 洛龙区 waiting for the county's approval, each with its applicant account."""
    users(units(count, status=Organisation.Status.PENDING))


@pytest.mark.parametrize(
    "url", ["/organisations/?q=预算测试单位", "/api/organisations/?q=预算测试单位"]
)
@pytest.mark.parametrize("username", ["luoyang-county", "luoyang-city", "admin"])
def test_the_organisations(client, demo, url, username):
    client.force_login(demo[username])
    assert_flat_queries(client, url, pending_units)


def audit_trail(organisation, actor):
    content_type = ContentType.objects.get_for_model(Organisation)

    def make(count):
        AuditEntry.objects.bulk_create(
            AuditEntry(
                content_type=content_type,
                object_id=str(organisation.pk),
                object_repr=organisation.name,
                actor=actor,
                actor_name=actor.display_name,
                actor_role=actor.role,
                action="update",
                action_label="修改单位信息",
                comment=f"第{serial}次修改",
            )
            for serial in itertools.islice(_serial, count)
        )
        users([organisation] * count)

    return make


def test_an_organisations_audit_trail_api(client, demo):
    [organisation] = units(1)
    actor = demo["luoyang-county"]
    client.force_login(actor)
    assert_flat_queries(
        client, f"/api/organisations/{organisation.pk}/audit/", audit_trail(organisation, actor)
    )


def test_an_organisations_page(client, demo):
    """Its members and its audit trail (the latest 50 entries)."""
    [organisation] = units(1)
    actor = demo["luoyang-county"]

    def shown(response):
        members = list(response.context["members"])
        entries = list(response.context["audit_entries"])
        assert len(members) == len(entries), (len(members), len(entries))
        return Shown(len(entries), len(entries), 50)

    client.force_login(actor)
    assert_flat_queries(
        client,
        f"/organisations/{organisation.pk}/",
        audit_trail(organisation, actor),
        count=shown,
    )


def test_the_jurisdictions(client, demo):
    """Functional zones added under 洛阳 (the loaded counties are listed too)."""
    city = place("410300")

    def make(count):
        keys = [f"BZ{serial:04d}" for serial in itertools.islice(_serial, count)]
        Jurisdiction.objects.bulk_create(
            Jurisdiction(
                key=key,
                name=f"预算测试功能区{key}",
                level=Level.COUNTY,
                kind=Jurisdiction.Kind.FUNCTIONAL,
                parent=city,
                path=f"{city.path}{key}/",
            )
            for key in keys
        )

    client.force_login(demo["luoyang-city"])
    assert_flat_queries(client, "/api/jurisdictions/?kind=functional&parent=410300", make)
